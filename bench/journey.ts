// Journey bench: many citizens at once, each applying for an income certificate from "hi" to the
// status of the application (bench/journey-script.ts: 15 turns, a wrong answer, an Aadhaar number, a
// district by text, list and button taps, a photo, a confirmation and a reference), through Mitra's
// real webhook, worker, conversation, database and sender. A turn is timed from the start of its
// webhook POST to the arrival at the Graph endpoint of the last message Mitra answers it with.
//
//   node --import tsx bench/journey.ts [--db postgres|pglite|both] [--citizens N] [--journeys N]
//        [--warmup N] [--lang mix|en|te] [--statuses each|batched|off] [--smoke] [--no-ceiling]
//        [--no-peer] [--no-floor] [--trace] [--profile] [--mitra-env K=V,K=V] [--pg-url URL] [--keep] [--wait-idle S]
//        [--until STEP]
//
// Defaults: PostgreSQL at postgres://postgres@127.0.0.1:5432/test (a fresh schema, dropped after),
// 500 citizens, 1,000 journeys after 100 warm-up ones, ceiling, floor and peer measured too. --smoke: 20
// citizens, one journey each, Mitra only; exits non-zero if any reply is wrong, missing or extra.
//
// --citizens is how many citizens are at it at once (closed loop: each sends its next message only
// once Mitra's answer to the last one has arrived, as a person reads before answering); --journeys
// how many journeys are measured in all (each by a new citizen, a new WhatsApp number: a citizen who
// finishes makes room for the next). Processes as in bench/channel.ts: this one runs the load
// generator and the simulator (createSimulator); Mitra runs alone in a child exactly as `npm start`
// runs it (bin/mitra.js serve) with explicit credentials. See bench/README.md.
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, userInfo } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createSimulator } from '../src/channel/index.ts';
import { analyzeTables, closeServer, cpuMeter, deliveryTimes, fail, fmt, freePort, machineTicks, newCreds, num, outDir, percentile, postgresTicks, procTicks, recordDelivery, root, serveSimulator, sleep, startMitra, startServer, TICK, type Child, type Cpu, type Mitra } from './harness.ts';
import { JOURNEY as FULL_JOURNEY, newJourney, type Journey, type Lang, type Sent } from './journey-script.ts';

// ---------------------------------------------------------------------------------------------------
// Options

