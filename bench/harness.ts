// Helpers for benches that run Mitra (or a comparison server) in a child process and measure it from
// this one: free ports, child start/stop, CPU accounting from /proc, percentiles, /metrics. The same
// ways of measuring as bench/channel.ts, kept in a module so bench/journey.ts need not copy them.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getRequestListener } from '@hono/node-server';
import pg from 'pg';
import type { Simulator } from '../src/channel/index.ts';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const outDir = join(root, 'bench', 'out');

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** A bench's usage error: said, and the run ends with status 2. */
export function fail(msg: string): never {
  console.error(`bench: ${msg}`);
  process.exit(2);
}

/** A numeric option, or its default when not given. */
export const num = (v: string | undefined, def: number) => (v === undefined ? def : Number(v));

export const fmt = (n: number, d = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }) : '-');

// ---------------------------------------------------------------------------------------------------
// CPU, from /proc (Linux)

export const TICK = 100; // USER_HZ on Linux

export function procTicks(pid: number): number {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]);
  } catch {
    return 0;
  }
}

/** CPU ticks of every process named postgres (the server and its backends). */
export function postgresTicks(): number {
  let t = 0;
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (readFileSync(`/proc/${d}/comm`, 'utf8').trim() === 'postgres') t += procTicks(Number(d));
    } catch {
      /* gone */
    }
  }
  return t;
}

/** Busy CPU time of the whole machine, in ticks: what else runs here shows against the figures. */
export function machineTicks(): number {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = f;
  return user + nice + system + irq + softirq + steal;
}

/**
 * CPU ticks PostgreSQL spends for one application: its backends (found by application_name in
 * pg_stat_activity, looked up twice a second as the pool opens connections) and the server's own
 * background processes (WAL writer, checkpointer…). Other clients of the same server, such as tests
 * running meanwhile, are left out: they count as the machine's rest.
 */
export function pgMeter(adminUrl: string, appName: string): { stop(): Promise<number> } {
  const seen = new Map<number, { first: number; last: number }>();
  const client = new pg.Client({ connectionString: adminUrl });
  const ready = client.connect().catch(() => undefined);
  let stopped = false;
  async function sample() {
    const rows = (await client
      .query(`select pid from pg_stat_activity where application_name = $1 or (backend_type not in ('client backend', 'parallel worker') and pid <> pg_backend_pid())`, [appName])
      .catch(() => ({ rows: [] }))).rows as { pid: number }[];
    for (const { pid } of rows) {
      const t = procTicks(pid);
      const s = seen.get(pid);
      if (s) s.last = Math.max(s.last, t);
      else seen.set(pid, { first: t, last: t });
    }
    // Processes seen before: their ticks so far, even if they no longer show in pg_stat_activity.
    for (const [pid, s] of seen) s.last = Math.max(s.last, procTicks(pid));
  }
  const loop = (async () => {
    await ready;
    while (!stopped) {
      await sample();
      await sleep(500);
    }
  })();
  void ready.then(sample);
  return {
    async stop() {
      stopped = true;
      await loop;
      await sample();
      await client.end().catch(() => {});
      let t = 0;
      for (const s of seen.values()) t += s.last - s.first;
      return t;
    },
  };
}

export interface Cpu {
  /** This process: load generator and simulator. */
  loadgen: number;
  server: number;
  postgres: number;
  machine: number;
  /** Whatever else was busy meanwhile (other processes, the kernel's work for all this I/O). */
  other: number;
}

/**
 * Starts measuring CPU; the returned function gives the share of one core each used since, over
 * `wall` seconds. With `postgres` (the admin URL and the application_name the server connects with),
 * PostgreSQL's share is its work for that application only (pgMeter).
 */
export function cpuMeter(serverPid: number, postgres?: { url: string; appName: string }): (wall: number) => Promise<Cpu> {
  const pgm = postgres ? pgMeter(postgres.url, postgres.appName) : undefined;
  const before = { self: process.cpuUsage(), server: procTicks(serverPid), machine: machineTicks() };
  return async (wall) => {
    const self = process.cpuUsage(before.self);
    const server = procTicks(serverPid);
    const machine = machineTicks();
    const pgTicks = pgm ? await pgm.stop() : 0;
    const cpu: Cpu = {
      loadgen: (self.user + self.system) / 1e6 / wall,
      server: (server - before.server) / TICK / wall,
      postgres: pgTicks / TICK / wall,
      machine: (machine - before.machine) / TICK / wall,
      other: 0,
    };
    cpu.other = Math.max(0, cpu.machine - cpu.loadgen - cpu.server - cpu.postgres);
    return cpu;
  };
}

// ---------------------------------------------------------------------------------------------------
// Child processes

/** Children to stop if the bench itself is interrupted. */
const children = new Set<ChildProcess>();
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    for (const c of children) c.kill('SIGTERM');
    process.exit(130);
  });
}

export interface Child {
  name: string;
  child: ChildProcess;
  port: number;
  /** The last lines the child wrote to stderr. */
  stderr: string[];
  stop(): Promise<void>;
}

