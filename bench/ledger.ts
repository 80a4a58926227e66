// Ledger bench (issue 7, acceptance 4): the public ledger on PostgreSQL, measured beside a ceiling
// and a peer library in the same run.
//   1. durable appends: N writers (one connection each) commit transactions that queue entries with
//      recordInLedger (1 per transaction, like an approval, or 10), while Mitra's own sequencer
//      (createSequencer) sequences them in batches every window (250 ms by default; 50 and 1000 too)
//      and signs a checkpoint per batch. Entries/s from the first queued to the last covered by a
//      signed checkpoint; per entry, the time from its commit to the commit of the batch that covers
//      it. Ceiling: the same writers inserting the same rows into a plain table, same commits.
//   2. inclusion proofs over a log of ~1,000,000 entries (seeded in bulk: the tree built in memory with
//      appendLeaves, entries and tile-level nodes inserted; then real batches on top): inclusionProofOf
//      from the database, and from the tile cache in src/transparency-log/read.ts; a sample verified.
//   3. the peer, merkletreejs from npm (bench/peer-ledger/, in a child process): a tree of the same
//      leaves built, proofs made and verified, leaves appended (in memory: it has no durability).
//
//   node --import tsx bench/ledger.ts [--writers N] [--writer-sweep 8,32] [--seconds S] [--windows 250,50,1000]
//        [--entries N] [--proofs N] [--db-proofs N] [--concurrency C] [--pg-url URL] [--wait-idle S]
//        [--no-peer] [--keep] [--smoke]
//
// --smoke: a log of 20,000 entries, 1.5 s per append run, few proofs (~15 s); exits non-zero if any
// proof fails to verify, any entry is missing or sequenced twice, or any run fails. See bench/README.md.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem, userInfo } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { generateKeyPair } from '../src/documents/index.ts';
import {
  appendLeaves,
  ed25519Signer,
  ed25519Verifier,
  EMPTY_FRONTIER,
  frontierRoot,
  inclusionProof,
  leafHash,
  memorySource,
  openCheckpoint,
  signCheckpoint,
  TILE_HEIGHT,
  verifyInclusion,
  type Frontier,
  type Hash,
} from '../src/ledger/index.ts';
import { migrate, openPostgres, silentLogger, systemClock, type Db, type Queryable } from '../src/platform/index.ts';
import {
  createSequencer,
  DEFAULT_TILE_CACHE,
  entryBytes,
  inclusionProofOf,
  latestCheckpoint,
  openLedger,
  recordInLedger,
  sequenceBatch,
  setTileCache,
  sha256Hex,
  tileCacheStats,
  type LedgerEntry,
  type Sequenced,
} from '../src/transparency-log/index.ts';
import { fail, fmt, machineTicks, num, outDir, percentile, pgMeter, root, sleep, TICK } from './harness.ts';
import { benchBody, benchEntry, benchLeaves, prng } from './ledger-data.ts';

// ---------------------------------------------------------------------------------------------------
// Options

