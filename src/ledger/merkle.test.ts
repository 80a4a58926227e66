import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { VECTORS } from '../../test/vectors.ts';
import { appendLeaves, EMPTY_FRONTIER, frontierNodes, frontierOf, frontierRoot, rootOf, type StoredNode } from './frontier.ts';
import { EMPTY_ROOT, leafHash, nodeHash, rootFromInclusion, verifyConsistency, verifyInclusion, type Hash } from './merkle.ts';
import { consistencyNodes, consistencyProof, inclusionNodes, inclusionProof, memorySource, rootAt } from './proofs.ts';

// transparency-dev/merkle's RFC 6962 test data (testonly/constants.go and testdata/), read in place.
const MERKLE = join(VECTORS, 'merkle');
const hex = (h: Uint8Array) => Buffer.from(h).toString('hex');
const b64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));

function jsonFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? jsonFiles(join(dir, e.name)) : e.name.endsWith('.json') ? [join(dir, e.name)] : []));
}
const readJson = (path: string): any => JSON.parse(readFileSync(path, 'utf8'));

/** The naive recursive MTH of RFC 6962 §2.1, straight from its definition: the reference the fast code is held to. */
function mth(leaves: readonly Hash[]): Hash {
  if (leaves.length === 0) return EMPTY_ROOT;
  if (leaves.length === 1) return leaves[0]!;
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return nodeHash(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}

/** A whole tree in memory: its leaf hashes and every perfect subtree, as the database will hold them. */
function tree(n: number, entry = (i: number) => new TextEncoder().encode(`entry ${i}`)) {
  const leaves = Array.from({ length: n }, (_, i) => leafHash(entry(i)));
  const { frontier, nodes } = appendLeaves(EMPTY_FRONTIER, leaves);
  return { leaves, frontier, nodes, source: memorySource(nodes) };
}

test('the transparency-dev/merkle vectors are there (../shared/vectors/merkle; MITRA_VECTORS overrides)', () => {
  assert.ok(existsSync(join(MERKLE, 'roots.json')), `missing ${MERKLE}/roots.json`);
  assert.ok(existsSync(join(MERKLE, 'testdata', 'inclusion')), `missing ${MERKLE}/testdata/inclusion`);
  assert.ok(existsSync(join(MERKLE, 'testdata', 'consistency')), `missing ${MERKLE}/testdata/consistency`);
});

test('hashing: 0x00 leaf and 0x01 node prefixes, and the empty tree is SHA-256 of nothing', () => {
  const sha = (...parts: number[][]) => createHash('sha256').update(Buffer.from(parts.flat())).digest('hex');
  assert.equal(hex(EMPTY_ROOT), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  assert.equal(hex(leafHash(new Uint8Array([1, 2]))), sha([0], [1, 2]));
  const a = new Uint8Array(32).fill(0xaa);
  const b = new Uint8Array(32).fill(0xbb);
  assert.equal(hex(nodeHash(a, b)), sha([1], [...a], [...b]));
  assert.notEqual(hex(nodeHash(a, b)), hex(leafHash(new Uint8Array([...a, ...b]))), 'a node is never a leaf');
});

test('roots of sizes 0–8 over the vector leaves (roots.json): frontier, naive MTH and stored nodes agree', () => {
  const v = readJson(join(MERKLE, 'roots.json'));
  const entries: Uint8Array[] = v.leafInputsHex.map((h: string) => new Uint8Array(Buffer.from(h, 'hex')));
  const leaves = entries.map(leafHash);
  const { nodes } = appendLeaves(EMPTY_FRONTIER, leaves);
  const source = memorySource(nodes);
  assert.equal(v.rootHashesBySizeHex.length, 9);
  for (const [size, want] of (v.rootHashesBySizeHex as string[]).entries()) {
    assert.equal(hex(rootOf(leaves.slice(0, size))), want, `frontier root of ${size}`);
    assert.equal(hex(mth(leaves.slice(0, size))), want, `naive root of ${size}`);
    assert.equal(hex(rootAt(size, source)), want, `root of ${size} from the nodes stored at size 8`);
  }
});

test('inclusion vectors (testdata/inclusion, 98 probes): each happy path verifies, each malformed or wrong one is refused', () => {
  const files = jsonFiles(join(MERKLE, 'testdata', 'inclusion'));
  assert.equal(files.length, 98, 'the pinned vector set has 98 inclusion probes');
  let accepted = 0;
  for (const f of files) {
    const v = readJson(f);
    const proof = ((v.proof ?? []) as string[]).map(b64);
    const r = verifyInclusion(b64(v.leafHash), v.leafIdx, v.treeSize, proof, b64(v.root));
    assert.equal(r.ok, !v.wantErr, `${relative(MERKLE, f)} (${v.desc}): ${r.ok ? 'accepted' : r.message}`);
    if (r.ok) accepted++;
  }
  assert.equal(accepted, 6, 'five happy paths and the single-entry tree');
});

test('consistency vectors (testdata/consistency, 98 probes): each happy path verifies, each malformed or wrong one is refused', () => {
  const files = jsonFiles(join(MERKLE, 'testdata', 'consistency'));
  assert.equal(files.length, 98, 'the pinned vector set has 98 consistency probes');
  let accepted = 0;
  for (const f of files) {
    const v = readJson(f);
    const proof = ((v.proof ?? []) as string[]).map(b64);
    const r = verifyConsistency(v.size1, v.size2, proof, b64(v.root1), b64(v.root2));
    assert.equal(r.ok, !v.wantErr, `${relative(MERKLE, f)} (${v.desc}): ${r.ok ? 'accepted' : r.message}`);
    if (r.ok) accepted++;
  }
  assert.equal(accepted, 6, 'the five happy paths and "sizes are equal (one) and proof is empty"');
});

test('the proofs this code builds for the vector tree are the vectors\' own happy paths, hash for hash', () => {
  const v = readJson(join(MERKLE, 'roots.json'));
  const leaves = (v.leafInputsHex as string[]).map((h) => leafHash(new Uint8Array(Buffer.from(h, 'hex'))));
  const source = memorySource(appendLeaves(EMPTY_FRONTIER, leaves).nodes);
  for (const d of ['0', '1', '2', '3', '4']) {
    const inc = readJson(join(MERKLE, 'testdata', 'inclusion', d, 'happy-path.json'));
    assert.deepEqual(inclusionProof(inc.leafIdx, inc.treeSize, source).map((h) => Buffer.from(h).toString('base64')), inc.proof ?? [], `inclusion/${d}`);
    const con = readJson(join(MERKLE, 'testdata', 'consistency', d, 'happy-path.json'));
    assert.deepEqual(consistencyProof(con.size1, con.size2, source).map((h) => Buffer.from(h).toString('base64')), con.proof ?? [], `consistency/${d}`);
  }
});

test('every inclusion and consistency proof of every tree up to 70 leaves verifies, and fails once tampered', () => {
  const { leaves, source } = tree(70);
  const roots = Array.from({ length: 71 }, (_, n) => mth(leaves.slice(0, n)));
  for (let size = 1; size <= 70; size++) {
    assert.deepEqual(rootAt(size, source), roots[size], `root of ${size}`);
    for (let i = 0; i < size; i++) {
      const proof = inclusionProof(i, size, source);
      assert.ok(verifyInclusion(leaves[i]!, i, size, proof, roots[size]!).ok, `leaf ${i} of ${size}`);
      if (size > 1) assert.equal(verifyInclusion(leaves[(i + 1) % size]!, i, size, proof, roots[size]!).ok, false, `another leaf at ${i} of ${size}`);
    }
    for (let old = 1; old <= size; old++) {
      const proof = consistencyProof(old, size, source);
      assert.ok(verifyConsistency(old, size, proof, roots[old]!, roots[size]!).ok, `${old} → ${size}`);
      if (old < size) {
        const bent = proof.map((h, j) => (j === proof.length - 1 ? nodeHash(h, h) : h));
        assert.equal(verifyConsistency(old, size, bent, roots[old]!, roots[size]!).ok, false, `${old} → ${size} with its last hash changed`);
        assert.equal(verifyConsistency(old, size, proof, roots[old - 1]!, roots[size]!).ok, false, `${old} → ${size} from another old root`);
      }
    }
  }
});

test('the verifiers name what is wrong with a stable code', () => {
  const { leaves, source } = tree(8);
  const root = rootAt(8, source);
  const proof = inclusionProof(5, 8, source);
  const code = (r: { ok: boolean; code?: string }) => (r.ok ? 'ok' : r.code);
  assert.equal(code(verifyInclusion(leaves[5]!, 8, 8, proof, root)), 'index_beyond_size');
  assert.equal(code(verifyInclusion(leaves[5]!, 5, 8, proof.slice(1), root)), 'proof_size');
  assert.equal(code(verifyInclusion(leaves[5]!, 5, 8, [...proof, proof[0]!], root)), 'proof_size');
  assert.equal(code(verifyInclusion(leaves[5]!.subarray(1), 5, 8, proof, root)), 'hash_size');
  assert.equal(code(verifyInclusion(leaves[4]!, 5, 8, proof, root)), 'root_mismatch');
  const cproof = consistencyProof(3, 8, source);
  assert.equal(code(verifyConsistency(8, 3, cproof, root, rootAt(3, source))), 'size_order');
  assert.equal(code(verifyConsistency(0, 8, [], EMPTY_ROOT, root)), 'empty_tree');
  assert.equal(code(verifyConsistency(3, 8, [], rootAt(3, source), root)), 'proof_size');
  assert.equal(code(verifyConsistency(3, 8, cproof, rootAt(3, source), rootAt(7, source))), 'root_mismatch');
  const found = rootFromInclusion(leaves[5]!, 5, 8, proof);
  assert.ok(found.ok && hex(found.root) === hex(root));
});

test('frontier: appending is a binary carry that emits each completed subtree once; it restores from stored nodes', () => {
  const { leaves, nodes, frontier } = tree(300);
  // Every perfect subtree of [0, 300) is emitted exactly once: 300 leaves + 150 + 75 + 37 + 18 + 9 + 4 + 2 + 1.
  assert.equal(nodes.length, 300 + 150 + 75 + 37 + 18 + 9 + 4 + 2 + 1);
  assert.equal(new Set(nodes.map((n) => `${n.level}/${n.index}`)).size, nodes.length);
  for (const n of nodes.filter((x) => x.level > 0).slice(0, 50)) {
    const span = 2 ** n.level;
    assert.deepEqual(n.hash, mth(leaves.slice(n.index * span, (n.index + 1) * span)), `node ${n.level}/${n.index}`);
  }
  // 300 = 256 + 32 + 8 + 4: four subtrees.
  assert.deepEqual(frontierNodes(300), [{ level: 8, index: 0 }, { level: 5, index: 8 }, { level: 3, index: 36 }, { level: 2, index: 74 }]);
  assert.equal(frontier.hashes.length, 4);
  const byId = new Map(nodes.map((n: StoredNode) => [`${n.level}/${n.index}`, n.hash]));
  const restored = frontierOf(300, frontierNodes(300).map((n) => byId.get(`${n.level}/${n.index}`)!));
  const more = Array.from({ length: 50 }, (_, i) => leafHash(new TextEncoder().encode(`more ${i}`)));
  assert.deepEqual(frontierRoot(appendLeaves(restored, more).frontier), mth([...leaves, ...more]), 'a restored frontier continues the same tree');
  assert.deepEqual(frontierRoot(EMPTY_FRONTIER), EMPTY_ROOT);
});

test('planning: a proof lists the stored nodes it needs, and a source holding only those gives the same proof', () => {
  const { nodes, source } = tree(1000);
  const only = (ids: { level: number; index: number }[]) => {
    const want = new Set(ids.map((n) => `${n.level}/${n.index}`));
    return memorySource(nodes.filter((n) => want.has(`${n.level}/${n.index}`)));
  };
  for (const [i, size] of [[0, 1000], [999, 1000], [517, 777], [3, 4]] as const) {
    const needed = inclusionNodes(i, size);
    assert.ok(needed.length <= 2 * Math.ceil(Math.log2(size)), `few nodes for ${i} of ${size}: ${needed.length}`);
    assert.deepEqual(inclusionProof(i, size, only(needed)), inclusionProof(i, size, source));
  }
  for (const [a, b] of [[1, 1000], [999, 1000], [300, 777], [512, 1000]] as const) {
    assert.deepEqual(consistencyProof(a, b, only(consistencyNodes(a, b))), consistencyProof(a, b, source));
  }
  assert.throws(() => inclusionProof(5, 8, only([])), /missing/, 'a node the plan listed but storage lost is a broken store, not a verdict');
  assert.throws(() => inclusionProof(8, 8, source), RangeError);
  assert.deepEqual(consistencyProof(0, 8, source), [], 'from size 0 the proof is empty (tlog-witness)');
});