/** Runs `node argv…` with `env` added, its stdout in bench/out/NAME.log, and waits for /healthz. */
export async function startChild(name: string, argv: string[], env: Record<string, string>, port: number, cwd = root): Promise<Child> {
  mkdirSync(outDir, { recursive: true });
  const log = createWriteStream(join(outDir, `${name}.log`));
  await new Promise((r) => log.once('open', r));
  const child = spawn(process.execPath, argv, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', log, 'pipe'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  const stderr: string[] = [];
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    stderr.push(d);
    if (stderr.length > 200) stderr.shift();
    if (process.env.BENCH_CHILD_STDERR) process.stderr.write(d);
  });
  let exited = false;
  const exit = new Promise<void>((r) => child.once('exit', () => { exited = true; r(); }));
  const until = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`${name} exited before it was ready:\n${stderr.join('')}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      await res.arrayBuffer();
      if (res.ok) break;
    } catch {
      /* not yet */
    }
    if (Date.now() > until) throw new Error(`${name} not ready after 60 s:\n${stderr.join('')}`);
    await sleep(100);
  }
  return {
    name,
    child,
    port,
    stderr,
    async stop() {
      if (!exited) child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exit;
      clearTimeout(t);
      log.end();
    },
  };
}

export interface Creds {
  appSecret: string;
  verifyToken: string;
  accessToken: string;
  phoneNumberId: string;
}

export const newCreds = (): Creds => ({
  appSecret: randomBytes(24).toString('hex'),
  verifyToken: randomBytes(12).toString('hex'),
  accessToken: randomBytes(24).toString('hex'),
  phoneNumberId: '100200300400500',
});

/** The servers measured beside Mitra under the same load (bench/README.md). */
const SERVERS = { ceiling: 'bench/servers/bare.ts', floor: 'bench/servers/floor.ts', peer: 'bench/peer/whatsapp-api-js.ts' } as const;

/** The ceiling, the floor or the peer in a child, with the run's credentials and the simulator's Graph URL. */
export function startServer(kind: keyof typeof SERVERS, creds: Creds, graphUrl: string, port: number): Promise<Child> {
  const bot = { APP_SECRET: creds.appSecret, ACCESS_TOKEN: creds.accessToken, VERIFY_TOKEN: creds.verifyToken, GRAPH_URL: graphUrl };
  return startChild(kind, ['--import', 'tsx', SERVERS[kind]], { PORT: String(port), ...(kind === 'ceiling' ? {} : bot) }, port);
}

export interface MitraOptions {
  db: 'pglite' | 'postgres';
  creds: Creds;
  graphUrl: string;
  port: number;
  /** The PostgreSQL to make a fresh schema in (dropped by cleanup unless `keep`). */
  pgUrl: string;
  pgOptions?: string;
  logLevel: string;
  /** WHATSAPP_RATE and WHATSAPP_PAIR_BURST. */
  whatsappRate: number;
  pairBurst?: number;
  /** More settings for the child (e.g. WORKER_CONCURRENCY), for experiments. */
  env?: Record<string, string>;
  /** Write a V8 CPU profile of Mitra to bench/out/profiles. */
  profile?: boolean;
  keep?: boolean;
  /** Run from another entry (default: bin/mitra.js serve, exactly as `npm start`). */
  entry?: string;
  /** Run from another checkout. */
  cwd?: string;
  onFail(msg: string): never;
}

export interface Mitra extends Child {
  db: 'pglite' | 'postgres';
  /** The application_name Mitra's PostgreSQL connections carry (PGAPPNAME). */
  appName: string;
  /** The URL Mitra's database is at (PostgreSQL: with the run's schema as search_path). */
  databaseUrl?: string;
  /** Mitra's /metrics, summed by name (labels folded). */
  metrics(): Promise<Map<string, number>>;
  /** Drops the run's schema or data directory. */
  cleanup(): Promise<void>;
}

/** Mitra in a child process as `npm start` runs it, with explicit WhatsApp credentials: no built-in simulator. */
export async function startMitra(o: MitraOptions): Promise<Mitra> {
  const env: Record<string, string> = {
    PORT: String(o.port),
    HOST: '127.0.0.1',
    LOG_LEVEL: o.logLevel,
    WHATSAPP_APP_SECRET: o.creds.appSecret,
    WHATSAPP_VERIFY_TOKEN: o.creds.verifyToken,
    WHATSAPP_ACCESS_TOKEN: o.creds.accessToken,
    WHATSAPP_PHONE_NUMBER_ID: o.creds.phoneNumberId,
    WHATSAPP_GRAPH_URL: o.graphUrl,
    // Required with live credentials: the secret Aadhaar numbers are hashed with.
    AADHAAR_SALT: randomBytes(32).toString('hex'),
    SIGNING_KEY_SECRET: randomBytes(32).toString('hex'),
    // High enough that the per-number token bucket is not what is measured (read receipts count too).
    WHATSAPP_RATE: String(o.whatsappRate),
    ...(o.pairBurst ? { WHATSAPP_PAIR_BURST: String(o.pairBurst) } : {}),
    // The catalogue conversation, whatever this shell has set (bench/channel.ts runs `echo`).
    CONVERSATION: 'catalogue',
    ...o.env,
  };
  let cleanup = async () => {};
  let databaseUrl: string | undefined;
  const appName = `mitra-bench-${randomBytes(4).toString('hex')}`;
  if (o.db === 'postgres') {
    const schema = `bench_${randomBytes(5).toString('hex')}`;
    // node-postgres names its connections from PGAPPNAME: the bench finds Mitra's backends by it.
    env.PGAPPNAME = appName;
    const admin = new pg.Client({ connectionString: o.pgUrl });
    await admin.connect().catch((err) => o.onFail(`PostgreSQL at ${o.pgUrl} is not reachable (${(err as Error).message}); start it or pass --pg-url`));
    await admin.query(`create schema ${schema}`);
    await admin.end();
    const u = new URL(o.pgUrl);
    u.searchParams.set('options', `-c search_path=${schema} ${o.pgOptions ?? ''}`.trim());
    databaseUrl = env.DATABASE_URL = u.toString();
    cleanup = async () => {
      if (o.keep) return void console.error(`  kept schema ${schema}`);
      const c = new pg.Client({ connectionString: o.pgUrl });
      await c.connect();
      await c.query(`drop schema ${schema} cascade`);
      await c.end();
    };
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'mitra-bench-'));
    env.DATA_DIR = dir;
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  }
  const prof = o.profile ? ['--cpu-prof', '--cpu-prof-dir', join(outDir, 'profiles'), '--cpu-prof-name', `mitra-${o.db}-${Date.now()}.cpuprofile`] : [];
  let t: Child;
  try {
    t = await startChild(`mitra-${o.db}`, [...prof, ...(o.entry ? ['--import', 'tsx', o.entry] : ['bin/mitra.js', 'serve'])], env, o.port, o.cwd ?? root);
  } catch (err) {
    await cleanup();
    throw err;
  }
  return {
    ...t,
    db: o.db,
    appName,
    databaseUrl,
    async metrics() {
      const text = await (await fetch(`http://127.0.0.1:${o.port}/metrics`)).text();
      const m = new Map<string, number>();
      for (const line of text.split('\n')) {
        const x = /^(mitra_[a-z_]+)(?:\{[^}]*\})? ([0-9.e+-]+)$/.exec(line);
        if (x) m.set(x[1]!, (m.get(x[1]!) ?? 0) + Number(x[2]));
      }
      return m;
    },
    cleanup,
  };
}

