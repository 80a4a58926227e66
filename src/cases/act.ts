import type { Service } from '../catalog/index.ts';
import type { Clock, Queryable } from '../platform/index.ts';
import { REOPEN_LIMIT, actionsFor, type ActionName } from './actions.ts';
import { CASE_COLUMNS, caseFromRow, type Actor, type CaseNotice, type CaseRow, type Notify } from './model.ts';
import { scopeOf } from './scope.ts';
import { dueAfter, officeFor, stagesOf, type Stage } from './workflow.ts';

export type ActInput =
  | { action: 'approve'; note?: string }
  | { action: 'reject'; reason: string }
  | { action: 'return'; message: string }
  | { action: 'reassign'; officerId: number; note?: string }
  | { action: 'comment'; note: string }
  | { action: 'reply'; text?: string; media?: { mediaId: string; mimeType: string } }
  | { action: 'rate'; stars: number; note?: string }
  | { action: 'reopen'; reason: string };

export type ActProblem = 'not_found' | 'not_allowed' | 'reason_required' | 'invalid_officer' | 'invalid_rating';
export type ActOutcome = { ok: true; case: CaseRow; notices: CaseNotice[] } | { ok: false; code: ActProblem; message: string; allowed?: ActionName[] };

export interface CaseDeps {
  service(id: string): Service | undefined;
  clock: Clock;
  notify: Notify;
  /** How long a citizen may reopen a resolved grievance (days). */
  reopenWindowDays: number;
  /** Records a decision (approved, rejected, resolved, closed) where the public can check it was not changed later. */
  decided?: (tx: Queryable, c: CaseRow, decision: { actor: string; note?: string; at: Date }) => Promise<void>;
  /** Issues the document of an approved application, in the approval's transaction. */
  issue?: (tx: Queryable, c: CaseRow, service: Service, approval: { officerId: number | null; stage: Stage | undefined }) => Promise<NonNullable<CaseNotice['certificate']>>;
}

/** Which case: by id for officers, by reference for citizens (their own only). */
export type CaseKey = { id: number } | { reference: string };

const DECISIONS = new Set(['approved', 'rejected', 'resolved', 'closed']);

const fail = (code: ActProblem, message: string, allowed?: ActionName[]): ActOutcome => ({ ok: false, code, message, ...(allowed ? { allowed } : {}) });

/**
 * One thing done to a case, in the caller's transaction: the change, its event and the citizen's
 * notice commit together. A case out of the actor's reach is `not_found`, whether or not it exists.
 */
export async function actOnCase(tx: Queryable, deps: CaseDeps, actor: Actor, key: CaseKey, input: ActInput): Promise<ActOutcome> {
  const now = deps.clock.now();
  const c = await lockCase(tx, actor, key);
  if (!c) return fail('not_found', 'no such case');
  const allowed = actionsFor(actor, c, { now, reopenWindowDays: deps.reopenWindowDays });
  if (!allowed.includes(input.action)) return fail('not_allowed', `${input.action} is not possible on a case that is ${c.status}`, allowed);
  const service = deps.service(c.serviceId);
  if (!service) throw new Error(`case ${c.reference} names service ${c.serviceId}, which the catalogue no longer has`);
  const stages = stagesOf(service);
  const before = c.status;
  const next: CaseRow = { ...c, updatedAt: now };
  const notices: CaseNotice[] = [];
  const notice = (n: Omit<CaseNotice, 'waId' | 'language' | 'reference' | 'serviceId'>) => notices.push({ waId: c.waId, language: c.language, reference: c.reference, serviceId: c.serviceId, ...n });
  let note: string | undefined;
  let data: Record<string, unknown> | undefined;

  switch (input.action) {
    case 'approve': {
      note = input.note;
      const at = stages.findIndex((s) => s.id === c.stage);
      const following = stages[at + 1];
      if (following) {
        await enterStage(tx, next, following, now);
        next.status = 'in_progress';
        data = { from: c.stage, to: following.id };
        notice({ event: 'stage', stage: following.id });
      } else {
        finish(next, service.kind === 'grievance' ? 'resolved' : 'approved', now);
        const certificate =
          next.status === 'approved' && service.issues && deps.issue
            ? await deps.issue(tx, next, service, { officerId: actor.kind === 'officer' ? actor.officer.id : null, stage: stages[at] })
            : undefined;
        if (certificate) data = { certificate: certificate.number };
        notice({ event: next.status, ...(next.status === 'resolved' ? { canReopen: next.reopened < REOPEN_LIMIT } : {}), ...(certificate ? { certificate } : {}) });
      }
      break;
    }
    case 'reject':
      if (!input.reason?.trim()) return fail('reason_required', 'a rejection needs a reason the citizen can read');
      note = input.reason.trim();
      finish(next, 'rejected', now);
      notice({ event: 'rejected', message: note });
      break;
    case 'return':
      if (!input.message?.trim()) return fail('reason_required', 'say what the citizen must send');
      note = input.message.trim();
      next.status = 'returned';
      notice({ event: 'returned', message: note });
      break;
    case 'reassign': {
      const [to] = await tx.query<{ id: number; office: string }>(`select id, office from officers where id = $1 and department = $2 and not disabled`, [input.officerId, c.department]);
      if (!to) return fail('invalid_officer', 'reassign to an active officer of the same department');
      note = input.note;
      data = { from: { office: c.office, officer: c.assignedOfficer }, to: { office: to.office, officer: to.id } };
      Object.assign(next, { office: to.office, assignedOfficer: to.id, unstaffed: false, escalatedOffice: null, escalation: 0 });
      if (next.status === 'submitted') next.status = 'in_progress';
      break;
    }
    case 'comment':
      if (!input.note?.trim()) return fail('reason_required', 'a comment needs words');
      note = input.note.trim();
      break;
    case 'reply': {
      if (!input.text?.trim() && !input.media) return fail('reason_required', 'a reply needs text or a file');
      note = input.text?.trim();
      data = input.media ? { media: input.media } : undefined;
      next.status = 'in_progress';
      const stage = stages.find((s) => s.id === c.stage) ?? stages[0]!;
      next.stageDueAt = dueAfter(now, stage);
      break;
    }
    case 'rate':
      if (!Number.isInteger(input.stars) || input.stars < 1 || input.stars > 5) return fail('invalid_rating', 'a rating is 1 to 5 stars');
      note = input.note;
      data = { stars: input.stars };
      next.rating = input.stars;
      next.status = 'closed';
      next.closedAt = now;
      notice({ event: 'closed' });
      break;
    case 'reopen':
      if (!input.reason?.trim()) return fail('reason_required', 'say why it is not resolved');
      note = input.reason.trim();
      next.reopened = c.reopened + 1;
      next.resolvedAt = null;
      next.status = 'reopened';
      await enterStage(tx, next, stages[0]!, now);
      notice({ event: 'reopened' });
      break;
  }

  await saveCase(tx, next);
  await recordEvent(tx, { caseId: c.id, at: now, actor, action: input.action, from: before, to: next.status, stage: next.stage ?? c.stage, note, data });
  if (next.status !== before && DECISIONS.has(next.status)) await deps.decided?.(tx, next, { actor: actorName(actor), note, at: now });
  if (notices.length) await deps.notify(tx, notices);
  return { ok: true, case: { ...next, version: c.version + 1 }, notices };
}

