import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { createInterface, clearLine, cursorTo } from 'node:readline';
import { parseArgs } from 'node:util';
import type { Command } from './index.ts';

// `mitra chat`: the citizen's side of the WhatsApp simulator in a terminal. It uses the same JSON
// API as the chat page (/simulator/api/...), prints what Mitra sends as it arrives, and numbers the
// buttons and list rows of the latest interactive message so typing the number taps it.
// With stdin not a terminal (lines piped in) it answers like a patient citizen: each line waits
// for Mitra's reply to the previous one, and after the input ends it waits briefly and exits 0.

const USAGE = [
  'usage: mitra chat [--url http://127.0.0.1:3000] [--number 919900000001]',
  '',
  'Chat with a running Mitra (`npm start`, simulated WhatsApp) as the citizen --number.',
  'Type a message and press Enter. When Mitra offers buttons or a list they are numbered:',
  'type the number to tap one. Commands:',
  '  /loc            send a location (Amaravati, the demo location)',
  '  /photo <path>   send a photo        /doc <path>   send a document',
  '  /contact        send a contact      /react [emoji]  react to Mitra\'s last message',
  '  /unknown        send a message type WhatsApp does not deliver (e.g. a poll)',
  '  /help           this list           /quit         leave',
  '',
  'Options:',
  '  --url      where Mitra runs (default $MITRA_URL or http://127.0.0.1:3000)',
  '  --number   your WhatsApp number, 6 to 15 digits (default 919900000001)',
].join('\n');

const POLL_MS = 400;
const DEMO_LOCATION = { type: 'location', latitude: 16.5131, longitude: 80.5165, name: 'అమరావతి · Amaravati', address: 'Amaravati, Andhra Pradesh 522020' } as const;
const DEMO_CONTACT = { type: 'contacts', name: 'Lakshmi Devi', phone: '919900000077' } as const;

interface Entry {
  seq: number;
  direction: 'in' | 'out';
  wamid: string;
  at: number;
  message: Record<string, any>;
  status?: string;
  error?: { code: number; title: string };
}

/** What typing a number does: tap a reply button or list row, or share the location asked for. */
type Option = { kind: 'button_reply' | 'list_reply'; id: string; title: string; context: string } | { kind: 'location'; title: string };

