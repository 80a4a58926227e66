// End-to-end channel bench: many simulated citizens send signed webhooks; Mitra stores them, runs the
// echo conversation, and sends its replies to a simulated Graph API over HTTP. Measured per message:
// from the start of the webhook POST to the reply's arrival at the Graph endpoint.
//
//   node --import tsx bench/channel.ts [--db pglite|postgres|both] [--messages N] [--citizens N]
//        [--statuses each|batched|off] [--concurrency C | --rate R] [--smoke] [--profile]
//        [--no-ceiling] [--no-floor] [--no-peer]
//
// Processes: this one runs the load generator and the simulator (createSimulator, served by
// @hono/node-server); Mitra runs alone in a child exactly as `npm start` runs it (bin/mitra.js serve),
// configured with explicit WhatsApp credentials and WHATSAPP_GRAPH_URL pointing here. Beside Mitra the
// same generator drives, in the same run, a do-nothing server (the ceiling), a server doing only
// what the protocol asks (the floor: bench/servers/floor.ts) and a whatsapp-api-js server (the peer).
// See bench/README.md.
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, userInfo } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createSimulator } from '../src/channel/index.ts';
import {
  analyzeTables, closeServer, deliveryTimes, fail, fmt, freePort, machineTicks, newCreds, num, outDir, percentile, postgresTicks, procTicks,
  recordDelivery, root, serveSimulator, sleep, startMitra, startServer, TICK, type Child, type Creds,
} from './harness.ts';


// ---------------------------------------------------------------------------------------------------
// Options

