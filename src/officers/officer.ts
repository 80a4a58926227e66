import type { Queryable } from '../platform/index.ts';

export const ROLES = ['officer', 'supervisor', 'department_admin', 'state_admin'] as const;
export type Role = (typeof ROLES)[number];

/** An officer account as the rest of Mitra sees it: never its password hash. */
export interface Officer {
  id: number;
  username: string;
  displayName: string;
  /** A department code such as REV01; null only for a state admin. */
  department: string | null;
  role: Role;
  /** Jurisdiction: '' the whole state, a district id ('guntur') or a mandal id ('guntur/tenali'). */
  office: string;
  /** The post held (Tahsildar, VRO…), as a workflow stage's role names it; null when none. */
  designation: string | null;
  disabled: boolean;
  createdAt: Date;
}

/** Columns that make an Officer, for `select ${OFFICER_COLUMNS} from officers o`. */
export const OFFICER_COLUMNS = `o.id, o.username, o.display_name as "displayName", o.department, o.role, o.office, o.designation, o.disabled, o.created_at as "createdAt"`;

// PGlite and node-postgres both return timestamptz as Date; a string would come from a JSON path.
export const toOfficer = (r: Officer): Officer => ({
  id: Number(r.id),
  username: r.username,
  displayName: r.displayName,
  department: r.department,
  role: r.role,
  office: r.office,
  designation: r.designation,
  disabled: r.disabled,
  createdAt: new Date(r.createdAt),
});

/** Every officer, by department then username. */
export async function listOfficers(db: Queryable): Promise<Officer[]> {
  const rows = await db.query<Officer>(`select ${OFFICER_COLUMNS} from officers o order by o.department nulls first, o.username`);
  return rows.map(toOfficer);
}

/** One officer by username (any case), or undefined. */
export async function findOfficer(db: Queryable, username: string): Promise<Officer | undefined> {
  const [row] = await db.query<Officer>(`select ${OFFICER_COLUMNS} from officers o where o.username = $1`, [username.trim().toLowerCase()]);
  return row && toOfficer(row);
}
