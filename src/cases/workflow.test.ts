import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { testDb } from '../../test/support.ts';
import { loadCatalog } from '../catalog/index.ts';
import { actOnCase, caseForOfficer, dashboard, fileCase, officerQueue, sweepCases, type CaseDeps, type CaseNotice, type Officer } from './index.ts';

// The workflow engine against a real database: stages from the catalogue, offices from the citizen's
// place, officers who only reach their own cases, SLA escalation with a clock we move.

const loaded = loadCatalog('catalog');
if (!loaded.ok) throw new Error('catalogue');
const services = loaded.catalog.services;
const income = services.get('income-certificate')!;
const grievance = services.get('pgrs-grievance')!;

let db: Awaited<ReturnType<typeof testDb>>;
const clock = { at: new Date('2026-11-25T04:30:00Z'), now: () => clock.at };
const notices: CaseNotice[] = [];
const deps: CaseDeps = { service: (id) => services.get(id), clock, reopenWindowDays: 7, notify: async (_tx, n) => void notices.push(...n) };
const officers: Record<string, Officer> = {};

async function officer(name: string, department: string | null, role: Officer['role'], office: string): Promise<Officer> {
  const [row] = await db.query<{ id: number }>(`insert into officers (username, display_name, password_hash, department, role, office) values ($1, $1, 'x', $2, $3, $4) returning id`, [name, department, role, office]);
  return (officers[name] = { id: row!.id, department, role, office });
}
const file = (service = income, answers: Record<string, unknown> = { applicant_name: 'Ravi', district: 'guntur', mandal: 'guntur/tenali' }) =>
  db.transaction((tx) => fileCase(tx, { waId: '919000000001', service, department: service === income ? 'REV01' : 'RTG01', prefix: service === income ? 'REV' : 'PGRS', language: 'te', answers, at: clock.now() }));
const act = (who: Officer | 'citizen', id: number | string, input: Parameters<typeof actOnCase>[4]) =>
  db.transaction((tx) => actOnCase(tx, deps, who === 'citizen' ? { kind: 'citizen', waId: '919000000001' } : { kind: 'officer', officer: who }, typeof id === 'number' ? { id } : { reference: id }, input));

before(async () => {
  db = await testDb();
  await officer('vro.tenali', 'REV01', 'officer', 'guntur/tenali');
  await officer('collector.guntur', 'REV01', 'supervisor', 'guntur');
  await officer('rev.admin', 'REV01', 'department_admin', '');
  await officer('apspdcl.tenali', 'ENE01', 'officer', 'guntur/tenali');
  await officer('gro.guntur', 'RTG01', 'officer', 'guntur');
});
after(() => db.dispose());

test('an application walks its stages at the citizen\'s mandal office, told at each step, and is approved', async () => {
  const c = await file();
  assert.equal(c.office, 'guntur/tenali');
  assert.equal(c.unstaffed, false);
  const vro = officers['vro.tenali']!;
  const queue = await officerQueue(db, vro, {}, clock.now());
  assert.deepEqual(queue.map((q) => q.reference), [c.reference]);
  assert.deepEqual((await caseForOfficer(db, vro, c.id, { now: clock.now(), reopenWindowDays: 7 }))!.actions, ['approve', 'reject', 'return', 'reassign', 'comment']);

  notices.length = 0;
  let r = await act(vro, c.id, { action: 'approve', note: 'verified at the village' });
  assert.ok(r.ok);
  assert.equal(r.case.stage, 'inspection');
  assert.deepEqual(notices.map((n) => [n.event, n.stage]), [['stage', 'inspection']]);
  r = await act(vro, c.id, { action: 'approve' });
  assert.ok(r.ok && r.case.stage === 'approval');
  r = await act(vro, c.id, { action: 'approve' });
  assert.ok(r.ok);
  assert.equal(r.case.status, 'approved');
  assert.ok(r.case.closedAt);
  const again = await act(vro, c.id, { action: 'approve' });
  assert.deepEqual(again.ok ? 'allowed' : [again.code, again.allowed], ['not_allowed', []], 'nothing more to do on a decided case');
  assert.ok(!(await officerQueue(db, vro, {}, clock.now())).some((q) => q.id === c.id), 'it leaves the queue of open cases');
  const detail = await caseForOfficer(db, officers['rev.admin']!, c.id, { now: clock.now(), reopenWindowDays: 7 });
  assert.deepEqual(detail!.events.map((e) => e.action), ['submitted', 'approve', 'approve', 'approve']);
  assert.deepEqual(detail!.actions, []);
});

