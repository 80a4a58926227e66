import { randomBytes } from 'node:crypto';
import type { Catalog, Service } from '../catalog/index.ts';
import type { CaseNotice, CaseRow } from '../cases/index.ts';
import { signDocument, type DocumentClaims } from '../documents/index.ts';
import type { Clock, Queryable } from '../platform/index.ts';
import { certificateContents, type Printed } from './contents.ts';
import { signingKeyOf } from './keystore.ts';
import { certificateFilename, certificateLink } from './records.ts';
import { certificatePayloadHash, recordInLedger } from '../transparency-log/index.ts';

export interface IssueDeps {
  catalog: Catalog;
  clock: Clock;
  /** SIGNING_KEY_SECRET: unseals the department's key. */
  secret: string;
  /** Where the certificate is fetched from (WhatsApp fetches the PDF by link): Mitra's public URL. */
  publicUrl: string;
}

/** What the citizen is sent: the PDF by link, under its file name. */
export interface IssuedCertificate {
  number: string;
  link: string;
  filename: string;
  /** False until the department has a signing key: the certificate is signed and sent then. */
  signed: boolean;
}

const DAY = 86_400_000;
const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

/**
 * The certificate of an application approved now, in the approval's transaction: its number and
 * status index, its claims signed with the department's active key, and the link it is fetched by.
 * Without an active key it waits (state waiting_for_key) and `signWaitingCertificates` signs it later.
 */
export async function issueCertificate(tx: Queryable, deps: IssueDeps, c: CaseRow, service: Service, approvedBy: Printed['officer']): Promise<IssuedCertificate> {
  const issues = service.issues;
  if (!issues) throw new Error(`service ${service.id} issues no document`);
  const now = deps.clock.now();
  const [counter] = await tx.query<{ last: number }>(
    `insert into certificate_counters (department, last) values ($1, 1)
     on conflict (department) do update set last = certificate_counters.last + 1 returning last`,
    [c.department],
  );
  const index = counter!.last;
  const number = `${c.department}/${now.getUTCFullYear()}/${String(index).padStart(7, '0')}`;
  const contents = certificateContents(deps.catalog, service, c, approvedBy);
  const expiresAt = issues.valid_days ? new Date(now.getTime() + issues.valid_days * DAY) : null;
  const claims: DocumentClaims = {
    issuer: c.department,
    issuedAt: seconds(now),
    ...(expiresAt ? { expiresAt: seconds(expiresAt) } : {}),
    documentType: issues.document,
    documentNumber: number,
    holderName: contents.holderName,
    statusIndex: index,
    fields: contents.claims,
  };
  const signed = await signClaims(tx, deps.secret, claims, now);
  const token = randomBytes(16).toString('base64url');
  await tx.query(
    `insert into certificates (number, case_id, department, document_type, status_index, state, kid, payload, printed, claims, issued_at, expires_at, download_token)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
    [number, c.id, c.department, issues.document, index, signed ? 'issued' : 'waiting_for_key', signed?.kid ?? null, signed?.payload ?? null, JSON.stringify(contents.printed), JSON.stringify(claims), now, expiresAt, token],
  );
  if (signed) await recordInLedger(tx, [{ kind: 'certificate_issued', department: c.department, subject: number, sha256: certificatePayloadHash(signed.payload), at: now.toISOString() }], now);
  return { number, link: certificateLink(deps.publicUrl, { downloadToken: token, documentType: issues.document, number }), filename: certificateFilename(issues.document, number), signed: !!signed };
}


async function signClaims(tx: Queryable, secret: string, claims: DocumentClaims, now: Date): Promise<{ kid: string; payload: string } | undefined> {
  const key = await signingKeyOf(tx, secret, claims.issuer, now);
  if (!key.ok) return undefined;
  const signed = signDocument(claims, key.key);
  // The claims come from a validated form and the key was chosen for this department and moment.
  if (!signed.ok) throw new Error(`certificate ${claims.documentNumber}: ${signed.message}`);
  return { kid: key.key.kid, payload: signed.payload };
}

/**
 * Signs certificates that waited for their department's key, now that it may have one. They keep
 * their number and fields; their dates are the signing's. Returns the notices that send them.
 */
export async function signWaitingCertificates(tx: Queryable, deps: Pick<IssueDeps, 'secret' | 'clock' | 'publicUrl'>): Promise<CaseNotice[]> {
  const { secret, clock } = deps;
  const waiting = await tx.query<{ id: number; number: string; claims: DocumentClaims; download_token: string; wa_id: string; language: string; reference: string; service_id: string }>(
    `select t.id, t.number, t.claims, t.download_token, c.wa_id, c.language, c.reference, c.service_id
     from certificates t join cases c on c.id = t.case_id
     where t.state = 'waiting_for_key' and t.revoked_at is null order by t.id limit 500 for update of t skip locked`,
  );
  const done: CaseNotice[] = [];
  for (const w of waiting) {
    // The key must hold the issue date in its window; a key made later signs as of now.
    const claims = { ...w.claims, issuedAt: seconds(clock.now()) };
    if (w.claims.expiresAt !== undefined) claims.expiresAt = w.claims.expiresAt + (claims.issuedAt - w.claims.issuedAt);
    const signed = await signClaims(tx, secret, claims, clock.now());
    if (!signed) continue;
    await tx.query(`update certificates set state = 'issued', kid = $2, payload = $3, claims = $4, issued_at = $5, expires_at = $6 where id = $1`, [
      w.id,
      signed.kid,
      signed.payload,
      JSON.stringify(claims),
      clock.now(),
      claims.expiresAt !== undefined ? new Date(claims.expiresAt * 1000) : null,
    ]);
    await recordInLedger(tx, [{ kind: 'certificate_issued', department: w.claims.issuer, subject: w.number, sha256: certificatePayloadHash(signed.payload), at: clock.now().toISOString() }], clock.now());
    const record = { downloadToken: w.download_token, documentType: w.claims.documentType, number: w.number };
    done.push({
      waId: w.wa_id,
      language: w.language,
      reference: w.reference,
      serviceId: w.service_id,
      event: 'certificate',
      certificate: { number: w.number, link: certificateLink(deps.publicUrl, record), filename: certificateFilename(record.documentType, record.number), signed: true },
    });
  }
  return done;
}
