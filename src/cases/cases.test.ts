import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { testDb } from '../../test/support.ts';
import { loadCatalog } from '../catalog/index.ts';
import { fileCase, findCitizenCase, listCitizenCases, normaliseReference } from './index.ts';

const catalog = loadCatalog('catalog');
if (!catalog.ok) throw new Error('catalogue');
const income = catalog.catalog.services.get('income-certificate')!;

let db: Awaited<ReturnType<typeof testDb>>;
before(async () => {
  db = await testDb();
});
after(() => db.dispose());

const at = new Date('2026-11-25T06:00:00Z');
const newCase = (waId: string, prefix = 'REV', when = at) => ({ waId, service: income, department: 'REV01', prefix, language: 'te', answers: { applicant_name: 'Ravi', district: 'guntur', mandal: 'guntur/tenali' }, at: when });

test('references as citizens type them are read back in their one written form', () => {
  assert.equal(normaliseReference('rev-26-000123'), 'REV-26-000123');
  assert.equal(normaliseReference(' REV 26 123 '), 'REV-26-000123');
  assert.equal(normaliseReference('pgrs/26/1'), 'PGRS-26-000001');
  assert.equal(normaliseReference('REV-2026-1'), undefined);
  assert.equal(normaliseReference('income certificate'), undefined);
});

test('numbers run per prefix and per year; a rolled-back filing gives its number back', async () => {
  const a = await db.transaction((tx) => fileCase(tx, newCase('919000000001')));
  const b = await db.transaction((tx) => fileCase(tx, newCase('919000000001')));
  const other = await db.transaction((tx) => fileCase(tx, newCase('919000000001', 'MAU')));
  const nextYear = await db.transaction((tx) => fileCase(tx, newCase('919000000001', 'REV', new Date('2027-01-02T00:00:00Z'))));
  assert.deepEqual([a.reference, b.reference, other.reference, nextYear.reference], ['REV-26-000001', 'REV-26-000002', 'MAU-26-000001', 'REV-27-000001']);
  assert.equal(a.dueAt?.toISOString(), '2026-12-02T06:00:00.000Z');
  await assert.rejects(db.transaction(async (tx) => {
    await fileCase(tx, newCase('919000000001'));
    throw new Error('the turn failed after filing');
  }));
  assert.equal((await db.transaction((tx) => fileCase(tx, newCase('919000000001')))).reference, 'REV-26-000003');
});

test('filings at the same moment never share a number', async () => {
  const refs = await Promise.all(Array.from({ length: 20 }, (_, i) => db.transaction((tx) => fileCase(tx, newCase(`91900000010${i}`, 'HOU')))));
  assert.equal(new Set(refs.map((r) => r.reference)).size, 20);
  assert.deepEqual(refs.map((r) => r.reference).sort().at(-1), 'HOU-26-000020');
});

test('a citizen sees only their own cases, newest first, each with its first event', async () => {
  const mine = await db.transaction((tx) => fileCase(tx, newCase('919000000777', 'EDU')));
  const theirs = await db.transaction((tx) => fileCase(tx, newCase('919000000888', 'EDU')));
  assert.equal((await findCitizenCase(db, '919000000777', mine.reference))?.status, 'submitted');
  assert.equal(await findCitizenCase(db, '919000000777', theirs.reference), undefined);
  assert.deepEqual((await listCitizenCases(db, '919000000777')).map((c) => c.reference), [mine.reference]);
  const events = await db.query<{ action: string; actor: string }>('select action, actor from case_events where case_id = $1', [mine.id]);
  assert.deepEqual(events, [{ action: 'submitted', actor: 'citizen:919000000777' }]);
});