const { values: args } = parseArgs({
  options: {
    db: { type: 'string' },
    citizens: { type: 'string' },
    journeys: { type: 'string' },
    warmup: { type: 'string' },
    lang: { type: 'string' },
    statuses: { type: 'string' },
    ramp: { type: 'string' },
    'turn-timeout': { type: 'string' },
    smoke: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    'no-ceiling': { type: 'boolean', default: false },
    'no-peer': { type: 'boolean', default: false },
    'no-floor': { type: 'boolean', default: false },
    'pg-url': { type: 'string' },
    'pg-options': { type: 'string' },
    'log-level': { type: 'string' },
    'whatsapp-rate': { type: 'string' },
    'pair-burst': { type: 'string' },
    'mitra-env': { type: 'string' },
    'mitra-entry': { type: 'string' },
    'mitra-root': { type: 'string' },
    'graph-latency': { type: 'string' },
    trace: { type: 'boolean', default: false },
    'wait-idle': { type: 'string' },
    until: { type: 'string' },
    keep: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (args.help) {
  const text = readFileSync(fileURLToPath(import.meta.url), 'utf8');
  console.log(text.slice(0, text.indexOf('\nimport ')));
  process.exit(0);
}

const smoke = args.smoke;
const dbArg = args.db ?? 'postgres';
const citizens = num(args.citizens, smoke ? 20 : 500);
const opts = {
  dbs: dbArg === 'both' ? (['postgres', 'pglite'] as const) : ([dbArg as 'pglite' | 'postgres'] as const),
  citizens,
  journeys: num(args.journeys, smoke ? citizens : 2 * citizens),
  warmup: num(args.warmup, smoke ? 0 : Math.min(citizens, 100)),
  lang: (args.lang ?? 'mix') as Lang | 'mix',
  statuses: (args.statuses ?? 'each') as 'each' | 'batched' | 'off',
  /** Citizens start one after another over this many ms, not all in the same instant. */
  ramp: num(args.ramp, smoke ? 200 : 1000),
  turnTimeout: num(args['turn-timeout'], smoke ? 15_000 : 60_000),
  ceiling: !smoke && !args['no-ceiling'],
  peer: !smoke && !args['no-peer'],
  floor: !smoke && !args['no-floor'],
  profile: args.profile,
  pgUrl: args['pg-url'] ?? process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  pgOptions: args['pg-options'] ?? '',
  logLevel: args['log-level'] ?? process.env.LOG_LEVEL ?? 'info',
  whatsappRate: num(args['whatsapp-rate'], 100_000),
  // Meta's pair rate limit is ~1 message per 6 s to one citizen after a burst; Mitra paces to it.
  // A person reading and typing is slower than that, a bench citizen is not: set it out of the way.
  pairBurst: num(args['pair-burst'], 100_000),
  mitraEnv: Object.fromEntries((args['mitra-env'] ?? '').split(',').filter(Boolean).map((kv) => { const i = kv.indexOf('='); return [kv.slice(0, i), kv.slice(i + 1)]; })) as Record<string, string>,
  mitraEntry: args['mitra-entry'],
  mitraRoot: args['mitra-root'],
  graphLatency: num(args['graph-latency'], 0),
  trace: args.trace,
  keep: args.keep,
  /** Before each run, wait up to this many seconds for the machine to be idle (others' work shows as CPU rest). */
  waitIdle: num(args['wait-idle'], 0),
};
for (const d of opts.dbs) if (d !== 'pglite' && d !== 'postgres') fail(`--db must be postgres, pglite or both (got ${d})`);
if (!['each', 'batched', 'off'].includes(opts.statuses)) fail('--statuses must be each, batched or off');
if (!['mix', 'en', 'te'].includes(opts.lang)) fail('--lang must be mix, en or te');
// Diagnostics: --until STEP ends each journey after that step (e.g. --until photo: no case filed).
const until = args.until === undefined ? FULL_JOURNEY.length : FULL_JOURNEY.findIndex((s) => s.name === args.until) + 1;
if (until === 0) fail(`--until must name a step: ${FULL_JOURNEY.map((s) => s.name).join(', ')}`);
const JOURNEY = FULL_JOURNEY.slice(0, until);
if (!(opts.citizens > 0 && opts.journeys > 0 && opts.warmup >= 0)) fail('--citizens and --journeys must be positive, --warmup not negative');

// node-postgres takes the user from $USER when the URL names none; a bare container may not set it.
process.env.PGUSER ??= process.env.USER ?? userInfo().username;

// ---------------------------------------------------------------------------------------------------
// One run against one target

type Kind = 'ceiling' | 'floor' | 'peer' | 'mitra';

interface Turn {
  step: number;
  /** Webhook POST started. */
  t0: number;
  /** Webhook answered 200. */
  ack?: number;
  /** Mitra's read receipt for this message reached the Graph endpoint. */
  read?: number;
  /** The turn's last expected message reached the Graph endpoint (ceiling: the 200). */
  end?: number;
  replies: Sent[];
}

interface Waiting {
  turn: Turn;
  expect: number;
  resolve: () => void;
}

interface StepFigures {
  name: string;
  turns: number;
  p50: number;
  p99: number;
  ackP50: number;
  /** Webhook POST start to the read receipt at the Graph endpoint: the turn committed and its first send made. */
  readP50: number;
  /** Read receipt to the last reply: the sends after the first, one at a time for a citizen. */
  afterReadP50: number;
}

interface Run {
  name: string;
  kind: Kind;
  db: string;
  journeys: number;
  journeysOk: number;
  turns: number;
  turnsDone: number;
  throughput: number;
  journeysPerS: number;
  overall: number;
  p50: number;
  p99: number;
  max: number;
  ackP50: number;
  ackP99: number;
  readP50: number;
  readP99: number;
  afterReadP50: number;
  afterReadP99: number;
  errors: string[];
  extras: number;
  steps: StepFigures[];
  seconds: number;
  cpu: Cpu;
  internal?: { turnLatencyMeanMs: number };
  notes: string[];
}

// A small JPEG-looking blob for the photo question; the simulator serves it like Meta's media store.
const PHOTO = Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex');

/** Waits until the machine has been nearly idle (under 30% of one core busy) for 3 s, or `seconds` passed. */
async function waitIdle(seconds: number) {
  if (seconds <= 0) return;
  const until = Date.now() + seconds * 1000;
  let calm = 0;
  while (Date.now() < until) {
    const before = machineTicks();
    await sleep(1000);
    calm = (machineTicks() - before) / TICK < 0.3 ? calm + 1 : 0;
    if (calm >= 3) return;
  }
  process.stderr.write(`(machine still busy after ${seconds} s) `);
}

async function runAgainst(kind: Kind, db: 'pglite' | 'postgres' | undefined): Promise<Run> {
  await waitIdle(opts.waitIdle);
  const creds = newCreds();
  const simPort = await freePort();
  const targetPort = await freePort();
  const webhookUrl = `http://127.0.0.1:${targetPort}/webhooks/whatsapp`;
  const waiting = new Map<string, Waiting>();
  const byWamid = new Map<string, Turn>();
  const extras: { to: string; text: string }[] = [];
  let readReceipts = 0;
  let graphMessages = 0;

  const sim = createSimulator({ ...creds, webhookUrl, publicUrl: `http://127.0.0.1:${simPort}`, statuses: opts.statuses, retryBaseMs: 200, onDelivery: recordDelivery });
  const mediaId = sim.storeMedia(PHOTO, 'image/jpeg');
  // The tap: every Graph call is seen here, timed, and handed on to the simulator.
  const simServer = await serveSimulator(sim, simPort, { latencyMs: opts.graphLatency, tap: (raw, at) => {
    const body = raw as Sent | undefined;
    if (body?.status === 'read') {
      readReceipts++;
      const turn = byWamid.get(String(body.message_id));
      if (turn) {
        turn.read ??= at;
        byWamid.delete(String(body.message_id));
      }
    } else if (body) {
      graphMessages++;
      const to = String(body.to);
      const w = waiting.get(to);
      if (!w) extras.push({ to, text: String(body.text?.body ?? body.interactive?.body?.text ?? body.type).slice(0, 120) });
      else {
        w.turn.replies.push(body);
        if (w.turn.replies.length >= w.expect) {
          w.turn.end = at;
          waiting.delete(to);
          w.resolve();
        }
      }
    }
  } });
  const graphUrl = `http://127.0.0.1:${simPort}/graph`;

  let target: Child | Mitra;
  if (kind === 'mitra') {
    target = await startMitra({
      db: db!, creds, graphUrl, port: targetPort, pgUrl: opts.pgUrl, pgOptions: opts.pgOptions, logLevel: opts.logLevel,
      whatsappRate: opts.whatsappRate, pairBurst: opts.pairBurst, env: opts.mitraEnv, profile: opts.profile, keep: opts.keep,
      entry: opts.mitraEntry, cwd: opts.mitraRoot, onFail: fail,
    });
  } else target = await startServer(kind, creds, graphUrl, targetPort);
  const mitra = kind === 'mitra' ? (target as Mitra) : undefined;
  // A target that dies mid-run ends the run at once instead of leaving every citizen to time out.
  let died: string | undefined;
  const death = new Promise<'died'>((resolve) => {
    target.child.once('exit', (code, signal) => {
      died = `${target.name} exited during the run (${signal ?? `code ${code}`}):\n${target.stderr.join('').slice(-2000)}`;
      resolve('died');
    });
  });

  /** One message from a citizen and, unless the ceiling, the answer to it. Undefined on success. */
  async function turn(j: Journey, step: number, into: Turn[]): Promise<string | undefined> {
    const s = JOURNEY[step]!;
    const t: Turn = { step, t0: performance.now(), replies: [] };
    into.push(t);
    // Mitra answers each step as the journey says; the floor and the peer echo once.
    const expect = kind === 'mitra' ? s.replies : 1;
    const answered = kind === 'ceiling' ? undefined : new Promise<void>((resolve) => waiting.set(j.waId, { turn: t, expect, resolve }));
    const { wamid, delivered } = sim.citizenSends(j.waId, s.send(j), `Citizen ${j.waId.slice(-4)}`);
    byWamid.set(wamid, t);
    const acked = delivered.then(() => {
      t.ack = performance.now();
      if (kind === 'ceiling') t.end = t.ack;
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), opts.turnTimeout)));
    // A phone sends one message at a time: the next goes once this one is acknowledged and answered.
    const outcome = await Promise.race([Promise.all([acked, answered]), timeout, death]);
    clearTimeout(timer);
    byWamid.delete(wamid);
    if (outcome === 'died') return died;
    if (outcome === 'timeout') {
      waiting.delete(j.waId);
      return t.ack === undefined ? `no 200 for "${s.name}" within ${opts.turnTimeout} ms` : `"${s.name}": ${t.replies.length} of ${expect} replies within ${opts.turnTimeout} ms`;
    }
    if (kind !== 'mitra') return undefined;
    const problem = s.check(t.replies, j);
    return problem ? `"${s.name}": ${problem}` : undefined;
  }

  // whatsapp-api-js checks the signature over the body with every non-ASCII character escaped as
  // \uXXXX, the form Meta posts; the simulator posts (and signs) raw UTF-8, so a Telugu message
  // fails the peer's check and is retried for ever. The peer reads nothing of what it echoes: it gets
  // the English journey, the same number of messages.
  const lang = kind === 'peer' ? 'en' : opts.lang;
  let nextJourney = 0;
  async function load(count: number, concurrency: number, turns: Turn[] = []) {
    const errors: string[] = [];
    let ok = 0;
    const first = nextJourney;
    nextJourney += count;
    let taken = 0;
    const c = Math.min(concurrency, count);
    await Promise.all(
      Array.from({ length: c }, async (_, slot) => {
        await sleep((opts.ramp * slot) / c);
        while (taken < count && !died) {
          const j = newJourney(first + taken++, lang, mediaId);
          let problem: string | undefined;
          for (let step = 0; step < JOURNEY.length && !problem; step++) problem = await turn(j, step, turns);
          if (problem) errors.push(`journey ${j.index} (${j.waId}, ${j.lang}): ${problem}`);
          else ok++;
        }
      }),
    );
    return { turns, errors, ok };
  }

  const label = kind === 'mitra' ? `Mitra (${db})` : kind;
  process.stderr.write(`  ${label}: warm-up ${opts.warmup} journeys … `);
  let warmupErrors: string[] = [];
  if (opts.warmup > 0) warmupErrors = (await load(opts.warmup, opts.citizens)).errors;
  if (died) throw new Error(died);
  if (opts.warmup > 0 && mitra?.databaseUrl) await analyzeTables(mitra.databaseUrl);
  process.stderr.write(`measuring ${opts.journeys} … `);

  const metricsBefore = await mitra?.metrics();
  const meter = cpuMeter(target.child.pid!, mitra?.databaseUrl ? { url: opts.pgUrl, appName: mitra.appName } : undefined);
  const startAt = performance.now();
  const measuredTurns: Turn[] = [];
  const tracer = opts.trace ? startTrace(target, mitra, db, measuredTurns) : undefined;
  const result = await load(opts.journeys, opts.citizens, measuredTurns);
  if (died) {
    tracer?.();
    await sim.close();
    await mitra?.cleanup();
    simServer.close();
    throw new Error(died);
  }
  tracer?.();
  const wall = (performance.now() - startAt) / 1000;
  const cpu = await meter(wall);

  // Anything still arriving for a citizen whose journey is over is a reply too many.
  await sleep(smoke ? 1000 : 2000);
  const notes: string[] = [];
  let internal: Run['internal'];
  if (mitra) {
    // Let the status webhooks still in flight land (three for each message), then read the counters.
    const expected = opts.statuses === 'off' ? 0 : 3 * graphMessages;
    for (let last = -1, still = Date.now(); Date.now() - still < 3000; await sleep(200)) {
      const n = (await mitra.metrics()).get('mitra_statuses_received_total') ?? 0;
      if (n >= expected) break;
      if (n !== last) (last = n), (still = Date.now());
    }
    const m = await mitra.metrics();
    const stored = m.get('mitra_statuses_received_total') ?? 0;
    if (stored < expected) notes.push(`${expected - stored} of ${expected} status webhooks not counted`);
    const failed = m.get('mitra_messages_failed_total') ?? 0;
    if (failed) notes.push(`${failed} sends failed`);
    const b = metricsBefore!;
    const n = (m.get('mitra_turn_latency_seconds_count') ?? 0) - (b.get('mitra_turn_latency_seconds_count') ?? 0);
    const sum = (m.get('mitra_turn_latency_seconds_sum') ?? 0) - (b.get('mitra_turn_latency_seconds_sum') ?? 0);
    internal = { turnLatencyMeanMs: n > 0 ? (sum / n) * 1000 : NaN };
    if (mitra.databaseUrl) notes.push(await verifyPostgres(mitra.databaseUrl));
  }
  if (readReceipts > 0 || kind !== 'ceiling') notes.push(`${readReceipts} read receipts, ${graphMessages} messages at the Graph API`);
  await sim.close();
  await target.stop();
  await mitra?.cleanup();
  await closeServer(simServer);
  process.stderr.write('done\n');

  const turns = result.turns;
  const done = turns.filter((t) => t.end !== undefined);
  const ends = done.map((t) => t.end!).sort((a, b) => a - b);
  const lat = done.map((t) => t.end! - t.t0).sort((a, b) => a - b);
  const acks = turns.filter((t) => t.ack !== undefined).map((t) => t.ack! - t.t0).sort((a, b) => a - b);
  const reads = done.filter((t) => t.read !== undefined).map((t) => t.read! - t.t0).sort((a, b) => a - b);
  const afterRead = done.filter((t) => t.read !== undefined).map((t) => t.end! - t.read!).sort((a, b) => a - b);
  const i10 = Math.floor(ends.length * 0.1);
  const i90 = Math.max(i10 + 1, Math.ceil(ends.length * 0.9) - 1);
  const throughput = ends.length > 10 ? (i90 - i10) / ((ends[i90]! - ends[i10]!) / 1000) : NaN;
  const steps = JOURNEY.map((s, i): StepFigures => {
    const mine = done.filter((t) => t.step === i);
    const sorted = (f: (t: Turn) => number | undefined) => mine.map(f).filter((x): x is number => x !== undefined).sort((a, b) => a - b);
    return {
      name: s.name,
      turns: mine.length,
      p50: percentile(sorted((t) => t.end! - t.t0), 50),
      p99: percentile(sorted((t) => t.end! - t.t0), 99),
      ackP50: percentile(sorted((t) => (t.ack === undefined ? undefined : t.ack - t.t0)), 50),
      readP50: percentile(sorted((t) => (t.read === undefined ? undefined : t.read - t.t0)), 50),
      afterReadP50: percentile(sorted((t) => (t.read === undefined ? undefined : t.end! - t.read)), 50),
    };
  });
  const errors = [...warmupErrors.map((e) => `warm-up ${e}`), ...result.errors];
  return {
    name: label,
    kind,
    db: db ?? '-',
    journeys: opts.journeys,
    journeysOk: result.ok,
    turns: turns.length,
    turnsDone: done.length,
    throughput,
    journeysPerS: (throughput * result.ok) / Math.max(1, done.length),
    overall: done.length / wall,
    p50: percentile(lat, 50),
    p99: percentile(lat, 99),
    max: lat.at(-1) ?? NaN,
    ackP50: percentile(acks, 50),
    ackP99: percentile(acks, 99),
    readP50: percentile(reads, 50),
    readP99: percentile(reads, 99),
    afterReadP50: percentile(afterRead, 50),
    afterReadP99: percentile(afterRead, 99),
    errors,
    extras: extras.length,
    steps,
    seconds: wall,
    cpu,
    internal,
    notes: [...notes, ...(extras.length ? [`${extras.length} messages nobody was waiting for, e.g. ${JSON.stringify(extras.slice(0, 3))}`] : [])],
  };
}

/** What PostgreSQL holds after the run: a case for each confirmed journey, every inbox row done, every message sent. */
async function verifyPostgres(url: string): Promise<string> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const rows = (await c.query(`select 'cases' as k, count(*)::int as n from cases
                                 union all select 'inbox:' || state, count(*)::int from inbox group by state
                                 union all select 'outbox:' || kind || ':' || state, count(*)::int from outbox group by kind, state
                                 order by 1`)).rows as { k: string; n: number }[];
    return 'database: ' + rows.map((r) => `${r.k}=${r.n}`).join(' ');
  } finally {
    await c.end();
  }
}