// ---------------------------------------------------------------------------------------------------
// Webhook timings, from the simulator's deliveries (--trace)

/** With `on`: each webhook's wait for one of the simulator's connections, and its answer time, ms. */
export const deliveryTimes = { on: false, server: [] as number[], queued: [] as number[] };

export function recordDelivery(t: { queuedMs: number; answerMs: number }): void {
  if (!deliveryTimes.on) return;
  deliveryTimes.server.push(t.answerMs);
  deliveryTimes.queued.push(t.queuedMs);
}

// ---------------------------------------------------------------------------------------------------
// The simulator, served to Mitra

const SEND_PATH = /^\/graph\/[^/]+\/([^/?]+)\/messages$/;

/**
 * Serves the simulator at `port` on a bare node:http server. Sends (POST …/messages, two per turn) go
 * straight to `sim.sendMessage` after `tap` has seen them, without building a web Request for each:
 * that adaptation cost the load generator more than the simulator's own work. Everything else (media)
 * goes through the simulator's Hono app.
 */
export async function serveSimulator(
  sim: Simulator,
  port: number,
  o: { tap: (body: Record<string, any> | undefined, at: number) => void; latencyMs: number },
): Promise<HttpServer> {
  const rest = getRequestListener(sim.app.fetch);
  const server = createHttpServer((req, res) => {
    const m = req.method === 'POST' ? SEND_PATH.exec(req.url ?? '') : null;
    if (!m) return void rest(req, res);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = performance.now();
      let body: Record<string, any> | undefined;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        /* the simulator answers it as Meta would */
      }
      o.tap(body, at);
      const answer = () => {
        const a = sim.sendMessage(m[1]!, req.headers.authorization, body);
        const text = JSON.stringify(a.json);
        res.writeHead(a.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
        res.end(text);
      };
      if (o.latencyMs > 0) setTimeout(answer, o.latencyMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

export async function closeServer(server: HttpServer): Promise<void> {
  await new Promise<void>((r) => {
    server.close(() => r());
    server.closeAllConnections();
  });
}

/**
 * ANALYZE the tables a conversation writes, as autovacuum does within a minute of a deployment's first
 * traffic. A bench starts on an empty schema: without this, plans made while the tables were empty
 * (sequential scans of a "tiny" outbox) stay cached while the tables grow tenfold, which no
 * deployment running longer than the bench ever sees.
 */
export async function analyzeTables(databaseUrl: string): Promise<void> {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    await c.query('analyze inbox, outbox, citizens, conversation_sessions, cases, case_events');
  } finally {
    await c.end();
  }
}
