import type { ListEntry } from '../catalog/index.ts';
import type { Queryable } from '../platform/index.ts';
import { OFFICER_COLUMNS, ROLES, toOfficer, type Officer, type Role } from './officer.ts';
import { DEFAULT_COST, hashPassword, type ScryptCost } from './password.ts';

export interface NewOfficer {
  username: string;
  password: string;
  /** Defaults to the username. */
  displayName?: string;
  /** A department code; required unless the role is state_admin. */
  department?: string | null;
  role: string;
  /** '' (the default) for the whole state, a district id or a mandal id. */
  office?: string;
  designation?: string | null;
}

export interface AddOfficerContext {
  /** The department codes of the loaded catalogue. */
  departments: ReadonlySet<string>;
  /** District and mandal ids officers may be posted to; see knownOffices. */
  offices: { has(id: string): boolean };
  /** Tests only: a cheaper scrypt cost (TEST_COST). */
  cost?: ScryptCost;
}

export type AddOfficerCode = 'username_taken' | 'weak_password' | 'invalid_username' | 'unknown_department' | 'unknown_office' | 'invalid_role';
export type AddOfficerResult = { ok: true; officer: Officer } | { ok: false; code: AddOfficerCode; message: string };

const USERNAME = /^[a-z0-9._-]{3,40}$/;
export const MIN_PASSWORD = 10;
const MAX_PASSWORD = 256;

// The commonest passwords of ten characters or more in public breach lists, and a few local favourites.
const COMMON = new Set([
  '1234567890', '0123456789', '12345678910', '9876543210', '1111111111', '0987654321', '123456789a', 'a123456789',
  'password12', 'password123', 'password1234', 'password@123', 'password@1', 'p@ssw0rd123', 'passw0rd123',
  'qwertyuiop', 'qwerty1234', 'qwerty@123', '1q2w3e4r5t', '1qaz2wsx3edc', 'q1w2e3r4t5', 'asdfghjkl1', 'zxcvbnm123',
  'iloveyou12', 'iloveyou123', 'welcome123', 'welcome@123', 'admin12345', 'admin@1234', 'admin@12345', 'administrator',
  'letmein123', 'changeme123', 'abcd@12345', 'abc@123456', 'abcdefghij', 'india@1234', 'india12345', 'india@123',
  'sairam@123', 'omsairam123', 'mitra@1234', 'mitra12345', 'andhra@123', 'andhrapradesh', 'test@12345', 'secret1234',
]);

/** Why a password is refused, or undefined when it will do. */
export function passwordProblem(password: string, username: string): string | undefined {
  const length = [...password].length;
  if (length < MIN_PASSWORD) return `a password has at least ${MIN_PASSWORD} characters`;
  if (length > MAX_PASSWORD) return `a password has at most ${MAX_PASSWORD} characters`;
  const lower = password.toLowerCase();
  if (lower === username.toLowerCase()) return 'the password may not be the username';
  if (COMMON.has(lower) || new Set(lower).size === 1) return 'that password is one of the first any attacker tries; choose another';
  return undefined;
}

/** Every district and mandal id of the catalogue's lists (ap-districts, ap-mandals): where an officer may be posted. */
export function knownOffices(lists: ReadonlyMap<string, ListEntry[]>): Set<string> {
  return new Set([...(lists.get('ap-districts') ?? []), ...(lists.get('ap-mandals') ?? [])].map((e) => e.id));
}

const fail = (code: AddOfficerCode, message: string) => ({ ok: false as const, code, message });

/** The input checked and normalised as it would be stored, or the refusal; no database needed. */
export function checkNewOfficer(input: NewOfficer, ctx: Pick<AddOfficerContext, 'departments' | 'offices'>):
  | { ok: true; officer: { username: string; displayName: string; department: string | null; role: Role; office: string; designation: string | null } }
  | { ok: false; code: AddOfficerCode; message: string } {
  if (!(ROLES as readonly string[]).includes(input.role)) return fail('invalid_role', `role must be one of ${ROLES.join(', ')} (got "${input.role}")`);
  const role = input.role as Role;
  const username = input.username.trim().toLowerCase();
  if (!USERNAME.test(username)) return fail('invalid_username', 'a username has 3 to 40 characters, each a letter, digit, dot, underscore or hyphen');
  const weak = passwordProblem(input.password, username);
  if (weak) return fail('weak_password', weak);
  const department = input.department?.trim() || null;
  if (department === null && role !== 'state_admin') return fail('unknown_department', `a department is required for the role ${role} (only a state_admin has none)`);
  if (department !== null && !ctx.departments.has(department)) return fail('unknown_department', `there is no department ${department} in the catalogue`);
  const office = (input.office ?? '').trim().toLowerCase();
  if (office !== '' && !ctx.offices.has(office)) return fail('unknown_office', `there is no district or mandal "${office}"; use a district id such as guntur or a mandal id such as guntur/tenali, or leave it empty for the whole state`);
  return { ok: true, officer: { username, displayName: input.displayName?.trim() || username, department, role, office, designation: input.designation?.trim() || null } };
}

/** Creates an officer account. Every refusal is a value with a stable code; it throws only on a database fault. */
export async function addOfficer(db: Queryable, input: NewOfficer, ctx: AddOfficerContext): Promise<AddOfficerResult> {
  const checked = checkNewOfficer(input, ctx);
  if (!checked.ok) return checked;
  const { username, displayName, department, role, office, designation } = checked.officer;
  const hash = await hashPassword(input.password, ctx.cost ?? DEFAULT_COST);
  const rows = await db.query<Officer>(
    `insert into officers as o (username, display_name, password_hash, department, role, office, designation)
     values ($1, $2, $3, $4, $5, $6, $7)
     on conflict (username) do nothing
     returning ${OFFICER_COLUMNS}`,
    [username, displayName, hash, department, role, office, designation],
  );
  if (!rows[0]) return fail('username_taken', `the username ${username} is taken`);
  return { ok: true, officer: toOfficer(rows[0]) };
}
