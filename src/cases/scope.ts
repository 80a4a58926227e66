import type { Officer } from './model.ts';

/**
 * The cases an officer may see, as a SQL condition on `cases` (alias c) with its parameters numbered
 * from `from`. Every query that reads or changes a case for an officer goes through this.
 * - officer: their department, the cases now at their own office;
 * - supervisor: their department, every case at their office or below it, and escalations to it;
 * - department admin: their whole department; state admin: everything.
 */
export function scopeOf(o: Officer, from: number): { sql: string; params: unknown[] } {
  if (o.role === 'state_admin') return { sql: 'true', params: [] };
  const dept = `c.department = $${from}`;
  if (o.role === 'department_admin') return { sql: dept, params: [o.department] };
  if (o.role === 'officer') return { sql: `${dept} and c.office = $${from + 1}`, params: [o.department, o.office] };
  if (o.office === '') return { sql: dept, params: [o.department] };
  return {
    sql: `${dept} and (c.office = $${from + 1} or c.office like $${from + 2} or c.escalated_office = $${from + 1} or c.escalated_office like $${from + 2})`,
    params: [o.department, o.office, `${o.office}/%`],
  };
}

/** The same rule in code, for a case already loaded. */
export function inScope(o: Officer, c: { department: string; office: string; escalatedOffice: string | null }): boolean {
  if (o.role === 'state_admin') return true;
  if (c.department !== o.department) return false;
  if (o.role === 'department_admin') return true;
  if (o.role === 'officer') return c.office === o.office;
  const under = (x: string | null) => x !== null && (o.office === '' || x === o.office || x.startsWith(`${o.office}/`));
  return under(c.office) || under(c.escalatedOffice);
}
