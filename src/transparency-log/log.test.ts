import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { testDb } from '../../test/support.ts';
import { generateKeyPair } from '../documents/index.ts';
import { ed25519Signer, ed25519Verifier, leafHash, openCheckpoint, parseEntryBundle, rootOf, TILE_WIDTH, tilePath, verifyConsistency, verifyInclusion, type Hash } from '../ledger/index.ts';
import { openPostgres, systemClock, type Db } from '../platform/index.ts';
import { consistencyProofOf, DEFAULT_TILE_CACHE, directoryAnchor, inclusionProofOf, latestCheckpoint, ledgerRoutes, openLedger, recordInLedger, sequenceBatch, setTileCache, tileCacheStats, type LedgerEntry } from './index.ts';

// The log against a real database: batches sequenced, served as tlog-tiles and read back the way a
// client does; two writers at once; proofs from stored tiles.

const ORIGIN = 'mitra.test/ledger';
const pair = generateKeyPair();
const id = { origin: ORIGIN, signer: ed25519Signer(ORIGIN, pair) };
const verifier = ed25519Verifier(ORIGIN, Buffer.from(pair.publicKey, 'base64url'));
let db: Awaited<ReturnType<typeof testDb>>;
let counter = 0;

const entry = (department = 'REV01'): LedgerEntry => ({ kind: 'certificate_issued', department, subject: `${department}/2026/${String(++counter).padStart(7, '0')}`, sha256: 'ab'.repeat(32), at: new Date(Date.UTC(2026, 10, 26, 0, 0, counter)).toISOString() });
const record = (n: number, department?: string) => db.transaction((tx) => recordInLedger(tx, Array.from({ length: n }, () => entry(department)), new Date()));

before(async () => {
  db = await testDb();
  await openLedger(db, id);
  await openLedger(db, id); // a second writer starting changes nothing
});
after(() => db.dispose());

/** A tlog-tiles client over the log's HTTP routes: checkpoint, then every entry bundle. */
async function readLog(routes: ReturnType<typeof ledgerRoutes>) {
  const res = await routes.request('/ledger/checkpoint');
  assert.equal(res.status, 200);
  const opened = openCheckpoint(await res.text(), [verifier], { origin: ORIGIN });
  assert.ok(opened.ok, 'the checkpoint verifies with the log key');
  const size = opened.checkpoint.size;
  const leaves: Hash[] = [];
  for (let i = 0; i * TILE_WIDTH < size; i++) {
    const width = Math.min(TILE_WIDTH, size - i * TILE_WIDTH);
    const bundle = await routes.request(`/ledger/${tilePath({ level: 'entries', index: i, width })}`);
    assert.equal(bundle.status, 200);
    const read = parseEntryBundle(new Uint8Array(await bundle.arrayBuffer()), width);
    assert.ok(read.ok);
    leaves.push(...read.entries.map(leafHash));
    const tile = await routes.request(`/ledger/${tilePath({ level: 0, index: i, width })}`);
    assert.deepEqual(Buffer.from(await tile.arrayBuffer()), Buffer.concat(read.entries.map(leafHash)), `level-0 tile ${i} holds the bundle's leaf hashes`);
  }
  return { checkpoint: opened.checkpoint, leaves };
}

test('batches of entries become one signed tree, served as tlog-tiles; a client recomputes its root; proofs verify', async () => {
  await record(300);
  const first = await sequenceBatch(db, id, systemClock);
  assert.deepEqual([first.oldSize, first.size], [0, 300]);
  await record(5);
  await record(300, 'HLT01');
  const second = await sequenceBatch(db, id, systemClock);
  assert.deepEqual([second.oldSize, second.size], [300, 605]);
  assert.equal((await sequenceBatch(db, id, systemClock)).size, 605, 'nothing queued: no new checkpoint');

  const routes = ledgerRoutes({ db, verifierKey: 'unused', verifier });
  const { checkpoint, leaves } = await readLog(routes);
  assert.equal(checkpoint.size, 605);
  assert.deepEqual(Buffer.from(rootOf(leaves)), Buffer.from(checkpoint.rootHash));
  for (const i of [0, 1, 255, 256, 299, 300, 511, 512, 604]) {
    const proof = await inclusionProofOf(db, i, 605);
    assert.ok(verifyInclusion(leaves[i]!, i, 605, proof, checkpoint.rootHash).ok, `inclusion of ${i}`);
  }
  const [old] = await db.query<{ root: Uint8Array }>(`select root from ledger_checkpoints where size = 300`);
  assert.ok(verifyConsistency(300, 605, await consistencyProofOf(db, 300, 605), new Uint8Array(old!.root), checkpoint.rootHash).ok);
  assert.equal((await routes.request('/ledger/tile/0/002')).status, 404, 'not that long yet');
  const page = await (await routes.request(`/ledger?q=${encodeURIComponent('hlt01/2026/0000306')}`)).text();
  assert.match(page, /data-testid="size">605</);
  assert.match(page, /<tr data-index="305"><td>305<\/td><td><span lang="te">ధ్రువీకరణ పత్రం జారీ[\s\S]*?class="ok">✔/);
  assert.match(await (await routes.request('/ledger?q=NOPE/1')).text(), /NOPE\/1 is not in the ledger/);
  assert.equal((await routes.request('/ledger/tile/0/00x')).status, 404);
});

