// The peer the ledger bench measures beside Mitra: merkletreejs (npm, v0.6.0), the most used Merkle
// tree package on npm, building a tree of the same leaves and its proofs in memory.
//
// RFC 6962 compatibility: merkletreejs's default tree is not RFC 6962. It hashes nodes as H(left ||
// right) with no domain separation (its README warns of the second-preimage attack that allows),
// and by default leaves are hashed with the same function. Its tree *shape* is RFC 6962's, though:
// with duplicateOdd, sort and complete off (the defaults), a lone node at the end of a layer is
// promoted unhashed, which builds exactly the left-perfect split of RFC 6962 §2.1.1. So it is
// given RFC 6962 leaf hashes SHA-256(0x00 || entry), computed outside its timings as for Mitra, and
// the `concatenator` option prefixes 0x01 to every pair: the tree is then RFC 6962's, its root is
// the same as Mitra's, and its proofs hold the same hashes in the same order (the bench checks both).
// Its hash function is Node's one-shot crypto.hash('sha256'), the same as Mitra's, so the library is
// what is compared, not the hash. No durability: the tree lives in this process's memory only.
//
// Install once: npm --prefix bench/peer-ledger install   (kept apart from Mitra's own dependencies)
// Run by bench/ledger.ts: node --import tsx bench/peer-ledger/merkletreejs.ts LEAVES PROOFS APPENDS SEED SAMPLE_INDEXES
// It prints one JSON object on stdout.
import * as crypto from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { benchBody, benchLeaves, prng } from '../ledger-data.ts';
import { leafHash } from '../../src/ledger/index.ts';

// Loaded by path at run time, so `tsc` and CI need not have the package installed.
const pkg = new URL('./node_modules/merkletreejs/dist/index.js', import.meta.url);
type Proof = { position: 'left' | 'right'; data: Buffer }[];
interface Tree {
  getRoot(): Buffer;
  getProof(leaf: Buffer, index?: number): Proof;
  verify(proof: Proof, leaf: Buffer, root: Buffer): boolean;
  addLeaf(leaf: Buffer, shouldHash?: boolean): void;
  addLeaves(leaves: Buffer[], shouldHash?: boolean): void;
  getLeafCount(): number;
}
const mod = (await import(pkg.href)) as { MerkleTree?: unknown; default?: { MerkleTree?: unknown } };
const MerkleTree = (mod.MerkleTree ?? mod.default?.MerkleTree) as new (leaves: Buffer[], hashFn: (d: Buffer) => Buffer, options?: object) => Tree;

const [n = 1_000_000, proofs = 100_000, appends = 3, seed = 1] = process.argv.slice(2, 6).map(Number);
const sample = (process.argv[6] ?? '').split(',').filter(Boolean).map(Number);

const sha256 = (d: Buffer): Buffer => crypto.hash('sha256', d, 'buffer') as Buffer;
const ONE = Buffer.from([0x01]);
const options = { concatenator: (xs: Buffer[]) => Buffer.concat([ONE, ...xs]) };

const cpu0 = process.cpuUsage();
const t0 = performance.now();
const { leaves: hashes } = benchLeaves(n);
const leaves = hashes.map((h) => Buffer.from(h.buffer, h.byteOffset, h.byteLength));
const leafMs = performance.now() - t0;

const b0 = performance.now();
const tree = new MerkleTree(leaves, sha256, options);
const buildMs = performance.now() - b0;
const root = tree.getRoot();

// Proofs of random leaves, by index (without it, getProof scans every leaf to find it).
const rand = prng(seed);
const idx = Array.from({ length: proofs }, () => Math.floor(rand() * n));
const p0 = performance.now();
const made: Proof[] = new Array(proofs);
for (let i = 0; i < proofs; i++) made[i] = tree.getProof(leaves[idx[i]!]!, idx[i]!);
const proofMs = performance.now() - p0;
const v0 = performance.now();
let verified = 0;
for (let i = 0; i < proofs; i++) if (tree.verify(made[i]!, leaves[idx[i]!]!, root)) verified++;
const verifyMs = performance.now() - v0;
const samples = Object.fromEntries(sample.map((i) => [i, tree.getProof(leaves[i]!, i).map((p) => p.data.toString('hex'))]));

// Appends: addLeaf recomputes every layer of the tree (processLeaves → createHashes).
const appendMs: number[] = [];
for (let i = 0; i < appends; i++) {
  const a0 = performance.now();
  tree.addLeaf(Buffer.from(leafHash(benchBody(n + i))));
  appendMs.push(performance.now() - a0);
}
const batch = Array.from({ length: 1000 }, (_, i) => Buffer.from(leafHash(benchBody(n + appends + i))));
const ab0 = performance.now();
tree.addLeaves(batch);
const appendBatchMs = performance.now() - ab0;
const cpu = process.cpuUsage(cpu0);
const wallMs = performance.now() - t0;

process.stdout.write(
  JSON.stringify({
    n,
    leafMs,
    buildMs,
    root: root.toString('hex'),
    proofs,
    proofMs,
    verifyMs,
    verified,
    samples,
    appendMs,
    appendBatch: batch.length,
    appendBatchMs,
    finalSize: tree.getLeafCount(),
    finalRoot: tree.getRoot().toString('hex'),
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    wallMs,
    rssMb: process.memoryUsage().rss / 2 ** 20,
  }) + '\n',
);
