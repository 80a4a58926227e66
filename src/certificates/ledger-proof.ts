import { formatTlogProof } from '../ledger/index.ts';
import type { Queryable } from '../platform/index.ts';
import { inclusionProofOf, latestCheckpoint } from '../transparency-log/index.ts';
import type { CertificateRecord } from './records.ts';

/**
 * The certificate's offline proof of being in the public ledger (C2SP tlog-proof), against the latest
 * checkpoint, with the issue entry's own bytes as its extra data; undefined until it is sequenced.
 */
export async function certificateLedgerProof(db: Queryable, record: Pick<CertificateRecord, 'ledgerIndex'>): Promise<string | undefined> {
  if (record.ledgerIndex === null) return undefined;
  const index = record.ledgerIndex;
  const { size, note } = await latestCheckpoint(db);
  const [entry] = await db.query<{ body: Uint8Array }>(`select body from ledger_entries where idx = $1`, [index]);
  if (!entry || index >= size) return undefined;
  return formatTlogProof({ extra: new Uint8Array(entry.body), index, proof: await inclusionProofOf(db, index, size), checkpoint: note });
}
