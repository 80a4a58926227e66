import { scopeOf, type CaseNotice, type Notify, type Officer } from '../cases/index.ts';
import type { Clock, Queryable } from '../platform/index.ts';
import { certificatePayloadHash, recordInLedger, sha256Hex } from '../transparency-log/index.ts';

export type Revocation =
  | { ok: true; number: string; revokedAt: Date }
  | { ok: false; code: 'not_found' | 'already_revoked' | 'reason_required'; message: string };

/**
 * An officer revokes the certificate of a case in their reach, with a reason the citizen reads. The
 * mark, the case event and the citizen's notice commit together; verifiers see it in the next status
 * list. A certificate out of reach is not_found, whether or not it exists.
 */
export async function revokeCertificate(
  tx: Queryable,
  deps: { clock: Clock; notify: Notify },
  officer: Officer,
  caseId: number,
  reason: string,
): Promise<Revocation> {
  if (!reason.trim()) return { ok: false, code: 'reason_required', message: 'a revocation needs a reason the citizen can read' };
  const scope = scopeOf(officer, 2);
  const [row] = await tx.query<{ id: number; number: string; payload: string | null; department: string; case_id: number; state: string; revoked_at: Date | null; wa_id: string; language: string; reference: string; service_id: string; status: string }>(
    `select t.id, t.number, t.payload, t.department, t.case_id, t.state, t.revoked_at, c.wa_id, c.language, c.reference, c.service_id, c.status
     from certificates t join cases c on c.id = t.case_id
     where t.case_id = $1 and ${scope.sql} for update of t`,
    [caseId, ...scope.params],
  );
  if (!row) return { ok: false, code: 'not_found', message: 'this case has no certificate' };
  const number = row.number;
  if (row.revoked_at) return { ok: false, code: 'already_revoked', message: `${number} was revoked on ${new Date(row.revoked_at).toISOString()}` };
  const now = deps.clock.now();
  await tx.query(`update certificates set revoked_at = $2, revoked_reason = $3, revoked_by = $4 where id = $1`, [row.id, now, reason.trim(), `officer:${officer.id}`]);
  await tx.query(
    `insert into case_events (case_id, at, actor, action, from_status, to_status, note, data) values ($1, $2, $3, 'certificate_revoked', $4, $4, $5, $6)`,
    [row.case_id, now, `officer:${officer.id}`, row.status, reason.trim(), JSON.stringify({ certificate: number })],
  );
  await recordInLedger(tx, [{ kind: 'certificate_revoked', department: row.department, subject: number, sha256: row.payload ? certificatePayloadHash(row.payload) : sha256Hex(number), at: now.toISOString() }], now);
  const notice: CaseNotice = { waId: row.wa_id, language: row.language, reference: row.reference, serviceId: row.service_id, event: 'certificate_revoked', message: reason.trim(), certificate: { number, link: '', filename: '', signed: false } };
  await deps.notify(tx, [notice]);
  return { ok: true, number, revokedAt: now };
}
