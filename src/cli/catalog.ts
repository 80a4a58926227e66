import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadCatalog } from '../catalog/index.ts';
import type { Command } from './index.ts';

export const SHIPPED_CATALOG = fileURLToPath(new URL('../../catalog', import.meta.url));

export const catalogCommand: Command = {
  summary: 'check the service catalogue (catalog/departments/*.yaml) and report every problem',
  usage: [
    'usage: mitra catalog check [--dir catalog] [--json]',
    '',
    'Exit 0 when every file is valid; otherwise each problem is printed as file:line path: reason, exit 1.',
  ].join('\n'),
  async run(args) {
    let parsed;
    try {
      parsed = parseArgs({ args, allowPositionals: true, options: { dir: { type: 'string', default: SHIPPED_CATALOG }, json: { type: 'boolean', default: false } } });
    } catch (err) {
      console.error(`mitra catalog: ${(err as Error).message}`);
      return 2;
    }
    if (parsed.positionals[0] !== 'check') {
      console.error('mitra catalog: the subcommand is `check`; see `mitra catalog --help`');
      return 2;
    }
    const { dir, json } = parsed.values;
    let result;
    try {
      result = loadCatalog(dir);
    } catch (err) {
      console.error(`mitra catalog: cannot read ${dir}: ${(err as Error).message}`);
      return 1;
    }
    if (json) {
      console.log(JSON.stringify(result.ok ? { ok: true, departments: result.catalog.departments.length, services: result.catalog.services.size } : result, null, 2));
      return result.ok ? 0 : 1;
    }
    if (!result.ok) {
      for (const p of result.problems) console.error(`${p.file}${p.line ? `:${p.line}` : ''}${p.path ? ` ${p.path}` : ''}: ${p.reason}`);
      console.error(`\n${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}; the catalogue was not accepted.`);
      return 1;
    }
    const { departments, services } = result.catalog;
    const kinds = new Map<string, number>();
    for (const s of services.values()) kinds.set(s.kind, (kinds.get(s.kind) ?? 0) + 1);
    console.log(`catalogue ok: ${departments.length} departments, ${services.size} services (${[...kinds].map(([k, n]) => `${n} ${k}`).join(', ')})`);
    return 0;
  },
};
