import { renderCertificatePdf } from '../documents/index.ts';
import type { CertificateRecord } from './records.ts';
import { LEDGER_PROOF_FILE } from '../transparency-log/index.ts';


/** The PDF of a kept certificate: what it printed at issue, and the QR code with its verify link. */
export function certificatePdf(record: CertificateRecord, qr: string, language: 'te' | 'en' = 'te', ledgerProof?: string): Promise<Uint8Array> {
  const p = record.printed;
  return renderCertificatePdf({
    title: p.title,
    department: { name: { te: p.department.te, en: p.department.en }, code: p.department.code },
    office: p.office.te === p.office.en ? p.office.en : `${p.office.te} / ${p.office.en}`,
    officer: p.officer,
    holderName: p.holderName,
    fields: [...p.fields, { label: { te: 'దరఖాస్తు సంఖ్య', en: 'Application reference' }, value: p.reference }],
    documentNumber: record.number,
    issuedAt: record.issuedAt,
    ...(record.expiresAt ? { validUntil: record.expiresAt } : {}),
    qr,
    language,
    ...(ledgerProof ? { attachments: [{ name: LEDGER_PROOF_FILE, data: Buffer.from(ledgerProof), description: 'Proof that this certificate is in the public ledger (c2sp.org/tlog-proof)' }] } : {}),
  });
}
