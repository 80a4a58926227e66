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
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import pg from 'pg';
import { createSimulator, type Simulator } from '../src/channel/index.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PG_URL = process.env.TEST_DATABASE_URL;
const DB_KIND = PG_URL ? 'PostgreSQL' : 'PGlite';

const CREDS = {
  appSecret: 'crash-test-app-secret',
  verifyToken: 'crash-test-verify-token',
  accessToken: 'crash-test-access-token',
  phoneNumberId: '109876543210987',
};
const LEASE_MS = 3000;
const CITIZENS = 40;
const TOTAL = 500;
/** Messages each citizen sends while Mitra is down: they can only arrive through the simulator's retries. */
const WHILE_DOWN = CITIZENS;
const ANSWER_TIMEOUT_MS = 60_000;

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
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
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
    const done = await Promise.race([this.exited.then(() => true), sleep(ms).then(() => false)]);
    if (!done) await this.kill('SIGKILL');
  }
}

const ANSWER = /«(m-\d+-\d+)»/;

/** What the simulated phones show: for each message text, how many replies quote it, and anything unexpected. */
function replies(sim: Simulator) {
  const count = new Map<string, number>();
  const unexpected: string[] = [];
  for (const waId of sim.citizens()) {
    for (const e of sim.chat(waId)) {
      if (e.direction !== 'out') continue;
      const m = e.message;
      const body: unknown = m.type === 'interactive' ? m.interactive?.body?.text : m.text?.body;
      const key = typeof body === 'string' ? body.match(ANSWER)?.[1] : undefined;
      if (m.type !== 'interactive' || m.interactive?.type !== 'button' || !key) unexpected.push(JSON.stringify(m).slice(0, 300));
      else count.set(key, (count.get(key) ?? 0) + 1);
    }
  }
  return { count, unexpected };
}

/** How many times each outbox row was posted to the Graph API (by biz_opaque_callback_data). */
function graphPostsByOutboxRow(sim: Simulator): Map<string, number> {
  const posts = new Map<string, number>();
  for (const { body } of sim.graphLog) {
    const tag = body?.biz_opaque_callback_data;
    if (typeof tag === 'string') posts.set(tag, (posts.get(tag) ?? 0) + 1);
  }
  return posts;
}

/**
 * Runs the load, SIGKILLs Mitra when the simulator has seen each of `killAt` replies, restarts it each
 * time, and checks that every message sent got exactly one reply.
 */
