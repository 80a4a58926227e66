import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Catalog } from '../catalog/index.ts';
import type { Queryable } from '../platform/index.ts';
import { addOfficer, knownOffices } from './add-officer.ts';
import type { ScryptCost } from './password.ts';

export interface DemoLogins {
  password: string;
  /** Where the password is kept, for the start banner. */
  file: string;
  usernames: string[];
}

/**
 * With the simulator and no officer yet, a newcomer gets one sign-in per department (`rev.admin`,
 * `pgrs.admin`…, each seeing its whole department), one Revenue officer at Tenali mandal (where the
 * demo citizen's applications land) and a state admin; all with one random password kept in DATA_DIR.
 */
export async function seedDemoOfficers(db: Queryable, catalog: Catalog, dataDir: string, cost?: ScryptCost): Promise<DemoLogins | undefined> {
  const file = join(dataDir, 'demo-officers.txt');
  const [{ n } = { n: 0 }] = await db.query<{ n: number }>('select count(*)::int as n from officers');
  if (n > 0) return existsSync(file) ? read(file) : undefined;
  const password = `demo-${randomBytes(9).toString('base64url')}`;
  const ctx = { departments: new Set(catalog.departments.map((d) => d.code)), offices: knownOffices(catalog.lists), cost };
  const usernames: string[] = [];
  const first = await addOfficer(db, { username: 'state.admin', password, displayName: 'State admin (demo)', department: null, role: 'state_admin', office: '' }, ctx);
  if (!first.ok) throw new Error(`demo officer state.admin: ${first.message}`);
  usernames.push('state.admin');
  // One password for every demo sign-in: its (slow, memory-hard) hash is computed once and shared.
  const add = async (username: string, displayName: string, department: string, role: string, office = '') => {
    await db.query(
      `insert into officers (username, display_name, password_hash, department, role, office) select $1, $2, password_hash, $3, $4, $5 from officers where username = 'state.admin'`,
      [username, displayName, department, role, office],
    );
    usernames.push(username);
  };
  for (const d of catalog.departments) await add(`${d.prefix.toLowerCase()}.admin`, `${d.name.en} (demo)`, d.code, 'department_admin');
  if (catalog.departments.some((d) => d.code === 'REV01')) await add('vro.tenali', 'VRO, Tenali (demo)', 'REV01', 'officer', 'guntur/tenali');
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, `password ${password}\n${usernames.join('\n')}\n`, { mode: 0o600 });
  return { password, file, usernames };
}

function read(file: string): DemoLogins {
  const [first = '', ...rest] = readFileSync(file, 'utf8').trim().split('\n');
  return { password: first.replace(/^password /, ''), file, usernames: rest };
}
