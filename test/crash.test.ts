// Crash safety: Mitra runs as a child process (`node bin/mitra.js serve`) against a simulator that
// plays Meta in this process. Citizens send a load of messages; while the load is in flight the
// child is killed with SIGKILL and started again on the same database. Every message the simulator
// sent must be answered exactly once: the webhook answers 200 only after the inbox commit (and the
// simulator retries until it gets 200), turns commit their replies into the outbox in one
// transaction, and a reply whose Graph call landed just before the crash is marked sent by its
// status webhook (biz_opaque_callback_data) instead of being sent again when its lease runs out.
//
// Runs on PGlite (a data dir under .tmp/) or, with TEST_DATABASE_URL, on a fresh PostgreSQL schema.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { userInfo } from 'node:os';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import pg from 'pg';
import { createSimulator, type Simulator } from '../src/channel/index.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PG_URL = withUser(process.env.TEST_DATABASE_URL);
const DB_KIND = PG_URL ? 'PostgreSQL' : 'PGlite';

const CREDS = {
  appSecret: 'crash-test-app-secret',
  verifyToken: 'crash-test-verify-token',
  accessToken: 'crash-test-access-token',
  phoneNumberId: '109876543210987',
};
const LEASE_MS = 3000;
const CITIZENS = 40;
/** Messages sent while Mitra is down, one per citizen, after each kill: only the simulator's retries bring them in. */
const WHILE_DOWN = CITIZENS;
const ANSWER_TIMEOUT_MS = 60_000;

/** node-postgres takes a missing user name from $USER only; a shell without it (cron, some containers) still has a login. */
function withUser(url: string | undefined): string | undefined {
  if (!url) return undefined;
  const u = new URL(url);
  if (!u.username) u.username = process.env.PGUSER || process.env.USER || userInfo().username;
  return u.toString();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** A fresh database for one scenario: a PostgreSQL schema, or a PGlite data dir. */
async function freshDatabase(): Promise<{ env: Record<string, string>; dispose(): Promise<void> }> {
  const id = randomBytes(5).toString('hex');
  if (PG_URL) {
    const schema = `crash_${id}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();
    const u = new URL(PG_URL);
    u.search = `?options=-c%20search_path%3D${schema}`;
    return {
      env: { DATABASE_URL: u.toString() },
      async dispose() {
        const c = new pg.Client({ connectionString: PG_URL });
        await c.connect();
        await c.query(`drop schema ${schema} cascade`);
        await c.end();
      },
    };
  }
  const dir = `${ROOT}.tmp/crash-${id}`;
  mkdirSync(dir, { recursive: true });
  return {
    env: { DATA_DIR: dir },
    async dispose() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Children still running when this process exits (an uncaught error, the runner's timeout) die with it. */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

/** One run of `mitra serve`, with its output kept for the failure message. */
class Mitra {
  private child: ChildProcess;
  private output = '';
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(
    readonly name: string,
    readonly port: number,
    env: Record<string, string>,
  ) {
    const base = Object.fromEntries(
      Object.entries(process.env).filter(
        ([k]) => k !== 'NODE_TEST_CONTEXT' && k !== 'NODE_OPTIONS' && !/^(WHATSAPP_|SENDER_|WORKER_|SIMULATOR_|DATABASE_URL$|DATA_DIR$|PUBLIC_URL$)/.test(k),
      ),
    );
    this.child = spawn(process.execPath, ['bin/mitra.js', 'serve'], { cwd: ROOT, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (b: Buffer) => {
      this.output = (this.output + b.toString()).slice(-6000);
    };
    this.child.stdout!.on('data', keep);
    this.child.stderr!.on('data', keep);
    live.add(this.child);
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => {
        live.delete(this.child);
        resolve({ code, signal });
      }),
    );
  }

  get running() {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  tail(): string {
    return `--- ${this.name} output (tail) ---\n${this.output.trim() || '(none)'}\n---`;
  }

  async healthy(ms = 30_000): Promise<void> {
    const until = Date.now() + ms;
    for (;;) {
      if (!this.running) {
        const { code, signal } = await this.exited;
        assert.fail(`${this.name} exited (code ${code}, signal ${signal}) before /healthz answered\n${this.tail()}`);
      }
      try {
        const res = await fetch(`http://127.0.0.1:${this.port}/healthz`);
        const body = (await res.json()) as { status?: string };
        if (res.ok && body.status === 'ok') return;
      } catch {
        /* not listening yet */
      }
      if (Date.now() > until) assert.fail(`${this.name} was not healthy within ${ms} ms\n${this.tail()}`);
      await sleep(50);
    }
  }

  async kill(signal: NodeJS.Signals): Promise<void> {
    if (this.running) this.child.kill(signal);
    await this.exited;
  }

  /** SIGTERM, then SIGKILL if it does not stop in time. */
  async stop(ms = 10_000): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const done = await Promise.race([this.exited.then(() => true), new Promise<false>((r) => (timer = setTimeout(() => r(false), ms)))]);
    clearTimeout(timer);
    if (!done) await this.kill('SIGKILL');
  }
}

