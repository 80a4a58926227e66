import type { Service } from '../catalog/index.ts';
import type { Queryable } from '../platform/index.ts';
import { nextReference } from './reference.ts';
import { dueAfter, officeFor, placeOf, stagesOf } from './workflow.ts';

export interface NewCase {
  waId: string;
  service: Service;
  department: string;
  /** The department's reference prefix, e.g. REV. */
  prefix: string;
  language: string;
  answers: Record<string, unknown>;
  at: Date;
}

export interface FiledCase {
  id: number;
  reference: string;
  dueAt: Date | null;
  office: string;
  unstaffed: boolean;
}

const DAY = 86_400_000;

/**
 * Files a citizen's application or complaint in the caller's transaction: the case with its reference,
 * routed to the office that works its first stage, and its first event.
 */
export async function fileCase(tx: Queryable, c: NewCase): Promise<FiledCase> {
  const reference = await nextReference(tx, c.prefix, c.at);
  const slaDays = c.service.sla_days;
  const dueAt = slaDays ? new Date(c.at.getTime() + slaDays * DAY) : null;
  const place = placeOf(c.service, c.answers);
  const [stage] = stagesOf(c.service);
  const office = officeFor(stage!.level, place);
  const [row] = await tx.query<{ id: number; unstaffed: boolean }>(
    `insert into cases (reference, wa_id, service_id, department, kind, language, answers, submitted_at, due_at, updated_at,
                        district, mandal, stage, office, stage_due_at, stage_sla_days, unstaffed)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $8, $10, $11, $12, $13, $14, $15,
             not exists (select 1 from officers where department = $4 and office = $13 and not disabled))
     returning id, unstaffed`,
    [reference, c.waId, c.service.id, c.department, c.service.kind, c.language, JSON.stringify(c.answers), c.at, dueAt, place.district, place.mandal, stage!.id, office, dueAfter(c.at, stage!), stage!.sla_days],
  );
  await tx.query(
    `insert into case_events (case_id, at, actor, action, to_status, stage, data) values ($1, $2, $3, 'submitted', 'submitted', $4, $5)`,
    [row!.id, c.at, `citizen:${c.waId}`, stage!.id, JSON.stringify({ office, unstaffed: row!.unstaffed })],
  );
  return { id: row!.id, reference, dueAt, office, unstaffed: row!.unstaffed };
}