const { values: args } = parseArgs({
  options: {
    db: { type: 'string' },
    messages: { type: 'string' },
    citizens: { type: 'string' },
    statuses: { type: 'string' },
    concurrency: { type: 'string' },
    rate: { type: 'string' },
    warmup: { type: 'string' },
    smoke: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    'no-ceiling': { type: 'boolean', default: false },
    'no-peer': { type: 'boolean', default: false },
    'no-floor': { type: 'boolean', default: false },
    'pg-url': { type: 'string' },
    'pg-options': { type: 'string' },
    'log-level': { type: 'string' },
    'whatsapp-rate': { type: 'string' },
    'mitra-entry': { type: 'string' },
    'mitra-root': { type: 'string' },
    trace: { type: 'boolean', default: false },
    'graph-latency': { type: 'string' },
    keep: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (args.help) {
  console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(0, 16).join('\n'));
  process.exit(0);
}

const smoke = args.smoke;
const dbArg = args.db ?? (smoke ? 'pglite' : 'both');
const opts = {
  dbs: dbArg === 'both' ? (['pglite', 'postgres'] as const) : ([dbArg as 'pglite' | 'postgres'] as const),
  messages: num(args.messages, smoke ? 300 : 20_000),
  citizens: num(args.citizens, smoke ? 100 : 2_000),
  statuses: (args.statuses ?? 'each') as 'each' | 'batched' | 'off',
  concurrency: num(args.concurrency, smoke ? 50 : 500),
  rate: args.rate === undefined ? undefined : Number(args.rate),
  warmup: num(args.warmup, smoke ? 0 : 2_000),
  ceiling: !smoke && !args['no-ceiling'],
  peer: !smoke && !args['no-peer'],
  floor: !smoke && !args['no-floor'],
  profile: args.profile,
  pgOptions: args['pg-options'] ?? '',
  pgUrl: args['pg-url'] ?? process.env.BENCH_DATABASE_URL ?? 'postgres://127.0.0.1:5432/test',
  logLevel: args['log-level'] ?? process.env.LOG_LEVEL ?? 'info',
  whatsappRate: num(args['whatsapp-rate'], 10_000),
  trace: args.trace,
  /** Milliseconds the simulated Graph API takes to answer each call (Meta's own is ~100–300 ms). */
  graphLatency: num(args['graph-latency'], 0),
  /** Diagnostics: leave the PostgreSQL schema in place after the run. */
  keep: args.keep,
  /** Diagnostics: run Mitra from another entry (default: bin/mitra.js serve, as `npm start`). */
  mitraEntry: args['mitra-entry'],
  /** A/B comparisons: run Mitra from another checkout (e.g. one at the commit before a change). */
  mitraRoot: args['mitra-root'],
};
for (const d of opts.dbs) if (d !== 'pglite' && d !== 'postgres') fail(`--db must be pglite, postgres or both (got ${d})`);
if (!['each', 'batched', 'off'].includes(opts.statuses)) fail('--statuses must be each, batched or off');
if (!(opts.messages > 0 && opts.citizens > 0 && opts.concurrency > 0)) fail('--messages, --citizens and --concurrency must be positive');
if (opts.rate !== undefined && !(opts.rate > 0)) fail('--rate must be positive');
// Meta's pair rate limit (Mitra paces ~1 message per 6 s per citizen after a burst of 20): more than
// ~20 messages per citizen in a run would measure the pacing, not the channel.
if ((opts.messages + opts.warmup) / opts.citizens > 20) {
  console.warn(`warning: ${((opts.messages + opts.warmup) / opts.citizens).toFixed(0)} messages per citizen; Mitra's per-recipient pacing (burst 20, then 1 per 6 s) will hold replies back. Use more --citizens.`);
}

// node-postgres takes the user from $USER when the URL names none; a bare container may not set it.
process.env.PGUSER ??= process.env.USER ?? userInfo().username;

// ---------------------------------------------------------------------------------------------------
// Targets: the processes the load is sent to

interface Target extends Child {
  kind: 'ceiling' | 'floor' | 'peer' | 'mitra';
  db?: 'pglite' | 'postgres';
  /** Mitra only: its /metrics counters, summed by name. */
  metrics?(): Promise<Map<string, number>>;
  /** PostgreSQL only: what the outbox says after the run. */
  verify?(): Promise<Record<string, number>>;
  /** PostgreSQL only: ANALYZE after the warm-up (see analyzeTables). */
  analyze?(): Promise<void>;
  cleanup?(): Promise<void>;
}

/** Mitra as `npm start` runs it (bench/harness.ts), answering every message by quoting it. */
async function startEchoMitra(db: 'pglite' | 'postgres', creds: Creds, graphUrl: string, port: number): Promise<Target> {
  const m = await startMitra({
    db, creds, graphUrl, port, pgUrl: opts.pgUrl, pgOptions: opts.pgOptions, logLevel: opts.logLevel, whatsappRate: opts.whatsappRate,
    // The channel alone is measured: every message is answered by quoting it (bench/journey.ts measures the conversation).
    env: { CONVERSATION: 'echo' },
    profile: opts.profile, keep: opts.keep, entry: opts.mitraEntry, cwd: opts.mitraRoot, onFail: fail,
  });
  const url = m.databaseUrl;
  return {
    ...m,
    kind: 'mitra',
    analyze: url ? () => analyzeTables(url) : undefined,
    verify: url
      ? async () => {
          const c = new pg.Client({ connectionString: url });
          await c.connect();
          const rows = (await c.query(`select kind || ':' || state as k, count(*)::int as n from outbox group by 1
                                       union all select 'inbox:' || state, count(*)::int from inbox group by 1`)).rows as { k: string; n: number }[];
          await c.end();
          return Object.fromEntries(rows.map((r) => [r.k, r.n]));
        }
      : undefined,
  };
}

// ---------------------------------------------------------------------------------------------------
// The simulator, with a tap on the Graph endpoint to see each reply arrive

interface Msg {
  seq: number;
  waId: string;
  t0: number;
  ack?: number;
  reply?: number;
  done?: () => void;
}

interface Run {
  name: string;
  db: string;
  mode: string;
  sent: number;
  replied: number;
  missing: number;
  duplicates: number;
  outOfOrder: number;
  throughput: number;
  overall: number;
  p50: number;
  p99: number;
  max: number;
  ackP50: number;
  ackP99: number;
  statusWebhooks: number;
  statusesStored?: number;
  statusesExpected: number;
  webhookRetries: number;
  seconds: number;
  cpu: { loadgen: number; server: number; postgres: number; machine: number; other: number };
  notes: string[];
}

const BODY = /«(m\d+)»/;

async function runAgainst(kind: Target['kind'], db: 'pglite' | 'postgres' | undefined): Promise<Run> {
  const creds = newCreds();
  const simPort = await freePort();
  const targetPort = await freePort();
  const webhookUrl = `http://127.0.0.1:${targetPort}/webhooks/whatsapp`;
  const msgs = new Map<number, Msg>();
  const lastReplied = new Map<string, number>();
  let duplicates = 0;
  let outOfOrder = 0;
  let readReceipts = 0;
  let graphMessages = 0;

  const sim = createSimulator({ ...creds, webhookUrl, publicUrl: `http://127.0.0.1:${simPort}`, statuses: opts.statuses, retryBaseMs: 200, onDelivery: recordDelivery });
  // The tap: every Graph call is seen here, timed, and handed on to the simulator.
  const simServer = await serveSimulator(sim, simPort, { latencyMs: opts.graphLatency, tap: (body, at) => {
    if (body?.status === 'read') readReceipts++;
    else if (body) {
      graphMessages++;
      const text: string = body.interactive?.body?.text ?? body.text?.body ?? '';
      const m = BODY.exec(text);
      const msg = m ? msgs.get(Number(m[1]!.slice(1))) : undefined;
      if (msg) {
        if (msg.reply !== undefined) duplicates++;
        else {
          msg.reply = at;
          const last = lastReplied.get(msg.waId) ?? -1;
          if (msg.seq < last) outOfOrder++;
          else lastReplied.set(msg.waId, msg.seq);
          if (kind !== 'ceiling') msg.done?.();
        }
      }
    }
  } });
  const graphUrl = `http://127.0.0.1:${simPort}/graph`;

  const target: Target = kind === 'mitra' ? await startEchoMitra(db!, creds, graphUrl, targetPort) : { ...(await startServer(kind, creds, graphUrl, targetPort)), kind };

  const citizens = Array.from({ length: opts.citizens }, (_, i) => String(919_000_000_000 + i));
  let seq = 0;
  // A phone sends one message at a time: a citizen's next webhook starts once the previous one was
  // acknowledged, so Mitra sees each citizen's messages in the order they were typed, and any reply
  // out of that order is Mitra's fault.
  const previous = new Map<string, Promise<void>>();
  const send = (to?: string): Msg => {
    const s = seq++;
    const waId = to ?? citizens[s % citizens.length]!;
    const msg: Msg = { seq: s, waId, t0: NaN };
    msgs.set(s, msg);
    const go = () => {
      msg.t0 = performance.now();
      const { delivered } = sim.citizenSends(waId, { type: 'text', text: `m${s}` }, `Citizen ${waId.slice(-4)}`);
      return delivered.then(() => {
        msg.ack = performance.now();
        if (kind === 'ceiling') msg.done?.();
      });
    };
    const before = previous.get(waId);
    const p = before ? before.then(go) : go();
    previous.set(waId, p);
    void p.then(() => { if (previous.get(waId) === p) previous.delete(waId); });
    return msg;
  };
  const finished = (m: Msg) => (kind === 'ceiling' ? m.ack !== undefined : m.reply !== undefined);
  const completion = (m: Msg, timeoutMs: number) =>
    finished(m)
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          const t = setTimeout(resolve, timeoutMs);
          m.done = () => { clearTimeout(t); resolve(); };
        });

  async function load(n: number): Promise<Msg[]> {
    const batch: Msg[] = [];
    if (opts.rate) {
      // Open loop: messages go out at the offered rate whatever happens to the earlier ones.
      const start = performance.now();
      while (batch.length < n) {
        const due = Math.min(n, Math.floor(((performance.now() - start) * opts.rate) / 1000) + 1);
        while (batch.length < due) batch.push(send());
        await sleep(2);
      }
      return batch;
    }
    // Closed loop: `concurrency` conversations, each sending its next message once the reply to the
    // previous one came. Conversation j speaks for citizens j, j + C, j + 2C… in turn, so no citizen
    // ever has two messages in flight.
    let left = n;
    const c = Math.min(opts.concurrency, citizens.length, n);
    await Promise.all(
      Array.from({ length: c }, async (_, j) => {
        for (let k = 0; left > 0; k++) {
          left--;
          const owned = Math.floor((citizens.length - j - 1) / c) + 1;
          const m = send(citizens[j + (k % owned) * c]!);
          batch.push(m);
          await completion(m, 60_000);
        }
      }),
    );
    return batch;
  }

  async function settle(batch: Msg[]) {
    // Wait for the stragglers; give up after 30 s without progress.
    let last = -1;
    let still = Date.now();
    for (;;) {
      const n = batch.filter(finished).length;
      if (n === batch.length) return;
      if (n !== last) { last = n; still = Date.now(); }
      if (Date.now() - still > (smoke ? 10_000 : 30_000)) return;
      await sleep(50);
    }
  }

  const label = kind === 'mitra' ? `Mitra (${db})` : kind;
  process.stderr.write(`  ${label}: warm-up ${opts.warmup} … `);
  if (opts.warmup > 0) await settle(await load(opts.warmup));
  if (opts.warmup > 0) await target.analyze?.();
  process.stderr.write(`measuring ${opts.messages} … `);

  const statsBefore = { ...sim.stats };
  const before = { self: process.cpuUsage(), server: procTicks(target.child.pid!), pg: db === 'postgres' ? postgresTicks() : 0, machine: machineTicks(), at: performance.now() };
  // --trace: once a second, what got through and what is queued inside the target.
  let tracer: NodeJS.Timeout | undefined;
  if (opts.trace) {
    deliveryTimes.on = true;
    let prev = { acks: 0, replies: 0, at: performance.now(), cpu: procTicks(target.child.pid!), pg: postgresTicks() };
    tracer = setInterval(() => {
      void (async () => {
        const all = [...msgs.values()];
        const now = { acks: all.filter((m) => m.ack !== undefined).length, replies: all.filter((m) => m.reply !== undefined).length, at: performance.now(), cpu: procTicks(target.child.pid!), pg: postgresTicks() };
        const dt = (now.at - prev.at) / 1000;
        let depth = '';
        if (target.metrics) {
          const m = await target.metrics().catch(() => new Map<string, number>());
          depth = ` inbox ${m.get('mitra_inbox_pending')} outbox ${m.get('mitra_outbox_pending')}`;
        }
        const srv = deliveryTimes.server.sort((a, b) => a - b);
        const q = deliveryTimes.queued.sort((a, b) => a - b);
        deliveryTimes.server = [];
        deliveryTimes.queued = [];
        depth += ` webhook server p50/p99 ${percentile(srv, 50).toFixed(0)}/${percentile(srv, 99).toFixed(0)} ms queued p50/p99 ${percentile(q, 50).toFixed(0)}/${percentile(q, 99).toFixed(0)} ms`;
        process.stderr.write(`\n    acks ${((now.acks - prev.acks) / dt).toFixed(0)}/s replies ${((now.replies - prev.replies) / dt).toFixed(0)}/s${depth} cpu server ${(((now.cpu - prev.cpu) / TICK / dt) * 100).toFixed(0)}% pg ${(((now.pg - prev.pg) / TICK / dt) * 100).toFixed(0)}%`);
        prev = now;
      })();
    }, 1000);
  }
  const batch = await load(opts.messages);
  await settle(batch);
  clearInterval(tracer);
  const endAt = Math.max(...batch.map((m) => (kind === 'ceiling' ? m.ack : m.reply) ?? 0));
  const wall = (performance.now() - before.at) / 1000;
  const self = process.cpuUsage(before.self);
  const cpu = {
    loadgen: (self.user + self.system) / 1e6 / wall,
    server: (procTicks(target.child.pid!) - before.server) / TICK / wall,
    postgres: db === 'postgres' ? (postgresTicks() - before.pg) / TICK / wall : 0,
    machine: (machineTicks() - before.machine) / TICK / wall,
    other: 0,
  };
  // Whatever else ran meanwhile (another process, the kernel's own work for all this I/O).
  cpu.other = Math.max(0, cpu.machine - cpu.loadgen - cpu.server - cpu.postgres);

  // Let the status webhooks still in flight land (three for each reply seen, warm-up included), then
  // read what the target made of them.
  const repliesSeen = [...msgs.values()].filter((m) => m.reply !== undefined).length;
  const statusesExpected = opts.statuses === 'off' || kind === 'ceiling' ? 0 : 3 * repliesSeen;
  const drainStart = Date.now();
  let statusesStored: number | undefined;
  const notes: string[] = [];
  for (let last = -1, still = Date.now(); Date.now() - still < 3000; await sleep(200)) {
    const now = target.metrics ? (await target.metrics()).get('mitra_statuses_received_total') ?? 0 : sim.stats.webhooksPosted;
    if (target.metrics && now >= statusesExpected) break;
    if (now !== last) (last = now), (still = Date.now());
  }
  const drainMs = Date.now() - drainStart;
  await sim.close();
  if (target.metrics) {
    const m = await target.metrics();
    statusesStored = m.get('mitra_statuses_received_total') ?? 0;
    const failed = m.get('mitra_messages_failed_total') ?? 0;
    if (failed) notes.push(`${failed} sends failed`);
    if (statusesStored < statusesExpected) notes.push(`${statusesExpected - statusesStored} of ${statusesExpected} statuses not stored`);
  }
  if (target.verify) {
    const v = await target.verify();
    notes.push('outbox: ' + Object.entries(v).map(([k, n]) => `${k}=${n}`).join(' '));
  }
  if (target.metrics && drainMs > 1000) notes.push(`statuses still arriving ${drainMs} ms after the last reply`);
  await target.stop();
  await target.cleanup?.();
  await closeServer(simServer);

  const done = batch.filter(finished);
  const ends = done.map((m) => (kind === 'ceiling' ? m.ack! : m.reply!)).sort((a, b) => a - b);
  const lat = done.map((m) => (kind === 'ceiling' ? m.ack! : m.reply!) - m.t0).sort((a, b) => a - b);
  const acks = batch.filter((m) => m.ack !== undefined).map((m) => m.ack! - m.t0).sort((a, b) => a - b);
  const i10 = Math.floor(ends.length * 0.1);
  const i90 = Math.max(i10 + 1, Math.ceil(ends.length * 0.9) - 1);
  const throughput = ends.length > 10 ? (i90 - i10) / ((ends[i90]! - ends[i10]!) / 1000) : NaN;
  const firstSend = Math.min(...batch.map((m) => m.t0));
  // Every status webhook answered 200, warm-up included: all posts, less the failed tries, less the inbound ones.
  const statusWebhooks = sim.stats.webhooksPosted - sim.stats.webhookRetries - [...msgs.values()].filter((m) => m.ack !== undefined).length;
  process.stderr.write(`done\n`);
  return {
    name: label,
    db: db ?? '-',
    mode: opts.rate ? `open ${opts.rate}/s` : `closed c=${opts.concurrency}`,
    sent: batch.length,
    replied: kind === 'ceiling' ? 0 : done.length,
    missing: batch.length - done.length,
    duplicates,
    outOfOrder,
    throughput,
    overall: done.length / ((endAt - firstSend) / 1000),
    p50: percentile(lat, 50),
    p99: percentile(lat, 99),
    max: lat.at(-1) ?? NaN,
    ackP50: percentile(acks, 50),
    ackP99: percentile(acks, 99),
    statusWebhooks: kind === 'ceiling' ? 0 : statusWebhooks,
    statusesStored,
    statusesExpected,
    webhookRetries: sim.stats.webhookRetries - statsBefore.webhookRetries,
    seconds: wall,
    cpu,
    notes,
  };
}

