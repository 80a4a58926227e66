import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { openPglite } from '../platform/index.ts';

// Against a temporary DATA_DIR (embedded PGlite), or a schema of its own in TEST_DATABASE_URL.
const bin = fileURLToPath(new URL('../../bin/mitra.js', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'mitra-officer-'));
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

function mitra(args: string[], input?: string) {
  const env: Record<string, string | undefined> = { ...process.env, LOG_LEVEL: 'silent', DATA_DIR: dataDir, DATABASE_URL: databaseUrl, CATALOG_DIR: undefined };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env, input });
}

test('mitra officer add creates an officer that mitra officer list shows; a weak password exits 1', () => {
  const added = mitra(['officer', 'add', '--username', 'Ravi.K', '--department', 'REV01', '--role', 'officer', '--office', 'guntur/tenali', '--designation', 'Tahsildar', '--name', 'Ravi Kumar', '--password', 'tenali-rev-2026']);
  assert.equal(added.status, 0, added.stderr);
  assert.match(added.stdout, /^officer ravi\.k added \(id \d+\): officer, REV01, guntur\/tenali, Tahsildar$/m);

  const admin = mitra(['officer', 'add', '--username', 'admin', '--role', 'state_admin', '--password-stdin'], 'a-long-admin-secret\n');
  assert.equal(admin.status, 0, admin.stderr);

  const weak = mitra(['officer', 'add', '--username', 'lakshmi', '--department', 'REV01', '--role', 'officer', '--password', 'password123']);
  assert.equal(weak.status, 1);
  assert.match(weak.stderr, /weak_password/);

  const list = mitra(['officer', 'list']);
  assert.equal(list.status, 0, list.stderr);
  assert.match(list.stdout, /^id +username +name +role +department +office +designation +status$/m);
  assert.match(list.stdout, /ravi\.k +Ravi Kumar +officer +REV01 +guntur\/tenali +Tahsildar +active/);
  const json = mitra(['officer', 'list', '--json']);
  assert.equal(json.status, 0, json.stderr);
  const officers = JSON.parse(json.stdout) as { username: string; department: string | null; office: string }[];
  assert.deepEqual(officers.map((o) => [o.username, o.department, o.office]), [['admin', null, ''], ['ravi.k', 'REV01', 'guntur/tenali']]);
  assert.doesNotMatch(json.stdout, /scrypt|tenali-rev-2026/);
});

test('mitra officer: usage errors exit 2; --help exits 0', () => {
  const help = mitra(['officer', 'add', '--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /--password-stdin/);
  assert.equal(mitra(['officer', 'remove']).status, 2);
  const noPassword = mitra(['officer', 'add', '--username', 'x.y', '--role', 'officer', '--department', 'REV01']);
  assert.equal(noPassword.status, 2);
  assert.match(noPassword.stderr, /exactly one of --password P or --password-stdin/);
});

test('with the embedded database held by another process, it refuses and says what to do', { skip: pgUrl ? 'PGlite only' : false }, async () => {
  const db = await openPglite(join(dataDir, 'pglite'));
  try {
    const r = mitra(['officer', 'list']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /is in use: a running Mitra/);
    assert.match(r.stderr, /Stop the server/);
    assert.match(r.stderr, /DATABASE_URL/);
  } finally {
    await db.close();
  }
  assert.equal(mitra(['officer', 'list']).status, 0, 'free again once the other process closed it');
});
