import { appendLeaves, frontierOf, frontierRoot, leafHash, signCheckpoint, TILE_HEIGHT, type NoteSigner } from '../ledger/index.ts';
import type { Clock, Db, Logger } from '../platform/index.ts';
import { readEntry } from './entries.ts';

export interface LogIdentity {
  /** The checkpoint's first line, e.g. "mitra.ap.gov.in/ledger". */
  origin: string;
  signer: NoteSigner;
}

export interface Sequenced {
  oldSize: number;
  size: number;
  /** The checkpoint signed for `size` (unchanged when nothing was queued). */
  checkpoint: string;
}

const HASH = 32;
const split = (bytes: Uint8Array) => Array.from({ length: bytes.length / HASH }, (_, i) => bytes.subarray(i * HASH, (i + 1) * HASH));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** The empty log's head, signed, once; every writer calls this at start and only the first inserts. */
export async function openLedger(db: Db, id: LogIdentity): Promise<void> {
  const note = signCheckpoint({ origin: id.origin, size: 0, rootHash: frontierRoot({ size: 0, hashes: [] }) }, [id.signer]);
  await db.query(`insert into ledger_head (id, size, frontier, checkpoint) values (1, 0, ''::bytea, $1) on conflict (id) do nothing`, [note]);
}

/**
 * One batch: everything queued gets the next indexes, its subtree hashes are stored, and the new
 * checkpoint is signed, all in one transaction. The head row is locked for the batch, so writers in
 * several processes take turns: each batch extends the tree the last one committed, and no two
 * checkpoints of different trees can ever both be signed.
 */
export async function sequenceBatch(db: Db, id: LogIdentity, clock: Clock, max = 10_000): Promise<Sequenced> {
  return db.transaction(async (tx) => {
    const [head] = await tx.query<{ size: string | number; frontier: Uint8Array; checkpoint: string }>(`select size, frontier, checkpoint from ledger_head where id = 1 for update`);
    if (!head) throw new Error('the ledger has no head row: openLedger was not called');
    const oldSize = Number(head.size);
    const queued = await tx.query<{ id: string | number; body: Uint8Array }>(`select id, body from ledger_queue order by id limit $1`, [max]);
    if (queued.length === 0) return { oldSize, size: oldSize, checkpoint: head.checkpoint };

    const bodies = queued.map((q) => new Uint8Array(q.body));
    const entries = bodies.map((b) => {
      const read = readEntry(b);
      // Only recordInLedger writes the queue, from typed entries.
      if (!read.ok) throw new Error(`ledger queue row holds a ${read.code}: ${read.message}`);
      return read.entry;
    });
    const { frontier, nodes } = appendLeaves(frontierOf(oldSize, split(new Uint8Array(head.frontier))), bodies.map(leafHash));
    const now = clock.now();
    await tx.query(
      `insert into ledger_entries (idx, body, kind, department, subject, sequenced_at)
       select $1::bigint + n - 1, decode(b, 'hex'), k, d, s, $6 from unnest($2::text[], $3::text[], $4::text[], $5::text[]) with ordinality as x(b, k, d, s, n)`,
      [oldSize, bodies.map(hex), entries.map((e) => e.kind), entries.map((e) => e.department), entries.map((e) => e.subject), now],
    );
    const tiled = nodes.filter((n) => n.level % TILE_HEIGHT === 0);
    await tx.query(
      `insert into ledger_nodes (level, idx, hash) select l, i, decode(h, 'hex') from unnest($1::smallint[], $2::bigint[], $3::text[]) as x(l, i, h)`,
      [tiled.map((n) => n.level), tiled.map((n) => n.index), tiled.map((n) => hex(n.hash))],
    );
    const root = frontierRoot(frontier);
    const checkpoint = signCheckpoint({ origin: id.origin, size: frontier.size, rootHash: root }, [id.signer]);
    await tx.query(`update ledger_head set size = $1, frontier = decode($2, 'hex'), checkpoint = $3 where id = 1`, [frontier.size, frontier.hashes.map(hex).join(''), checkpoint]);
    await tx.query(`insert into ledger_checkpoints (size, root, note, signed_at) values ($1, decode($2, 'hex'), $3, $4)`, [frontier.size, hex(root), checkpoint, now]);
    await tx.query(`delete from ledger_queue where id = any($1::bigint[])`, [queued.map((q) => String(q.id))]);
    await tx.query(
      `update certificates c set ledger_index = e.idx from ledger_entries e
       where e.idx >= $1 and e.kind = 'certificate_issued' and c.number = e.subject and c.ledger_index is null`,
      [oldSize],
    );
    return { oldSize, size: frontier.size, checkpoint };
  });
}

/**
 * Sequences a batch every `windowMs` while entries wait: one durable commit per batch, however many
 * entries it holds. `after` runs outside the transaction (witnesses, notifications).
 */
export function createSequencer(o: { db: Db; id: LogIdentity; clock: Clock; log: Logger; windowMs: number; after?: (s: Sequenced) => Promise<void> }) {
  let running = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  async function run() {
    while (running) {
      const started = Date.now();
      try {
        const s = await sequenceBatch(o.db, o.id, o.clock);
        if (s.size > s.oldSize) {
          o.log.info({ size: s.size, added: s.size - s.oldSize }, 'ledger batch sequenced');
          await o.after?.(s).catch((err) => o.log.warn({ err }, 'after a ledger batch'));
        }
      } catch (err) {
        o.log.error({ err }, 'ledger batch failed');
      }
      const wait = Math.max(0, o.windowMs - (Date.now() - started));
      if (running) await new Promise<void>((r) => { wake = r; setTimeout(r, wait).unref(); });
    }
  }
  return {
    start() {
      running = true;
      loop = run();
    },
    async stop() {
      running = false;
      wake?.();
      await loop;
    },
  };
}
