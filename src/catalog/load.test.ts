import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadCatalog } from './load.ts';

const shipped = fileURLToPath(new URL('../../catalog', import.meta.url));
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A catalogue in a temp dir: the shipped lists plus the department files given. */
function catalogOf(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'mitra-catalog-'));
  dirs.push(root);
  cpSync(join(shipped, 'lists'), join(root, 'lists'), { recursive: true });
  mkdirSync(join(root, 'departments'));
  for (const [name, body] of Object.entries(files)) writeFileSync(join(root, 'departments', name), body);
  return root;
}

const department = (code = 'TST01', prefix = 'TST') => `department:\n  code: ${code}\n  prefix: ${prefix}\n  name: { te: పరీక్ష శాఖ, en: Test }\n`;
const service = (id: string, extra = '') => `
  - id: ${id}
    name: { te: సేవ, en: Service }
    summary: { te: ఒక సేవ, en: A service }
    keywords: { en: [test] }
    kind: information
    fee: { amount: 0 }
    sla_days: null
    information: { te: సమాచారం, en: Information }${extra}
`;

function problems(files: Record<string, string>) {
  const r = loadCatalog(catalogOf(files));
  assert.ok(!r.ok, 'the catalogue should have been refused');
  return r.problems.map((p) => `${p.file.split('/').pop()}:${p.line ?? '-'} ${p.path}: ${p.reason}`);
}

test('a new department and service are a YAML file, with no code change', () => {
  const r = loadCatalog(catalogOf({ 'water.yaml': department('WAT01', 'WAT') + 'services:' + service('tanker-booking-info') }));
  assert.ok(r.ok);
  assert.equal(r.catalog.services.get('tanker-booking-info')?.department, 'WAT01');
});

test('broken YAML names the file and line', () => {
  const [p] = problems({ 'bad.yaml': department() + 'services:\n  - id: [unclosed\n' });
  assert.match(p!, /^bad\.yaml:\d+ : not valid YAML/);
});

test('a misspelt key is reported as unknown, with its path and line', () => {
  const [p] = problems({ 'a.yaml': department() + 'services:' + service('a', '\n    sla_dayz: 3') });
  assert.equal(p, 'a.yaml:14 services[0].sla_dayz: unknown key sla_dayz (a typo?)');
});

test('a missing Telugu text is named in plain words', () => {
  const [p] = problems({ 'a.yaml': department() + 'services:' + service('a').replace('{ te: సేవ, en: Service }', '{ en: Service }') });
  assert.match(p!, /services\[0\]\.name\.te: the service name needs a Telugu text \(te\)/);
});

test('an unknown field type lists the types there are', () => {
  const [p] = problems({ 'a.yaml': department() + 'services:' + service('a').replace('kind: information', 'kind: application') + '    fields:\n      - { id: phone, type: telephone, label: { te: ఫోన్, en: Phone } }\n    workflow:\n      - { id: ok, name: { te: ఆమోదం, en: Approval }, role: Tahsildar, level: mandal, sla_days: 1 }\n' });
  assert.match(p!, /fields\[0\]\.type: type must be one of text, person_name, .*aadhaar/);
});

test('an application without a workflow, or stages slower than its SLA, is refused', () => {
  const app = service('a').replace('kind: information', 'kind: application').replace('sla_days: null', 'sla_days: 2') + '    fields:\n      - { id: name, type: person_name, label: { te: పేరు, en: Name } }\n';
  assert.match(problems({ 'a.yaml': department() + 'services:' + app })[0]!, /needs a workflow/);
  const slow = app + '    workflow:\n      - { id: check, name: { te: తనిఖీ, en: Check }, role: VRO, level: village, sla_days: 3 }\n';
  assert.match(problems({ 'a.yaml': department() + 'services:' + slow })[0]!, /stages take 3 days, more than the service's SLA of 2/);
});

test('the same service id or department code in two files is caught across files', () => {
  const ps = problems({ 'a.yaml': department('TST01', 'AAA') + 'services:' + service('same'), 'b.yaml': department('TST01', 'BBB') + 'services:' + service('same') });
  assert.ok(ps.some((p) => /b\.yaml:- department.code: department code TST01 is already used by .*a\.yaml/.test(p)), ps.join('\n'));
  assert.ok(ps.some((p) => /services\[0\]\.id: service id same is already used in department TST01/.test(p)), ps.join('\n'));
});

test('a choice from a list that does not exist, or a mandal not within a district, is refused', () => {
  const fields = (list: string, within = '') => service('a') + `    fields:\n      - { id: district, type: choice, list: ap-districts, label: { te: జిల్లా, en: District } }\n      - { id: place, type: choice, list: ${list},${within} label: { te: స్థలం, en: Place } }\n`;
  assert.match(problems({ 'a.yaml': department() + 'services:' + fields('ap-villages') })[0]!, /there is no shared list ap-villages/);
  assert.match(problems({ 'a.yaml': department() + 'services:' + fields('ap-mandals') })[0]!, /ap-mandals is chosen within a ap-districts field/);
});

test('every problem in the catalogue is reported at once, not only the first', () => {
  const ps = problems({ 'a.yaml': department('bad', 'x') + 'services:' + service('Bad Id').replace('kind: information', 'kind: quiz') });
  assert.ok(ps.length >= 4, ps.join('\n'));
});

test('the shipped catalogue passes its own check: 36 departments, at least 161 services, every kind', () => {
  const r = loadCatalog(shipped);
  assert.ok(r.ok, r.ok ? '' : r.problems.map((p) => `${p.file}:${p.line} ${p.path}: ${p.reason}`).join('\n'));
  assert.equal(r.catalog.departments.length, 36);
  assert.ok(r.catalog.services.size >= 161, `${r.catalog.services.size} services`);
  assert.deepEqual(new Set([...r.catalog.services.values()].map((s) => s.kind)), new Set(['application', 'payment', 'booking', 'lookup', 'grievance', 'information']));
  assert.ok(r.catalog.departments.every((d) => d.services.length >= 2), 'every department offers at least two services');
  assert.ok(readFileSync(join(shipped, 'lists', 'ap-districts.csv'), 'utf8').split('\n').length >= 27);
});
