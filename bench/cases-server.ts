// The back office as bench/cases.ts measures it through HTTP: Mitra's own app (startApp) in a process
// of its own, over the bench's PostgreSQL schema, with the shipped catalogue and a clock fixed at the
// instant the cases were seeded against (BENCH_NOW, ms), so "overdue" means the same thing here as in
// the bench. It serves the officer API only: no worker, no sender and no periodic SLA sweep (roles.work
// off), so nothing but the requests under measurement touches the cases.
//
//   DATABASE_URL=postgres://…?options=-c%20search_path%3D… PORT=… BENCH_NOW=… node --import tsx bench/cases-server.ts
import { fileURLToPath } from 'node:url';
import { startApp } from '../src/app.ts';
import { loadCatalog } from '../src/catalog/index.ts';
import { echoHandler } from '../src/conversation/index.ts';
import { createLogger, loadConfig, type Clock } from '../src/platform/index.ts';

const now = Number(process.env.BENCH_NOW);
if (!Number.isFinite(now)) throw new Error('set BENCH_NOW (ms since the epoch)');
const clock: Clock = { now: () => new Date(now) };

const catalog = loadCatalog(fileURLToPath(new URL('../catalog', import.meta.url)));
if (!catalog.ok) throw new Error(`catalogue: ${catalog.problems.map((p) => `${p.file} ${p.path}: ${p.reason}`).join('; ')}`);
const loaded = loadConfig({ HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...process.env });
if (!loaded.ok) throw new Error(loaded.problems.join('; '));
const log = createLogger(loaded.config.LOG_LEVEL);
const app = await startApp({ config: loaded.config, log, handler: echoHandler, catalog: catalog.catalog, clock, roles: { webhook: false, work: false } });
process.once('SIGTERM', () => {
  void app.stop().then(() => process.exit(0));
});
