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

export async function openPostgres(url: string, max = 10): Promise<Db> {
  const pool = new pg.Pool({ connectionString: url, max });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  await pool.query('select 1');
  async function query<T>(sql: string, params?: unknown[]): Promise<T[]> {
    return (await pool.query(sql, params as unknown[])).rows as T[];
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
            return (await client.query(sql, params as unknown[])).rows as R[];
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