async function crashScenario(t: TestContext, killAt: number[]) {
  const started = Date.now();
  const db = await freshDatabase();
  const port = await freePort();
  const sim = createSimulator({
    ...CREDS,
    webhookUrl: `http://127.0.0.1:${port}/webhooks/whatsapp`,
    publicUrl: 'http://127.0.0.1:0', // set below, once the simulator's port is known
    statuses: 'each',
    retryBaseMs: 100,
  });
  const server = serve({ fetch: sim.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((r) => (server.listening ? r() : server.once('listening', () => r())));
  const simUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const env: Record<string, string> = {
    PORT: String(port),
    HOST: '127.0.0.1',
    WHATSAPP_APP_SECRET: CREDS.appSecret,
    WHATSAPP_VERIFY_TOKEN: CREDS.verifyToken,
    WHATSAPP_ACCESS_TOKEN: CREDS.accessToken,
    WHATSAPP_PHONE_NUMBER_ID: CREDS.phoneNumberId,
    WHATSAPP_GRAPH_URL: `${simUrl}/graph`,
    WHATSAPP_RATE: '1000',
    SENDER_LEASE_MS: String(LEASE_MS),
    LOG_LEVEL: 'warn',
    ...db.env,
  };

  const runs: Mitra[] = [];
  const start = () => {
    const m = new Mitra(`mitra #${runs.length + 1}`, port, env);
    runs.push(m);
    return m;
  };
  t.after(async () => {
    for (const m of runs) await m.stop();
    await sim.close();
    await new Promise<void>((r) => {
      server.close(() => r());
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
    });
    await db.dispose();
  });
  const tails = () => runs.map((m) => m.tail()).join('\n');

  let mitra = start();
  await mitra.healthy();

  // Citizens take turns; each sends at most ~13 messages, under Meta's per-recipient burst of 20.
  const citizen = (c: number) => `9198${String(100000 + c).padStart(8, '0')}`;
  const sent: string[] = [];
  const next = new Array<number>(CITIZENS).fill(0);
  const send = (c: number) => {
    const text = `m-${c}-${next[c]!++}`;
    sim.citizenSends(citizen(c), { type: 'text', text });
    sent.push(text);
  };
  const initial = TOTAL - WHILE_DOWN * killAt.length;
  for (let i = 0; i < initial; i++) {
    send(i % CITIZENS);
    // A breath every few sends, so webhooks keep arriving while replies go out.
    if (i % 50 === 49) await sleep(5);
  }

  const kills: { answered: number; unanswered: number; sentSoFar: number }[] = [];
  for (const threshold of killAt) {
    const until = Date.now() + ANSWER_TIMEOUT_MS;
    while (replies(sim).count.size < threshold) {
      if (Date.now() > until) assert.fail(`only ${replies(sim).count.size} of ${sent.length} answered before the planned kill at ${threshold}\n${tails()}`);
      if (!mitra.running) assert.fail(`${mitra.name} died by itself\n${tails()}`);
      await sleep(5);
    }
    await mitra.kill('SIGKILL');
    const answered = replies(sim).count.size;
    kills.push({ answered, unanswered: sent.length - answered, sentSoFar: sent.length });
    // Citizens keep writing while Mitra is down: only the simulator's retries can bring these in.
    for (let c = 0; c < WHILE_DOWN; c++) send(c % CITIZENS);
    await sleep(100);
    mitra = start();
    await mitra.healthy();
  }

  // Every message answered…
  const until = Date.now() + ANSWER_TIMEOUT_MS;
  for (;;) {
    const { count } = replies(sim);
    if (sent.every((s) => count.has(s))) break;
    if (Date.now() > until) {
      const missing = sent.filter((s) => !count.has(s));
      assert.fail(`${missing.length} of ${sent.length} messages never answered within ${ANSWER_TIMEOUT_MS} ms, e.g. ${missing.slice(0, 10).join(', ')}\n${tails()}`);
    }
    if (!mitra.running) assert.fail(`${mitra.name} died by itself\n${tails()}`);
    await sleep(20);
  }
  const allAnsweredAfter = Date.now() - started;
  // …and then long enough for any row left 'sending' by a killed process to be taken again after its
  // lease, which is when a duplicate would show up. Then the Graph endpoint must be quiet.
  await sleep(LEASE_MS + 500);
  let posts = sim.graphLog.length;
  for (;;) {
    await sleep(500);
    if (sim.graphLog.length === posts) break;
    posts = sim.graphLog.length;
  }

  const { count, unexpected } = replies(sim);
  const duplicates = [...count].filter(([, n]) => n > 1);
  const reposted = [...graphPostsByOutboxRow(sim)].filter(([, n]) => n > 1);
  const missing = sent.filter((s) => !count.has(s));
  const stray = [...count.keys()].filter((k) => !sent.includes(k));
  console.log(
    `[crash, ${DB_KIND}] sent ${sent.length} (${WHILE_DOWN * killAt.length} while Mitra was down); ` +
      kills.map((k, i) => `kill #${i + 1} (SIGKILL) with ${k.answered} of ${k.sentSoFar} answered`).join(', ') +
      `; all answered after ${allAnsweredAfter} ms; duplicates ${duplicates.length}, Graph re-posts ${reposted.length}, ` +
      `missing ${missing.length}; webhook retries ${sim.stats.webhookRetries}`,
  );

  for (const [i, k] of kills.entries()) assert.ok(k.unanswered > 0, `kill #${i + 1} was not mid-load: all ${k.sentSoFar} messages were already answered`);
  assert.equal(new Set(sent).size, sent.length);
  assert.deepEqual(missing, [], 'every message is answered');
  assert.deepEqual(duplicates, [], `no message is answered twice\n${tails()}`);
  assert.deepEqual(reposted, [], 'no outbox row is posted to the Graph API twice');
  assert.deepEqual(stray, [], 'no reply to a message nobody sent');
  assert.deepEqual(unexpected, [], 'every outbound message is an echo of a sent text');
  assert.equal(count.size, sent.length);
}

test(`${DB_KIND}: SIGKILL mid-load and restart; every accepted message is answered exactly once`, async (t) => {
  await crashScenario(t, [150]);
});

test(`${DB_KIND}: SIGKILL twice mid-load; every accepted message is answered exactly once`, async (t) => {
  await crashScenario(t, [120, 300]);
});
