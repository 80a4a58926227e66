import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { generateKeyPair, keyPairFromSeed } from '../src/documents/index.ts';
import { ed25519Signer, verifyConsistency } from '../src/ledger/index.ts';
import { migrate, openPostgres, systemClock, type Db } from '../src/platform/index.ts';
import { consistencyProofOf, latestCheckpoint, openLedger, sequenceBatch } from '../src/transparency-log/index.ts';

// Issue 7, acceptance 3: two processes writing to one PostgreSQL at once make one log. Always on
// PostgreSQL (PGlite is one process by nature): TEST_DATABASE_URL, or the local one CI runs.
const base = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `t_${randomBytes(6).toString('hex')}`;
const url = (() => {
  const u = new URL(base);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
})();
const seed = generateKeyPair().secretKey;
let db: Db;

before(async () => {
  const c = new pg.Client({ connectionString: base });
  await c.connect();
  await c.query(`create schema ${schema}`);
  await c.end();
  db = await openPostgres(url, 2);
  await migrate(db);
});
after(async () => {
  await db.close();
  const c = new pg.Client({ connectionString: base });
  await c.connect();
  await c.query(`drop schema ${schema} cascade`);
  await c.end();
});

const writer = (name: string, entries: number) =>
  new Promise<void>((resolve, reject) =>
    execFile(process.execPath, ['--import', 'tsx', 'test/fixtures/ledger-writer.ts', url, name, String(entries), seed], (err, _out, stderr) => (err ? reject(new Error(`${name}: ${stderr}`)) : resolve())),
  );

test('two processes recording and sequencing at once against one PostgreSQL: one log, no gaps, no duplicates, every checkpoint a prefix of the last', async () => {
  await Promise.all([writer('P1', 150), writer('P2', 150)]);
  // Whatever the last batch of either left queued.
  const id = { origin: 'mitra.test/ledger', signer: ed25519Signer('mitra.test/ledger', keyPairFromSeed(Buffer.from(seed, 'base64url'))) };
  await openLedger(db, id);
  await sequenceBatch(db, id, systemClock);

  const { size } = await latestCheckpoint(db);
  assert.equal(size, 300);
  const [shape] = await db.query<{ n: number; lo: number; hi: number; subjects: number; p1: number }>(
    `select count(*)::int as n, min(idx)::int as lo, max(idx)::int as hi, count(distinct subject)::int as subjects, count(*) filter (where department = 'P1')::int as p1 from ledger_entries`,
  );
  assert.deepEqual(shape, { n: 300, lo: 0, hi: 299, subjects: 300, p1: 150 });
  const checkpoints = await db.query<{ size: string; root: Uint8Array }>(`select size, root from ledger_checkpoints order by size`);
  assert.ok(checkpoints.length > 2, 'several batches');
  const last = checkpoints.at(-1)!;
  for (const c of checkpoints.slice(0, -1)) {
    const ok = verifyConsistency(Number(c.size), 300, await consistencyProofOf(db, Number(c.size), 300), new Uint8Array(c.root), new Uint8Array(last.root));
    assert.ok(ok.ok, `checkpoint ${c.size}: ${ok.ok ? '' : `${ok.code} ${ok.message}`}`);
  }
});