const MIME: Record<string, string> = {
  '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.webp': 'image/webp', '.gif': 'image/gif',
  '.pdf': 'application/pdf', '.txt': 'text/plain', '.json': 'application/json', '.csv': 'text/csv', '.doc': 'application/msword',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

class Unreachable extends Error {}

export const chatCommand: Command = {
  summary: 'chat with Mitra from the terminal, as a citizen, through the WhatsApp simulator',
  usage: USAGE,
  async run(args: string[]): Promise<number> {
    let values: { url?: string; number?: string };
    try {
      ({ values } = parseArgs({ args, options: { url: { type: 'string' }, number: { type: 'string' } }, strict: true, allowPositionals: false }));
    } catch (err) {
      console.error(`mitra chat: ${(err as Error).message}\n\n${USAGE}`);
      return 2;
    }
    const base = (values.url ?? process.env.MITRA_URL ?? 'http://127.0.0.1:3000').replace(/\/+$/, '');
    const number = (values.number ?? '919900000001').replace(/^\+/, '');
    if (!/^https?:\/\/[^/]+/.test(base)) {
      console.error(`mitra chat: --url must be an http(s) address, like http://127.0.0.1:3000 (got "${base}")`);
      return 2;
    }
    if (!/^\d{6,15}$/.test(number)) {
      console.error(`mitra chat: --number must be 6 to 15 digits, country code first, like 919900000001 (got "${number}")`);
      return 2;
    }
    return new Chat(base, number).run();
  },
};

class Chat {
  private readonly api: string;
  private readonly tty = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  private readonly color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
  private lastSeq = 0;
  private readonly seen = new Map<string, Entry>();
  private options: Option[] = [];
  private lastBot: Entry | undefined;
  private stopped = false;
  private sleeper: { timer: NodeJS.Timeout; wake: () => void } | undefined;
  private readonly waiters = new Set<() => void>();
  private offline = false;
  private rl: ReturnType<typeof createInterface> | undefined;

  constructor(
    private readonly base: string,
    private readonly number: string,
  ) {
    this.api = `${base}/simulator/api`;
  }

  async run(): Promise<number> {
    let history: Entry[];
    try {
      history = await this.fetchAfter(0);
    } catch (err) {
      console.error(err instanceof Unreachable ? `mitra chat: ${err.message}` : `mitra chat: cannot reach Mitra at ${this.base}: ${(err as Error).message}`);
      return 1;
    }
    this.out(this.c('2', `Chatting with Mana Mitra as +${this.number} via ${this.base}/simulator`));
    this.out(this.c('2', 'Type a message; a number taps a numbered choice; /help lists commands, /quit leaves.'));
    for (const e of history) this.remember(e);
    if (this.lastBot) {
      this.out(this.c('2', `(${history.length} earlier message${history.length === 1 ? '' : 's'} in this chat; the last one from Mitra:)`));
      this.print(this.lastBot);
    }
    const polling = this.pollLoop();

    const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: this.tty, prompt: this.tty ? this.c('32', '› ') : '' });
    this.rl = rl;
    const lines: string[] = [];
    let ended = false;
    let wake: (() => void) | undefined;
    rl.on('line', (l) => { lines.push(l); wake?.(); });
    rl.on('close', () => { ended = true; wake?.(); });
    rl.on('SIGINT', () => rl.close());
    if (this.tty) rl.prompt();

    for (;;) {
      if (!lines.length && !ended) await new Promise<void>((r) => (wake = r));
      wake = undefined;
      const line = lines.shift();
      if (line === undefined) {
        if (ended) break;
        continue;
      }
      const result = await this.handle(line.trim());
      if (result === 'quit') break;
      if (this.tty && !ended) rl.prompt();
    }
    if (!this.tty) await this.quiet(800, 3000);
    this.stopped = true;
    this.sleeper?.wake();
    rl.close();
    await polling;
    if (this.tty) process.stdout.write('\n');
    return 0;
  }

  // ---- what the citizen typed ----
  private async handle(line: string): Promise<'quit' | void> {
    if (!line) return;
    const [cmd, ...rest] = line.split(/\s+/);
    const arg = line.slice(cmd!.length).trim();
    try {
      switch (cmd) {
        case '/quit':
        case '/exit':
        case '/q':
          return 'quit';
        case '/help':
        case '/?':
          this.out(USAGE.split('\n').slice(3, 10).join('\n'));
          return;
        case '/loc':
        case '/location':
          await this.send(DEMO_LOCATION, '📍 Amaravati 16.5131, 80.5165');
          return;
        case '/photo':
        case '/doc':
          if (!arg) {
            this.out(this.c('33', `usage: ${cmd} <path to a file>`));
            return;
          }
          await this.sendFile(cmd === '/photo' ? 'image' : 'document', arg);
          return;
        case '/contact':
          await this.send(DEMO_CONTACT, `👤 ${DEMO_CONTACT.name} +${DEMO_CONTACT.phone}`);
          return;
        case '/react': {
          if (!this.lastBot) {
            this.out(this.c('33', 'Nothing from Mitra to react to yet.'));
            return;
          }
          const emoji = rest[0] ?? '👍';
          await this.send({ type: 'reaction', messageId: this.lastBot.wamid, emoji }, `reacted ${emoji}`);
          return;
        }
        case '/unknown':
          await this.send({ type: 'unknown' }, '(a message type WhatsApp does not deliver)');
          return;
      }
      if (/^\d+$/.test(line) && this.options.length) {
        const n = Number(line);
        const option = this.options[n - 1];
        if (option) {
          if (option.kind === 'location') await this.send(DEMO_LOCATION, `📍 ${option.title}`);
          else await this.send({ type: option.kind, id: option.id, title: option.title, context: option.context }, `[${n}] ${option.title}`);
          return;
        }
      }
      if (cmd!.startsWith('/') && cmd!.length > 1 && !/^\/\d/.test(cmd!)) {
        this.out(this.c('33', `Unknown command ${cmd}; /help lists them. (Sent nothing.)`));
        return;
      }
      await this.send({ type: 'text', text: line });
    } catch (err) {
      this.out(this.c('31', `Could not send: ${(err as Error).message}`));
    }
  }

  private async send(action: Record<string, unknown>, echo?: string): Promise<void> {
    const res = await this.request(`${this.api}/citizens/${this.number}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(action) });
    const body = (await res.json().catch(() => ({}))) as { wamid?: string; error?: { message?: string } };
    if (!res.ok || !body.wamid) throw new Error(body.error?.message ?? `HTTP ${res.status}`);
    if (echo) this.out(this.c('32', `  you › ${echo}`));
    // Piped input: wait for Mitra's answer before the next line, as a person would.
    if (!this.tty) await this.answered(body.wamid);
    else this.sleeper?.wake();
  }

  private async sendFile(type: 'image' | 'document', path: string): Promise<void> {
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (err) {
      this.out(this.c('31', `Cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`));
      return;
    }
    const mime = MIME[extname(path).toLowerCase()] ?? (type === 'image' ? 'image/jpeg' : 'application/octet-stream');
    const res = await this.request(`${this.api}/media`, { method: 'POST', headers: { 'content-type': mime }, body: new Uint8Array(bytes) });
    const body = (await res.json().catch(() => ({}))) as { id?: string; error?: { message?: string } };
    if (!res.ok || !body.id) throw new Error(`upload failed: ${body.error?.message ?? `HTTP ${res.status}`}`);
    const action = type === 'image' ? { type, mediaId: body.id } : { type, mediaId: body.id, filename: basename(path) };
    await this.send(action, `${type === 'image' ? '🖼' : '📄'} ${basename(path)} (${mime}, ${bytes.length} bytes)`);
  }

  // ---- polling ----
  private async request(url: string, init?: RequestInit): Promise<Response> {
    try {
      return await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
      throw new Unreachable(`cannot reach Mitra at ${this.base} (${cause}). Is it running? Start it with \`npm start\` (mitra serve).`);
    }
  }

  private async fetchAfter(after: number): Promise<Entry[]> {
    const res = await this.request(`${this.api}/citizens/${this.number}/messages?after=${after}`);
    if (res.status === 404) {
      throw new Unreachable(`${this.base} answers but has no WhatsApp simulator at /simulator (is it running with real WhatsApp credentials?)`);
    }
    if (!res.ok) throw new Error(`HTTP ${res.status} from ${this.base}`);
    const body = (await res.json()) as { messages?: Entry[] };
    return body.messages ?? [];
  }

  private async pollLoop(): Promise<void> {
    while (!this.stopped) {
      try {
        const fresh = await this.fetchAfter(this.lastSeq);
        if (this.offline) this.out(this.c('32', 'Connected again.'));
        this.offline = false;
        for (const e of fresh) {
          this.remember(e);
          if (e.direction === 'out') this.print(e);
        }
        if (fresh.length) for (const w of [...this.waiters]) w();
      } catch (err) {
        if (!this.offline) this.out(this.c('31', `Lost the connection: ${(err as Error).message} (retrying)`));
        this.offline = true;
      }
      if (this.stopped) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => { this.sleeper = undefined; resolve(); }, POLL_MS);
        this.sleeper = { timer, wake: () => { clearTimeout(timer); this.sleeper = undefined; resolve(); } };
      });
    }
  }

  private remember(e: Entry) {
    this.lastSeq = Math.max(this.lastSeq, e.seq);
    this.seen.set(e.wamid, e);
    if (e.direction === 'out') {
      this.lastBot = e;
      const opts = optionsOf(e);
      if (opts) this.options = opts;
    }
  }

  /** Resolves once Mitra has answered the message `wamid` and then gone quiet (or after a while). */
  private async answered(wamid: string): Promise<void> {
    const until = Date.now() + 10_000;
    const replied = () => {
      const mine = this.seen.get(wamid);
      return mine !== undefined && this.lastBot !== undefined && this.lastBot.seq > mine.seq;
    };
    this.sleeper?.wake();
    while (!replied() && Date.now() < until) await this.change(until - Date.now());
    if (replied()) await this.quiet(600, 4000);
  }

  /** Waits until no new message has arrived for `ms`, at most `max`. */
  private async quiet(ms: number, max: number): Promise<void> {
    const until = Date.now() + max;
    for (;;) {
      const seq = this.lastSeq;
      await new Promise((r) => setTimeout(r, Math.min(ms, Math.max(0, until - Date.now()))));
      if (this.lastSeq === seq || Date.now() >= until) return;
    }
  }

  private change(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => { this.waiters.delete(done); clearTimeout(t); resolve(); };
      const t = setTimeout(done, Math.max(0, ms));
      this.waiters.add(done);
    });
  }

  // ---- printing ----
  private c(code: string, s: string): string {
    return this.color ? `\x1b[${code}m${s}\x1b[0m` : s;
  }

  private out(text: string) {
    if (this.tty && this.rl) {
      clearLine(process.stdout, 0);
      cursorTo(process.stdout, 0);
      process.stdout.write(text + '\n');
      this.rl.prompt(true);
    } else {
      process.stdout.write(text + '\n');
    }
  }

  private print(e: Entry) {
    const m = e.message;
    const lines: string[] = [];
    const at = new Date(e.at).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
    const tick = e.status === 'failed' ? this.c('31', '✗') : e.status === 'read' ? this.c('36', '✓✓') : e.status === 'delivered' ? '✓✓' : '✓';
    lines.push(`${this.c('1;32', 'Mitra')} ${this.c('2', at)} ${tick}`);
    const body = (s: string | undefined) => { if (s) for (const l of s.split('\n')) lines.push(l ? `  ${bold(l, this.color)}` : ''); };
    const media = (ref: Record<string, any> | undefined) => (ref?.link ? String(ref.link) : ref?.id ? `${this.api}/media/${ref.id}` : '');
    const i = m.interactive;
    switch (m.type) {
      case 'text':
        body(m.text?.body);
        break;
      case 'interactive': {
        if (i?.header?.type === 'text') lines.push(`  ${this.c('1', i.header.text)}`);
        else if (i?.header) lines.push(`  [${i.header.type}: ${media(i.header[i.header.type])}]`);
        body(i?.body?.text);
        if (i?.footer?.text) lines.push(`  ${this.c('2', i.footer.text)}`);
        const opts = optionsOf(e) ?? [];
        if (i?.type === 'button') {
          lines.push('  ' + opts.map((o, n) => this.c('36', `[${n + 1}] ${o.title}`)).join('  '));
        } else if (i?.type === 'list') {
          lines.push(`  ${this.c('36', `☰ ${i.action?.button ?? ''}`)}`);
          let n = 0;
          for (const s of i.action?.sections ?? []) {
            if (s.title) lines.push(`    ${this.c('2', s.title)}`);
            for (const r of s.rows ?? []) {
              n++;
              lines.push(`    ${this.c('36', `[${n}]`)} ${r.title}${r.description ? this.c('2', ` — ${r.description}`) : ''}`);
            }
          }
        } else if (i?.type === 'cta_url') {
          lines.push(`  ${this.c('36', `🔗 ${i.action?.parameters?.display_text ?? ''}`)}: ${i.action?.parameters?.url ?? ''}`);
        } else if (i?.type === 'location_request_message') {
          lines.push(`  ${this.c('36', '[1] 📍 Send location')} ${this.c('2', '(or /loc)')}`);
        } else if (i?.type !== 'button_reply' && i?.type !== 'list_reply') {
          lines.push(`  (${i?.type} message)`);
        }
        break;
      }
      case 'image':
      case 'video':
      case 'sticker':
        lines.push(`  🖼 ${m.type}: ${media(m[m.type])}`);
        body(m[m.type]?.caption);
        break;
      case 'document':
        lines.push(`  📄 ${m.document?.filename ?? 'document'}: ${media(m.document)}`);
        body(m.document?.caption);
        break;
      case 'audio':
        lines.push(`  🔊 audio: ${media(m.audio)}`);
        break;
      case 'template': {
        const params = (m.template?.components ?? []).flatMap((c: any) => (c.parameters ?? []).map((p: any) => p.text ?? JSON.stringify(p)));
        lines.push(`  ${this.c('2', `template ${m.template?.name} (${m.template?.language?.code})`)}`);
        params.forEach((p: string, n: number) => lines.push(`  {{${n + 1}}} ${p}`));
        break;
      }
      case 'location':
        lines.push(`  📍 ${m.location?.name ?? ''} ${m.location?.latitude}, ${m.location?.longitude}`);
        break;
      case 'reaction':
        lines.push(`  reacted ${m.reaction?.emoji ?? ''}`);
        break;
      default:
        lines.push(`  ${JSON.stringify(m)}`);
    }
    if (e.status === 'failed') lines.push(this.c('31', `  ✗ not delivered: ${e.error?.code ?? ''} ${e.error?.title ?? ''}`.trimEnd()));
    this.out(lines.join('\n'));
  }
}

/** The numbered choices an outbound message offers, or undefined when it offers none. */
function optionsOf(e: Entry): Option[] | undefined {
  const i = e.message.type === 'interactive' ? e.message.interactive : undefined;
  if (!i) return undefined;
  if (i.type === 'button') return (i.action?.buttons ?? []).map((b: any) => ({ kind: 'button_reply' as const, id: String(b.reply?.id), title: String(b.reply?.title), context: e.wamid }));
  if (i.type === 'list') {
    return (i.action?.sections ?? []).flatMap((s: any) => (s.rows ?? []).map((r: any) => ({ kind: 'list_reply' as const, id: String(r.id), title: String(r.title), context: e.wamid })));
  }
  if (i.type === 'location_request_message') return [{ kind: 'location', title: 'Amaravati 16.5131, 80.5165' }];
  return undefined;
}

/** WhatsApp's *bold* as terminal bold (the asterisks stay when there is no colour). */
function bold(line: string, color: boolean): string {
  return color ? line.replace(/(^|[^\w*])\*(?=\S)([^*\n]*?\S)\*(?!\w)/g, '$1\x1b[1m$2\x1b[22m') : line;
}