const ANSWER = /«(m-\d+-\d+)»/;
/** The message text an echo reply quotes, if the Graph body is one. */
const quoted = (body: any): string | undefined =>
  body?.type === 'interactive' && typeof body.interactive?.body?.text === 'string' ? body.interactive.body.text.match(ANSWER)?.[1] : undefined;

/** What the simulated phones show: for each message text, how many replies quote it, and anything else sent. */
function replies(sim: Simulator) {
  const count = new Map<string, number>();
  const unexpected: string[] = [];
  for (const waId of sim.citizens()) {
    for (const e of sim.chat(waId)) {
      if (e.direction !== 'out') continue;
      const key = quoted(e.message);
      if (e.message.interactive?.type !== 'button' || !key) unexpected.push(JSON.stringify(e.message).slice(0, 300));
      else count.set(key, (count.get(key) ?? 0) + 1);
    }
  }
  return { count, unexpected };
}

/** Follows the simulator's Graph log as it grows: which texts have a reply, and when each outbox row was posted. */
class GraphWatch {
  private seen = 0;
  readonly answered = new Set<string>();
  readonly posts = new Map<string, { at: number; text?: string }[]>();
  constructor(private sim: Simulator) {}
  update(): this {
    const log = this.sim.graphLog;
    for (; this.seen < log.length; this.seen++) {
      const { body, at } = log[this.seen]!;
      const text = quoted(body);
      if (text) this.answered.add(text);
      const tag = body?.biz_opaque_callback_data;
      if (typeof tag === 'string') (this.posts.get(tag) ?? (this.posts.set(tag, []), this.posts.get(tag)!)).push({ at, text });
    }
    return this;
  }
  reposted() {
    return [...this.update().posts].filter(([, p]) => p.length > 1);
  }
}

/**
 * Runs the load, SIGKILLs Mitra when the simulator has seen each of `killAt` replies, restarts it each
 * time, and checks that every message sent got exactly one reply.
 */
