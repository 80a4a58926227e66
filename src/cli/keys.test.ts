import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { latestTrustList, rootKeyOf } from '../certificates/index.ts';
import { verifyTrustList } from '../documents/index.ts';
import { openDb } from '../platform/index.ts';

// `mitra keys` against a temporary DATA_DIR (embedded PGlite, with the simulator's root key kept
// there), or a schema of its own in TEST_DATABASE_URL.
const bin = fileURLToPath(new URL('../../bin/mitra.js', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'mitra-keys-'));
const pgUrl = process.env.TEST_DATABASE_URL;
const schema = `t_${randomBytes(6).toString('hex')}`;
let databaseUrl: string | undefined;

before(async () => {
  if (!pgUrl) return;
  const c = new pg.Client({ connectionString: pgUrl });
  await c.connect();
  await c.query(`create schema ${schema}`);
  await c.end();
  const u = new URL(pgUrl);
  u.searchParams.set('options', `-c search_path=${schema}`);
  databaseUrl = u.toString();
});
after(async () => {
  rmSync(dataDir, { recursive: true, force: true });
  if (!pgUrl) return;
  const c = new pg.Client({ connectionString: pgUrl });
  await c.connect();
  await c.query(`drop schema ${schema} cascade`);
  await c.end();
});

function mitra(...args: string[]) {
  const env: Record<string, string | undefined> = { ...process.env, LOG_LEVEL: 'silent', DATA_DIR: dataDir, DATABASE_URL: databaseUrl, TRUST_ROOT_KEY: undefined };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  return spawnSync(process.execPath, [bin, 'keys', ...args], { encoding: 'utf8', env });
}
const keysNow = () => JSON.parse(mitra('list', '--json').stdout) as { kid: string; department: string; status: string; revocationReason?: string }[];

test('mitra keys: create, rotate, revoke; each publishes a trust list signed by the root key', async () => {
  const made = mitra('create', '--department', 'REV01');
  assert.equal(made.status, 0, made.stderr);
  assert.match(made.stdout.trim(), /^key [0-9a-f]{16} made for REV01, signing until \d{4}-\d{2}-\d{2}; .*trust list 1 published \(1 keys\)$/);
  const rotated = mitra('rotate', '--department', 'REV01', '--days', '90');
  assert.equal(rotated.status, 0, rotated.stderr);
  assert.match(rotated.stdout, /trust list 2 published \(2 keys\)/);
  const [old, current] = keysNow();
  assert.deepEqual([old!.status, current!.status], ['retired', 'active']);

  const revoked = mitra('revoke', '--kid', old!.kid, '--reason', 'laptop stolen');
  assert.equal(revoked.status, 0, revoked.stderr);
  assert.match(revoked.stdout, /every document it signed now fails verification/);
  assert.equal(keysNow()[0]!.revocationReason, 'laptop stolen');
  const again = mitra('revoke', '--kid', old!.kid, '--reason', 'again');
  assert.equal(again.status, 1);
  assert.match(again.stderr, /already_revoked/);

  // The simulator's root key, kept in DATA_DIR, signed the latest list; nobody else's key verifies it.
  const root = rootKeyOf(readFileSync(join(dataDir, 'trust-root-key'), 'utf8').trim());
  const db = await openDb(databaseUrl ? { databaseUrl, poolSize: 1 } : { dataDir });
  try {
    const list = JSON.parse(JSON.stringify(await latestTrustList(db)));
    const checked = verifyTrustList(list, root.publicKey);
    assert.ok(checked.ok);
    assert.equal(checked.trustList.serial, 3);
    assert.deepEqual(checked.trustList.keys.map((k) => k.status), ['revoked', 'active']);
    const [row] = await db.query<{ sealed_private: string }>(`select sealed_private from signing_keys where kid = $1`, [current!.kid]);
    assert.match(row!.sealed_private, /^v1\./);
  } finally {
    await db.close();
  }
});

test('mitra keys publish with a root key from a file; usage errors exit 2', () => {
  const made = spawnSync(process.execPath, [bin, 'keys', 'root'], { encoding: 'utf8' });
  assert.equal(made.status, 0);
  const seed = made.stdout.match(/seed .*: ([A-Za-z0-9_-]{43})/)![1]!;
  const file = join(dataDir, 'offline-root');
  writeFileSync(file, `${seed}\n`);
  const published = mitra('publish', '--root-key', file);
  assert.equal(published.status, 0, published.stderr);
  assert.match(published.stdout.trim(), /^trust list \d+ published \(\d+ keys\)$/);
  writeFileSync(file, 'not a seed');
  assert.equal(mitra('publish', '--root-key', file).status, 1);
  assert.equal(mitra('create').status, 2);
  assert.equal(mitra('revoke', '--kid', 'abc').status, 2);
  assert.equal(mitra('create', '--department', 'REV01', '--days', 'ten').status, 2);
  assert.equal(mitra('fly').status, 2);
});
