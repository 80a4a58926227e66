import {
  consistencyNodes,
  consistencyProof,
  consistencyRanges,
  encodeEntryBundle,
  HASH_SIZE,
  inclusionNodes,
  inclusionProof,
  inclusionRanges,
  nodeHash,
  nodeInTile,
  rangeHash,
  rangeNodes,
  tileSource,
  TILE_HEIGHT,
  TILE_WIDTH,
  type Hash,
  type HashSource,
  type LeafRange,
  type NodeId,
} from '../ledger/index.ts';
import type { Db, Queryable } from '../platform/index.ts';

// Reading the log back: what tlog-tiles clients fetch, and the proofs Mitra itself hands out.

/** The latest checkpoint with the witnesses' cosignatures appended (signature lines may be added to a note). */
export async function latestCheckpoint(db: Queryable): Promise<{ size: number; note: string }> {
  const [row] = await db.query<{ size: string | number; note: string; cosignatures: string | null }>(
    `select h.size, h.checkpoint as note, c.cosignatures from ledger_head h left join ledger_checkpoints c on c.size = h.size where h.id = 1`,
  );
  if (!row) return { size: 0, note: '' };
  return { size: Number(row.size), note: row.note + (row.cosignatures ?? '') };
}

/** The hashes at tree level `8·level`, positions [index·256, index·256 + width), or undefined if the log is not that far yet. */
export async function tileHashes(db: Queryable, level: number, index: number, width: number): Promise<Hash[] | undefined> {
  const first = index * TILE_WIDTH;
  const rows = await db.query<{ hash: Uint8Array }>(`select hash from ledger_nodes where level = $1 and idx >= $2 and idx < $3 order by idx`, [level * TILE_HEIGHT, first, first + width]);
  return rows.length === width ? rows.map((r) => new Uint8Array(r.hash)) : undefined;
}

/** Entries [index·256, index·256 + width) as a tlog-tiles entry bundle, or undefined if not all sequenced. */
export async function entryBundle(db: Queryable, index: number, width: number): Promise<Uint8Array | undefined> {
  const first = index * TILE_WIDTH;
  const rows = await db.query<{ body: Uint8Array }>(`select body from ledger_entries where idx >= $1 and idx < $2 order by idx`, [first, first + width]);
  return rows.length === width ? encodeEntryBundle(rows.map((r) => new Uint8Array(r.body))) : undefined;
}

interface TileAt {
  level: number;
  index: number;
  width: number;
}

/**
 * Several tiles' hashes in one round trip, in the order asked; throws if one is not all there. The
 * LIMIT keeps the lateral subquery a subquery: flattened into a join, PostgreSQL hashes the whole
 * table (a parallel scan of a million nodes, 260 ms) instead of one index range per tile (~2 ms).
 */
async function readTiles(db: Queryable, tiles: readonly TileAt[], size: number): Promise<Hash[][]> {
  const missing = (t: TileAt) => new Error(`ledger: tile ${t.level}/${t.index} of a tree of ${size} is missing from the database`);
  if (tiles.length === 1) {
    const hashes = await tileHashes(db, tiles[0]!.level, tiles[0]!.index, tiles[0]!.width);
    if (!hashes) throw missing(tiles[0]!);
    return [hashes];
  }
  const rows = await db.query<{ t: number; hash: Uint8Array }>(
    `select t.n as t, x.hash from unnest($1::smallint[], $2::bigint[], $3::bigint[]) with ordinality as t(level, lo, hi, n)
     cross join lateral (select idx, hash from ledger_nodes where level = t.level and idx >= t.lo and idx < t.hi order by idx limit ${TILE_WIDTH}) x
     order by t.n, x.idx`,
    [tiles.map((t) => t.level * TILE_HEIGHT), tiles.map((t) => t.index * TILE_WIDTH), tiles.map((t) => t.index * TILE_WIDTH + t.width)],
  );
  const out: Hash[][] = tiles.map(() => []);
  for (const r of rows) out[Number(r.t) - 1]!.push(new Uint8Array(r.hash));
  tiles.forEach((t, i) => {
    if (out[i]!.length !== t.width) throw missing(t);
  });
  return out;
}

