import {
  consistencyNodes,
  consistencyProof,
  encodeEntryBundle,
  inclusionNodes,
  inclusionProof,
  nodeInTile,
  tileSource,
  TILE_HEIGHT,
  TILE_WIDTH,
  type Hash,
  type NodeId,
} from '../ledger/index.ts';
import type { Queryable } from '../platform/index.ts';

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

/** A source over the tiles that hold `nodes` in a tree of `size`: one query per tile. */
async function sourceFor(db: Queryable, nodes: readonly NodeId[], size: number) {
  const tiles = new Map<string, Hash[]>();
  for (const n of nodes) {
    const at = nodeInTile(n.level, n.index);
    const key = `${at.level}/${at.index}`;
    if (tiles.has(key)) continue;
    const width = Math.min(TILE_WIDTH, Math.floor(size / 2 ** (at.level * TILE_HEIGHT)) - at.index * TILE_WIDTH);
    const hashes = await tileHashes(db, at.level, at.index, width);
    if (!hashes) throw new Error(`ledger: tile ${key} of a tree of ${size} is missing from the database`);
    tiles.set(key, hashes);
  }
  return tileSource(tiles);
}

export async function inclusionProofOf(db: Queryable, index: number, size: number): Promise<Hash[]> {
  return inclusionProof(index, size, await sourceFor(db, inclusionNodes(index, size), size));
}

export async function consistencyProofOf(db: Queryable, size1: number, size2: number): Promise<Hash[]> {
  if (size1 === 0 || size1 === size2) return [];
  return consistencyProof(size1, size2, await sourceFor(db, consistencyNodes(size1, size2), size2));
}
