import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Db } from './db.ts';

const dir = fileURLToPath(new URL('./migrations/', import.meta.url));

/** Applies every migration in ./migrations not yet applied, in name order, each in its own transaction. */
export async function migrate(db: Db): Promise<string[]> {
  const files = readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();
  const applied: string[] = [];
  await db.transaction(async (tx) => {
    // Several processes may start at once against one PostgreSQL; one migrates, the others wait.
    await tx.query('select pg_advisory_xact_lock(7263514)');
    await tx.query('create table if not exists mitra_migrations (name text primary key, applied_at timestamptz not null default now())');
    const done = new Set((await tx.query<{ name: string }>('select name from mitra_migrations')).map((r) => r.name));
    for (const file of files) {
      if (done.has(file)) continue;
      await tx.exec(readFileSync(dir + file, 'utf8'));
      await tx.query('insert into mitra_migrations (name) values ($1)', [file]);
      applied.push(file);
    }
  });
  return applied;
}