// ---------------------------------------------------------------------------------------------------
// Main


async function main() {
  const peerInstalled = existsSync(join(root, 'bench/peer/node_modules/whatsapp-api-js/package.json'));
  console.error(
    `channel bench: ${opts.messages} messages (+${opts.warmup} warm-up) from ${opts.citizens} citizens, ` +
      `${opts.rate ? `open loop at ${opts.rate}/s` : `closed loop, ${opts.concurrency} in flight`}, statuses ${opts.statuses}` +
      `${opts.graphLatency ? `, Graph API answering in ${opts.graphLatency} ms` : ''}; ` +
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

  const header = ['target', 'msg/s (steady)', 'p50 ms', 'p99 ms', 'max ms', 'ack p50/p99 ms', 'replies', 'missing', 'statuses', 'CPU gen/server/pg', 'CPU rest'];
  const rows = runs.map((r) => [
    r.name,
    fmt(r.throughput),
    r.name === 'ceiling' ? '-' : fmt(r.p50, 1),
    r.name === 'ceiling' ? '-' : fmt(r.p99, 1),
    r.name === 'ceiling' ? '-' : fmt(r.max, 0),
    `${fmt(r.ackP50, 1)} / ${fmt(r.ackP99, 1)}`,
    r.name === 'ceiling' ? `(${r.sent} acked)` : `${r.replied}/${r.sent}`,
    String(r.missing),
    r.name === 'ceiling' || r.statusesExpected === 0 ? '-' : r.statusesStored !== undefined ? `${r.statusesStored}/${r.statusesExpected} stored` : `${r.statusWebhooks} webhooks acked`,
    `${fmt(r.cpu.loadgen * 100)}% / ${fmt(r.cpu.server * 100)}% / ${r.db === 'postgres' ? fmt(r.cpu.postgres * 100) + '%' : '-'}`,
    `${fmt(r.cpu.other * 100)}%`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ') + ' |';
  console.log('');
  console.log(line(header));
  console.log('| ' + widths.map((w) => '-'.repeat(w)).join(' | ') + ' |');
  for (const r of rows) console.log(line(r));
  console.log('');
  console.log(`CPU: % of one core over the measured window (this machine has ${cpus().length} cores); gen = load generator + simulator, rest = everything else busy on the machine meanwhile (interrupts, other processes): a large rest means the figures were disturbed.`);
  const ceiling = runs.find((r) => r.name === 'ceiling');
  if (ceiling && !opts.rate) console.log(`ceiling: a bare node:http server answering 200 to the same generator; ${fmt(ceiling.throughput)} webhooks/s is the most this machine passes through the generator in this run.`);
  if (ceiling && opts.rate) console.log(`ceiling: a bare node:http server answering 200 to the same generator, at the same offered rate.`);
  if (runs.some((r) => r.name === 'floor')) console.log('floor: a bare node:http server doing only what the protocol asks of any bot: check the signature, answer 200, send a read receipt and one reply, answer the status webhooks; no database, no dedupe, no order per citizen. The most any implementation reaches here.');
  for (const r of runs) {
    const problems = [
      r.missing ? `${r.missing} messages got no ${r.name === 'ceiling' ? 'ack' : 'reply'}` : '',
      r.outOfOrder ? `${r.outOfOrder} replies out of per-citizen order` : '',
      r.duplicates ? `${r.duplicates} duplicate replies` : '',
      r.webhookRetries ? `${r.webhookRetries} webhook retries` : '',
      ...r.notes,
    ].filter(Boolean);
    if (problems.length) console.log(`${r.name}: ${problems.join('; ')}`);
  }
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `channel-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ opts, cores: cpus().length, node: process.version, runs }, null, 2));
  console.log(`details: ${file}`);

  const mitra = runs.filter((r) => r.name.startsWith('Mitra'));
  const bad = mitra.filter((r) => r.missing > 0 || r.outOfOrder > 0);
  if (bad.length) {
    console.error(`bench: FAILED: ${bad.map((r) => `${r.name} missing ${r.missing}, out of order ${r.outOfOrder}`).join('; ')}`);
    process.exitCode = 1;
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
