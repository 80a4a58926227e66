import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appendLeaves, EMPTY_FRONTIER, frontierNodes, frontierRoot } from './frontier.ts';
import { leafHash, verifyConsistency, verifyInclusion, type Hash } from './merkle.ts';
import { consistencyNodes, consistencyProof, inclusionNodes, inclusionProof, memorySource, rootAt } from './proofs.ts';
import {
  bundlesToWrite,
  encodeEntryBundle,
  MAX_ENTRY_BYTES,
  parseEntryBundle,
  parseTilePath,
  tileBytes,
  tileHashes,
  tileIndexPath,
  tilePath,
  tileSource,
  tilesFor,
  tilesOfTree,
  tilesToWrite,
  type Tile,
} from './tiles.ts';

const codeOf = (r: { ok: boolean; code?: string }) => (r.ok ? 'ok' : r.code);

test('tile paths: the tlog-tiles index encoding (1234067 → x001/x234/067) and the .p/<W> suffix of partial tiles', () => {
  // The example of c2sp.org/tlog-tiles, and the edges of its three-digit groups.
  assert.equal(tileIndexPath(1234067), 'x001/x234/067');
  assert.equal(tileIndexPath(0), '000');
  assert.equal(tileIndexPath(5), '005');
  assert.equal(tileIndexPath(999), '999');
  assert.equal(tileIndexPath(1000), 'x001/000');
  assert.equal(tileIndexPath(1_000_000), 'x001/x000/000');
  assert.equal(tilePath({ level: 0, index: 1234067, width: 256 }), 'tile/0/x001/x234/067');
  assert.equal(tilePath({ level: 2, index: 0, width: 1 }), 'tile/2/000.p/1');
  assert.equal(tilePath({ level: 1, index: 273, width: 17 }), 'tile/1/273.p/17');
  assert.equal(tilePath({ level: 'entries', index: 273, width: 112 }), 'tile/entries/273.p/112');
  assert.equal(tilePath({ level: 'entries', index: 1234067, width: 256 }), 'tile/entries/x001/x234/067');
  assert.throws(() => tilePath({ level: 0, index: 0, width: 0 }), RangeError, 'empty tiles are never served');
  assert.throws(() => tilePath({ level: 64, index: 0, width: 1 }), RangeError);
});

test('tile paths read back, and every other spelling of a tile is refused', () => {
  for (const t of [
    { level: 0, index: 1234067, width: 256 },
    { level: 63, index: 999_999_999_999_999, width: 255 },
    { level: 'entries', index: 0, width: 1 },
    { level: 5, index: 1000, width: 256 },
  ] as Tile[]) {
    assert.deepEqual(parseTilePath(tilePath(t)), { ok: true, tile: t }, tilePath(t));
  }
  for (const bad of [
    'tile/0/1234067',
    'tile/0/x001/234/067',
    'tile/0/001/x234/067',
    'tile/0/x000/001',
    'tile/0/x1/000',
    'tile/00/000',
    'tile/64/000',
    'tile/0/000.p/256',
    'tile/0/000.p/0',
    'tile/0/000.p/012',
    'tile/0/000.p/',
    'tile/0/000/',
    '/tile/0/000',
    'tile/entry/000',
    'tile/0/x999/x999/x999/x999/x999/x999/999',
  ]) {
    assert.equal(codeOf(parseTilePath(bad)), 'not_a_tile_path', bad);
  }
});

test('the tiles of a tree: the tlog-tiles examples for sizes 70,000 and 256', () => {
  const count = (tiles: Tile[], level: number, width: number) => tiles.filter((t) => t.level === level && t.width === width).length;
  // "a tree of size 70,000 will be represented by 273 full level 0 tiles, one partial level 0 tile of
  // width 112, one full level 1 tile, one partial level 1 tile of width 17, and one partial level 2 tile of width 1"
  const big = tilesOfTree(70_000);
  assert.equal(big.length, 273 + 1 + 1 + 1 + 1);
  assert.equal(count(big, 0, 256), 273);
  assert.deepEqual(big.filter((t) => t.width < 256), [
    { level: 0, index: 273, width: 112 },
    { level: 1, index: 1, width: 17 },
    { level: 2, index: 0, width: 1 },
  ]);
  assert.equal(count(big, 1, 256), 1);
  // "a tree of size 256 will be represented by a full level 0 tile and a partial level 1 tile of width 1"
  assert.deepEqual(tilesOfTree(256), [{ level: 0, index: 0, width: 256 }, { level: 1, index: 0, width: 1 }]);
  assert.deepEqual(tilesOfTree(0), []);
  // Growing 69,900 → 70,000 rewrites one partial tile, wider, at a new path; nothing else changes.
  assert.deepEqual(tilesToWrite(69_900, 70_000), [{ level: 0, index: 273, width: 112 }]);
  assert.deepEqual(bundlesToWrite(69_900, 70_000), [{ level: 'entries', index: 273, width: 112 }]);
  assert.deepEqual(tilesToWrite(0, 70_000), big);
  // Crossing a tile boundary completes the tile and starts the next.
  assert.deepEqual(tilesToWrite(255, 257), [{ level: 0, index: 0, width: 256 }, { level: 0, index: 1, width: 1 }, { level: 1, index: 0, width: 1 }]);
});

