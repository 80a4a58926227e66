import type { Service } from '../catalog/index.ts';

/** One stage of a case's workflow, as the catalogue gives it (or the default for services without one). */
export interface Stage {
  id: string;
  name: { te: string; en: string };
  role: string;
  level: 'state' | 'district' | 'mandal' | 'village';
  sla_days: number;
}

const DEFAULT_NAME = { te: 'శాఖ పరిశీలన', en: 'Review by the department' };

/**
 * The stages a service's cases go through. Services other than applications may name none: they are
 * worked in one stage by the department at the service's own level, within its SLA.
 */
export function stagesOf(service: Service): Stage[] {
  if (service.workflow?.length) return service.workflow;
  const sla = service.sla_days && service.sla_days > 0 ? service.sla_days : service.kind === 'grievance' ? 15 : 1;
  return [{ id: 'review', name: DEFAULT_NAME, role: service.kind === 'grievance' ? 'Grievance Redressal Officer' : 'Department officer', level: service.jurisdiction, sla_days: sla }];
}

export interface Place {
  district: string | null;
  mandal: string | null;
}

/** The office that works a stage for a citizen's place. Villages have no office data yet: their mandal's works it. */
export function officeFor(level: Stage['level'], place: Place): string {
  if (level === 'state') return '';
  if (level === 'district') return place.district ?? '';
  return place.mandal ?? place.district ?? '';
}

/** The office above: a mandal's district, a district's state; the state has none. */
export function parentOffice(office: string): string | undefined {
  if (office === '') return undefined;
  const i = office.lastIndexOf('/');
  return i < 0 ? '' : office.slice(0, i);
}

/** Where a citizen's answers place them: the answers to the service's district and mandal questions. */
export function placeOf(service: Service, answers: Record<string, unknown>): Place {
  const pick = (list: string) => {
    const field = service.fields.find((f) => f.list === list);
    const v = field ? answers[field.id] : undefined;
    return typeof v === 'string' ? v : null;
  };
  return { district: pick('ap-districts'), mandal: pick('ap-mandals') };
}

const DAY = 86_400_000;
export const dueAfter = (from: Date, stage: Stage) => new Date(from.getTime() + Math.max(stage.sla_days, 0.5) * DAY);
