/**
 * C2SP tlog-tiles (https://c2sp.org/tlog-tiles): the log served as static files.
 *
 *     <prefix>/checkpoint                    the latest signed checkpoint (mutable)
 *     <prefix>/tile/<L>/<N>[.p/<W>]          hash tiles (immutable)
 *     <prefix>/tile/entries/<N>[.p/<W>]      entry bundles (immutable)
 *
 * A tile is 256 consecutive hashes of one tree level, 8,192 bytes when full. Tile level L holds tree
 * level 8·L: level 0 tiles hold leaf hashes, a level 1 tile holds the roots of 256 full level 0 tiles,
 * and so on; the 7 tree levels between are rehashed from the tile below. Tile N of level L holds the
 * nodes (8L, 256N + i), i < 256. The rightmost tiles of a tree are partial: at level L a tree of size s
 * has a partial tile of width floor(s / 256^L) mod 256, if that is not 0. <N> is written in groups of
 * three digits, all but the last prefixed with "x": 1234067 is x001/x234/067. An entry bundle holds
 * the entries whose leaf hashes make up the level 0 tile of the same N, each as a big-endian uint16
 * length and the bytes.
 *
 * Clients compute every proof from tiles: `tilesFor` says which tiles hold the nodes a proof needs,
 * and `tileSource` turns the fetched tiles into a HashSource for proofs.ts.
 */
import { parseDecimal } from './encoding.ts';
import type { NodeId } from './frontier.ts';
import { HASH_SIZE, nodeHash, type Hash } from './merkle.ts';
import type { HashSource } from './proofs.ts';

export const TILE_HEIGHT = 8;
export const TILE_WIDTH = 256;
/** Entries are uint16-length-prefixed, so one entry is at most 65,535 bytes. */
export const MAX_ENTRY_BYTES = 0xffff;

/** A hash tile, or (level 'entries') an entry bundle. `width` is 1–256; 256 is a full tile. */
export interface Tile {
  level: number | 'entries';
  index: number;
  width: number;
}

/** N written as three-digit path elements: 0 → "000", 1000 → "x001/000", 1234067 → "x001/x234/067". */
export function tileIndexPath(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`a tile index is a whole number, not ${n}`);
  const groups = [String(n % 1000).padStart(3, '0')];
  for (let rest = Math.floor(n / 1000); rest > 0; rest = Math.floor(rest / 1000)) groups.unshift(`x${String(rest % 1000).padStart(3, '0')}`);
  return groups.join('/');
}

/** `tile/<L>/<N>[.p/<W>]` or `tile/entries/<N>[.p/<W>]`, relative to the log's prefix. */
export function tilePath(t: Tile): string {
  if (!Number.isInteger(t.width) || t.width < 1 || t.width > TILE_WIDTH) throw new RangeError(`a tile is 1 to ${TILE_WIDTH} wide, not ${t.width}`);
  if (t.level !== 'entries' && !(Number.isInteger(t.level) && t.level >= 0 && t.level <= 63)) throw new RangeError(`a tile level is 0–63, not ${t.level}`);
  return `tile/${t.level}/${tileIndexPath(t.index)}${t.width < TILE_WIDTH ? `.p/${t.width}` : ''}`;
}

export type TilePathRead = { ok: true; tile: Tile } | { ok: false; code: 'not_a_tile_path'; message: string };

/** Reads a tile or entry bundle path (relative to the prefix), refusing every other spelling of it. */
export function parseTilePath(path: string): TilePathRead {
  const no = (message: string) => ({ ok: false as const, code: 'not_a_tile_path' as const, message });
  const m = /^tile\/(entries|0|[1-9][0-9]?)\/((?:x[0-9]{3}\/)*)([0-9]{3})(?:\.p\/([1-9][0-9]{0,2}))?$/.exec(path);
  if (!m) return no(`"${path}" is not tile/<L>/<N>[.p/<W>] or tile/entries/<N>[.p/<W>]`);
  const level = m[1] === 'entries' ? ('entries' as const) : Number(m[1]);
  if (level !== 'entries' && level > 63) return no('a tile level is 0–63');
  const groups = [...m[2]!.split('/').filter(Boolean).map((g) => g.slice(1)), m[3]!];
  if (groups.length > 1 && groups[0] === '000') return no('the tile index has a leading zero group');
  const index = parseDecimal(groups.join('').replace(/^0+(?=.)/, ''));
  if (index === undefined) return no('the tile index is too large');
  const width = m[4] === undefined ? TILE_WIDTH : Number(m[4]);
  if (m[4] !== undefined && width >= TILE_WIDTH) return no('a partial tile is 1–255 wide');
  return { ok: true, tile: { level, index, width } };
}

/** How many hashes tree level `treeLevel` has in a tree of `size` leaves. */
const nodesAtLevel = (size: number, treeLevel: number) => Math.floor(size / 2 ** treeLevel);

/** The width of tile (level, index) in a tree of `size`: 256 if full, 0 if it does not exist yet. */
export function tileWidth(level: number, index: number, size: number): number {
  const below = nodesAtLevel(size, level * TILE_HEIGHT) - index * TILE_WIDTH;
  return Math.max(0, Math.min(TILE_WIDTH, below));
}

/**
 * The hash tiles that change when the log grows from `oldSize` to `newSize`: at each level, the
 * tile that was partial (now wider or full) and the new ones after it. Full tiles never change once
 * written; a partial one is written again, wider, at its own path, so every file stays immutable.
 * The cost is per batch, not per log: a batch never lists the log's old full tiles.
 */
