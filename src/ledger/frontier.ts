/**
 * The frontier of a log: the roots of the perfect subtrees that make up its first `size` leaves, one
 * per set bit of `size`, largest first (a "compact range" [0, size) in transparency-dev/merkle's
 * words). Size 6 = 4 + 2 is the frontier [MTH(D[0:4]), MTH(D[4:6])].
 *
 * Appending a leaf is O(log n): it joins the frontier as a subtree of one, and equal neighbours merge
 * like a binary carry. Every merge completes a perfect subtree, whose hash never changes again; those
 * nodes are returned so the database can store them, and from stored nodes any root or proof of any
 * earlier size can be computed (proofs.ts). The frontier itself is a handful of hashes, so a writer
 * that restarts reads it back with `frontierNodes` instead of rehashing the log.
 */
import { EMPTY_ROOT, nodeHash, type Hash } from './merkle.ts';

/** A perfect subtree: leaves [index·2^level, (index+1)·2^level). Level 0 is a leaf. */
export interface NodeId {
  level: number;
  index: number;
}

export interface StoredNode extends NodeId {
  hash: Hash;
}

export interface Frontier {
  readonly size: number;
  /** Roots of the perfect subtrees of [0, size), left to right (largest first). */
  readonly hashes: readonly Hash[];
}

export const EMPTY_FRONTIER: Frontier = { size: 0, hashes: [] };

/**
 * Appends one leaf hash. `nodes` are the perfect subtrees this completes: the leaf itself (level 0)
 * and one parent per carry, lowest first.
 */
export const appendLeaf = (frontier: Frontier, leaf: Hash): { frontier: Frontier; nodes: StoredNode[] } => appendLeaves(frontier, [leaf]);

/** Appends a batch of leaf hashes in order (one frontier copy per batch, not per leaf). */
export function appendLeaves(frontier: Frontier, leaves: readonly Hash[]): { frontier: Frontier; nodes: StoredNode[] } {
  const hashes = [...frontier.hashes];
  const nodes: StoredNode[] = [];
  let size = frontier.size;
  for (const leaf of leaves) {
    nodes.push({ level: 0, index: size, hash: leaf });
    let hash = leaf;
    let level = 0;
    // Each trailing 1 bit of the old size is a subtree as large as the one just completed: merge them.
    for (let carry = size; carry % 2 === 1; carry = Math.floor(carry / 2)) {
      hash = nodeHash(hashes.pop()!, hash);
      level += 1;
      nodes.push({ level, index: (size + 1) / 2 ** level - 1, hash });
    }
    hashes.push(hash);
    size += 1;
  }
  return { frontier: { size, hashes }, nodes };
}

/** MTH of the frontier's leaves: its subtrees folded from the right (the smallest is the deepest). */
export function frontierRoot(frontier: Frontier): Hash {
  const hs = frontier.hashes;
  if (hs.length === 0) return EMPTY_ROOT;
  let root = hs[hs.length - 1]!;
  for (let i = hs.length - 2; i >= 0; i--) root = nodeHash(hs[i]!, root);
  return root;
}

/** The root of leaf hashes, through a frontier. */
export const rootOf = (leaves: readonly Hash[]): Hash => frontierRoot(appendLeaves(EMPTY_FRONTIER, leaves).frontier);

/**
 * The perfect subtrees that cover [begin, end), left to right, each the largest that is aligned at
 * its start and fits. For the ranges the RFC 6962 recursion produces (and for [0, size), the frontier)
 * the range's MTH is these hashes folded from the right.
 */
export function rangeNodes(begin: number, end: number): NodeId[] {
  const out: NodeId[] = [];
  let at = begin;
  while (at < end) {
    let width = 1;
    let level = 0;
    while (at % (width * 2) === 0 && at + width * 2 <= end) {
      width *= 2;
      level += 1;
    }
    out.push({ level, index: at / width });
    at += width;
  }
  return out;
}

/** The nodes a frontier of `size` is made of: what to read back to resume appending. */
export const frontierNodes = (size: number): NodeId[] => rangeNodes(0, size);

export const frontierOf = (size: number, hashes: readonly Hash[]): Frontier => {
  if (hashes.length !== frontierNodes(size).length) throw new RangeError(`a frontier of ${size} has ${frontierNodes(size).length} hashes, not ${hashes.length}`);
  return { size, hashes: [...hashes] };
};