const { values: args } = parseArgs({
  options: {
    writers: { type: 'string' },
    'writer-sweep': { type: 'string' },
    seconds: { type: 'string' },
    windows: { type: 'string' },
    entries: { type: 'string' },
    proofs: { type: 'string' },
    'db-proofs': { type: 'string' },
    concurrency: { type: 'string' },
    'peer-appends': { type: 'string' },
    'pg-url': { type: 'string' },
    'wait-idle': { type: 'string' },
    'no-peer': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    smoke: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(0, 20).join('\n'));
  process.exit(0);
}
const smoke = args.smoke;
const list = (v: string | undefined, def: number[]) => (v === undefined ? def : v.split(',').filter(Boolean).map(Number));
const opts = {
  writers: num(args.writers, smoke ? 8 : 16),
  /** More writer counts, measured at the default window with 1 entry per transaction. */
  writerSweep: list(args['writer-sweep'], smoke ? [] : [8, 32]),
  seconds: num(args.seconds, smoke ? 1.5 : 10),
  windows: list(args.windows, smoke ? [250] : [250, 50, 1000]),
  entries: num(args.entries, smoke ? 20_000 : 1_000_000),
  proofs: num(args.proofs, smoke ? 2_000 : 100_000),
  dbProofs: num(args['db-proofs'], smoke ? 300 : 5_000),
  concurrency: num(args.concurrency, 8),
  peerAppends: num(args['peer-appends'], smoke ? 1 : 3),
  peer: !args['no-peer'],
  pgUrl: args['pg-url'] ?? process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  waitIdle: num(args['wait-idle'], 0),
  keep: args.keep,
};
if (!(opts.entries >= 1000 && opts.seconds > 0 && opts.writers > 0 && opts.proofs > 0 && opts.dbProofs > 0)) fail('--entries ≥ 1000, --seconds, --writers, --proofs and --db-proofs > 0');
const DEFAULT_WINDOW = 250; // LEDGER_BATCH_MS's default

process.env.PGUSER ??= process.env.USER ?? userInfo().username;
// Every connection this bench opens carries this name: PostgreSQL's CPU for it is found by it.
const APP = `mitra-ledger-bench-${randomBytes(3).toString('hex')}`;
process.env.PGAPPNAME = APP;

const ORIGIN = 'bench.mitra.test/ledger';
const pair = generateKeyPair();
const id = { origin: ORIGIN, signer: ed25519Signer(ORIGIN, pair) };
const verifier = ed25519Verifier(ORIGIN, Buffer.from(pair.publicKey, 'base64url'));
const problems: string[] = [];
const rand = prng(7);

// ---------------------------------------------------------------------------------------------------
// Measuring

interface CpuShare {
  /** This process: the writers, Mitra's sequencer or proof code, the driver. */
  bench: number;
  /** A child process (the peer). */
  child: number;
  /** PostgreSQL's backends for this bench, and its background processes (WAL writer, checkpointer…). */
  postgres: number;
  /** Everything else busy on the machine meanwhile: others' work. */
  other: number;
}

function cpuMeter(): (wallMs: number, childSeconds?: number) => Promise<CpuShare> {
  const pgm = pgMeter(opts.pgUrl, APP);
  const before = { self: process.cpuUsage(), machine: machineTicks() };
  return async (wallMs, childSeconds = 0) => {
    const wall = wallMs / 1000;
    const self = process.cpuUsage(before.self);
    const bench = (self.user + self.system) / 1e6 / wall;
    const machine = (machineTicks() - before.machine) / TICK / wall;
    const postgres = (await pgm.stop()) / TICK / wall;
    const child = childSeconds / wall;
    return { bench, child, postgres, other: Math.max(0, machine - bench - child - postgres) };
  };
}
const cpuText = (c: CpuShare) => `${fmt(c.bench * 100)}% / ${c.child ? fmt(c.child * 100) + '%' : '-'} / ${fmt(c.postgres * 100)}% / ${fmt(c.other * 100)}%`;

async function waitIdle(seconds: number): Promise<void> {
  if (seconds <= 0) return;
  const until = Date.now() + seconds * 1000;
  let calm = 0;
  while (Date.now() < until) {
    const before = machineTicks();
    await sleep(1000);
    calm = (machineTicks() - before) / TICK < 0.3 ? calm + 1 : 0;
    if (calm >= 3) return;
  }
  process.stderr.write(`  (machine still busy after ${seconds} s)\n`);
}

const sorted = (xs: number[]) => Float64Array.from(xs).sort() as unknown as number[];

/** Statement times as the sequencer sees them, by statement (its first words), and whole batches. */
type Timings = Map<string, { n: number; ms: number }>;
function timedDb(db: Db, t: Timings): Db {
  const add = (k: string, ms: number) => {
    const s = t.get(k) ?? { n: 0, ms: 0 };
    s.n++;
    s.ms += ms;
    t.set(k, s);
  };
  const label = (sql: string) => sql.replace(/\s+/g, ' ').trim().split(' ').slice(0, 4).join(' ');
  const wrap = (q: Queryable): Queryable => ({
    async query<T>(sql: string, params?: unknown[]) {
      const s = performance.now();
      try {
        return await q.query<T>(sql, params);
      } finally {
        add(label(sql), performance.now() - s);
      }
    },
    exec: (sql) => q.exec(sql),
  });
  return {
    ...db,
    ...wrap(db),
    async transaction<T>(fn: (tx: Queryable) => Promise<T>) {
      const s = performance.now();
      try {
        return await db.transaction((tx) => fn(wrap(tx)));
      } finally {
        add('(whole batch transaction)', performance.now() - s);
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// 1. Durable appends

interface AppendFigure {
  kind: 'mitra' | 'ceiling';
  writers: number;
  perTx: number;
  windowMs?: number;
  seconds: number;
  committed: number;
  /** Entries per second from the first queued to the last covered by a signed checkpoint (ceiling: to the last commit). */
  rate: number;
  /** Entries committed per second while the writers ran. */
  commitRate: number;
  commitP50: number;
  commitP99: number;
  coveredP50?: number;
  coveredP99?: number;
  coveredMax?: number;
  /** Batches that sequenced something, and entries per batch. */
  batches?: number;
  perBatch?: number;
  batchMs?: number;
  drainMs?: number;
  statements?: Record<string, { perBatchMs: number; n: number }>;
  cpu: CpuShare;
  load: number;
}

const PLAIN_SQL = `insert into bench_plain (body, queued_at) select convert_to(b, 'UTF8'), $2 from unnest($1::text[]) with ordinality as x(b, n) order by n`;

async function appendRun(schemaUrl: string, c: { kind: 'mitra' | 'ceiling'; writers: number; perTx: number; windowMs?: number }, tag: string): Promise<AppendFigure> {
  await waitIdle(opts.waitIdle);
  const wdb = await openPostgres(schemaUrl, c.writers);
  const sdb = await openPostgres(schemaUrl, 2);
  await Promise.all(Array.from({ length: c.writers }, () => wdb.transaction((tx) => tx.query('select 1'))));
  const startSize = (await latestCheckpoint(sdb)).size;
  const timings: Timings = new Map();
  const batches: { oldSize: number; size: number; at: number }[] = [];
  let covered = startSize;
  const sequencer =
    c.kind === 'mitra'
      ? createSequencer({
          db: timedDb(sdb, timings),
          id,
          clock: systemClock,
          log: silentLogger,
          windowMs: c.windowMs!,
          after: async (s: Sequenced) => {
            batches.push({ oldSize: s.oldSize, size: s.size, at: performance.now() });
            covered = s.size;
          },
        })
      : undefined;
  const commits = new Map<string, number>();
  const commitLat: number[] = [];
  let committed = 0;
  let errors = 0;
  const meter = cpuMeter();
  const load = loadavg()[0]!;
  const t0 = performance.now();
  sequencer?.start();
  const until = t0 + opts.seconds * 1000;
  await Promise.all(
    Array.from({ length: c.writers }, async (_, w) => {
      for (let i = 0; performance.now() < until; i++) {
        const at = new Date();
        const entries: LedgerEntry[] = Array.from({ length: c.perTx }, (_, k) => {
          const subject = `${tag}/${w}/${i}/${k}`;
          return { kind: 'case_decision', department: 'REV01', subject, sha256: sha256Hex(subject), at: at.toISOString() };
        });
        const s = performance.now();
        try {
          if (c.kind === 'mitra') await wdb.transaction((tx) => recordInLedger(tx, entries, at));
          else await wdb.transaction((tx) => tx.query(PLAIN_SQL, [entries.map((e) => Buffer.from(entryBytes(e)).toString('utf8')), at]));
        } catch (err) {
          if (errors++ < 3) console.error(`  writer ${w}: ${(err as Error).message}`);
          continue;
        }
        const e = performance.now();
        commitLat.push(e - s);
        for (const en of entries) commits.set(en.subject, e);
        committed += c.perTx;
      }
    }),
  );
  const writeEnd = performance.now();
  if (sequencer) {
    const deadline = Date.now() + 120_000;
    while (covered < startSize + committed && Date.now() < deadline) await sleep(2);
    await sequencer.stop();
  }
  const end = sequencer ? (batches.at(-1)?.at ?? writeEnd) : writeEnd;
  const wallMs = performance.now() - t0;
  const cpu = await meter(wallMs);
  if (errors) problems.push(`${c.kind} ${c.writers} writers × ${c.perTx}/tx: ${errors} transactions failed`);

  const fig: AppendFigure = {
    kind: c.kind,
    writers: c.writers,
    perTx: c.perTx,
    windowMs: c.windowMs,
    seconds: opts.seconds,
    committed,
    rate: committed / ((end - t0) / 1000),
    commitRate: committed / ((writeEnd - t0) / 1000),
    commitP50: 0,
    commitP99: 0,
    cpu,
    load,
  };
  const cl = sorted(commitLat);
  fig.commitP50 = percentile(cl, 50);
  fig.commitP99 = percentile(cl, 99);

  if (sequencer) {
    // Every committed entry is in the log exactly once, and when: the batch that covered it.
    const endSize = covered;
    const rows = await sdb.query<{ idx: number; subject: string }>(`select idx, subject from ledger_entries where idx >= $1 and idx < $2 order by idx`, [startSize, endSize]);
    const seen = new Set<string>();
    const lat: number[] = [];
    let b = 0;
    const real = batches.filter((x) => x.size > x.oldSize);
    for (const r of rows) {
      while (b < real.length && real[b]!.size <= r.idx) b++;
      const commit = commits.get(r.subject);
      if (commit === undefined || seen.has(r.subject) || b >= real.length) continue;
      seen.add(r.subject);
      lat.push(Math.max(0, real[b]!.at - commit));
    }
    if (endSize - startSize !== committed || seen.size !== committed || rows.length !== committed) {
      problems.push(`${c.kind} ${c.writers} writers × ${c.perTx}/tx, window ${c.windowMs} ms: ${committed} committed, log grew by ${endSize - startSize}, ${seen.size} distinct committed subjects found in it`);
    }
    const ls = sorted(lat);
    fig.coveredP50 = percentile(ls, 50);
    fig.coveredP99 = percentile(ls, 99);
    fig.coveredMax = ls[ls.length - 1];
    fig.batches = real.length;
    fig.perBatch = committed / Math.max(1, real.length);
    fig.drainMs = end - writeEnd;
    const whole = timings.get('(whole batch transaction)');
    // All windows' transactions, empty ones included (a select under the head lock and a commit).
    fig.batchMs = whole ? whole.ms / whole.n : undefined;
    fig.statements = Object.fromEntries([...timings].map(([k, v]) => [k, { n: v.n, perBatchMs: v.ms / Math.max(1, real.length) }]));
  }
  await wdb.close();
  await sdb.close();
  return fig;
}

// ---------------------------------------------------------------------------------------------------
// 2. Seeding a large log in bulk

async function seedLog(db: Db, n: number): Promise<{ seconds: number; frontier: Frontier; nodes: number }> {
  const t0 = performance.now();
  const CHUNK = 20_000;
  let frontier: Frontier = EMPTY_FRONTIER;
  let nodes = 0;
  const now = new Date();
  const inFlight: Promise<unknown>[] = [];
  for (let start = 0; start < n; start += CHUNK) {
    const end = Math.min(n, start + CHUNK);
    const entries = Array.from({ length: end - start }, (_, k) => benchEntry(start + k));
    const bodies = entries.map(entryBytes);
    const appended = appendLeaves(frontier, bodies.map(leafHash));
    frontier = appended.frontier;
    const tiled = appended.nodes.filter((x) => x.level % TILE_HEIGHT === 0);
    nodes += tiled.length;
    inFlight.push(
      db.query(
        `insert into ledger_entries (idx, body, kind, department, subject, sequenced_at)
         select $1::bigint + n - 1, convert_to(b, 'UTF8'), k, d, s, $6 from unnest($2::text[], $3::text[], $4::text[], $5::text[]) with ordinality as x(b, k, d, s, n)`,
        [start, bodies.map((b) => Buffer.from(b).toString('utf8')), entries.map((e) => e.kind), entries.map((e) => e.department), entries.map((e) => e.subject), now],
      ),
      db.query(`insert into ledger_nodes (level, idx, hash) select l, i, decode(h, 'hex') from unnest($1::smallint[], $2::bigint[], $3::text[]) as x(l, i, h)`, [
        tiled.map((x) => x.level),
        tiled.map((x) => x.index),
        tiled.map((x) => Buffer.from(x.hash).toString('hex')),
      ]),
    );
    if (inFlight.length >= 4) await Promise.all(inFlight.splice(0));
  }
  await Promise.all(inFlight);
  const rootHash = frontierRoot(frontier);
  const note = signCheckpoint({ origin: ORIGIN, size: frontier.size, rootHash }, [id.signer]);
  await db.query(`update ledger_head set size = $1, frontier = decode($2, 'hex'), checkpoint = $3 where id = 1 and size = 0`, [frontier.size, frontier.hashes.map((h) => Buffer.from(h).toString('hex')).join(''), note]);
  await db.query(`insert into ledger_checkpoints (size, root, note, signed_at) values ($1, $2, $3, $4)`, [frontier.size, Buffer.from(rootHash), note, now]);
  await db.query(`vacuum analyze ledger_entries`);
  await db.query(`vacuum analyze ledger_nodes`);
  return { seconds: (performance.now() - t0) / 1000, frontier, nodes };
}

// ---------------------------------------------------------------------------------------------------
// 3. Proofs

interface ProofFigure {
  name: string;
  size: number;
  n: number;
  concurrency: number;
  rate: number;
  p50: number;
  p99: number;
  verified: string;
  hitRate?: number;
  cpu: CpuShare;
  load: number;
  note?: string;
}

async function leafHashesOf(db: Db, idx: number[]): Promise<Map<number, Hash>> {
  const rows = await db.query<{ idx: number; body: Uint8Array }>(`select idx, body from ledger_entries where idx = any($1::bigint[])`, [idx]);
  return new Map(rows.map((r) => [Number(r.idx), leafHash(new Uint8Array(r.body))]));
}

async function proofRun(db: Db, name: string, size: number, rootHash: Hash, indexes: number[], concurrency: number, verifySample: number): Promise<{ fig: ProofFigure; proofs: Map<number, Hash[]> }> {
  await waitIdle(opts.waitIdle);
  const lat: number[] = new Array(indexes.length);
  const kept = new Map<number, Hash[]>();
  let next = 0;
  let failures = 0;
  const before = tileCacheStats(db);
  const meter = cpuMeter();
  const load = loadavg()[0]!;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (;;) {
        const i = next++;
        if (i >= indexes.length) return;
        const s = performance.now();
        try {
          const proof = await inclusionProofOf(db, indexes[i]!, size);
          if (i < verifySample) kept.set(indexes[i]!, proof);
        } catch (err) {
          if (failures++ < 3) console.error(`  ${name}: ${(err as Error).message}`);
        }
        lat[i] = performance.now() - s;
      }
    }),
  );
  const wallMs = performance.now() - t0;
  const cpu = await meter(wallMs);
  const after = tileCacheStats(db);
  const leaves = await leafHashesOf(db, [...kept.keys()]);
  let ok = 0;
  for (const [i, proof] of kept) if (verifyInclusion(leaves.get(i)!, i, size, proof, rootHash).ok) ok++;
  if (failures || ok !== kept.size) problems.push(`${name}: ${failures} proofs failed, ${kept.size - ok} of ${kept.size} sampled did not verify`);
  const ls = sorted(lat);
  const lookups = after.hits + after.misses - before.hits - before.misses;
  return {
    fig: {
      name,
      size,
      n: indexes.length,
      concurrency,
      rate: indexes.length / (wallMs / 1000),
      p50: percentile(ls, 50),
      p99: percentile(ls, 99),
      verified: `${ok}/${kept.size}`,
      hitRate: after.maxTiles > 0 && lookups > 0 ? (after.hits - before.hits) / lookups : undefined,
      cpu,
      load,
    },
    proofs: kept,
  };
}

/** Runs the peer in a child and returns what it printed, with its CPU over its wall time. */
async function runPeer(n: number, proofs: number, appends: number, sample: number[]): Promise<PeerResult> {
  await waitIdle(opts.waitIdle);
  const meter = cpuMeter();
  const load = loadavg()[0]!;
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--max-old-space-size=4096', '--import', 'tsx', 'bench/peer-ledger/merkletreejs.ts', String(n), String(proofs), String(appends), '11', sample.join(',')], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  if (code !== 0) throw new Error(`the peer exited with ${code}`);
  const r = JSON.parse(out) as PeerResult;
  const wallMs = performance.now() - t0;
  r.cpu = await meter(wallMs, r.cpuSeconds);
  r.load = load;
  return r;
}

interface PeerResult {
  n: number;
  leafMs: number;
  buildMs: number;
  root: string;
  proofs: number;
  proofMs: number;
  verifyMs: number;
  verified: number;
  samples: Record<string, string[]>;
  appendMs: number[];
  appendBatch: number;
  appendBatchMs: number;
  finalSize: number;
  finalRoot: string;
  cpuSeconds: number;
  wallMs: number;
  rssMb: number;
  cpu: CpuShare;
  load: number;
}

/** Mitra's core in memory, the like of what merkletreejs does: build, proofs, verification, appends. */
function mitraInMemory(n: number, proofs: number) {
  const { leaves } = benchLeaves(n);
  const b0 = performance.now();
  const built = appendLeaves(EMPTY_FRONTIER, leaves);
  const buildMs = performance.now() - b0;
  const rootHash = frontierRoot(built.frontier);
  const source = memorySource(built.nodes);
  const r = prng(11);
  const idx = Array.from({ length: proofs }, () => Math.floor(r() * n));
  const p0 = performance.now();
  const made = idx.map((i) => inclusionProof(i, n, source));
  const proofMs = performance.now() - p0;
  const v0 = performance.now();
  let verified = 0;
  for (let k = 0; k < proofs; k++) if (verifyInclusion(leaves[idx[k]!]!, idx[k]!, n, made[k]!, rootHash).ok) verified++;
  const verifyMs = performance.now() - v0;
  // Appending one leaf at a time to the tree of n: the frontier, O(log n) hashes each.
  let frontier = built.frontier;
  const a0 = performance.now();
  const APPENDS = 10_000;
  for (let k = 0; k < APPENDS; k++) frontier = appendLeaves(frontier, [leafHash(benchBody(n + k))]).frontier;
  frontierRoot(frontier);
  const appendMs = (performance.now() - a0) / APPENDS;
  return { buildMs, rootHash, proofMs, verifyMs, verified, appendMs, nodes: built.nodes.length };
}

// ---------------------------------------------------------------------------------------------------

async function main() {
  const t00 = performance.now();
  const uptimeBefore = readFileSync('/proc/loadavg', 'utf8').trim();
  console.error(`ledger bench: ${cpus().length} cores, node ${process.version}, ${fmt(totalmem() / 2 ** 30, 1)} GB; load ${uptimeBefore}`);
  const schema = `bench_ledger_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: opts.pgUrl });
  await admin.connect().catch((err) => fail(`PostgreSQL at ${opts.pgUrl} is not reachable (${(err as Error).message}); start it or pass --pg-url`));
  const [{ version }] = (await admin.query<{ version: string }>(`select current_setting('server_version') as version`)).rows as [{ version: string }];
  const settings = Object.fromEntries(
    (await admin.query<{ name: string; setting: string; unit: string | null }>(`select name, setting, unit from pg_settings where name in ('shared_buffers', 'synchronous_commit', 'fsync', 'wal_sync_method', 'commit_delay', 'max_connections')`)).rows.map((r) => [
      r.name,
      r.unit ? `${r.setting} ${r.unit}` : r.setting,
    ]),
  );
  if (settings.synchronous_commit !== 'on' || settings.fsync !== 'on') problems.push(`PostgreSQL runs with synchronous_commit=${settings.synchronous_commit}, fsync=${settings.fsync}: commits are not durable, figures are not comparable`);
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const u = new URL(opts.pgUrl);
  u.searchParams.set('options', `-c search_path=${schema}`);
  const schemaUrl = u.toString();
  const dropSchema = async () => {
    const c = new pg.Client({ connectionString: opts.pgUrl });
    await c.connect();
    await c.query(`drop schema if exists ${schema} cascade`);
    await c.end();
  };
  // Interrupted: the schema goes all the same (unless --keep). Synchronously, in a child, before
  // harness.ts's own handler exits: this process's connections are ended first, since their open
  // transactions would hold the locks the drop waits for.
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.prependOnceListener(sig, () => {
      if (opts.keep) return;
      console.error(`bench: ${sig}, dropping ${schema}`);
      const script = `const pg = require('pg'); const c = new pg.Client({ connectionString: process.argv[1] });
        c.connect().then(() => c.query("select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1 and pid <> pg_backend_pid()", [process.argv[2]]))
          .then(() => c.query('drop schema if exists ${schema} cascade')).finally(() => c.end());`;
      spawnSync(process.execPath, ['-e', script, opts.pgUrl, APP], { cwd: root, stdio: 'ignore', timeout: 30_000 });
      process.exit(130);
    });
  }

  const appends: AppendFigure[] = [];
  const proofFigs: ProofFigure[] = [];
  let seeded: Awaited<ReturnType<typeof seedLog>> | undefined;
  let peer: PeerResult | undefined;
  let memory: ReturnType<typeof mitraInMemory> | undefined;
  let seededRoot: Hash | undefined;
  const peerInstalled = existsSync(join(root, 'bench/peer-ledger/node_modules/merkletreejs/package.json'));
  const sample = [...new Set([0, 1, 255, 256, 65535, 65536, opts.entries - 2, opts.entries - 1, Math.floor(opts.entries / 3)])].filter((i) => i < opts.entries);
  let db: Db | undefined;
  try {
    db = await openPostgres(schemaUrl, opts.concurrency);
    await migrate(db);
    await openLedger(db, id);
    await db.exec(`create table bench_plain (id bigserial primary key, body bytea not null, queued_at timestamptz not null)`);

    // ------------------------------------------------------------ seed
    console.error(`seeding a log of ${opts.entries.toLocaleString('en-US')} entries…`);
    seeded = await seedLog(db, opts.entries);
    seededRoot = frontierRoot(seeded.frontier);
    console.error(`  ${fmt(seeded.seconds, 1)} s, ${seeded.nodes.toLocaleString('en-US')} tile-level nodes`);
    // A few real batches on top, through Mitra's own queue and sequencer.
    for (let b = 0; b < 3; b++) {
      await db.transaction((tx) => recordInLedger(tx, Array.from({ length: 1000 }, (_, k) => benchEntry(opts.entries + b * 1000 + k)), new Date()));
      const s = await sequenceBatch(db, id, systemClock);
      if (s.size !== opts.entries + (b + 1) * 1000) problems.push(`a batch on the seeded log went from ${s.oldSize} to ${s.size}`);
    }

    // ------------------------------------------------------------ 1. durable appends
    const runs: { kind: 'mitra' | 'ceiling'; writers: number; perTx: number; windowMs?: number }[] = [];
    // Each Mitra run right after its ceiling (same writers, same commits): others' work on this shared
    // machine changes from minute to minute, so each pair is measured under about the same load.
    const pair = (writers: number, perTx: number, windowMs: number) => runs.push({ kind: 'ceiling', writers, perTx }, { kind: 'mitra', writers, perTx, windowMs });
    for (const windowMs of opts.windows) pair(opts.writers, 1, windowMs);
    pair(opts.writers, 10, DEFAULT_WINDOW);
    for (const writers of opts.writerSweep) pair(writers, 1, DEFAULT_WINDOW);
    for (const [i, r] of runs.entries()) {
      console.error(`appends: ${r.kind}, ${r.writers} writers, ${r.perTx}/transaction${r.windowMs ? `, window ${r.windowMs} ms` : ''}…`);
      const f = await appendRun(schemaUrl, r, `run${i}`);
      appends.push(f);
      console.error(`  ${fmt(f.rate)} entries/s${f.coveredP50 !== undefined ? `, covered p50 ${fmt(f.coveredP50)} ms p99 ${fmt(f.coveredP99!)} ms` : ''}; CPU bench/-/pg/rest ${cpuText(f.cpu)}`);
    }

    // ------------------------------------------------------------ 2. proofs
    const { size, note } = await latestCheckpoint(db);
    const opened = openCheckpoint(note, [verifier], { origin: ORIGIN });
    if (!opened.ok) fail(`the latest checkpoint does not verify: ${opened.message}`);
    const rootHash = opened.checkpoint.rootHash;
    const randomIdx = (k: number, lo = 0) => Array.from({ length: k }, () => lo + Math.floor(rand() * (size - lo)));
    const verifySample = smoke ? 300 : 1000;
    console.error(`proofs over a log of ${size.toLocaleString('en-US')}…`);

    setTileCache(db, 0);
    const fromDb = await proofRun(db, 'inclusionProofOf, from the database (no cache)', size, rootHash, randomIdx(opts.dbProofs), opts.concurrency, verifySample);
    proofFigs.push(fromDb.fig);

    // Every tile of the log in the cache: warmed with one proof per level-0 tile, then random leaves.
    const allTiles = Math.ceil(size / 256) + Math.ceil(size / 65536) + 2;
    setTileCache(db, allTiles);
    for (let t = 0; t * 256 < size; t += 1) await inclusionProofOf(db, t * 256, size);
    const cacheAll = await proofRun(db, `inclusionProofOf, tile cache holding every tile (${allTiles.toLocaleString('en-US')})`, size, rootHash, randomIdx(opts.proofs), opts.concurrency, verifySample);
    proofFigs.push(cacheAll.fig);
    let differ = 0;
    for (const [i, p] of fromDb.proofs) {
      const c = await inclusionProofOf(db, i, size);
      if (c.length !== p.length || c.some((h, k) => Buffer.compare(Buffer.from(h), Buffer.from(p[k]!)) !== 0)) differ++;
    }
    if (differ) problems.push(`${differ} proofs from the cache differ from the database's`);

    // The default cache on a log larger than it holds: warmed by as many random proofs first, then measured.
    setTileCache(db, DEFAULT_TILE_CACHE);
    const randomCount = Math.min(opts.proofs, smoke ? 1000 : 20_000);
    await proofRun(db, 'warm-up', size, rootHash, randomIdx(randomCount), opts.concurrency, 0);
    const randomDefault = await proofRun(db, `inclusionProofOf, default cache (${DEFAULT_TILE_CACHE.toLocaleString('en-US')} tiles), random leaves of the whole log`, size, rootHash, randomIdx(randomCount), opts.concurrency, verifySample);
    proofFigs.push(randomDefault.fig);
    const recent = await proofRun(db, `inclusionProofOf, default cache, leaves among the last 10,000`, size, rootHash, randomIdx(opts.proofs, Math.max(0, size - 10_000)), opts.concurrency, verifySample);
    proofFigs.push(recent.fig);

    // Mitra's proofs at the seeded size equal merkletreejs's (checked below).
    const seededProofs = new Map<number, string[]>();
    for (const i of sample) seededProofs.set(i, (await inclusionProofOf(db, i, opts.entries)).map((h) => Buffer.from(h).toString('hex')));

    // ------------------------------------------------------------ 3. the peer, and Mitra's core in memory
    if (opts.peer && peerInstalled) {
      const peerProofs = Math.min(opts.proofs, 100_000);
      console.error(`peer: merkletreejs, ${opts.entries.toLocaleString('en-US')} leaves…`);
      peer = await runPeer(opts.entries, peerProofs, opts.peerAppends, sample);
      if (peer.root !== Buffer.from(seededRoot).toString('hex')) problems.push(`merkletreejs's root of ${opts.entries} leaves differs from Mitra's`);
      if (peer.verified !== peer.proofs) problems.push(`merkletreejs: ${peer.proofs - peer.verified} of its proofs did not verify`);
      for (const i of sample) if (JSON.stringify(peer.samples[i]) !== JSON.stringify(seededProofs.get(i))) problems.push(`merkletreejs's proof of leaf ${i} differs from Mitra's`);
      console.error(`  build ${fmt(peer.buildMs)} ms, ${fmt(peer.proofs / (peer.proofMs / 1000))} proofs/s, addLeaf ${fmt(peer.appendMs.reduce((a, b) => a + b, 0) / peer.appendMs.length)} ms`);
      console.error('Mitra core in memory…');
      const m0 = process.cpuUsage();
      const w0 = performance.now();
      memory = mitraInMemory(opts.entries, peerProofs);
      const mcpu = process.cpuUsage(m0);
      if (Buffer.compare(Buffer.from(memory.rootHash), Buffer.from(seededRoot)) !== 0) problems.push('Mitra in memory: root differs from the seeded one');
      if (memory.verified !== peerProofs) problems.push(`Mitra in memory: ${peerProofs - memory.verified} proofs did not verify`);
      (memory as typeof memory & { cpu: number }).cpu = (mcpu.user + mcpu.system) / 1e6 / ((performance.now() - w0) / 1000);
    } else if (opts.peer) console.error('  peer skipped: run `npm --prefix bench/peer-ledger install` to measure merkletreejs beside Mitra');

    // Nothing left in the queue, no gaps, no entry twice: the log as a whole.
    const [shape] = await db.query<{ n: number; lo: number; hi: number; queued: number }>(
      `select count(*)::int as n, min(idx)::int as lo, max(idx)::int as hi, (select count(*)::int from ledger_queue) as queued from ledger_entries`,
    );
    if (shape!.n !== size || shape!.lo !== 0 || shape!.hi !== size - 1 || shape!.queued !== 0) problems.push(`the log's shape: ${JSON.stringify(shape)} for a checkpoint of ${size}`);
  } finally {
    await db?.close();
    if (opts.keep) console.error(`  kept schema ${schema} (${schemaUrl})`);
    else await dropSchema();
  }

  // ------------------------------------------------------------ report
  const uptimeAfter = readFileSync('/proc/loadavg', 'utf8').trim();
  const n = opts.entries.toLocaleString('en-US');
  console.log('');
  console.log(`Ledger bench, ${new Date().toISOString()}: ${cpus().length} cores, node ${process.version}, PostgreSQL ${version} (${Object.entries(settings).map(([k, v]) => `${k} ${v}`).join(', ')}).`);
  console.log(`Load average (1, 5, 15 min) at start: ${uptimeBefore.split(' ').slice(0, 3).join(', ')}; at end: ${uptimeAfter.split(' ').slice(0, 3).join(', ')}.`);
  console.log(`Seeded log: ${n} entries and ${seeded!.nodes.toLocaleString('en-US')} tile-level nodes in ${fmt(seeded!.seconds, 1)} s, then 3 real batches of 1,000.`);
  console.log('');
  console.log('Durable appends (target ≥ 2,000 entries/s covered by a signed checkpoint):');
  console.log('');
  const ceilingOf = (f: AppendFigure) => {
    const c = appends[appends.indexOf(f) - 1];
    return c?.kind === 'ceiling' && c.writers === f.writers && c.perTx === f.perTx ? c : undefined;
  };
  const aHead = ['target', 'writers', 'entries/tx', 'window ms', 'entries/s', 'of ceiling', 'commits/s', 'commit p50/p99 ms', 'commit → checkpoint p50/p99/max ms', 'batches × entries', 'batch tx ms', 'CPU bench / peer / pg / rest', 'load'];
  const aRows = appends.map((f) => [
    f.kind === 'ceiling' ? 'ceiling: plain table, same commits' : '**Mitra**: recordInLedger + sequencer (ceiling: row above)',
    String(f.writers),
    String(f.perTx),
    f.windowMs ? String(f.windowMs) : '-',
    f.kind === 'mitra' ? `**${fmt(f.rate)}**` : fmt(f.rate),
    f.kind === 'mitra' && ceilingOf(f) ? `${fmt((f.rate / ceilingOf(f)!.rate) * 100)}%` : '-',
    fmt(f.commitRate / f.perTx),
    `${fmt(f.commitP50, 1)} / ${fmt(f.commitP99, 1)}`,
    f.coveredP50 !== undefined ? `${fmt(f.coveredP50)} / ${fmt(f.coveredP99!)} / ${fmt(f.coveredMax!)}` : '-',
    f.batches !== undefined ? `${f.batches} × ${fmt(f.perBatch!)}` : '-',
    f.batchMs !== undefined ? fmt(f.batchMs, 1) : '-',
    cpuText(f.cpu),
    fmt(f.load, 1),
  ]);
  if (peer) {
    const addMs = peer.appendMs.reduce((a, b) => a + b, 0) / peer.appendMs.length;
    aRows.push(['peer: merkletreejs addLeaf (memory only, nothing durable)', '1', '1', '-', fmt(1000 / addMs, 1), '-', '-', `${fmt(addMs)} (recompute of ${n} leaves)`, '-', '-', '-', cpuText(peer.cpu), fmt(peer.load, 1)]);
    aRows.push(['peer: merkletreejs addLeaves, 1,000 at once', '1', '1,000', '-', fmt(peer.appendBatch / (peer.appendBatchMs / 1000)), '-', '-', fmt(peer.appendBatchMs), '-', '-', '-', cpuText(peer.cpu), fmt(peer.load, 1)]);
  }
  if (memory) aRows.push(['Mitra core in memory: appendLeaves one at a time (nothing durable)', '1', '1', '-', fmt(1000 / memory.appendMs), '-', '-', fmt(memory.appendMs, 4), '-', '-', '-', '-', '-']);
  printTable(aHead, aRows, [1, 2, 3, 4, 5, 6, 10]);
  for (const f of appends.filter((x) => x.statements)) {
    const st = Object.entries(f.statements!).sort((a, b) => b[1].perBatchMs - a[1].perBatchMs);
    console.log(`- ${f.writers} writers × ${f.perTx}/tx, window ${f.windowMs} ms: sequencer time per batch with entries (ms): ${st.map(([k, v]) => `${k} ${fmt(v.perBatchMs, 2)}`).join('; ')}; drain after the writers stopped ${fmt(f.drainMs!)} ms`);
  }
  console.log('');
  console.log('Inclusion proofs (target ≥ 20,000/s):');
  console.log('');
  const pHead = ['source', 'log size', 'proofs', 'in flight', 'proofs/s', 'p50 ms', 'p99 ms', 'tile cache hits', 'verified', 'CPU bench / peer / pg / rest', 'load'];
  const pRows = proofFigs.map((f) => [
    `**Mitra**: ${f.name}`,
    f.size.toLocaleString('en-US'),
    f.n.toLocaleString('en-US'),
    String(f.concurrency),
    `**${fmt(f.rate)}**`,
    fmt(f.p50, 3),
    fmt(f.p99, 3),
    f.hitRate !== undefined ? `${fmt(f.hitRate * 100, 1)}%` : '-',
    f.verified,
    cpuText(f.cpu),
    fmt(f.load, 1),
  ]);
  if (memory) {
    pRows.push(['Mitra core in memory: inclusionProof over all nodes (memorySource)', n, peer!.proofs.toLocaleString('en-US'), '1', fmt(peer!.proofs / (memory.proofMs / 1000)), '-', '-', '-', `${memory.verified}/${peer!.proofs}`, '-', '-']);
  }
  if (peer) {
    pRows.push(['peer: merkletreejs getProof(leaf, index), in memory', n, peer.proofs.toLocaleString('en-US'), '1', fmt(peer.proofs / (peer.proofMs / 1000)), '-', '-', '-', `${peer.verified}/${peer.proofs}`, cpuText(peer.cpu), fmt(peer.load, 1)]);
    pRows.push(['verify: merkletreejs verify', n, peer.proofs.toLocaleString('en-US'), '1', fmt(peer.proofs / (peer.verifyMs / 1000)), '-', '-', '-', '-', '-', '-']);
  }
  if (memory) pRows.push(['verify: Mitra verifyInclusion (RFC 9162 §2.1.3.2)', n, peer!.proofs.toLocaleString('en-US'), '1', fmt(peer!.proofs / (memory.verifyMs / 1000)), '-', '-', '-', '-', '-', '-']);
  printTable(pHead, pRows, [1, 2, 3, 4, 5, 6, 7]);
  console.log('');
  if (peer && memory) {
    console.log(`Tree of ${n} leaves, in memory (leaf hashes given): Mitra appendLeaves ${fmt(memory.buildMs)} ms (${memory.nodes.toLocaleString('en-US')} nodes); merkletreejs new MerkleTree ${fmt(peer.buildMs)} ms (peak RSS ${fmt(peer.rssMb)} MB); hashing the ${n} leaves ${fmt(peer.leafMs)} ms.`);
    console.log(`Same root: ${peer.root === Buffer.from(seededRoot!).toString('hex') ? 'yes' : 'NO'} (${peer.root.slice(0, 16)}…); same proofs for leaves ${sample.join(', ')}: ${problems.some((p) => p.includes('proof of leaf')) ? 'NO' : 'yes'}.`);
    console.log(`Mitra seeding the same tree into PostgreSQL (entries + tile-level nodes): ${fmt(seeded!.seconds, 1)} s.`);
  }
  console.log('CPU: % of one core over each measured window; bench = this process (writers, sequencer, proofs), peer = the merkletreejs child, pg = PostgreSQL for this bench (its backends and background processes), rest = everything else on the machine meanwhile (others\' work).');

  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `ledger-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ opts, cores: cpus().length, node: process.version, postgres: { version, settings }, load: { before: uptimeBefore, after: uptimeAfter }, seeded: seeded && { seconds: seeded.seconds, nodes: seeded.nodes }, appends, proofs: proofFigs, peer, memory: memory && { ...memory, rootHash: Buffer.from(memory.rootHash).toString('hex') }, problems, totalSeconds: (performance.now() - t00) / 1000 }, null, 2));
  console.log(`details: ${file}`);
  if (problems.length) {
    console.error(`bench: FAILED: ${problems.join('; ')}`);
    process.exitCode = 1;
  }
}

function printTable(head: string[], rows: string[][], right: number[]) {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ') + ' |';
  console.log(line(head));
  console.log('| ' + widths.map((w, i) => (right.includes(i) ? '-'.repeat(w - 1) + ':' : '-'.repeat(w))).join(' | ') + ' |');
  for (const r of rows) console.log(line(r));
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
