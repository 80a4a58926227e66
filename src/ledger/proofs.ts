/**
 * Roots, inclusion proofs and consistency proofs of any tree size, computed from stored hashes.
 *
 * Every hash a proof needs is the MTH of a range the RFC 6962 recursion produces, and every such range
 * is a run of perfect subtrees (frontier.ts `rangeNodes`). Perfect subtrees never change once complete,
 * so a store of them (a database table keyed by (level, index), or tlog tiles, see tiles.ts) answers for
 * every past size as well as the current one.
 *
 * Planning and hashing are separate so storage can be read in one round trip: `inclusionNodes` /
 * `consistencyNodes` list the nodes to fetch, the caller fetches them (a query, or tiles), and
 * `inclusionProof` / `consistencyProof` then hash synchronously from a HashSource.
 */
import { rangeNodes, type NodeId, type StoredNode } from './frontier.ts';
import { EMPTY_ROOT, nodeHash, splitPoint, type Hash } from './merkle.ts';

/**
 * Where proofs read perfect-subtree hashes from. `node` returns the hash of leaves
 * [index·2^level, (index+1)·2^level), or undefined if the source does not hold it; proof functions
 * treat a missing node as broken storage and throw, since the caller fetched what the plan listed.
 */
export interface HashSource {
  node(level: number, index: number): Hash | undefined;
}

/** A range of leaves [begin, end) whose MTH is one element of a proof. */
export type LeafRange = readonly [begin: number, end: number];

/** A HashSource over nodes held in memory (fetched rows, or a whole test tree). */
export function memorySource(nodes: Iterable<StoredNode>): HashSource {
  const levels: Map<number, Hash>[] = [];
  for (const n of nodes) (levels[n.level] ??= new Map()).set(n.index, n.hash);
  return { node: (level, index) => levels[level]?.get(index) };
}

function read(source: HashSource, n: NodeId): Hash {
  const h = source.node(n.level, n.index);
  if (!h) throw new Error(`hash source: node (level ${n.level}, index ${n.index}) is missing`);
  return h;
}

/** MTH(D[begin:end]) for a range of the RFC 6962 recursion, from its perfect subtrees. */
export function rangeHash(source: HashSource, begin: number, end: number): Hash {
  const nodes = rangeNodes(begin, end);
  if (nodes.length === 0) return EMPTY_ROOT;
  let h = read(source, nodes[nodes.length - 1]!);
  for (let i = nodes.length - 2; i >= 0; i--) h = nodeHash(read(source, nodes[i]!), h);
  return h;
}

/** The root of the tree of the first `size` leaves. */
export const rootAt = (size: number, source: HashSource): Hash => rangeHash(source, 0, size);

/** RFC 9162 §2.1.3.1 PATH(index, D[0:size]) as leaf ranges, from the leaf's sibling up to the root's child. */
export function inclusionRanges(index: number, size: number): LeafRange[] {
  if (!(Number.isSafeInteger(index) && index >= 0 && index < size)) throw new RangeError(`inclusion proof: leaf ${index} is not in a tree of ${size}`);
  const ranges: LeafRange[] = [];
  let begin = 0;
  let end = size;
  while (end - begin > 1) {
    const k = splitPoint(end - begin);
    if (index < begin + k) {
      ranges.push([begin + k, end]);
      end = begin + k;
    } else {
      ranges.push([begin, begin + k]);
      begin += k;
    }
  }
  return ranges.reverse();
}

/**
 * RFC 9162 §2.1.4.1 PROOF(size1, D[0:size2]) as leaf ranges, deepest first. Empty when the sizes are
 * equal, and from size 0 too: the tlog-witness protocol sends an empty proof when the old size is 0.
 */
export function consistencyRanges(size1: number, size2: number): LeafRange[] {
  if (!(Number.isSafeInteger(size1) && size1 >= 0 && size1 <= size2)) throw new RangeError(`consistency proof: cannot go from ${size1} to ${size2}`);
  if (size1 === 0 || size1 === size2) return [];
  const ranges: LeafRange[] = [];
  let begin = 0;
  let end = size2;
  let m = size1;
  // While the old tree is the left edge of the current subtree, its root need not be sent: the
  // verifier has it. Once the path turns right, the subtree it ends in must be sent.
  let oldRootKnown = true;
  for (;;) {
    if (m === end - begin) {
      if (!oldRootKnown) ranges.push([begin, end]);
      break;
    }
    const k = splitPoint(end - begin);
    if (m <= k) {
      ranges.push([begin + k, end]);
      end = begin + k;
    } else {
      ranges.push([begin, begin + k]);
      begin += k;
      m -= k;
      oldRootKnown = false;
    }
  }
  return ranges.reverse();
}

/** The distinct perfect subtrees the ranges are made of: what to fetch before hashing. */
export function nodesOf(ranges: readonly LeafRange[]): NodeId[] {
  const seen = new Map<string, NodeId>();
  for (const [begin, end] of ranges) for (const n of rangeNodes(begin, end)) seen.set(`${n.level}/${n.index}`, n);
  return [...seen.values()];
}

export const inclusionNodes = (index: number, size: number): NodeId[] => nodesOf(inclusionRanges(index, size));
export const consistencyNodes = (size1: number, size2: number): NodeId[] => nodesOf(consistencyRanges(size1, size2));

export const inclusionProof = (index: number, size: number, source: HashSource): Hash[] =>
  inclusionRanges(index, size).map(([b, e]) => rangeHash(source, b, e));

export const consistencyProof = (size1: number, size2: number, source: HashSource): Hash[] =>
  consistencyRanges(size1, size2).map(([b, e]) => rangeHash(source, b, e));
