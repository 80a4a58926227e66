import assert from 'node:assert/strict';
import { sign } from '../src/channel/index.ts';
import { verhoeffDigit } from '../src/conversation/verhoeff.ts';
import type { graphCapture } from './graph-capture.ts';
import { CREDENTIALS } from './graph-capture.ts';
import { inbound } from './meta-payloads.ts';
import { eventually, type testDb } from './support.ts';

// Both sides of Mitra at once for end-to-end tests: a citizen's phone (signed webhooks in, what the
// Graph API was asked to send out) and an officer's browser on the back office's JSON API.

export interface World {
  /** Mitra's base URL (it changes when a test restarts Mitra). */
  url(): string;
  graph: Awaited<ReturnType<typeof graphCapture>>;
  db: Awaited<ReturnType<typeof testDb>>;
}

export const PASSWORD = 'a-long-test-password';
let number = 919_600_000_000 + Math.floor(Math.random() * 1000) * 1000;

/** An officer's browser: a session cookie and the CSRF token. */
export class OfficerBrowser {
  cookie = '';
  csrf = '';
  constructor(
    readonly world: World,
    readonly username: string,
  ) {}
  async login() {
    const res = await fetch(`${this.world.url()}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: this.username, password: PASSWORD }) });
    assert.equal(res.status, 200);
    this.cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    this.csrf = ((await res.json()) as { csrfToken: string }).csrfToken;
    return this;
  }
  async get(path: string) {
    const res = await fetch(`${this.world.url()}${path}`, { headers: { cookie: this.cookie } });
    return { status: res.status, body: (await res.json()) as any };
  }
  async post(path: string, body: Record<string, unknown>) {
    const res = await fetch(`${this.world.url()}${path}`, { method: 'POST', headers: { cookie: this.cookie, 'content-type': 'application/json', 'x-csrf-token': this.csrf }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as any };
  }
  act = (id: number, body: Record<string, unknown>) => this.post(`/api/v1/cases/${id}/actions`, body);
}

/** A citizen's phone: every message Mitra sends it, in order. */
export class Phone {
  readonly waId = String(++number);
  seen = 0;
  constructor(readonly world: World) {}
  async send(message: Record<string, unknown>) {
    const body = JSON.stringify(inbound(this.waId, message));
    const res = await fetch(`${this.world.url()}/webhooks/whatsapp`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(body, CREDENTIALS.WHATSAPP_APP_SECRET) }, body });
    assert.equal(res.status, 200);
    return this.next();
  }
  /** The messages that arrive next (waits for at least one, then for the queue to settle). */
  async next(): Promise<any[]> {
    const mine = () => this.world.graph.messages().filter((m) => m.to === this.waId);
    await eventually(() => mine().length > this.seen, 8000, `a message to ${this.waId}`);
    await eventually(async () => {
      const [open] = await this.world.db.query<{ n: number }>(`select count(*)::int as n from outbox where wa_id = $1 and state in ('queued', 'sending')`, [this.waId]);
      return open!.n === 0;
    }, 8000, 'the outbox to drain');
    const fresh = mine().slice(this.seen);
    this.seen += fresh.length;
    return fresh;
  }
  say = (text: string) => this.send({ type: 'text', text: { body: text } });
  tap = (id: string) => this.send({ type: 'interactive', interactive: { type: 'button_reply', button_reply: { id, title: id } } });
}

export const textOf = (ms: any[]) =>
  ms.map((m) => m.text?.body ?? m.interactive?.body?.text ?? m.document?.caption ?? (m.template ? `template:${m.template.name}:${m.template.components?.find((c: any) => c.type === 'body')?.parameters?.map((p: any) => p.text).join('|')}` : '')).join('\n');

/** A citizen of Tenali applies for an income certificate in English; returns its reference. */
export async function applyForIncomeCertificate(p: Phone, name = 'Ravi Kumar'): Promise<string> {
  await p.say('hi');
  await p.tap('lang:en');
  await p.tap('start:income-certificate');
  await p.say(name);
  await p.say('23456789012' + verhoeffDigit('23456789012'));
  await p.tap('opt:guntur');
  await p.tap('opt:guntur/tenali');
  await p.say('1,20,000');
  await p.tap('opt:scholarship');
  await p.send({ type: 'image', image: { mime_type: 'image/jpeg', sha256: 'ab', id: '2754859441498128' } });
  const done = await p.tap('form:confirm');
  return textOf(done).match(/REV-26-\d{6}/)![0];
}
