import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startApp, type App } from '../src/app.ts';
import { echoHandler } from '../src/conversation/index.ts';
import type { TurnHandler } from '../src/channel/index.ts';
import type { Catalog } from '../src/catalog/index.ts';
import { loadConfig, migrate, openPglite, openPostgres, silentLogger, type Clock, type Db } from '../src/platform/index.ts';

/**
 * A fresh, migrated database for one test: PGlite in memory by default, or a private schema in the
 * PostgreSQL named by TEST_DATABASE_URL (CI runs the suite both ways).
 */
export async function testDb(): Promise<Db & { dispose(): Promise<void>; /** PostgreSQL only: a URL for more connections to the same schema. */ url?: string }> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    const db = await openPglite();
    await migrate(db);
    return Object.assign(db, { dispose: () => db.close() });
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  const db = await openPostgres(u.toString(), 12);
  await migrate(db);
  return Object.assign(db, {
    url: u.toString(),
    async dispose() {
      await db.close();
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`drop schema ${schema} cascade`);
      await c.end();
    },
  });
}

/** Mitra with its built-in simulator on a free port, over a fresh test database. */
export async function testApp(opts: { handler?: TurnHandler; env?: Record<string, string>; catalog?: Catalog; clock?: Clock; db?: Db & { dispose(): Promise<void> } } = {}): Promise<App & { dispose(): Promise<void> }> {
  const db = opts.db ?? (await testDb());
  const loaded = loadConfig({ PORT: '0', HOST: '127.0.0.1', SIMULATOR_STATUSES: 'each', ...opts.env });
  if (!loaded.ok) throw new Error(loaded.problems.join('; '));
  const app = await startApp({ config: loaded.config, log: silentLogger, handler: opts.handler ?? echoHandler, db, catalog: opts.catalog, clock: opts.clock });
  return Object.assign(app, {
    async dispose() {
      await app.stop();
      await db.dispose();
    },
  });
}

/** Waits until `check` returns something truthy, or fails after `ms`. */
export async function eventually<T>(check: () => T | Promise<T>, ms = 5000, what = 'condition'): Promise<NonNullable<T>> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v as NonNullable<T>;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