/** The tiles (distinct, with their width at `size`) that hold `nodes`, keyed for a tile source. */
function tilesOf(nodes: readonly NodeId[], size: number): Map<number, TileAt> {
  const tiles = new Map<number, TileAt>();
  for (const n of nodes) {
    const at = nodeInTile(n.level, n.index);
    const key = tileKey(at.level, at.index);
    if (!tiles.has(key)) tiles.set(key, { level: at.level, index: at.index, width: widthAt(at.level, at.index, size) });
  }
  return tiles;
}

/** A source over the tiles that hold `nodes` in a tree of `size`, read in one query. */
async function sourceFor(db: Queryable, nodes: readonly NodeId[], size: number): Promise<HashSource> {
  const wanted = [...tilesOf(nodes, size).values()];
  const read = await readTiles(db, wanted, size);
  return tileSource(new Map(wanted.map((t, i) => [`${t.level}/${t.index}`, read[i]!])));
}

const widthAt = (level: number, index: number, size: number) => Math.min(TILE_WIDTH, Math.floor(size / 2 ** (level * TILE_HEIGHT)) - index * TILE_WIDTH);

// ---------------------------------------------------------------------------------------------------
// Tiles kept in memory. A stored node never changes (the sequencer only inserts, under the head lock,
// in the transaction that signs the tree holding it), so a tile read once is as good as the rows for
// ever: a full tile outright, a partial one for any width up to the one read (a wider read of it only
// adds hashes at its end). A cached tile holds its hashes and the 7 tree levels between it and the
// next tile level, hashed once, so a proof from cached tiles is lookups and a few hashes at the
// tree's right edge instead of ~250 SHA-256 per tile. Only a Db gets a cache: a transaction reads
// what it sees, as before.

/** A tile with its inner levels: `levels[k]` holds the hashes at tree level 8·L + k, 32 bytes each, left to right. */
interface CachedTile {
  width: number;
  levels: Buffer[];
  /** When it was last used, for eviction. */
  used: number;
}

/** A tile's key: its index and level in one exact number (levels are 0–6 for any size below 2^53). */
const tileKey = (level: number, index: number) => index * 8 + level;

class TileCache {
  private readonly tiles = new Map<number, CachedTile>();
  /**
   * Per tree size, MTH(D[begin:size]) by begin: the ranges at the tree's right edge, the only ones
   * of a proof that are not one stored node (every other range is a perfect subtree). They are the
   * same for every proof at that size, so each is hashed once per size instead of once per proof.
   */
  private readonly edges = new Map<number, Map<number, Hash>>();
  private clock = 0;
  hits = 0;
  misses = 0;
  constructor(readonly maxTiles: number) {}
  /** The tile if cached at least `width` wide. */
  get(key: number, width: number): CachedTile | undefined {
    const t = this.tiles.get(key);
    if (!t || t.width < width) return undefined;
    t.used = ++this.clock;
    return t;
  }
  put(key: number, t: CachedTile): void {
    t.used = ++this.clock;
    this.tiles.set(key, t);
    if (this.tiles.size <= this.maxTiles) return;
    // Over the limit: the least recently used eighth goes at once, so eviction stays rare.
    const keep = Math.max(1, Math.floor((this.maxTiles * 7) / 8));
    const byUse = [...this.tiles].sort((x, y) => x[1].used - y[1].used);
    for (const [k] of byUse.slice(0, this.tiles.size - keep)) this.tiles.delete(k);
  }
  get size(): number {
    return this.tiles.size;
  }
  edge(size: number): Map<number, Hash> {
    let e = this.edges.get(size);
    if (e) return e;
    this.edges.set(size, (e = new Map()));
    // Proofs are asked at the latest size and a few recent ones: the 8 sizes last added are kept.
    if (this.edges.size > 8) this.edges.delete(this.edges.keys().next().value!);
    return e;
  }
}

/** Tiles a Db keeps unless told otherwise: 1,024 full tiles are about 16 MB (8 KB of hashes and 8 KB of inner levels each). */
export const DEFAULT_TILE_CACHE = 1024;
const caches = new WeakMap<Queryable, TileCache>();

function cacheOf(db: Queryable): TileCache | undefined {
  if (!('transaction' in db)) return undefined;
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new TileCache(DEFAULT_TILE_CACHE)));
  return cache.maxTiles > 0 ? cache : undefined;
}

