/**
 * The auditor's walk over a tlog-tiles log, from the tree it audited last (size a, kept as a frontier)
 * to the one the new checkpoint names (size b). It fetches only what changed between the two
 * (`tilesToWrite(a, b)`: the partial tiles at the old edge, wider now, and the new ones) and holds
 * the entries as the ground truth:
 *
 * - every entry of a fetched bundle must hash to the leaf at its place in the level 0 tile;
 * - every hash a level L ≥ 1 tile holds for the new part of the tree must be the hash of the level
 *   below's full tile, recomputed from the entries up;
 * - the old part of each re-fetched edge tile must fold into the frontier audited last time: the log
 *   may not change what it already showed;
 * - the new leaves are appended to the audited frontier, and the caller compares the root it gives
 *   with the checkpoint's (an entry the log rewrote further back shows there).
 *
 * Memory is one window of tiles at level 0, and one hash per full tile above.
 */
import { equalBytes } from '../ledger/encoding.ts';
import {
  appendLeaves,
  frontierNodes,
  leafHash,
  parseEntryBundle,
  rootOf,
  tileHashes,
  tilePath,
  tileSource,
  tilesToWrite,
  MAX_ENTRY_BYTES,
  TILE_HEIGHT,
  TILE_WIDTH,
  type Frontier,
  type Hash,
  type Tile,
} from '../ledger/index.ts';
import type { LogFetcher } from './audit-fetch.ts';

export type AuditCode =
  /** The checkpoint, the log key, a tile or a bundle could not be fetched. */
  | 'unreachable'
  /** The log key (given, pinned or served) is not an Ed25519 verifier key. */
  | 'bad_log_key'
  /** The checkpoint is not signed by the log's key. */
  | 'bad_signature'
  /** A cosignature by a witness whose key was given does not verify. */
  | 'bad_cosignature'
  /** Fewer of the witnesses given have cosigned the checkpoint than --min-witnesses asks. */
  | 'witness_quorum_not_met'
  | 'malformed_checkpoint'
  /** The checkpoint is for another log than the key or the state file. */
  | 'wrong_origin'
  /** The state file is damaged. */
  | 'bad_state'
  /** A hash tile is not `width` hashes long. */
  | 'malformed_tile'
  /** An entry bundle cannot be read. */
  | 'malformed_bundle'
  /** An entry bundle holds more or fewer entries than its width. */
  | 'entry_count'
  /** An entry is not an entries.ts line. */
  | 'malformed_entry'
  /** An entry does not hash to its leaf in the level 0 tile. */
  | 'leaf_mismatch'
  /** A level ≥ 1 tile holds a hash that is not the hash of the tiles below. */
  | 'tile_mismatch'
  /** The entries hash to another root than the checkpoint's. */
  | 'root_mismatch'
  /** The log changed what it had shown before: smaller, another root for the same size, or entries rewritten. */
  | 'inconsistent';

export interface AuditProblem {
  ok: false;
  code: AuditCode;
  message: string;
  /** The entry index at fault, when there is one. */
  index?: number;
  /** The file at fault, relative to the log's prefix. */
  path?: string;
}

export const problem = (code: AuditCode, message: string, at: { index?: number; path?: string } = {}): AuditProblem => ({ ok: false, code, message, ...at });

export interface WalkInput {
  fetch: LogFetcher;
  /** The audited tree: its size and frontier. */
  from: Frontier;
  /** The checkpoint's size, at least `from.size`. */
  to: number;
  /** Each entry at index ≥ from.size, in order; a problem stops the walk. */
  visit(index: number, entry: Uint8Array): AuditProblem | undefined;
  /** Tiles fetched at once. */
  concurrency?: number;
}

export type WalkResult = { ok: true; frontier: Frontier; files: number; bytes: number } | AuditProblem;

const HASH_BYTES = 32;
const maxBytes = (t: Tile) => (t.level === 'entries' ? TILE_WIDTH * (2 + MAX_ENTRY_BYTES) : TILE_WIDTH * HASH_BYTES);

type TileFetched = { ok: true; tile: Tile; path: string; bytes: Uint8Array; full: boolean } | AuditProblem;

/**
 * A tile or bundle at its width. A log may delete a partial tile once the full one exists
 * (tlog-tiles), so a partial one that is gone is read from the full tile.
 */
export async function fetchTile(fetch: LogFetcher, tile: Tile): Promise<TileFetched> {
  const path = tilePath(tile);
  const got = await fetch(path, maxBytes(tile));
  if (got.ok) return { ok: true, tile, path, bytes: got.bytes, full: false };
  if (got.status === 404 && tile.width < TILE_WIDTH) {
    const fullPath = tilePath({ ...tile, width: TILE_WIDTH });
    const full = await fetch(fullPath, maxBytes(tile));
    if (full.ok) return { ok: true, tile, path: fullPath, bytes: full.bytes, full: true };
  }
  return problem('unreachable', `cannot read ${path}: ${got.message}`, { path });
}

export function readHashes(f: Extract<TileFetched, { ok: true }>): Hash[] | AuditProblem {
  const hashes = tileHashes(f.bytes, f.full ? TILE_WIDTH : f.tile.width);
  if (!hashes) return problem('malformed_tile', `${f.path} is ${f.bytes.length} bytes, not ${f.full ? TILE_WIDTH : f.tile.width} hashes of 32`, { path: f.path });
  return hashes.slice(0, f.tile.width);
}

