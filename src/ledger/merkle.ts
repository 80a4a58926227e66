/**
 * RFC 6962 / RFC 9162 §2.1 Merkle tree hashing and proof verification.
 *
 * A leaf is hashed as SHA-256(0x00 || entry) and an interior node as SHA-256(0x01 || left || right).
 * The two prefixes keep a leaf from ever being passed off as a node (the second-preimage forgery that
 * unprefixed trees such as merkletreejs's default allow). The tree over n leaves splits at k, the
 * largest power of two below n: MTH(D[n]) = node(MTH(D[0:k]), MTH(D[k:n])); the empty tree is SHA-256("").
 *
 * The verifiers follow RFC 9162 §2.1.3.2 and §2.1.4.2, walking up from the leaf with the index and size
 * bits. Sizes are JavaScript numbers: the walk uses division, never the 32-bit bitwise operators, so it
 * is exact up to 2^53. Edge cases (equal sizes, size 0) behave as transparency-dev/merkle's
 * proof.VerifyConsistency, whose vectors the tests run.
 */
import * as crypto from 'node:crypto';
import { equalBytes } from './encoding.ts';

/** A SHA-256 hash: a leaf hash, a node hash or a root. */
export type Hash = Uint8Array;
export const HASH_SIZE = 32;

/**
 * One-shot SHA-256. crypto.hash (Node ≥ 20.12) is about twice as fast as a createHash object per
 * call, and hashing is most of the cost of appending and proving; older Nodes fall back.
 */
const sha256: (data: Uint8Array) => Hash =
  typeof crypto.hash === 'function' ? (data) => crypto.hash('sha256', data, 'buffer') : (data) => crypto.createHash('sha256').update(data).digest();

/** SHA-256(0x00 || entry). */
export function leafHash(entry: Uint8Array): Hash {
  const input = Buffer.allocUnsafe(1 + entry.length);
  input[0] = 0x00;
  input.set(entry, 1);
  return sha256(input);
}

/** SHA-256(0x01 || left || right). */
export function nodeHash(left: Hash, right: Hash): Hash {
  const input = Buffer.allocUnsafe(1 + left.length + right.length);
  input[0] = 0x01;
  input.set(left, 1);
  input.set(right, 1 + left.length);
  return sha256(input);
}

/** The root of the empty tree, SHA-256 of nothing: e3b0c442…b855. */
export const EMPTY_ROOT: Hash = sha256(new Uint8Array(0));

/** k, the largest power of two strictly below n (n ≥ 2): where MTH splits a tree of n leaves. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

export type MerkleCode =
  /** The leaf index is not below the tree size. */
  | 'index_beyond_size'
  /** The consistency proof goes from a larger tree to a smaller one. */
  | 'size_order'
  /** A consistency proof from the empty tree proves nothing and is refused. */
  | 'empty_tree'
  /** The proof has more or fewer hashes than the sizes call for. */
  | 'proof_size'
  /** A leaf or proof hash is not 32 bytes. */
  | 'hash_size'
  /** The proof leads to a different root than the one given. */
  | 'root_mismatch';

export type Verified = { ok: true } | { ok: false; code: MerkleCode; message: string };
export type RootFound = { ok: true; root: Hash } | { ok: false; code: MerkleCode; message: string };

const fail = (code: MerkleCode, message: string) => ({ ok: false as const, code, message });
const odd = (n: number) => n % 2 === 1;
const half = (n: number) => Math.floor(n / 2);

function proofHashProblem(proof: readonly Hash[]): string | undefined {
  const i = proof.findIndex((h) => h.length !== HASH_SIZE);
  return i < 0 ? undefined : `proof hash ${i} is ${proof[i]!.length} bytes, not ${HASH_SIZE}`;
}

/**
 * The root that an inclusion proof leads to from a leaf hash at `index` in a tree of `size` leaves
 * (RFC 9162 §2.1.3.2). The proof lists sibling hashes from the leaf up.
 */
export function rootFromInclusion(leaf: Hash, index: number, size: number, proof: readonly Hash[]): RootFound {
  if (!(index < size)) return fail('index_beyond_size', `leaf ${index} is not in a tree of ${size}`);
  if (leaf.length !== HASH_SIZE) return fail('hash_size', `the leaf hash is ${leaf.length} bytes, not ${HASH_SIZE}`);
  const bad = proofHashProblem(proof);
  if (bad) return fail('hash_size', bad);
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return fail('proof_size', `the proof has ${proof.length} hashes, more than leaf ${index} of ${size} needs`);
    if (odd(fn) || fn === sn) {
      r = nodeHash(p, r);
      // Past the right edge of a ragged tree the path climbs without siblings: skip those levels.
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) return fail('proof_size', `the proof has ${proof.length} hashes, fewer than leaf ${index} of ${size} needs`);
  return { ok: true, root: r };
}

/** Checks that the leaf hash sits at `index` in the tree of `size` leaves whose root is `root`. */
export function verifyInclusion(leaf: Hash, index: number, size: number, proof: readonly Hash[], root: Hash): Verified {
  const found = rootFromInclusion(leaf, index, size, proof);
  if (!found.ok) return found;
  return equalBytes(found.root, root) ? { ok: true } : fail('root_mismatch', `the proof leads to another root than the tree of ${size}'s`);
}

/**
 * Checks that the tree of `size2` leaves with root `root2` extends the tree of `size1` leaves with
 * root `root1`: the first is a prefix of the second, nothing in it changed (RFC 9162 §2.1.4.2).
 *
 * Equal sizes need an empty proof and identical roots. Any proof from size 0 is refused (even 0 → 0),
 * as transparency-dev/merkle's vectors require: every tree extends the empty one, so such a "proof"
 * says nothing, and a caller that asks has a bug or is being fooled. (tlog-witness treats old size 0
 * itself, without a proof: see witness.ts.)
 */
export function verifyConsistency(size1: number, size2: number, proof: readonly Hash[], root1: Hash, root2: Hash): Verified {
  if (size2 < size1) return fail('size_order', `size ${size2} is smaller than size ${size1}`);
  if (size1 === 0) return fail('empty_tree', 'a consistency proof from the empty tree proves nothing');
  if (size1 === size2) {
    if (proof.length > 0) return fail('proof_size', `trees of equal size ${size1} need an empty proof, not ${proof.length} hashes`);
    // Compared as bytes, whatever their length: identical roots are consistent by definition.
    return equalBytes(root1, root2) ? { ok: true } : fail('root_mismatch', `two different roots for the tree of ${size1}`);
  }
  if (proof.length === 0) return fail('proof_size', `the proof from ${size1} to ${size2} is empty`);
  const bad = proofHashProblem(proof);
  if (bad) return fail('hash_size', bad);

  // When size1 is a power of two, the old tree is itself a node of the new one and the proof starts
  // above it: its root is the first hash of the path.
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : [...proof];
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (odd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return fail('proof_size', `the proof has ${proof.length} hashes, more than ${size1} → ${size2} needs`);
    if (odd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) return fail('proof_size', `the proof has ${proof.length} hashes, fewer than ${size1} → ${size2} needs`);
  if (!equalBytes(fr, root1)) return fail('root_mismatch', `the proof does not lead to the old root (tree of ${size1})`);
  if (!equalBytes(sr, root2)) return fail('root_mismatch', `the proof does not lead to the new root (tree of ${size2})`);
  return { ok: true };
}

export function isPowerOfTwo(n: number): boolean {
  if (n < 1) return false;
  while (n % 2 === 0) n /= 2;
  return n === 1;
}
