import type { Catalog } from '../catalog/index.ts';
import { verifyDocument, type Verdict } from '../documents/index.ts';
import type { Queryable } from '../platform/index.ts';
import { latestTrustList } from './keystore.ts';
import { labelsOf, shownOf, type DocumentLabels, type Shown } from './shown.ts';
import { statusListOf } from './status.ts';
import { certificatePayloadHash, latestCheckpoint, readEntry } from '../transparency-log/index.ts';

/** A checked certificate as a person reads it: the verdict and, when the signature holds, what it says. */
export interface CheckedCertificate {
  verdict: Verdict;
  /** Where the public ledger records its issue, checked against the latest checkpoint; absent if it does not (yet). */
  ledger?: { index: number; size: number };
  shown?: Shown;
  /** When the issuer's revocation list was read: now on the server, the last download in a browser. */
  statusAsOf?: Date;
}

/** The catalogue's labels, made once per catalogue. */
const labelsByCatalog = new WeakMap<Catalog, DocumentLabels>();
export function documentLabels(catalog: Catalog): DocumentLabels {
  let labels = labelsByCatalog.get(catalog);
  if (!labels) labelsByCatalog.set(catalog, (labels = labelsOf(catalog)));
  return labels;
}

/**
 * Verifies a scanned or pasted payload against this Mitra's latest trust list and the issuer's
 * current status list, the same checks an offline verifier makes with downloaded lists.
 */
export async function checkCertificate(db: Queryable, catalog: Catalog, scanned: string, now: Date): Promise<CheckedCertificate> {
  const signed = await latestTrustList(db);
  const trustList = signed?.trustList ?? { type: 'mitra-trust-list' as const, version: 1 as const, serial: 0, issuedAt: new Date(0).toISOString(), keys: [] };
  let verdict = verifyDocument(scanned, { trustList, now });
  // The issuer is known once the signature holds; then its status list decides revocation.
  const issuer = verdict.valid ? verdict.claims.issuer : verdict.claims?.issuer;
  if (issuer) verdict = verifyDocument(scanned, { trustList, statusList: await statusListOf(db, issuer, now), now });
  const claims = verdict.claims;
  const ledger = claims ? await ledgerRecordOf(db, claims.documentNumber, scanned) : undefined;
  return { verdict, ...(claims ? { shown: shownOf(documentLabels(catalog), claims) } : {}), ...(issuer ? { statusAsOf: now } : {}), ...(ledger ? { ledger } : {}) };
}

/** The ledger entry that records this very payload's issue, if one is included in the latest checkpoint. */
async function ledgerRecordOf(db: Queryable, number: string, scanned: string): Promise<CheckedCertificate['ledger']> {
  const [row] = await db.query<{ idx: string | number; body: Uint8Array }>(`select idx, body from ledger_entries where subject = $1 and kind = 'certificate_issued' order by idx limit 1`, [number]);
  if (!row) return undefined;
  const read = readEntry(new Uint8Array(row.body));
  if (!read.ok || read.entry.sha256 !== certificatePayloadHash(scanned)) return undefined;
  const { size } = await latestCheckpoint(db);
  const index = Number(row.idx);
  return index < size ? { index, size } : undefined;
}