function readBundle(f: Extract<TileFetched, { ok: true }>): Uint8Array[] | AuditProblem {
  const read = parseEntryBundle(f.bytes);
  if (!read.ok) return problem('malformed_bundle', `${f.path}: ${read.message}`, { path: f.path });
  const want = f.full ? TILE_WIDTH : f.tile.width;
  if (read.entries.length !== want) {
    const first = f.tile.index * TILE_WIDTH;
    const what = read.entries.length < want ? 'entries are missing' : 'entries were added';
    return problem('entry_count', `${f.path} holds ${read.entries.length} entries where the checkpoint calls for ${want} (entries ${first}–${first + want - 1}): ${what}`, {
      path: f.path,
    });
  }
  return read.entries.slice(0, f.tile.width);
}

/**
 * The old part of a re-fetched edge tile at tile level `level` must hold what was audited: the
 * frontier nodes of tree levels 8·level … 8·level + 7 are folded from it and compared.
 */
function oldPartProblem(level: number, index: number, hashes: Hash[], from: Frontier, path: string): AuditProblem | undefined {
  const source = tileSource(new Map([[`${level}/${index}`, hashes]]));
  const ids = frontierNodes(from.size);
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    if (Math.floor(id.level / TILE_HEIGHT) !== level) continue;
    const h = source.node(id.level, id.index);
    if (!h || !equalBytes(h, from.hashes[i]!)) {
      const first = id.index * 2 ** id.level;
      const last = first + 2 ** id.level - 1;
      return problem(
        'inconsistent',
        `${path}: entries ${first}–${last} are not those audited when the log had ${from.size} entries (their hash changed): the log has rewritten its history`,
        { path, index: first },
      );
    }
  }
  return undefined;
}

/** Runs `load` over the items at most `concurrency` at a time, yielding the results in order. */
async function* inOrder<T, R>(items: readonly T[], concurrency: number, load: (item: T) => Promise<R>): AsyncGenerator<[T, R]> {
  const pending: Promise<R>[] = [];
  let next = 0;
  const fill = () => {
    while (next < items.length && pending.length < concurrency) pending.push(load(items[next++]!));
  };
  fill();
  for (let i = 0; i < items.length; i++) {
    const result = await pending.shift()!;
    fill();
    yield [items[i]!, result];
  }
}

export async function walkTiles(input: WalkInput): Promise<WalkResult> {
  const { fetch, from, to } = input;
  const a = from.size;
  if (to < a) throw new RangeError(`the walk goes from ${a} to ${to}: the caller checks the order`);
  const concurrency = input.concurrency ?? 8;
  const all = tilesToWrite(a, to);
  let files = 0;
  let bytes = 0;
  let frontier = from;
  // The hashes of full tiles of the level below, from index floor(a / 256^level): what the
  // new part of this level's tiles must hold.
  let below: Hash[] = [];

  const level0 = all.filter((t) => t.level === 0);
  const pairs = inOrder(level0, concurrency, (t) => Promise.all([fetchTile(fetch, t), fetchTile(fetch, { ...t, level: 'entries' })]));
  for await (const [t, [tileGot, bundleGot]] of pairs) {
    if (!tileGot.ok) return tileGot;
    if (!bundleGot.ok) return bundleGot;
    files += 2;
    bytes += tileGot.bytes.length + bundleGot.bytes.length;
    const hashes = readHashes(tileGot);
    if (!Array.isArray(hashes)) return hashes;
    const entries = readBundle(bundleGot);
    if (!Array.isArray(entries)) return entries;
    const base = t.index * TILE_WIDTH;
    const leaves = entries.map(leafHash);
    for (let i = 0; i < t.width; i++) {
      if (!equalBytes(leaves[i]!, hashes[i]!)) {
        return problem('leaf_mismatch', `entry ${base + i} in ${bundleGot.path} does not hash to leaf ${i} of ${tileGot.path}`, { index: base + i, path: bundleGot.path });
      }
    }
    if (base < a) {
      const stale = oldPartProblem(0, t.index, hashes, from, tileGot.path);
      if (stale) return stale;
    }
    const firstNew = Math.max(0, a - base);
    for (let i = firstNew; i < t.width; i++) {
      const bad = input.visit(base + i, entries[i]!);
      if (bad) return bad;
    }
    frontier = appendLeaves(frontier, leaves.slice(firstNew)).frontier;
    if (t.width === TILE_WIDTH) below.push(rootOf(hashes));
  }

  for (let level = 1; ; level++) {
    const tiles = all.filter((t) => t.level === level);
    if (tiles.length === 0) break;
    const oldCount = Math.floor(a / TILE_WIDTH ** level);
    const above: Hash[] = [];
    for await (const [t, got] of inOrder(tiles, concurrency, (t) => fetchTile(fetch, t))) {
      if (!got.ok) return got;
      files += 1;
      bytes += got.bytes.length;
      const hashes = readHashes(got);
      if (!Array.isArray(hashes)) return hashes;
      const base = t.index * TILE_WIDTH;
      if (base < oldCount) {
        const stale = oldPartProblem(level, t.index, hashes, from, got.path);
        if (stale) return stale;
      }
      for (let i = Math.max(0, oldCount - base); i < t.width; i++) {
        const expected = below[base + i - oldCount];
        if (!expected || !equalBytes(expected, hashes[i]!)) {
          const span = TILE_WIDTH ** level;
          const first = (base + i) * span;
          return problem('tile_mismatch', `${got.path}: hash ${i} is not the hash of entries ${first}–${first + span - 1} as their tiles give it`, { path: got.path, index: first });
        }
      }
      if (t.width === TILE_WIDTH) above.push(rootOf(hashes));
    }
    below = above;
  }
  return { ok: true, frontier, files, bytes };
}
