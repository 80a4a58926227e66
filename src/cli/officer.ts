import { loadCatalog } from '../catalog/index.ts';
import { ROLES, addOfficer, checkNewOfficer, knownOffices, listOfficers, type NewOfficer, type Officer } from '../officers/index.ts';
import { migrate } from '../platform/index.ts';
import { openConfiguredDb } from './database.ts';
import { SHIPPED_CATALOG } from './catalog.ts';
import type { Command } from './index.ts';
import { commandLine } from './command-line.ts';

const USAGE = [
  'usage: mitra officer add --username U --role R [--department CODE] [--office ID] [--designation D] [--name N]',
  '                         (--password P | --password-stdin)',
  '       mitra officer list [--json]',
  '',
  `  --role          ${ROLES.join(', ')}`,
  '  --department    a department code of the catalogue, e.g. REV01 (required except for state_admin)',
  "  --office        jurisdiction: a district id (guntur) or a mandal id (guntur/tenali); omitted: the whole state",
  "  --designation   the post held, as workflow stages name it (Tahsildar, VRO)",
  '  --name          display name; defaults to the username',
  '  --password-stdin  read the password from standard input (keeps it out of the shell history)',
  '',
  'Uses DATABASE_URL, or the embedded database in DATA_DIR/pglite. The embedded database opens in one',
  'process at a time: stop the server (npm start) first, or run Mitra on PostgreSQL.',
].join('\n');

const { say, usage, parse, config: configFromEnv } = commandLine('officer', USAGE);

export const officerCommand: Command = {
  summary: 'add and list back-office officer accounts',
  usage: USAGE,
  async run(args) {
    const parsed = parse(args, {
      username: { type: 'string' },
      password: { type: 'string' },
      'password-stdin': { type: 'boolean', default: false },
      department: { type: 'string' },
      role: { type: 'string' },
      office: { type: 'string', default: '' },
      designation: { type: 'string' },
      name: { type: 'string' },
      json: { type: 'boolean', default: false },
    });
    if (!parsed) return 2;
    const [sub, ...extra] = parsed.positionals;
    if ((sub !== 'add' && sub !== 'list') || extra.length) return usage('the subcommand is `add` or `list`');
    const v = parsed.values;
    if (sub === 'add') {
      const missing = (['username', 'role'] as const).filter((k) => !v[k]);
      if (missing.length) return usage(`${missing.map((k) => `--${k}`).join(' and ')} ${missing.length > 1 ? 'are' : 'is'} required`);
      if (!v.department && v.role !== 'state_admin') return usage('--department is required (only a state_admin has none)');
      if ((v.password !== undefined) === v['password-stdin']) return usage('give the password with exactly one of --password P or --password-stdin');
    }

    const config = configFromEnv();
    if (!config) return 1;

    let context;
    let password = v.password ?? '';
    if (sub === 'add') {
      const dir = config.CATALOG_DIR ?? SHIPPED_CATALOG;
      let catalog;
      try {
        catalog = loadCatalog(dir);
      } catch (err) {
        say(`cannot read the catalogue in ${dir}: ${(err as Error).message}`);
        return 1;
      }
      if (!catalog.ok) {
        say(`the catalogue in ${dir} is not valid (${catalog.problems.length} problems); run \`mitra catalog check\``);
        return 1;
      }
      context = { departments: new Set(catalog.catalog.departments.map((d) => d.code)), offices: knownOffices(catalog.catalog.lists) };
      if (v['password-stdin']) password = (await readStdin()).replace(/\r?\n$/, '');
      // Everything but a taken username can be refused before the database is opened.
      const checked = checkNewOfficer(newOfficer(v, password), context);
      if (!checked.ok) {
        say(`${checked.message} (${checked.code})`);
        return 1;
      }
    }

    const db = await openConfiguredDb(config, say);
    if (!db) return 1;
    try {
      await migrate(db);
      if (sub === 'list') {
        const officers = await listOfficers(db);
        if (v.json) console.log(JSON.stringify(officers, null, 2));
        else printTable(officers);
        return 0;
      }
      const result = await addOfficer(db, newOfficer(v, password), context!);
      if (!result.ok) {
        say(`${result.message} (${result.code})`);
        return 1;
      }
      const o = result.officer;
      console.log(`officer ${o.username} added (id ${o.id}): ${o.role}${o.department ? `, ${o.department}` : ''}, ${o.office || 'whole state'}${o.designation ? `, ${o.designation}` : ''}`);
      return 0;
    } catch (err) {
      say(`the database failed: ${(err as Error).message}`);
      return 1;
    } finally {
      await db.close().catch(() => {});
    }
  },
};

const newOfficer = (v: { username?: string; role?: string; department?: string; office?: string; designation?: string; name?: string }, password: string): NewOfficer => ({
  username: v.username ?? '',
  password,
  role: v.role ?? '',
  department: v.department ?? null,
  office: v.office ?? '',
  designation: v.designation ?? null,
  displayName: v.name,
});

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function printTable(officers: Officer[]): void {
  if (officers.length === 0) {
    console.log('no officers yet; add one with `mitra officer add`');
    return;
  }
  const rows = officers.map((o) => [String(o.id), o.username, o.displayName, o.role, o.department ?? '-', o.office || '(state)', o.designation ?? '-', o.disabled ? 'disabled' : 'active']);
  const header = ['id', 'username', 'name', 'role', 'department', 'office', 'designation', 'status'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const r of [header, ...rows]) console.log(r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
}
