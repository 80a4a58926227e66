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
    const root = frontierRoot(frontier);
    const checkpoint = signCheckpoint({ origin: id.origin, size: frontier.size, rootHash: root }, [id.signer]);
    const tiled = nodes.filter((n) => n.level % TILE_HEIGHT === 0);
    // The rest of the batch in one statement (one round trip, the bodies not sent back): the queued
    // rows move to the log with their indexes, the tile-level nodes, the head and the checkpoint are
    // written, and certificates learn their index. Every queued row must arrive: if one did not, the
    // count says so and the whole batch rolls back.
    const [moved] = await tx.query<{ n: number }>(
      `with x as (
         select * from unnest($1::bigint[], $2::text[], $3::text[], $4::text[]) with ordinality as x(id, kind, department, subject, n)
       ), q as (
         delete from ledger_queue where id = any($1::bigint[]) returning id, body
       ), e as (
         insert into ledger_entries (idx, body, kind, department, subject, sequenced_at)
         select $5::bigint + x.n - 1, q.body, x.kind, x.department, x.subject, $6 from x join q on q.id = x.id
         returning idx
       ), nodes as (
         insert into ledger_nodes (level, idx, hash) select l, i, decode(h, 'hex') from unnest($7::smallint[], $8::bigint[], $9::text[]) as t(l, i, h)
       ), head as (
         update ledger_head set size = $10, frontier = decode($11, 'hex'), checkpoint = $12 where id = 1
       ), signed as (
         insert into ledger_checkpoints (size, root, note, signed_at) values ($10, decode($13, 'hex'), $12, $6)
       ), certificates as (
         update certificates c set ledger_index = $5::bigint + x.n - 1 from x
         where x.kind = 'certificate_issued' and c.number = x.subject and c.ledger_index is null
       )
       select count(*)::int as n from e`,
      [
        queued.map((q) => String(q.id)),
        entries.map((e) => e.kind),
        entries.map((e) => e.department),
        entries.map((e) => e.subject),
        oldSize,
        now,
        tiled.map((n) => n.level),
        tiled.map((n) => n.index),
        tiled.map((n) => hex(n.hash)),
        frontier.size,
        frontier.hashes.map(hex).join(''),
        checkpoint,
        hex(root),
      ],
    );
    if (Number(moved?.n) !== queued.length) throw new Error(`ledger batch: ${queued.length} entries queued, ${String(moved?.n)} moved to the log`);
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
