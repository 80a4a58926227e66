import type { Queryable } from '../platform/index.ts';
import { actionsFor, type ActionName } from './actions.ts';
import { CASE_COLUMNS, caseFromRow, type CaseRow, type Officer } from './model.ts';
import { scopeOf } from './scope.ts';

export interface QueueFilter {
  service?: string;
  status?: string;
  district?: string;
  /** Only cases past their stage's SLA. */
  overdue?: boolean;
  /** Finished cases too (default: open ones only). */
  all?: boolean;
  sort?: 'sla' | 'newest' | 'oldest';
  limit?: number;
  offset?: number;
}

const ORDER = {
  // Least time left first; cases waiting on the citizen (no clock) last.
  sla: 'c.stage_due_at asc nulls last, c.id',
  newest: 'c.submitted_at desc, c.id desc',
  oldest: 'c.submitted_at asc, c.id',
} as const;

/** An officer's queue: the cases in their reach, filtered and sorted, one page at a time. */
export async function officerQueue(db: Queryable, officer: Officer, f: QueueFilter, now: Date): Promise<CaseRow[]> {
  const scope = scopeOf(officer, 1);
  const params: unknown[] = [...scope.params];
  const where = [scope.sql];
  const add = (sql: (n: number) => string, v: unknown) => {
    params.push(v);
    where.push(sql(params.length));
  };
  if (!f.all) where.push('c.closed_at is null');
  if (f.service) add((n) => `c.service_id = $${n}`, f.service);
  if (f.status) add((n) => `c.status = $${n}`, f.status);
  if (f.district) add((n) => `c.district = $${n}`, f.district);
  if (f.overdue) add((n) => `c.stage_due_at < $${n} and c.status <> 'returned'`, now);
  params.push(Math.min(Math.max(f.limit ?? 50, 1), 200), Math.max(f.offset ?? 0, 0));
  const rows = await db.query<CaseRow>(
    `select ${CASE_COLUMNS} from cases c where ${where.join(' and ')} order by ${ORDER[f.sort ?? 'sla']} limit $${params.length - 1} offset $${params.length}`,
    params,
  );
  return rows.map(caseFromRow);
}

export interface CaseEvent {
  at: Date;
  actor: string;
  action: string;
  fromStatus: string | null;
  toStatus: string | null;
  stage: string | null;
  note: string | null;
  data: Record<string, unknown> | null;
}

export interface CaseDetail {
  case: CaseRow;
  events: CaseEvent[];
  /** What this officer may do now. */
  actions: ActionName[];
}

/** One case as an officer sees it, or undefined when it is out of their reach (or does not exist). */
export async function caseForOfficer(db: Queryable, officer: Officer, id: number, opts: { now: Date; reopenWindowDays: number }): Promise<CaseDetail | undefined> {
  const scope = scopeOf(officer, 2);
  const [row] = await db.query<CaseRow>(`select ${CASE_COLUMNS} from cases c where c.id = $1 and ${scope.sql}`, [id, ...scope.params]);
  if (!row) return undefined;
  const c = caseFromRow(row);
  const events = await db.query<CaseEvent>(
    `select at, actor, action, from_status as "fromStatus", to_status as "toStatus", stage, note, data from case_events where case_id = $1 order by id`,
    [id],
  );
  return { case: c, events: events.map((e) => ({ ...e, at: new Date(e.at) })), actions: actionsFor({ kind: 'officer', officer }, c, opts) };
}

export interface Dashboard {
  open: number;
  overdue: number;
  unstaffed: number;
  escalated: number;
  resolvedThisWeek: number;
  /** Mean days from filing to a decision, over cases decided in the last 30 days. */
  averageDaysToResolve: number | null;
}

/** The figures of everything in an officer's reach. */
export async function dashboard(db: Queryable, officer: Officer, now: Date): Promise<Dashboard> {
  const scope = scopeOf(officer, 2);
  const [r] = await db.query<Dashboard>(
    `select
       count(*) filter (where c.closed_at is null and c.status <> 'resolved')::int as open,
       count(*) filter (where c.closed_at is null and c.status <> 'returned' and c.stage_due_at < $1)::int as overdue,
       count(*) filter (where c.closed_at is null and c.unstaffed)::int as unstaffed,
       count(*) filter (where c.closed_at is null and c.escalation > 0)::int as escalated,
       count(*) filter (where coalesce(c.resolved_at, c.closed_at) >= $1::timestamptz - interval '7 days' and c.status in ('approved', 'rejected', 'resolved', 'closed'))::int as "resolvedThisWeek",
       (avg(extract(epoch from (coalesce(c.resolved_at, c.closed_at) - c.submitted_at)) / 86400)
          filter (where coalesce(c.resolved_at, c.closed_at) >= $1::timestamptz - interval '30 days'))::float8 as "averageDaysToResolve"
     from cases c where ${scope.sql}`,
    [now, ...scope.params],
  );
  return r!;
}