/** --trace: once a second, what got through, what is queued inside Mitra, and what PostgreSQL waits on. */
function startTrace(target: Child, mitra: Mitra | undefined, db: string | undefined, turns: Turn[]): () => void {
  deliveryTimes.on = true;
  let prev = { ends: 0, at: performance.now(), cpu: procTicks(target.child.pid!), pg: postgresTicks() };
  const admin = db === 'postgres' ? new pg.Client({ connectionString: opts.pgUrl }) : undefined;
  void admin?.connect().catch(() => {});
  const timer = setInterval(() => {
    void (async () => {
      const now = { ends: turns.filter((t) => t.end !== undefined).length, at: performance.now(), cpu: procTicks(target.child.pid!), pg: postgresTicks() };
      const dt = (now.at - prev.at) / 1000;
      let line = `turns ${((now.ends - prev.ends) / dt).toFixed(0)}/s`;
      if (mitra) {
        const m = await mitra.metrics().catch(() => new Map<string, number>());
        line += ` inbox ${m.get('mitra_inbox_pending')} outbox ${m.get('mitra_outbox_pending')}`;
      }
      const srv = deliveryTimes.server.sort((a, b) => a - b);
      const q = deliveryTimes.queued.sort((a, b) => a - b);
      deliveryTimes.server = [];
      deliveryTimes.queued = [];
      line += ` webhook server p50/p99 ${percentile(srv, 50).toFixed(0)}/${percentile(srv, 99).toFixed(0)} ms, socket wait p99 ${percentile(q, 99).toFixed(0)} ms`;
      line += ` cpu server ${(((now.cpu - prev.cpu) / TICK / dt) * 100).toFixed(0)}% postgres (all clients) ${(((now.pg - prev.pg) / TICK / dt) * 100).toFixed(0)}%`;
      if (admin) {
        const waits = await admin
          .query(`select state || coalesce('/' || wait_event, '') as w, count(*)::int as n from pg_stat_activity
                  where datname = current_database() and backend_type = 'client backend' and pid <> pg_backend_pid() group by 1 order by 2 desc`)
          .then((r) => (r.rows as { w: string; n: number }[]).map((x) => `${x.w}=${x.n}`).join(' '))
          .catch(() => '');
        // Who waits for a lock, and on whose statement: the first few, shortened.
        const blocked = await admin
          .query(`select left(regexp_replace(w.query, '\\s+', ' ', 'g'), 70) as waiter, left(regexp_replace(b.query, '\\s+', ' ', 'g'), 70) as blocker
                  from pg_stat_activity w join pg_stat_activity b on b.pid = any(pg_blocking_pids(w.pid))
                  where w.datname = current_database() limit 3`)
          .then((r) => (r.rows as { waiter: string; blocker: string }[]).map((x) => `[${x.waiter}] waits for [${x.blocker}]`).join('; '))
          .catch(() => '');
        line += ` | pg ${waits}${blocked ? ` | ${blocked}` : ''}`;
      }
      process.stderr.write(`\n    ${line}`);
      prev = now;
    })();
  }, 1000);
  return () => {
    clearInterval(timer);
    void admin?.end().catch(() => {});
    if (deliveryTimes.on) process.stderr.write('\n  ');
    deliveryTimes.on = false;
  };
}