async function lockCase(tx: Queryable, actor: Actor, key: CaseKey): Promise<CaseRow | undefined> {
  if (actor.kind === 'officer') {
    const scope = scopeOf(actor.officer, 2);
    const where = 'id' in key ? 'c.id = $1' : 'c.reference = $1';
    const [row] = await tx.query<CaseRow>(`select ${CASE_COLUMNS} from cases c where ${where} and ${scope.sql} for update`, ['id' in key ? key.id : key.reference, ...scope.params]);
    return row && caseFromRow(row);
  }
  if (actor.kind === 'citizen') {
    if (!('reference' in key)) return undefined;
    const [row] = await tx.query<CaseRow>(`select ${CASE_COLUMNS} from cases c where c.reference = $1 and c.wa_id = $2 for update`, [key.reference, actor.waId]);
    return row && caseFromRow(row);
  }
  const [row] = await tx.query<CaseRow>(`select ${CASE_COLUMNS} from cases c where ${'id' in key ? 'c.id' : 'c.reference'} = $1 for update`, ['id' in key ? key.id : key.reference]);
  return row && caseFromRow(row);
}

/** Moves a case to a stage: the office for the citizen's place, a fresh clock, and a flag if nobody sits there. */
async function enterStage(tx: Queryable, c: CaseRow, stage: Stage, now: Date): Promise<void> {
  c.stage = stage.id;
  c.office = officeFor(stage.level, { district: c.district, mandal: c.mandal });
  c.stageDueAt = dueAfter(now, stage);
  c.stageSlaDays = stage.sla_days;
  c.escalation = 0;
  c.escalatedOffice = null;
  c.assignedOfficer = null;
  const [row] = await tx.query<{ unstaffed: boolean }>(`select not exists (select 1 from officers where department = $1 and office = $2 and not disabled) as unstaffed`, [c.department, c.office]);
  c.unstaffed = row!.unstaffed;
}

function finish(c: CaseRow, status: 'approved' | 'rejected' | 'resolved', now: Date) {
  c.status = status;
  c.stage = null;
  c.stageDueAt = null;
  if (status === 'resolved') c.resolvedAt = now;
  else c.closedAt = now;
}

async function saveCase(tx: Queryable, c: CaseRow): Promise<void> {
  await tx.query(
    `update cases set status = $2, stage = $3, office = $4, stage_due_at = $5, stage_sla_days = $6, escalation = $7, escalated_office = $8,
       unstaffed = $9, assigned_officer = $10, resolved_at = $11, closed_at = $12, rating = $13, reopened = $14, updated_at = $15, version = version + 1
     where id = $1`,
    [c.id, c.status, c.stage, c.office, c.stageDueAt, c.stageSlaDays, c.escalation, c.escalatedOffice, c.unstaffed, c.assignedOfficer, c.resolvedAt, c.closedAt, c.rating, c.reopened, c.updatedAt],
  );
}

export interface EventInput {
  caseId: number;
  at: Date;
  actor: Actor;
  action: string;
  from: string;
  to: string;
  stage: string | null;
  note?: string;
  data?: Record<string, unknown>;
}

export const actorName = (a: Actor) => (a.kind === 'officer' ? `officer:${a.officer.id}` : a.kind === 'citizen' ? `citizen:${a.waId}` : 'system');

async function recordEvent(tx: Queryable, e: EventInput): Promise<void> {
  await tx.query(
    `insert into case_events (case_id, at, actor, action, from_status, to_status, stage, note, data) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [e.caseId, e.at, actorName(e.actor), e.action, e.from, e.to, e.stage, e.note ?? null, e.data ? JSON.stringify(e.data) : null],
  );
}