/** Sets how many tiles `db` keeps in memory for proofs (0: none, every proof reads its tiles from the database); empties it. */
export function setTileCache(db: Db, maxTiles: number): void {
  caches.set(db, new TileCache(Math.max(0, Math.floor(maxTiles))));
}

/** How the proof tile cache of `db` has done since it was set. */
export function tileCacheStats(db: Db): { tiles: number; maxTiles: number; hits: number; misses: number } {
  const c = caches.get(db);
  return { tiles: c?.size ?? 0, maxTiles: c?.maxTiles ?? DEFAULT_TILE_CACHE, hits: c?.hits ?? 0, misses: c?.misses ?? 0 };
}

function expand(hashes: readonly Hash[]): CachedTile {
  const levels = [Buffer.concat(hashes)];
  for (let k = 1; k < TILE_HEIGHT; k++) {
    const below = levels[k - 1]!;
    const count = Math.floor(below.length / HASH_SIZE / 2);
    if (count === 0) break;
    const level = Buffer.allocUnsafe(count * HASH_SIZE);
    for (let i = 0; i < count; i++) level.set(nodeHash(below.subarray(2 * i * HASH_SIZE, (2 * i + 1) * HASH_SIZE), below.subarray((2 * i + 1) * HASH_SIZE, (2 * i + 2) * HASH_SIZE)), i * HASH_SIZE);
    levels.push(level);
  }
  return { width: hashes.length, levels, used: 0 };
}

async function cachedSourceFor(db: Queryable, cache: TileCache, nodes: readonly NodeId[], size: number): Promise<HashSource> {
  const tiles = new Map<number, Buffer[]>();
  const misses: [number, TileAt][] = [];
  for (const [key, t] of tilesOf(nodes, size)) {
    const tile = cache.get(key, t.width);
    if (tile) {
      cache.hits++;
      tiles.set(key, tile.levels);
    } else {
      cache.misses++;
      misses.push([key, t]);
    }
  }
  if (misses.length > 0) {
    const read = await readTiles(db, misses.map(([, t]) => t), size);
    misses.forEach(([key], i) => {
      const tile = expand(read[i]!);
      cache.put(key, tile);
      tiles.set(key, tile.levels);
    });
  }
  return {
    node(treeLevel, index) {
      const level = Math.floor(treeLevel / TILE_HEIGHT);
      const k = treeLevel - level * TILE_HEIGHT;
      const perTile = TILE_WIDTH / 2 ** k;
      const tileIndex = Math.floor(index / perTile);
      const at = (index - tileIndex * perTile) * HASH_SIZE;
      const hashes = tiles.get(tileKey(level, tileIndex))?.[k];
      if (!hashes || at + HASH_SIZE > hashes.length) return undefined;
      return hashes.subarray(at, at + HASH_SIZE);
    },
  };
}

/**
 * The hashes of `ranges` (a proof's, in a tree of `size`) from cached tiles: the tiles missing are
 * read first, then the hashes are looked up, and the right-edge ranges come from the per-size memo.
 */
async function proveFromCache(db: Queryable, cache: TileCache, ranges: readonly LeafRange[], size: number): Promise<Hash[]> {
  const edge = cache.edge(size);
  const wanted: NodeId[] = [];
  for (const [begin, end] of ranges) if (!(end === size && edge.has(begin))) wanted.push(...rangeNodes(begin, end));
  const source = await cachedSourceFor(db, cache, wanted, size);
  return ranges.map(([begin, end]) => {
    if (end !== size) return rangeHash(source, begin, end);
    let h = edge.get(begin);
    if (!h) edge.set(begin, (h = rangeHash(source, begin, end)));
    return h;
  });
}

export async function inclusionProofOf(db: Queryable, index: number, size: number): Promise<Hash[]> {
  const cache = cacheOf(db);
  if (cache) return proveFromCache(db, cache, inclusionRanges(index, size), size);
  return inclusionProof(index, size, await sourceFor(db, inclusionNodes(index, size), size));
}

export async function consistencyProofOf(db: Queryable, size1: number, size2: number): Promise<Hash[]> {
  if (size1 === 0 || size1 === size2) return [];
  const cache = cacheOf(db);
  if (cache) return proveFromCache(db, cache, consistencyRanges(size1, size2), size2);
  return consistencyProof(size1, size2, await sourceFor(db, consistencyNodes(size1, size2), size2));
}
