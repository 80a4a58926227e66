import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { LIST_PARENT, loadLists, type ListEntry } from './lists.ts';
import { DepartmentFile, type Service } from './schema.ts';

export interface CatalogProblem {
  file: string;
  /** Where in the file, as a path of keys and indexes: services[3].fields[0].type */
  path: string;
  line?: number;
  reason: string;
}

export interface Department {
  code: string;
  prefix: string;
  name: { te: string; en: string };
  services: Service[];
  file: string;
}

export interface Catalog {
  departments: Department[];
  services: Map<string, Service & { department: string }>;
  lists: Map<string, ListEntry[]>;
}

export type CatalogResult = { ok: true; catalog: Catalog } | { ok: false; problems: CatalogProblem[] };

const pathText = (path: readonly PropertyKey[]) =>
  path.reduce<string>((s, k) => (typeof k === 'number' ? `${s}[${k}]` : s ? `${s}.${String(k)}` : String(k)), '');

/**
 * Reads and checks the whole catalogue: every department file against the schema, then what no
 * single file can see (duplicate codes, prefixes and service ids, lists that do not exist).
 * Never throws for a bad catalogue: it returns every problem with file, path, line and reason.
 */
export function loadCatalog(root: string): CatalogResult {
  const problems: CatalogProblem[] = [];
  const lists = loadLists(join(root, 'lists'));
  const dir = join(root, 'departments');
  const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
  const departments: Department[] = [];
  for (const name of files) {
    const file = relative(process.cwd(), join(dir, name)) || name;
    const lines = new LineCounter();
    const doc = parseDocument(readFileSync(join(dir, name), 'utf8'), { lineCounter: lines, uniqueKeys: true });
    if (doc.errors.length) {
      for (const e of doc.errors) problems.push({ file, path: '', line: e.linePos?.[0]?.line, reason: `not valid YAML: ${e.message.split('\n')[0]}` });
      continue;
    }
    const parsed = DepartmentFile.safeParse(doc.toJS());
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        // An unknown key is best shown where it is written, not where its parent starts.
        const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path;
        problems.push({ file, path: pathText(path), line: lineOf(doc, lines, path), reason: plain(issue) });
      }
      continue;
    }
    const d = parsed.data.department;
    departments.push({ code: d.code, prefix: d.prefix, name: d.name, services: parsed.data.services, file });
    parsed.data.services.forEach((s, i) => {
      s.fields.forEach((f, j) => {
        if (!f.list) return;
        const at = { file, path: `services[${i}].fields[${j}].list`, line: lineOf(doc, lines, ['services', i, 'fields', j, 'list']) };
        if (!lists.has(f.list)) problems.push({ ...at, reason: `there is no shared list ${f.list}; the lists are ${[...lists.keys()].join(', ')}` });
        const parent = LIST_PARENT[f.list];
        const within = s.fields.find((x) => x.id === f.within);
        if (parent && within?.list !== parent) problems.push({ ...at, reason: `${f.list} is chosen within a ${parent} field; set within to the field that asks it` });
      });
    });
  }
  const services = new Map<string, Service & { department: string }>();
  const seen = { code: new Map<string, string>(), prefix: new Map<string, string>() };
  for (const d of departments) {
    for (const [key, value] of [['code', d.code], ['prefix', d.prefix]] as const) {
      const other = seen[key].get(value);
      if (other) problems.push({ file: d.file, path: `department.${key}`, reason: `department ${key} ${value} is already used by ${other}` });
      seen[key].set(value, d.file);
    }
    d.services.forEach((s, i) => {
      const other = services.get(s.id);
      if (other) problems.push({ file: d.file, path: `services[${i}].id`, reason: `service id ${s.id} is already used in department ${other.department}` });
      else services.set(s.id, { ...s, department: d.code });
    });
  }
  if (departments.length === 0 && problems.length === 0) problems.push({ file: dir, path: '', reason: 'no department files (*.yaml) found' });
  return problems.length ? { ok: false, problems } : { ok: true, catalog: { departments, services, lists } };
}

function lineOf(doc: ReturnType<typeof parseDocument>, lines: LineCounter, path: readonly PropertyKey[]): number | undefined {
  // The deepest node that exists along the path: a missing key points at its parent.
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n) as (string | number)[], true) as { range?: [number, number, number] } | undefined;
    if (node?.range) return lines.linePos(node.range[0]).line;
  }
  return undefined;
}

function plain(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')} (a typo?)`;
  if (issue.code === 'invalid_type' && issue.input === undefined) return issue.message.startsWith('Invalid input') ? `${String(issue.path.at(-1))} is required` : issue.message;
  return issue.message;
}
