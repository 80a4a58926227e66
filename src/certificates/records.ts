import type { Queryable } from '../platform/index.ts';
import type { DocumentClaims } from '../documents/index.ts';
import type { Printed } from './contents.ts';

/** A certificate as Mitra keeps it. */
export interface CertificateRecord {
  id: number;
  number: string;
  caseId: number;
  department: string;
  documentType: string;
  statusIndex: number;
  state: 'waiting_for_key' | 'issued';
  kid: string | null;
  payload: string | null;
  printed: Printed;
  claims: DocumentClaims;
  issuedAt: Date;
  expiresAt: Date | null;
  downloadToken: string;
  revokedAt: Date | null;
  revokedReason: string | null;
  /** The citizen's language: their PDF prints it first. */
  language: string;
  /** Its issue entry's index in the public ledger, once sequenced. */
  ledgerIndex: number | null;
}

const COLUMNS = `id::int as id, number, case_id::int as "caseId", department, document_type as "documentType", status_index as "statusIndex", state, kid, payload,
  printed, claims, issued_at as "issuedAt", expires_at as "expiresAt", download_token as "downloadToken", revoked_at as "revokedAt", revoked_reason as "revokedReason",
  (select language from cases where cases.id = certificates.case_id) as language, ledger_index::float8 as "ledgerIndex"`;

const fromRow = (r: CertificateRecord): CertificateRecord => ({
  ...r,
  issuedAt: new Date(r.issuedAt),
  expiresAt: r.expiresAt && new Date(r.expiresAt),
  revokedAt: r.revokedAt && new Date(r.revokedAt),
});

export async function certificateByToken(db: Queryable, token: string): Promise<CertificateRecord | undefined> {
  const [r] = await db.query<CertificateRecord>(`select ${COLUMNS} from certificates where download_token = $1`, [token]);
  return r && fromRow(r);
}

export async function certificateOfCase(db: Queryable, caseId: number): Promise<CertificateRecord | undefined> {
  const [r] = await db.query<CertificateRecord>(`select ${COLUMNS} from certificates where case_id = $1`, [caseId]);
  return r && fromRow(r);
}

/** The status indexes of a department's revoked certificates, and the highest index it has used. */
export async function revokedIndexes(db: Queryable, department: string): Promise<{ revoked: number[]; last: number }> {
  const rows = await db.query<{ status_index: number }>(`select status_index from certificates where department = $1 and revoked_at is not null`, [department]);
  const [counter] = await db.query<{ last: number }>(`select last from certificate_counters where department = $1`, [department]);
  return { revoked: rows.map((r) => r.status_index), last: counter?.last ?? -1 };
}

/** The link a certificate's PDF is fetched by (sent to the citizen; shown to officers who reach the case). */
export const certificateLink = (publicUrl: string, r: Pick<CertificateRecord, 'downloadToken' | 'documentType' | 'number'>) =>
  `${publicUrl}/certificates/${r.downloadToken}/${certificateFilename(r.documentType, r.number)}`;
export const certificateFilename = (documentType: string, number: string) => `${documentType}-${number.replace(/\//g, '-')}.pdf`;