export function tilesToWrite(oldSize: number, newSize: number): Tile[] {
  const out: Tile[] = [];
  for (let level = 0; nodesAtLevel(newSize, level * TILE_HEIGHT) > 0; level++) {
    const before = nodesAtLevel(oldSize, level * TILE_HEIGHT);
    const after = nodesAtLevel(newSize, level * TILE_HEIGHT);
    if (after === before) continue;
    for (let index = Math.floor(before / TILE_WIDTH); index < Math.ceil(after / TILE_WIDTH); index++) out.push({ level, index, width: tileWidth(level, index, newSize) });
  }
  return out;
}

/** Every hash tile of a tree of `size` leaves, level by level: what a log of that size serves. */
export const tilesOfTree = (size: number): Tile[] => tilesToWrite(0, size);

/** The entry bundles that change from `oldSize` to `newSize` (those of the level 0 tiles that do). */
export const bundlesToWrite = (oldSize: number, newSize: number): Tile[] =>
  tilesToWrite(oldSize, newSize).filter((t) => t.level === 0).map((t) => ({ ...t, level: 'entries' as const }));

/** Where node (treeLevel, index) is: the tile at level floor(treeLevel / 8) and the run of its hashes to fold. */
export function nodeInTile(treeLevel: number, index: number): { level: number; index: number; first: number; count: number } {
  const level = Math.floor(treeLevel / TILE_HEIGHT);
  const count = 2 ** (treeLevel - level * TILE_HEIGHT);
  const start = index * count; // position at tree level 8·level
  return { level, index: Math.floor(start / TILE_WIDTH), first: start % TILE_WIDTH, count };
}

/** The tiles (with their width at `size`) that hold the given nodes of the tree of `size`. */
export function tilesFor(nodes: readonly NodeId[], size: number): Tile[] {
  const tiles = new Map<string, Tile>();
  for (const n of nodes) {
    const at = nodeInTile(n.level, n.index);
    const width = tileWidth(at.level, at.index, size);
    if (at.first + at.count > width) throw new RangeError(`node (${n.level}, ${n.index}) is not complete in a tree of ${size}`);
    tiles.set(`${at.level}/${at.index}`, { level: at.level, index: at.index, width });
  }
  return [...tiles.values()];
}

/** The hashes of a tile's bytes, or undefined if the length is not `width` hashes. */
export function tileHashes(bytes: Uint8Array, width: number): Hash[] | undefined {
  if (bytes.length !== width * HASH_SIZE) return undefined;
  return Array.from({ length: width }, (_, i) => bytes.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE));
}

/** The bytes of tile (level, index) of width `width`, from stored nodes: what the log writes. */
export function tileBytes(level: number, index: number, width: number, source: HashSource): Uint8Array {
  const parts: Hash[] = [];
  for (let i = 0; i < width; i++) {
    const h = source.node(level * TILE_HEIGHT, index * TILE_WIDTH + i);
    if (!h) throw new Error(`hash source: node (level ${level * TILE_HEIGHT}, index ${index * TILE_WIDTH + i}) is missing`);
    parts.push(h);
  }
  return Buffer.concat(parts);
}

/**
 * A HashSource over fetched tiles, keyed by "<level>/<index>" and holding that tile's hashes (a full
 * tile serves any size its partial one would). Nodes between tile levels are rehashed from the tile.
 */
export function tileSource(tiles: ReadonlyMap<string, readonly Hash[]>): HashSource {
  return {
    node(treeLevel, index) {
      const at = nodeInTile(treeLevel, index);
      const hashes = tiles.get(`${at.level}/${at.index}`);
      if (!hashes || hashes.length < at.first + at.count) return undefined;
      let row = hashes.slice(at.first, at.first + at.count);
      while (row.length > 1) row = Array.from({ length: row.length / 2 }, (_, i) => nodeHash(row[2 * i]!, row[2 * i + 1]!));
      return row[0];
    },
  };
}

/** An entry bundle: each entry as a big-endian uint16 length and its bytes. */
export function encodeEntryBundle(entries: readonly Uint8Array[]): Uint8Array {
  if (entries.length > TILE_WIDTH) throw new RangeError(`an entry bundle holds at most ${TILE_WIDTH} entries`);
  const parts: Uint8Array[] = [];
  for (const e of entries) {
    // Entries are checked for size when they are appended; one this large here is a bug.
    if (e.length > MAX_ENTRY_BYTES) throw new RangeError(`an entry is at most ${MAX_ENTRY_BYTES} bytes, not ${e.length}`);
    parts.push(new Uint8Array([e.length >> 8, e.length & 0xff]), e);
  }
  return Buffer.concat(parts);
}

export type BundleRead = { ok: true; entries: Uint8Array[] } | { ok: false; code: 'malformed_bundle'; message: string };

/** Reads an entry bundle; with `width`, it must hold exactly that many entries. */
export function parseEntryBundle(bytes: Uint8Array, width?: number): BundleRead {
  const entries: Uint8Array[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (at + 2 > bytes.length) return { ok: false, code: 'malformed_bundle', message: `a length is cut off at byte ${at}` };
    const length = (bytes[at]! << 8) | bytes[at + 1]!;
    if (at + 2 + length > bytes.length) return { ok: false, code: 'malformed_bundle', message: `entry ${entries.length} is cut off` };
    entries.push(new Uint8Array(bytes.buffer, bytes.byteOffset + at + 2, length));
    at += 2 + length;
    if (entries.length > TILE_WIDTH) return { ok: false, code: 'malformed_bundle', message: `more than ${TILE_WIDTH} entries` };
  }
  if (width !== undefined && entries.length !== width) return { ok: false, code: 'malformed_bundle', message: `${entries.length} entries, not ${width}` };
  return { ok: true, entries };
}
