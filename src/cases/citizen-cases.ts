import type { Queryable } from '../platform/index.ts';

export interface CaseSummary {
  reference: string;
  serviceId: string;
  kind: string;
  status: string;
  submittedAt: Date;
  dueAt: Date | null;
}

const columns = `reference, service_id as "serviceId", kind, status, submitted_at as "submittedAt", due_at as "dueAt"`;

// Both queries take the citizen's WhatsApp id: a citizen can only ever reach their own cases.

/** One of the citizen's cases by its reference; undefined for a reference that is not theirs. */
export async function findCitizenCase(db: Queryable, waId: string, reference: string): Promise<CaseSummary | undefined> {
  const [row] = await db.query<CaseSummary>(`select ${columns} from cases where reference = $1 and wa_id = $2`, [reference, waId]);
  return row && withDates(row);
}

/** The citizen's latest cases, newest first. */
export async function listCitizenCases(db: Queryable, waId: string, limit = 30): Promise<CaseSummary[]> {
  const rows = await db.query<CaseSummary>(`select ${columns} from cases where wa_id = $1 order by submitted_at desc, id desc limit $2`, [waId, limit]);
  return rows.map(withDates);
}

// PGlite and node-postgres both return timestamptz as Date; a string would come from a JSON path.
const withDates = (r: CaseSummary): CaseSummary => ({ ...r, submittedAt: new Date(r.submittedAt), dueAt: r.dueAt ? new Date(r.dueAt) : null });