test('return to the citizen, their reply resumes the case; a rejection needs a reason the citizen reads', async () => {
  const c = await file();
  const vro = officers['vro.tenali']!;
  notices.length = 0;
  assert.deepEqual(await act(vro, c.id, { action: 'return', message: ' ' }), { ok: false, code: 'reason_required', message: 'say what the citizen must send' });
  const r = await act(vro, c.id, { action: 'return', message: 'Please send your ration card.' });
  assert.ok(r.ok && r.case.status === 'returned');
  assert.deepEqual(notices.map((n) => [n.event, n.message]), [['returned', 'Please send your ration card.']]);
  const approve = await act(vro, c.id, { action: 'approve' });
  assert.ok(!approve.ok && approve.code === 'not_allowed', 'waiting on the citizen');
  const other = await db.transaction((tx) => actOnCase(tx, deps, { kind: 'citizen', waId: '919000000999' }, { reference: c.reference }, { action: 'reply', text: 'not mine' }));
  assert.ok(!other.ok && other.code === 'not_found', 'another citizen cannot answer for it');
  const reply = await act('citizen', c.reference, { action: 'reply', media: { mediaId: '555', mimeType: 'image/jpeg' } });
  assert.ok(reply.ok && reply.case.status === 'in_progress');
  assert.deepEqual(await act(vro, c.id, { action: 'reject', reason: '' }), { ok: false, code: 'reason_required', message: 'a rejection needs a reason the citizen can read' });
  const rejected = await act(vro, c.id, { action: 'reject', reason: 'The income shown is above the limit.' });
  assert.ok(rejected.ok && rejected.case.status === 'rejected');
  assert.equal(notices.at(-1)!.message, 'The income shown is above the limit.');
});

test('an officer never reaches another department\'s case, nor one at another office', async () => {
  const c = await file();
  for (const name of ['apspdcl.tenali', 'gro.guntur']) {
    const o = officers[name]!;
    assert.equal(await caseForOfficer(db, o, c.id, { now: clock.now(), reopenWindowDays: 7 }), undefined);
    assert.ok(!(await officerQueue(db, o, { all: true }, clock.now())).some((q) => q.id === c.id));
    const r = await act(o, c.id, { action: 'approve' });
    assert.ok(!r.ok && r.code === 'not_found');
  }
  // The district supervisor sees the mandal's cases; the department admin sees all of them.
  assert.ok((await officerQueue(db, officers['collector.guntur']!, {}, clock.now())).some((q) => q.id === c.id));
  assert.ok((await officerQueue(db, officers['rev.admin']!, {}, clock.now())).some((q) => q.id === c.id));
});

test('a case for an office with no officer is flagged; reassigning it clears the flag', async () => {
  const c = await file(income, { applicant_name: 'Sita', district: 'krishna', mandal: 'krishna/gudivada' });
  assert.equal(c.unstaffed, true);
  const admin = officers['rev.admin']!;
  assert.equal((await dashboard(db, admin, clock.now())).unstaffed >= 1, true);
  const r = await act(admin, c.id, { action: 'reassign', officerId: officers['vro.tenali']!.id });
  assert.ok(r.ok && r.case.office === 'guntur/tenali' && !r.case.unstaffed);
  const bad = await act(admin, c.id, { action: 'reassign', officerId: officers['apspdcl.tenali']!.id });
  assert.ok(!bad.ok && bad.code === 'invalid_officer');
});

test('SLA: an overdue stage escalates once per period, up to the district and then the state; the citizen is told', async () => {
  const c = await file();
  notices.length = 0;
  assert.deepEqual(await sweepCases(db, { ...deps }), { escalated: 0, closed: 0 });
  clock.at = new Date(clock.at.getTime() + 2.5 * 86_400_000); // the VRO's 2 days are up
  const first = await sweepCases(db, deps);
  assert.ok(first.escalated >= 1);
  assert.ok(notices.some((n) => n.reference === c.reference && n.event === 'escalated'));
  assert.equal((await sweepCases(db, deps)).escalated, 0, 'not twice for the same period');
  const [row] = await db.query<{ escalation: number; escalated_office: string }>('select escalation, escalated_office from cases where id = $1', [c.id]);
  assert.deepEqual(row, { escalation: 1, escalated_office: 'guntur' });
  // The district supervisor sees it as escalated; the mandal officer still works it.
  assert.ok((await officerQueue(db, officers['collector.guntur']!, {}, clock.now())).find((q) => q.id === c.id)?.escalation === 1);
  clock.at = new Date(clock.at.getTime() + 2.5 * 86_400_000);
  await sweepCases(db, deps);
  const [up] = await db.query<{ escalation: number; escalated_office: string }>('select escalation, escalated_office from cases where id = $1', [c.id]);
  assert.deepEqual(up, { escalation: 2, escalated_office: '' });
});

