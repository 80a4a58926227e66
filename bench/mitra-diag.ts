// Diagnostics entry: `mitra serve` as bin/mitra.js runs it, plus, on stderr, its event-loop delay and
// utilisation once a second and, when it stops, every SQL statement it sent through node-postgres
// with its count and mean time as Mitra saw it (queueing on the event loop included).
//
//   BENCH_CHILD_STDERR=1 node --import tsx bench/journey.ts --mitra-entry bench/mitra-diag.ts …
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import pg from 'pg';

const delay = monitorEventLoopDelay({ resolution: 5 });
delay.enable();
let elu = performance.eventLoopUtilization();
setInterval(() => {
  const now = performance.eventLoopUtilization(elu);
  elu = performance.eventLoopUtilization();
  // The histogram counts from one 5 ms sampling tick to the next: the delay is what exceeds the 5 ms.
  const ms = (ns: number) => Math.max(0, ns / 1e6 - 5).toFixed(1);
  process.stderr.write(`event loop: delay p50 ${ms(delay.percentile(50))} p99 ${ms(delay.percentile(99))} max ${ms(delay.max)} ms, busy ${(now.utilization * 100).toFixed(0)}%\n`);
  delay.reset();
}, 1000).unref();

const statements = new Map<string, { n: number; ms: number }>();
type Query = (...args: unknown[]) => unknown;
const query = pg.Client.prototype.query as unknown as Query;
(pg.Client.prototype as unknown as { query: Query }).query = function (this: pg.Client, ...args: unknown[]) {
  const first = args[0] as string | { text?: string } | undefined;
  const key = (typeof first === 'string' ? first : first?.text ?? '?').replace(/\s+/g, ' ').trim().slice(0, 90);
  const t0 = performance.now();
  const note = () => {
    const s = statements.get(key) ?? { n: 0, ms: 0 };
    s.n++;
    s.ms += performance.now() - t0;
    statements.set(key, s);
  };
  // node-postgres takes a callback (the pool does) or returns a promise.
  const last = args.at(-1);
  if (typeof last === 'function') args[args.length - 1] = (...x: unknown[]) => (note(), (last as (...y: unknown[]) => unknown)(...x));
  const result = query.apply(this, args);
  if (result instanceof Promise) result.then(note, () => {});
  return result;
};
process.once('SIGTERM', () => {
  const rows = [...statements].sort((a, b) => b[1].n - a[1].n);
  process.stderr.write(`SQL statements (count, mean ms as Mitra saw it):\n${rows.map(([k, s]) => `${String(s.n).padStart(8)} ${(s.ms / s.n).toFixed(2).padStart(8)}  ${k}`).join('\n')}\n`);
});

process.argv.splice(2, 0, 'serve');
// @ts-ignore: bin/mitra.js is plain JavaScript with no types
await import('../bin/mitra.js');