test('proofs from tiles: a client that fetches only the tiles a proof needs computes the log\'s own proofs (tree of 70,000)', () => {
  const size = 70_000;
  const entries = Array.from({ length: size }, (_, i) => new TextEncoder().encode(`document ${i}`));
  const leaves = entries.map(leafHash);
  const { nodes, frontier } = appendLeaves(EMPTY_FRONTIER, leaves);
  const log = memorySource(nodes);
  const root = frontierRoot(frontier);

  // The log writes its tiles from its stored nodes; the "server" is a map of path → bytes.
  const served = new Map<string, Uint8Array>();
  for (const t of tilesOfTree(size)) served.set(tilePath(t), tileBytes(t.level as number, t.index, t.width, log));
  assert.equal(served.get('tile/0/000')!.length, 8192, 'a full tile is 8,192 bytes');
  assert.equal(served.get('tile/2/000.p/1')!.length, 32);

  const fetchTiles = (ids: { level: number; index: number }[], treeSize: number) => {
    const tiles = new Map<string, Hash[]>();
    for (const t of tilesFor(ids, treeSize)) {
      // A tree of 70,000 serves its full tiles; a smaller tree's partial one is served by the full tile too.
      const bytes = served.get(tilePath(t)) ?? served.get(tilePath({ ...t, width: 256 }))!;
      const hashes = tileHashes(bytes, bytes.length / 32);
      assert.ok(hashes);
      tiles.set(`${t.level}/${t.index}`, hashes);
    }
    return { source: tileSource(tiles), fetched: tiles.size };
  };

  // The root, from the tiles holding the frontier's subtrees (a client checking a checkpoint).
  const top = fetchTiles(frontierNodes(size), size);
  assert.deepEqual(rootAt(size, top.source), root);
  assert.equal(top.fetched, 3, 'the three partial tiles, one per level');
  for (const i of [0, 1, 255, 256, 65_535, 65_536, 69_887, 69_888, 69_999]) {
    const { source, fetched } = fetchTiles(inclusionNodes(i, size), size);
    assert.ok(fetched <= 5, `leaf ${i}: ${fetched} tiles`);
    const proof = inclusionProof(i, size, source);
    assert.deepEqual(proof, inclusionProof(i, size, log), `leaf ${i}: the same proof as from the log's nodes`);
    assert.ok(verifyInclusion(leaves[i]!, i, size, proof, root).ok, `leaf ${i}`);
  }
  for (const old of [1, 256, 65_536, 69_999, 12_345]) {
    const { source } = fetchTiles(consistencyNodes(old, size), size);
    const proof = consistencyProof(old, size, source);
    assert.deepEqual(proof, consistencyProof(old, size, log));
    assert.ok(verifyConsistency(old, size, proof, rootAt(old, log), root).ok, `${old} → ${size}`);
  }
  assert.throws(() => tilesFor([{ level: 8, index: 273 }], size), RangeError, 'a subtree not yet complete is in no tile');
});

test('entry bundles: uint16 big-endian length + bytes, and each entry hashes to its leaf in the level 0 tile', () => {
  const entries = [new Uint8Array(0), new TextEncoder().encode('issue IC/2025/GNT/TNL/004217'), new Uint8Array(MAX_ENTRY_BYTES).fill(7)];
  const bundle = encodeEntryBundle(entries);
  assert.deepEqual([...bundle.subarray(0, 4)], [0x00, 0x00, 0x00, 28], 'an empty entry, then a 28-byte one');
  assert.deepEqual(parseEntryBundle(bundle, 3), { ok: true, entries });
  assert.equal(codeOf(parseEntryBundle(bundle, 4)), 'malformed_bundle');
  assert.equal(codeOf(parseEntryBundle(bundle.subarray(0, bundle.length - 1))), 'malformed_bundle', 'the last entry is cut short');
  assert.equal(codeOf(parseEntryBundle(new Uint8Array([0x00]))), 'malformed_bundle', 'a length cut in half');
  assert.equal(codeOf(parseEntryBundle(encodeEntryBundle(Array.from({ length: 256 }, () => new Uint8Array(1))).subarray(0, 512).slice(), 256)), 'malformed_bundle');
  assert.deepEqual(parseEntryBundle(new Uint8Array(0)), { ok: true, entries: [] });
  assert.throws(() => encodeEntryBundle([new Uint8Array(MAX_ENTRY_BYTES + 1)]), RangeError);
  assert.throws(() => encodeEntryBundle(Array.from({ length: 257 }, () => new Uint8Array(0))), RangeError);

  const docs = Array.from({ length: 300 }, (_, i) => new TextEncoder().encode(`entry ${i}`));
  const log = memorySource(appendLeaves(EMPTY_FRONTIER, docs.map(leafHash)).nodes);
  const first = parseEntryBundle(encodeEntryBundle(docs.slice(0, 256)), 256);
  assert.ok(first.ok);
  assert.deepEqual(Buffer.concat(first.entries.map(leafHash)), Buffer.from(tileBytes(0, 0, 256, log)), 'bundle 0 hashes to tile 0/0');
  const second = parseEntryBundle(encodeEntryBundle(docs.slice(256)), 44);
  assert.ok(second.ok);
  assert.deepEqual(Buffer.concat(second.entries.map(leafHash)), Buffer.from(tileBytes(0, 1, 44, log)), 'partial bundle 1 (.p/44) hashes to tile 0/1.p/44');
  assert.equal(tileHashes(new Uint8Array(33), 1), undefined, 'a tile is whole hashes');
});
