import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openDb, type Config, type Db } from '../platform/index.ts';

// The commands that work on Mitra's database from the terminal (officer, keys) open it here.

const HELD = (dir: string) =>
  [
    `the embedded database in ${dir} is in use: a running Mitra (npm start / mitra serve) holds it, and`,
    'PGlite opens in one process at a time. Stop the server, run this command, then start it again;',
    'or run Mitra on PostgreSQL (DATABASE_URL), where this command works while the server runs.',
    `(If no server is running, the last one was killed: start it and stop it with Ctrl-C once, then retry.)`,
  ].join('\n');

/** The configured database, or undefined after saying why it cannot be opened. */
export async function openConfiguredDb(config: Config, say: (message: string) => void): Promise<Db | undefined> {
  if (config.DATABASE_URL) {
    try {
      return await openDb({ databaseUrl: config.DATABASE_URL, poolSize: 2 });
    } catch (err) {
      const url = new URL(config.DATABASE_URL);
      say(`cannot connect to PostgreSQL at ${url.host}${url.pathname}: ${(err as Error).message}`);
      return undefined;
    }
  }
  const dir = join(config.DATA_DIR, 'pglite');
  // PGlite itself does not refuse a second process (both would write the same files and corrupt
  // them); a running one keeps postmaster.pid in its directory and removes it when it closes.
  if (existsSync(join(dir, 'postmaster.pid'))) {
    say(HELD(dir));
    return undefined;
  }
  try {
    return await openDb({ dataDir: config.DATA_DIR });
  } catch (err) {
    say(`cannot open the embedded database in ${dir}: ${(err as Error).message}\n${HELD(dir)}`);
    return undefined;
  }
}

