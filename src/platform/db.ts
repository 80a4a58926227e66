import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

export type Row = Record<string, unknown>;

/** Anything that runs SQL: the database itself or an open transaction. */
export interface Queryable {
  query<T = Row>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs fn in one transaction: it commits when fn resolves and rolls back when fn throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Runs one statement as a transaction of its own: committed when it resolves, all or nothing. The
   * same as `transaction((tx) => tx.query(sql, params))` in one round trip instead of three (begin,
   * statement, commit). Optional: callers fall back to `transaction` when it is missing.
   */
  atomic?<T = Row>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

// int8 ids and counts fit in a double for any realistic lifetime; one number type everywhere.
pg.types.setTypeParser(20, (v) => Number(v));

/**
 * Statements with parameters run as named prepared statements: PostgreSQL parses and plans each once
 * per connection instead of on every call. Mitra's statements are a fixed set of texts; past `max`
 * distinct texts the rest run unnamed, so a caller building texts freely cannot grow this for ever.
 */
function preparer(max = 500) {
  const names = new Map<string, string>();
  let next = 0;
  return {
    config(sql: string, params: unknown[] | undefined): string | pg.QueryConfig {
      if (params === undefined) return sql;
      // A LIKE on a parameter can use a prefix index only when planned with the value (an officer's
      // reach, `office like 'guntur/%'`): a cached generic plan would scan a whole department.
      if (/\blike\s+\$\d/i.test(sql)) return { text: sql, values: params };
      let name = names.get(sql);
      if (name === undefined && names.size < max) names.set(sql, (name = `mitra_${next++}`));
      return name === undefined ? { text: sql, values: params } : { name, text: sql, values: params };
    },
    /** A statement whose table changed under it (another process migrated): prepare it afresh. */
    stale(sql: string, err: unknown): boolean {
      const e = err as { code?: string; message?: string };
      if (e?.code !== '0A000' || !/cached plan/.test(e.message ?? '') || !names.has(sql)) return false;
      names.set(sql, `mitra_${next++}`);
      return true;
    },
  };
}

export async function openPostgres(url: string, max = 10): Promise<Db> {
  const pool = new pg.Pool({ connectionString: url, max });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  await pool.query('select 1');
  const prepared = preparer();
  async function query<T>(sql: string, params?: unknown[]): Promise<T[]> {
    try {
      return (await pool.query(prepared.config(sql, params) as pg.QueryConfig)).rows as T[];
    } catch (err) {
      if (!prepared.stale(sql, err)) throw err;
      return (await pool.query(prepared.config(sql, params) as pg.QueryConfig)).rows as T[];
    }
  }
  return {
    kind: 'postgres',
    query,
    async exec(sql: string) {
      await pool.query(sql);
    },
    // A statement sent on its own runs in an implicit transaction that commits before PostgreSQL
    // answers: atomic, and durable (synchronous_commit) once the promise resolves.
    atomic: <T>(sql: string, params?: unknown[]) => query<T>(sql, params ?? []),
    async transaction<T>(fn: (tx: Queryable) => Promise<T>) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const tx: Queryable = {
          async query<R>(sql: string, params?: unknown[]) {
            try {
              return (await client.query(prepared.config(sql, params) as pg.QueryConfig)).rows as R[];
            } catch (err) {
              // The transaction is aborted either way; the next one prepares the statement afresh.
              prepared.stale(sql, err);
              throw err;
            }
          },
          async exec(sql: string) {
            await client.query(sql);
          },
        };
        const result = await fn(tx);
        await client.query('commit');
        return result;
      } catch (err) {
        await client.query('rollback').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    async close() {
      await pool.end();
    },
  };
}

/** PGlite: embedded Postgres in this process. `dir` undefined keeps it in memory. */
export async function openPglite(dir?: string): Promise<Db> {
  if (dir) mkdirSync(dir, { recursive: true });
  const db = await PGlite.create(dir, { parsers: { 20: (v: string) => Number(v) } });
  return {
    kind: 'pglite',
    async query<T>(sql: string, params?: unknown[]) {
      return (await db.query<T>(sql, params)).rows;
    },
    async exec(sql: string) {
      await db.exec(sql);
    },
    // One statement outside an explicit transaction block runs as its own transaction.
    async atomic<T>(sql: string, params?: unknown[]) {
      return (await db.query<T>(sql, params ?? [])).rows;
    },
    async transaction<T>(fn: (tx: Queryable) => Promise<T>) {
      return db.transaction(async (t) =>
        fn({
          async query<R>(sql: string, params?: unknown[]) {
            return (await t.query<R>(sql, params)).rows;
          },
          async exec(sql: string) {
            await t.exec(sql);
          },
        }),
      );
    },
    async close() {
      await db.close();
    },
  };
}

export async function openDb(opts: { databaseUrl?: string; dataDir?: string; poolSize?: number }): Promise<Db> {
  // PGlite gets a folder of its own: DATA_DIR also keeps the simulator's Aadhaar salt.
  return opts.databaseUrl ? openPostgres(opts.databaseUrl, opts.poolSize) : openPglite(opts.dataDir && join(opts.dataDir, 'pglite'));
}