// ---------------------------------------------------------------------------------------------------
// Main

async function main() {
  const peerInstalled = existsSync(join(root, 'bench/peer/node_modules/whatsapp-api-js/package.json'));
  const turnsPerJourney = JOURNEY.length;
  console.error(
    `journey bench: ${opts.journeys} journeys of ${turnsPerJourney} turns (+${opts.warmup} warm-up journeys), ${opts.citizens} citizens at once, ` +
      `language ${opts.lang}, statuses ${opts.statuses}${opts.graphLatency ? `, Graph API answering in ${opts.graphLatency} ms` : ''}; ` +
      `${cpus().length} cores, node ${process.version}`,
  );
  const runs: Run[] = [];
  if (opts.ceiling) runs.push(await runAgainst('ceiling', undefined));
  if (opts.floor) runs.push(await runAgainst('floor', undefined));
  if (opts.peer) {
    if (peerInstalled) runs.push(await runAgainst('peer', undefined));
    else console.error('  peer skipped: run `npm --prefix bench/peer install` to measure whatsapp-api-js beside Mitra');
  }
  for (const db of opts.dbs) runs.push(await runAgainst('mitra', db));

  const table = (header: string[], rows: string[][]) => {
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ') + ' |';
    console.log(line(header));
    console.log('| ' + widths.map((w) => '-'.repeat(w)).join(' | ') + ' |');
    for (const r of rows) console.log(line(r));
  };
  console.log('');
  table(
    ['target', 'turns/s (steady)', 'journeys/s', 'turn p50 ms', 'turn p99 ms', 'max ms', 'ack p50/p99 ms', 'journeys ok', 'errors', 'CPU gen/server/pg', 'CPU rest'],
    runs.map((r) => [
      r.name,
      fmt(r.throughput),
      fmt(r.journeysPerS, 1),
      fmt(r.p50, 1),
      fmt(r.p99, 1),
      fmt(r.max),
      `${fmt(r.ackP50, 1)} / ${fmt(r.ackP99, 1)}`,
      `${r.journeysOk}/${r.journeys}`,
      String(r.errors.length + r.extras),
      `${fmt(r.cpu.loadgen * 100)}% / ${fmt(r.cpu.server * 100)}% / ${r.db === 'postgres' ? fmt(r.cpu.postgres * 100) + '%' : '-'}`,
      `${fmt(r.cpu.other * 100)}%`,
    ]),
  );
  for (const r of runs.filter((x) => x.kind === 'mitra')) {
    console.log(`\n${r.name}, by step (ms; read = webhook POST start → Mitra's read receipt at the Graph API, after read = read receipt → last reply):`);
    table(
      ['step', 'turns', 'p50', 'p99', 'ack p50', 'read p50', 'after read p50'],
      r.steps.map((s) => [s.name, String(s.turns), fmt(s.p50, 1), fmt(s.p99, 1), fmt(s.ackP50, 1), fmt(s.readP50, 1), fmt(s.afterReadP50, 1)]),
    );
    console.log(`all turns: read p50/p99 ${fmt(r.readP50, 1)}/${fmt(r.readP99, 1)} ms, after read p50/p99 ${fmt(r.afterReadP50, 1)}/${fmt(r.afterReadP99, 1)} ms; Mitra's own turn latency (webhook stored → turn committed, mean) ${fmt(r.internal?.turnLatencyMeanMs ?? NaN, 1)} ms`);
  }
  console.log('');
  console.log(`A turn: from the start of a citizen's webhook POST to the arrival at the Graph API of the last message Mitra answers it with (ceiling: to the webhook's 200, as it sends nothing; floor and peer: to their one echo reply).`);
  console.log(`turns/s (steady): turns ending between the 10th and the 90th percentile of end times. CPU: % of one core over the measured window (${cpus().length} cores here); gen = load generator + simulator, pg = PostgreSQL's backends for Mitra and its background processes, rest = everything else busy on the machine meanwhile (other processes, other clients of the same PostgreSQL): a large rest means the figures were disturbed.`);
  if (runs.some((r) => r.kind === 'ceiling')) console.log('ceiling: a bare node:http server answering 200 to the same citizens: what this machine passes through the generator at all.');
  if (runs.some((r) => r.kind === 'floor')) console.log('floor: a bare node:http server doing only what the protocol asks of any bot: check the signature, answer 200, send a read receipt and one reply; no database, no conversation. The most any implementation reaches here.');
  if (runs.some((r) => r.kind === 'peer')) console.log('peer: whatsapp-api-js echo server, same messages: read receipt and one reply each from memory; no database, no form, no dedupe, no order per citizen.');
  for (const r of runs) {
    const problems = [...r.errors.slice(0, 5), ...(r.errors.length > 5 ? [`… and ${r.errors.length - 5} more failed journeys`] : []), ...r.notes];
    if (problems.length) console.log(`${r.name}:\n  ${problems.join('\n  ')}`);
  }
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `journey-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ opts, cores: cpus().length, node: process.version, runs }, null, 2));
  console.log(`details: ${file}`);

  const bad = runs.filter((r) => r.kind === 'mitra' && (r.errors.length > 0 || r.extras > 0 || r.journeysOk < r.journeys));
  if (bad.length) {
    console.error(`bench: FAILED: ${bad.map((r) => `${r.name}: ${r.journeys - r.journeysOk} of ${r.journeys} journeys failed, ${r.errors.length} errors, ${r.extras} unexpected messages`).join('; ')}`);
    process.exitCode = 1;
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