async function crashScenario(t: TestContext, total: number, killAt: number[]) {
  const started = Date.now();
  const port = await freePort();
  const db = await freshDatabase();
  const sim = createSimulator({
    ...CREDS,
    webhookUrl: `http://127.0.0.1:${port}/webhooks/whatsapp`,
    publicUrl: 'http://127.0.0.1/unused', // media download URLs; no media in this test
    statuses: 'each',
    retryBaseMs: 100,
  });
  const server = serve({ fetch: sim.app.fetch, port: 0, hostname: '127.0.0.1' });
  const runs: Mitra[] = [];
  t.after(async () => {
    for (const m of runs) await m.stop();
    await sim.close();
    await new Promise<void>((r) => {
      server.close(() => r());
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
    });
    await db.dispose();
  });
  await new Promise<void>((r) => (server.listening ? r() : server.once('listening', () => r())));
  const simUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const watch = new GraphWatch(sim);

  const env: Record<string, string> = {
    PORT: String(port),
    HOST: '127.0.0.1',
    WHATSAPP_APP_SECRET: CREDS.appSecret,
    WHATSAPP_VERIFY_TOKEN: CREDS.verifyToken,
    WHATSAPP_ACCESS_TOKEN: CREDS.accessToken,
    WHATSAPP_PHONE_NUMBER_ID: CREDS.phoneNumberId,
    WHATSAPP_GRAPH_URL: `${simUrl}/graph`,
    AADHAAR_SALT: 'test-aadhaar-salt-not-a-secret',
    SIGNING_KEY_SECRET: 'test-signing-key-secret-not-a-secret-0123',
    // The channel is what is under test: every reply quotes its message, so each can be counted.
    CONVERSATION: 'echo',
    WHATSAPP_RATE: '1000',
    SENDER_LEASE_MS: String(LEASE_MS),
    // A send in flight at the kill waits this long after its lease for the simulator's status redelivery.
    // Generous: on a loaded 2-core machine the redelivery can reach only the Mitra after next.
    SENDER_RECOVERY_GRACE_MS: '25000',
    LOG_LEVEL: 'warn',
    ...db.env,
  };

  const timeline: string[] = [];
  const mark = (what: string) => timeline.push(`+${((Date.now() - started) / 1000).toFixed(2)} s ${what}`);
  const start = () => {
    const m = new Mitra(`mitra #${runs.length + 1}`, port, env);
    runs.push(m);
    mark(`${m.name} started`);
    return m;
  };
  const tails = () => runs.map((m) => m.tail()).join('\n');

  let mitra = start();
  await mitra.healthy();
  mark(`${mitra.name} healthy`);

  // Citizens take turns; each sends at most 13 messages (500 / 40), under Meta's per-recipient burst of 20.
  const citizen = (c: number) => `9198${String(100000 + c).padStart(8, '0')}`;
  const sent: string[] = [];
  const next = new Array<number>(CITIZENS).fill(0);
  const send = (c: number) => {
    const text = `m-${c}-${next[c]!++}`;
    sim.citizenSends(citizen(c), { type: 'text', text });
    sent.push(text);
  };
  const initial = total - WHILE_DOWN * killAt.length;
  for (let i = 0; i < initial; i++) {
    send(i % CITIZENS);
    // A breath every few sends, so webhooks keep arriving while replies go out.
    if (i % 50 === 49) await sleep(5);
  }
  mark(`${initial} messages sent`);

  const kills: { answered: number; sentSoFar: number }[] = [];
  for (const threshold of killAt) {
    const until = Date.now() + ANSWER_TIMEOUT_MS;
    while (watch.update().answered.size < threshold) {
      if (Date.now() > until) assert.fail(`only ${watch.answered.size} of ${sent.length} answered before the planned kill at ${threshold}\n${tails()}`);
      if (!mitra.running) assert.fail(`${mitra.name} died by itself\n${tails()}`);
      await sleep(5);
    }
    await mitra.kill('SIGKILL');
    kills.push({ answered: watch.update().answered.size, sentSoFar: sent.length });
    mark(`${mitra.name} SIGKILLed with ${watch.answered.size} of ${sent.length} answered`);
    // Citizens keep writing while Mitra is down: only the simulator's retries can bring these in.
    for (let c = 0; c < WHILE_DOWN; c++) send(c % CITIZENS);
    await sleep(100);
    mitra = start();
    await mitra.healthy();
    mark(`${mitra.name} healthy`);
  }

  // Every message answered…
  const until = Date.now() + ANSWER_TIMEOUT_MS;
  while (!sent.every((s) => watch.answered.has(s))) {
    if (Date.now() > until) {
      const missing = sent.filter((s) => !watch.answered.has(s));
      assert.fail(`${missing.length} of ${sent.length} messages never answered within ${ANSWER_TIMEOUT_MS} ms, e.g. ${missing.slice(0, 10).join(', ')}\n${timeline.join('\n')}\n${tails()}`);
    }
    if (!mitra.running) assert.fail(`${mitra.name} died by itself\n${tails()}`);
    await sleep(20);
    watch.update();
  }
  const allAnsweredAfter = Date.now() - started;
  mark('every message answered');
  // …and then until Mitra has nothing left to send: a row left 'sending' by a killed process is either
  // marked sent by its status webhook or taken again after its lease, which is when a duplicate would
  // show up. Then a moment more, in case anything still reaches the Graph endpoint.
  const metricsText = () => fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text());
  const gauge = (text: string, name: string) => Number(text.match(new RegExp(`^${name} (\\d+)`, 'm'))?.[1] ?? NaN);
  const drainedBy = Date.now() + ANSWER_TIMEOUT_MS;
  for (;;) {
    const m = await metricsText();
    if (gauge(m, 'mitra_inbox_pending') === 0 && gauge(m, 'mitra_outbox_pending') === 0) break;
    if (Date.now() > drainedBy) assert.fail(`Mitra's inbox or outbox did not drain within ${ANSWER_TIMEOUT_MS} ms after every message was answered\n${m}`);
    await sleep(200);
  }
  mark('inbox and outbox drained');
  for (let posts = -1; posts !== sim.graphLog.length; ) {
    posts = sim.graphLog.length;
    await sleep(500);
  }
  // The sender's own account of retries and failures, for the failure message.
  const metrics = await metricsText()
    .then((m) => m.split('\n').filter((l) => /^mitra_(send_retries|messages_failed|messages_sent|webhook_rejected|turns_processed)_total/.test(l)).join('\n'))
    .catch((e) => `(no metrics: ${(e as Error).message})`);

  const { count, unexpected } = replies(sim);
  const duplicates = [...count].filter(([, n]) => n > 1);
  const reposted = watch.reposted();
  const missing = sent.filter((s) => !count.has(s));
  const stray = [...count.keys()].filter((k) => !sent.includes(k));
  console.log(
    `[crash, ${DB_KIND}] sent ${sent.length} (${WHILE_DOWN * killAt.length} while Mitra was down); ` +
      kills.map((k, i) => `kill #${i + 1} (SIGKILL) with ${k.answered} of ${k.sentSoFar} answered`).join(', ') +
      `; all answered after ${(allAnsweredAfter / 1000).toFixed(1)} s; duplicates ${duplicates.length}, ` +
      `missing ${missing.length}; webhook deliveries retried ${sim.stats.webhookRetries} times`,
  );

  const why = () =>
    [
      'outbox rows posted more than once (times since the scenario started):',
      ...reposted.slice(0, 12).map(([tag, p]) => `  ${tag} «${p[0]?.text ?? '?'}»: ${p.map((x) => `+${((x.at - started) / 1000).toFixed(2)} s`).join(', ')}`),
      'timeline:',
      ...timeline.map((l) => `  ${l}`),
      `last Mitra's metrics:\n${metrics}`,
    ].join('\n');
  for (const [i, k] of kills.entries()) assert.ok(k.answered < k.sentSoFar, `kill #${i + 1} was not mid-load: all ${k.sentSoFar} messages were already answered`);
  assert.equal(new Set(sent).size, sent.length);
  assert.deepEqual(missing, [], 'every message is answered');
  assert.deepEqual(duplicates, [], `no message is answered twice\n${why()}`);
  assert.deepEqual(reposted.map(([tag]) => tag), [], `no outbox row is posted to the Graph API twice\n${why()}`);
  assert.deepEqual(stray, [], 'no reply to a message nobody sent');
  assert.deepEqual(unexpected, [], 'every outbound message is an echo of a sent text');
  assert.equal(count.size, sent.length);
}

test(`${DB_KIND}: SIGKILL mid-load and restart; every accepted message is answered exactly once`, { timeout: 180_000 }, async (t) => {
  await crashScenario(t, 500, [150]);
});

test(`${DB_KIND}: SIGKILL twice mid-load; every accepted message is answered exactly once`, { timeout: 180_000 }, async (t) => {
  // Smaller, to keep the file near a minute on PGlite.
  await crashScenario(t, 300, [80, 180]);
});
