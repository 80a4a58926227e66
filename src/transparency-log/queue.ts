import type { Queryable } from '../platform/index.ts';
import { entryBytes, type LedgerEntry } from './entries.ts';

/**
 * Queues entries for the log in the caller's transaction: they are sequenced (given their index,
 * hashed into the tree, covered by a signed checkpoint) by the next batch after it commits.
 */
export async function recordInLedger(tx: Queryable, entries: readonly LedgerEntry[], at: Date): Promise<void> {
  if (entries.length === 0) return;
  await tx.query(
    `insert into ledger_queue (body, queued_at) select convert_to(b, 'UTF8'), $2 from unnest($1::text[]) with ordinality as x(b, n) order by n`,
    [entries.map((e) => Buffer.from(entryBytes(e)).toString('utf8')), at],
  );
}
