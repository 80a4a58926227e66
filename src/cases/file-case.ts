import type { Queryable } from '../platform/index.ts';
import { nextReference } from './reference.ts';

export interface NewCase {
  waId: string;
  serviceId: string;
  department: string;
  /** The department's reference prefix, e.g. REV. */
  prefix: string;
  kind: string;
  language: string;
  answers: Record<string, unknown>;
  /** Days the service promises, if it promises any. */
  slaDays: number | null;
  at: Date;
}

export interface FiledCase {
  id: number;
  reference: string;
  dueAt: Date | null;
}

const DAY = 86_400_000;

/** Files a citizen's application or complaint: the case, its reference and its first event, in the caller's transaction. */
export async function fileCase(tx: Queryable, c: NewCase): Promise<FiledCase> {
  const reference = await nextReference(tx, c.prefix, c.at);
  const dueAt = c.slaDays ? new Date(c.at.getTime() + c.slaDays * DAY) : null;
  const [row] = await tx.query<{ id: number }>(
    `insert into cases (reference, wa_id, service_id, department, kind, language, answers, submitted_at, due_at, updated_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $8) returning id`,
    [reference, c.waId, c.serviceId, c.department, c.kind, c.language, JSON.stringify(c.answers), c.at, dueAt],
  );
  await tx.query(`insert into case_events (case_id, at, actor, action, to_status) values ($1, $2, $3, 'submitted', 'submitted')`, [row!.id, c.at, `citizen:${c.waId}`]);
  return { id: row!.id, reference, dueAt };
}
