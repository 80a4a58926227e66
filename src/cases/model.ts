// The vocabulary of cases: who looks at them, what they are, what can happen to them.

export type Role = 'officer' | 'supervisor' | 'department_admin' | 'state_admin';

/** An officer as cases see one: what they may see and do follows from these four facts. */
export interface Officer {
  id: number;
  /** null only for a state admin. */
  department: string | null;
  role: Role;
  /** '' the state, a district id, or a mandal id (district/mandal). */
  office: string;
}

export type Actor = { kind: 'officer'; officer: Officer } | { kind: 'citizen'; waId: string } | { kind: 'system' };

export const OPEN = ['submitted', 'in_progress', 'reopened'] as const;
export type Status = (typeof OPEN)[number] | 'returned' | 'approved' | 'rejected' | 'resolved' | 'closed';

export interface CaseRow {
  id: number;
  reference: string;
  waId: string;
  serviceId: string;
  department: string;
  kind: string;
  status: Status;
  language: string;
  answers: Record<string, unknown>;
  submittedAt: Date;
  dueAt: Date | null;
  updatedAt: Date;
  district: string | null;
  mandal: string | null;
  stage: string | null;
  office: string;
  stageDueAt: Date | null;
  stageSlaDays: number | null;
  escalation: number;
  escalatedOffice: string | null;
  unstaffed: boolean;
  assignedOfficer: number | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
  rating: number | null;
  reopened: number;
  version: number;
}

export const CASE_COLUMNS = `id, reference, wa_id as "waId", service_id as "serviceId", department, kind, status, language, answers,
  submitted_at as "submittedAt", due_at as "dueAt", updated_at as "updatedAt", district, mandal, stage, office,
  stage_due_at as "stageDueAt", stage_sla_days::float8 as "stageSlaDays", escalation, escalated_office as "escalatedOffice",
  unstaffed, assigned_officer as "assignedOfficer", resolved_at as "resolvedAt", closed_at as "closedAt", rating, reopened, version`;

const DATES = ['submittedAt', 'dueAt', 'updatedAt', 'stageDueAt', 'resolvedAt', 'closedAt'] as const;
/** Rows as both drivers return them, with dates as Dates. */
export function caseFromRow(r: CaseRow): CaseRow {
  const out = { ...r };
  for (const k of DATES) if (out[k] !== null && !(out[k] instanceof Date)) (out as Record<string, unknown>)[k] = new Date(out[k] as unknown as string);
  return out;
}

/** What citizens are told about their case; the conversation words it in their language. */
export interface CaseNotice {
  waId: string;
  language: string;
  reference: string;
  serviceId: string;
  /** What happened: the new status, or 'escalated'. */
  event: Status | 'escalated' | 'stage' | 'certificate' | 'certificate_revoked';
  /** The officer's words to the citizen (what more is needed, why it was rejected). */
  message?: string;
  /** The stage now working it, for 'stage'. */
  stage?: string;
  /** For 'resolved': whether the citizen may still reopen it. */
  canReopen?: boolean;
  /** For 'approved' (and 'certificate', when it was signed later): the certificate, fetched by link. */
  certificate?: { number: string; link: string; filename: string; signed: boolean };
}

/** Writes citizen notices into the outbound queue, in the caller's transaction. */
export type Notify = (tx: import('../platform/index.ts').Queryable, notices: CaseNotice[]) => Promise<void>;