test('a grievance is resolved, rated or reopened once within the window, and closed by the sweep after it', async () => {
  const g = await file(grievance, { district: 'guntur', mandal: 'guntur/tenali', category: 'revenue', description: 'Road flooded' });
  assert.equal(g.office, 'guntur', 'PGRS works at the district');
  const gro = officers['gro.guntur']!;
  notices.length = 0;
  let r = await act(gro, g.id, { action: 'approve', note: 'Drain cleared' });
  assert.ok(r.ok && r.case.status === 'resolved');
  assert.deepEqual(notices.map((n) => n.event), ['resolved']);
  const reopened = await act('citizen', g.reference, { action: 'reopen', reason: 'Still flooded' });
  assert.ok(reopened.ok && reopened.case.status === 'reopened' && reopened.case.office === 'guntur');
  r = await act(gro, g.id, { action: 'approve' });
  assert.ok(r.ok && r.case.status === 'resolved');
  const twice = await act('citizen', g.reference, { action: 'reopen', reason: 'Again' });
  assert.ok(!twice.ok && twice.code === 'not_allowed', 'reopened once only');
  assert.deepEqual(await act('citizen', g.reference, { action: 'rate', stars: 9 }), { ok: false, code: 'invalid_rating', message: 'a rating is 1 to 5 stars' });
  const rated = await act('citizen', g.reference, { action: 'rate', stars: 4 });
  assert.ok(rated.ok && rated.case.status === 'closed' && rated.case.rating === 4);

  const unrated = await file(grievance, { district: 'guntur', category: 'municipal', description: 'No water' });
  await act(gro, unrated.id, { action: 'approve' });
  clock.at = new Date(clock.at.getTime() + 8 * 86_400_000);
  assert.ok((await sweepCases(db, deps)).closed >= 1);
  const [closed] = await db.query<{ status: string }>('select status from cases where id = $1', [unrated.id]);
  assert.equal(closed!.status, 'closed');
});

test('a grievance the sweep closes unrated is recorded as a decision and the citizen told, in the same transaction, or not closed at all', async () => {
  await sweepCases(db, deps); // nothing left over from earlier tests
  const g = await file(grievance, { district: 'guntur', category: 'municipal', description: 'Street light out' });
  await act(officers['gro.guntur']!, g.id, { action: 'approve' });
  clock.at = new Date(clock.at.getTime() + 8 * 86_400_000);
  const statusOf = async () => (await db.query<{ status: string }>('select status from cases where id = $1', [g.id]))[0]!.status;

  const broken = await sweepCases(db, { ...deps, decided: async () => { throw new Error('ledger unavailable'); } }).catch((e: Error) => e);
  assert.ok(broken instanceof Error, 'a closing the ledger cannot record fails the sweep');
  assert.equal(await statusOf(), 'resolved', 'and leaves the grievance as it was');

  notices.length = 0;
  const decisions: { reference: string; status: string; actor: string; at: Date }[] = [];
  const swept = await sweepCases(db, { ...deps, decided: async (_tx, c, d) => void decisions.push({ reference: c.reference, status: c.status, actor: d.actor, at: d.at }) });
  assert.equal(swept.closed, 1);
  assert.equal(await statusOf(), 'closed');
  assert.deepEqual(decisions, [{ reference: g.reference, status: 'closed', actor: 'system', at: clock.at }]);
  assert.deepEqual(notices.map((n) => [n.reference, n.event]), [[g.reference, 'closed']], 'the citizen is told, once');
});

test('a sweep in small batches on two connections escalates every due case exactly once', async () => {
  await sweepCases(db, deps); // nothing left over from earlier tests
  const filed = [];
  for (let i = 0; i < 11; i++) filed.push(await file());
  clock.at = new Date(clock.at.getTime() + 2.5 * 86_400_000);
  notices.length = 0;
  const swept = await sweepCases(db, { ...deps, batch: 3, parallel: 2 });
  assert.ok(swept.escalated >= filed.length);
  const rows = await db.query<{ escalation: number }>('select escalation from cases where id = any($1::bigint[])', [filed.map((c) => c.id)]);
  assert.deepEqual(rows.map((r) => r.escalation), filed.map(() => 1));
  assert.equal(new Set(notices.map((n) => n.reference)).size, notices.length, 'one notice per case');
});

test('a case returned to the citizen waits on them: neither escalated nor counted overdue', async () => {
  await sweepCases(db, deps);
  const c = await file();
  const vro = officers['vro.tenali']!;
  assert.ok((await act(vro, c.id, { action: 'return', message: 'Send your ration card' })).ok);
  const before = (await dashboard(db, officers['rev.admin']!, clock.now())).overdue;
  clock.at = new Date(clock.at.getTime() + 5 * 86_400_000);
  await sweepCases(db, deps);
  const [row] = await db.query<{ escalation: number }>('select escalation from cases where id = $1', [c.id]);
  assert.equal(row!.escalation, 0);
  assert.ok(!(await officerQueue(db, vro, { overdue: true }, clock.now())).some((q) => q.id === c.id));
  assert.equal((await dashboard(db, officers['rev.admin']!, clock.now())).overdue, before);
});
