import type { Clock, Db, Queryable } from '../platform/index.ts';
import { CASE_COLUMNS, caseFromRow, type CaseNotice, type CaseRow, type Notify } from './model.ts';

export interface SweepDeps {
  clock: Clock;
  notify: Notify;
  reopenWindowDays: number;
  /** Records a closing in the ledger, as an officer's decision is (see CaseDeps). */
  decided?: (tx: Queryable, c: CaseRow, decision: { actor: string; at: Date }) => Promise<void>;
  /** Cases changed per transaction. */
  batch?: number;
  /** Transactions at once: the sweep's time is mostly the database's, and it has more than one core. */
  parallel?: number;
}

// A stage past its SLA is seen one level further up (mandal → district → state) and gets a fresh
// clock, so a case still stuck climbs again. Both steps are one statement each over all due cases:
// the sweep's state is the cases themselves, so it survives restarts, and SKIP LOCKED lets several
// processes sweep at once without escalating a case twice.
const ESCALATE = `
with due as (
  select id from cases
  where closed_at is null and status <> 'returned' and stage is not null and stage_due_at <= $1
  order by stage_due_at limit $2 for update skip locked
), up as (
  update cases c set
    escalation = c.escalation + 1,
    escalated_office = case when strpos(coalesce(c.escalated_office, c.office), '/') > 0 then split_part(coalesce(c.escalated_office, c.office), '/', 1) else '' end,
    stage_due_at = $1::timestamptz + make_interval(secs => greatest(coalesce(c.stage_sla_days, 1), 0.5)::float8 * 86400),
    updated_at = $1, version = c.version + 1
  from due where c.id = due.id
  returning c.id, c.wa_id, c.language, c.reference, c.service_id, c.status, c.stage, c.escalated_office, c.escalation
), ev as (
  insert into case_events (case_id, at, actor, action, from_status, to_status, stage, data)
  select id, $1, 'system', 'escalated', status, status, stage, jsonb_build_object('office', escalated_office, 'level', escalation) from up
)
select wa_id as "waId", language, reference, service_id as "serviceId" from up`;

// A resolved grievance the citizen neither rated nor reopened in time is closed.
const CLOSE = `
with done as (
  update cases set status = 'closed', closed_at = $1, updated_at = $1, version = version + 1
  where id in (select id from cases where status = 'resolved' and closed_at is null and resolved_at <= $1::timestamptz - make_interval(days => $2) limit $3 for update skip locked)
  returning ${CASE_COLUMNS}
), ev as (
  insert into case_events (case_id, at, actor, action, from_status, to_status) select id, $1, 'system', 'closed', 'resolved', 'closed' from done
)
select * from done`;

/** Escalates every case past its stage's SLA and closes resolved grievances past their reopen window. */
export async function sweepCases(db: Db, deps: SweepDeps): Promise<{ escalated: number; closed: number }> {
  const batch = deps.batch ?? 5000;
  const now = deps.clock.now();
  let escalated = 0;
  const escalateAll = async () => {
    for (;;) {
      const n = await db.transaction(async (tx) => {
        const rows = await tx.query<{ waId: string; language: string; reference: string; serviceId: string }>(ESCALATE, [now, batch]);
        const notices: CaseNotice[] = rows.map((r) => ({ ...r, event: 'escalated' }));
        if (notices.length) await deps.notify(tx, notices);
        return rows.length;
      });
      escalated += n;
      if (n < batch) return;
    }
  };
  // SKIP LOCKED hands each loop different cases; a loop stops at its first short batch.
  await Promise.all(Array.from({ length: Math.max(1, deps.parallel ?? 2) }, escalateAll));
  let closed = 0;
  for (;;) {
    const n = await db.transaction(async (tx) => {
      const rows = (await tx.query<CaseRow>(CLOSE, [now, deps.reopenWindowDays, batch])).map(caseFromRow);
      for (const c of rows) await deps.decided?.(tx, c, { actor: 'system', at: now });
      // The citizen was asked to rate it; they are told it is closed, as after a rating.
      const notices: CaseNotice[] = rows.map((c) => ({ waId: c.waId, language: c.language, reference: c.reference, serviceId: c.serviceId, event: 'closed' }));
      if (notices.length) await deps.notify(tx, notices);
      return rows.length;
    });
    closed += n;
    if (n < batch) break;
  }
  return { escalated, closed };
}