test('two writers on one database at once: one history, no gaps, no entry twice, every checkpoint consistent with the last', async () => {
  const other: Db = db.url ? await openPostgres(db.url, 4) : db;
  const start = (await latestCheckpoint(db)).size;
  try {
    let queued = 0;
    let writing = true;
    const writers = [0, 1, 2, 3].map(async (w) => {
      for (let i = 0; i < 25; i++) {
        await (w % 2 ? other : db).transaction((tx) => recordInLedger(tx, [entry(`D${w}`), entry(`D${w}`)], new Date()));
        queued += 2;
      }
    });
    const sequencers = [db, other].map(async (d) => {
      while (writing) await sequenceBatch(d, id, systemClock, 7);
    });
    await Promise.all(writers);
    writing = false;
    await Promise.all(sequencers);
    const waiting = async () => (await db.query<{ n: number }>(`select count(*)::int as n from ledger_queue`))[0]!.n;
    while ((await waiting()) > 0) await sequenceBatch(db, id, systemClock);
    const final = await latestCheckpoint(db);
    assert.equal(final.size, start + queued);
    const [shape] = await db.query<{ n: number; lo: number; hi: number; subjects: number }>(`select count(*)::int as n, min(idx)::int as lo, max(idx)::int as hi, count(distinct subject)::int as subjects from ledger_entries`);
    assert.deepEqual(shape, { n: final.size, lo: 0, hi: final.size - 1, subjects: final.size });
    const checkpoints = await db.query<{ size: string | number; root: Uint8Array }>(`select size, root from ledger_checkpoints order by size`);
    const last = checkpoints.at(-1)!;
    for (const c of checkpoints.slice(0, -1)) {
      const proof = await consistencyProofOf(db, Number(c.size), Number(last.size));
      assert.ok(verifyConsistency(Number(c.size), Number(last.size), proof, new Uint8Array(c.root), new Uint8Array(last.root)).ok, `checkpoint ${c.size} is a prefix of ${last.size}`);
    }
  } finally {
    if (other !== db) await other.close();
  }
});

test('an anchor keeps a copy of each checkpoint outside Mitra; one that fails says why and stops nothing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mitra-anchor-'));
  try {
    await record(3);
    const s = await sequenceBatch(db, id, systemClock);
    const anchored = await directoryAnchor(join(dir, 'checkpoints')).anchor({ size: s.size, note: s.checkpoint });
    assert.ok(anchored.ok);
    assert.equal(readFileSync(join(dir, 'checkpoints', `${s.size}.checkpoint`), 'utf8'), s.checkpoint);
    writeFileSync(join(dir, 'a-file'), '');
    const refused = await directoryAnchor(join(dir, 'a-file', 'sub')).anchor({ size: s.size, note: s.checkpoint });
    assert.equal(refused.ok, false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('proofs from the tile cache are the database\'s, as partial tiles grow wider and tiles are evicted', async () => {
  const proofsAt = async (size: number) => {
    const out: string[] = [];
    for (const i of [0, 1, 255, 256, Math.floor(size / 2), size - 1]) out.push(Buffer.concat(await inclusionProofOf(db, i, size)).toString('hex'));
    for (const s of [1, 255, 256, Math.floor(size / 3), size - 1]) out.push(Buffer.concat(await consistencyProofOf(db, s, size)).toString('hex'));
    return out;
  };
  try {
    setTileCache(db, 3); // smaller than a proof's tiles: every proof evicts
    const s1 = (await latestCheckpoint(db)).size;
    assert.notEqual(s1 % TILE_WIDTH, 0, 'the rightmost level-0 tile is partial');
    const cached1 = await proofsAt(s1);
    await record(300);
    const s2 = (await sequenceBatch(db, id, systemClock)).size;
    const cached2 = await proofsAt(s2); // the partial tiles cached at s1 are too narrow now
    const cachedOld = await proofsAt(s1); // and the wider ones serve the older size
    const stats = tileCacheStats(db);
    assert.ok(stats.hits > 0 && stats.misses > 0 && stats.tiles <= 3, JSON.stringify(stats));

    setTileCache(db, 0);
    assert.deepEqual(cached1, await proofsAt(s1));
    assert.deepEqual(cached2, await proofsAt(s2));
    assert.deepEqual(cachedOld, await proofsAt(s1));
    const [row] = await db.query<{ body: Uint8Array }>(`select body from ledger_entries where idx = $1`, [s2 - 1]);
    const opened = openCheckpoint((await latestCheckpoint(db)).note, [verifier], { origin: ORIGIN });
    assert.ok(opened.ok);
    setTileCache(db, DEFAULT_TILE_CACHE);
    assert.ok(verifyInclusion(leafHash(new Uint8Array(row!.body)), s2 - 1, s2, await inclusionProofOf(db, s2 - 1, s2), opened.checkpoint.rootHash).ok);
  } finally {
    setTileCache(db, DEFAULT_TILE_CACHE);
  }
});
