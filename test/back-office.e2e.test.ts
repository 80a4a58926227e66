import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadCatalog } from '../src/catalog/index.ts';
import { createConversation } from '../src/conversation/index.ts';
import { verhoeffDigit } from '../src/conversation/verhoeff.ts';
import { TEST_COST, addOfficer, knownOffices } from '../src/officers/index.ts';
import { CREDENTIALS, graphCapture } from './graph-capture.ts';
import { testApp, testDb } from './support.ts';
import { OfficerBrowser, PASSWORD, Phone as CitizenPhone, applyForIncomeCertificate, textOf, type World } from './two-sides.ts';

// Both sides at once: a citizen on WhatsApp (signed webhooks in, Graph API calls out) and officers on
// the back office's JSON API, against one Mitra.

const loaded = loadCatalog('catalog');
if (!loaded.ok) throw new Error('catalogue');
const catalog = loaded.catalog;
const clock = { at: new Date('2026-11-25T04:30:00Z'), now: () => clock.at };

let db: Awaited<ReturnType<typeof testDb>>;
let app: Awaited<ReturnType<typeof testApp>>;
let graph: Awaited<ReturnType<typeof graphCapture>>;

async function start() {
  app = await testApp({
    db,
    catalog,
    clock,
    handler: createConversation({ catalog, aadhaarSalt: CREDENTIALS.AADHAAR_SALT, clock }),
    env: { ...CREDENTIALS, WHATSAPP_GRAPH_URL: graph.url, WHATSAPP_RATE: '1000', WHATSAPP_PAIR_BURST: '1000', CASE_SWEEP_SECONDS: '3600' },
  });
}
async function stop() {
  // Keep the database: a restart is part of what is tested.
  const { dispose: _, ...rest } = app;
  await rest.stop();
}

before(async () => {
  db = await testDb();
  graph = await graphCapture(CREDENTIALS.WHATSAPP_ACCESS_TOKEN);
  const ctx = { departments: new Set(catalog.departments.map((d) => d.code)), offices: knownOffices(catalog.lists), cost: TEST_COST };
  for (const [username, department, role, office] of [
    ['vro.tenali', 'REV01', 'officer', 'guntur/tenali'],
    ['collector.guntur', 'REV01', 'supervisor', 'guntur'],
    ['gro.guntur', 'RTG01', 'officer', 'guntur'],
    ['pgrs.supervisor', 'RTG01', 'supervisor', ''],
    ['apspdcl.tenali', 'ENE01', 'officer', 'guntur/tenali'],
  ] as const) {
    const r = await addOfficer(db, { username, password: PASSWORD, department, role, office }, ctx);
    assert.ok(r.ok, JSON.stringify(r));
  }
  await start();
});
after(async () => {
  await app.stop();
  await db.dispose();
  await graph.close();
});

const world: World = { url: () => app.url, get graph() { return graph; }, get db() { return db; } };
class Officer extends OfficerBrowser {
  constructor(username: string) {
    super(world, username);
  }
}
class Phone extends CitizenPhone {
  constructor() {
    super(world);
  }
}
const apply = applyForIncomeCertificate;

describe('an application: filed on WhatsApp, worked in the back office, the citizen told at each step', () => {
  test('the mandal officer asks for a document, the citizen sends a photo, three stages approve it', async () => {
    const p = new Phone();
    const reference = await apply(p);
    const vro = await new Officer('vro.tenali').login();
    const queue = await vro.get('/api/v1/cases');
    const item = queue.body.cases.find((c: any) => c.reference === reference);
    assert.ok(item, 'in the Tenali officer\'s queue');
    assert.equal(item.stage.role, 'VRO');
    const detail = await vro.get(`/api/v1/cases/${item.id}`);
    assert.deepEqual(detail.body.actions, ['approve', 'reject', 'return', 'reassign', 'comment']);
    const aadhaar = detail.body.case.answers.find((a: any) => a.field === 'aadhaar');
    assert.match(aadhaar.text, /^XXXX XXXX \d{4}$/);
    assert.equal(detail.body.case.answers.find((a: any) => a.field === 'mandal').text, 'Tenali / తెనాలి');
    assert.equal(detail.body.case.answers.find((a: any) => a.field === 'district').text, 'Guntur / గుంటూరు');

    const asked = await vro.act(item.id, { action: 'return', message: 'Please send a photo of your ration card.' });
    assert.equal(asked.status, 200);
    const notice = await p.next();
    assert.match(textOf(notice), new RegExp(`officer needs more from you for \\*${reference}\\*[\\s\\S]*ration card`));
    assert.deepEqual(notice[0].interactive.action.buttons.map((b: any) => b.reply.id), [`casereply:${reference}`]);
    assert.equal((await vro.act(item.id, { action: 'approve' })).status, 409, 'waiting on the citizen');

    assert.match(textOf(await p.tap(`casereply:${reference}`)), /send the photo or document/);
    assert.match(textOf(await p.send({ type: 'image', image: { mime_type: 'image/jpeg', sha256: 'cd', id: '99887766' } })), /Sent to the officer/);
    const resumed = await vro.get(`/api/v1/cases/${item.id}`);
    assert.equal(resumed.body.case.status, 'in_progress');
    assert.deepEqual(resumed.body.events.at(-1).data, { media: { mediaId: '99887766', mimeType: 'image/jpeg' } });

    assert.equal((await vro.act(item.id, { action: 'approve', note: 'ration card seen' })).status, 200);
    assert.match(textOf(await p.next()), /moved on to "Inspection by RI"/);
    assert.equal((await vro.act(item.id, { action: 'approve' })).status, 200);
    assert.match(textOf(await p.next()), /moved on to "Approval by Tahsildar"/);
    assert.equal((await vro.act(item.id, { action: 'approve' })).body.case.status, 'approved');
    assert.match(textOf(await p.next()), new RegExp(`✅ \\*${reference}\\* \\(Income Certificate\\) is approved`));
    assert.match(textOf(await p.say(`status ${reference}`)), /Status: approved/);
  });

  test('another department\'s officer cannot read or act on the case, and cannot tell it exists', async () => {
    const p = new Phone();
    const reference = await apply(p);
    const rev = await new Officer('collector.guntur').login();
    const id = (await rev.get('/api/v1/cases')).body.cases.find((c: any) => c.reference === reference).id;
    const other = await new Officer('apspdcl.tenali').login();
    const read = await other.get(`/api/v1/cases/${id}`);
    const missing = await other.get(`/api/v1/cases/99999999`);
    assert.deepEqual([read.status, read.body], [missing.status, missing.body]);
    assert.equal(read.status, 404);
    assert.equal((await other.act(id, { action: 'approve' })).status, 404);
    assert.ok(!(await other.get('/api/v1/cases?all=true')).body.cases.some((c: any) => c.id === id));
    // Without the CSRF header the action is refused before anything is looked up.
    const noCsrf = await fetch(`${app.url}/api/v1/cases/${id}/actions`, { method: 'POST', headers: { cookie: rev.cookie, 'content-type': 'application/json' }, body: '{"action":"approve"}' });
    assert.equal(noCsrf.status, 403);
    // Bad input is a 4xx with a clear JSON error, never a 500.
    for (const body of ['{not json', '{"action":"fly"}', '{"action":"reject"}', '[]']) {
      const res = await fetch(`${app.url}/api/v1/cases/${id}/actions`, { method: 'POST', headers: { cookie: rev.cookie, 'content-type': 'application/json', 'x-csrf-token': rev.csrf }, body });
      assert.equal(res.status, 400, body);
      assert.ok(((await res.json()) as any).error.code);
    }
    assert.equal((await rev.get('/api/v1/cases?limit=zero')).status, 400);
    assert.equal((await rev.get('/api/v1/cases/abc')).status, 404);
  });
});

describe('a grievance: escalated past its SLA (also across a restart), resolved, reopened, rated', () => {
  test('escalation reaches the supervisor and the citizen; resolution asks for a rating; reopen once; rating closes it', async () => {
    const p = new Phone();
    await p.say('hi');
    await p.tap('lang:te');
    await p.tap('start:pgrs-grievance');
    await p.say('23456789012' + verhoeffDigit('23456789012'));
    await p.tap('opt:guntur');
    await p.tap('opt:guntur/tenali');
    await p.tap('opt:municipal');
    await p.say('మా వీధిలో మురుగు కాలువ పొంగుతోంది');
    await p.tap('form:skip');
    await p.tap('form:skip');
    const filed = await p.tap('form:confirm');
    const reference = textOf(filed).match(/PGRS-26-\d{6}/)![0];

    // Mitra restarts; the 15-day clock runs out while it is down; the first sweep after it escalates.
    await stop();
    clock.at = new Date(clock.at.getTime() + 16 * 86_400_000);
    await start();
    assert.ok((await app.sweep()).escalated >= 1);
    const told = textOf(await p.next());
    // More than 24 hours since the citizen wrote: WhatsApp only delivers the approved template.
    assert.match(told, new RegExp(`^template:case_update:${reference}\\|.*పై అధికారికి`));
    const sup = await new Officer('pgrs.supervisor').login();
    const escalated = (await sup.get('/api/v1/cases?overdue=false')).body.cases.find((c: any) => c.reference === reference);
    assert.equal(escalated.escalation, 1);
    assert.equal(escalated.escalatedOffice, '');

    // Back to the present: the citizen's last message is minutes old, so notices are free-form again.
    clock.at = new Date();
    const gro = await new Officer('gro.guntur').login();
    assert.equal((await gro.act(escalated.id, { action: 'approve', note: 'Drain cleaned' })).body.case.status, 'resolved');
    const resolved = await p.next();
    assert.match(textOf(resolved), /పరిష్కరించబడినట్లు/);
    const offered = resolved[0].interactive.action.sections.flatMap((s: any) => s.rows.map((r: any) => r.id));
    assert.deepEqual(offered, [5, 4, 3, 2, 1].map((n) => `rate:${reference}:${n}`).concat(`reopen:${reference}`));
    assert.equal((await gro.act(escalated.id, { action: 'comment', note: 'crew sent twice' })).status, 200);

    const reopened = await p.send({ type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: `reopen:${reference}`, title: 'పరిష్కారం కాలేదు' } } });
    assert.match(textOf(reopened), /ఇంకా ఏం సరిగా లేదో/);
    assert.match(textOf(await p.say('ఇంకా పొంగుతోంది')), /మళ్ళీ తెరవబడింది/);
    assert.equal((await gro.act(escalated.id, { action: 'approve' })).body.case.status, 'resolved');
    const ask = await p.next();
    assert.equal(ask[0].interactive.type, 'list');
    const rows = ask[0].interactive.action.sections.flatMap((s: any) => s.rows.map((r: any) => r.id));
    assert.ok(!rows.includes(`reopen:${reference}`), 'reopened once already: only a rating is offered');
    assert.match(textOf(await p.send({ type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: `rate:${reference}:4`, title: '⭐⭐⭐⭐' } } })), /రేటింగ్‌కు ధన్యవాదాలు/);
    const closed = await sup.get(`/api/v1/cases/${escalated.id}`);
    assert.equal(closed.body.case.status, 'closed');
    assert.deepEqual(closed.body.events.map((e: any) => e.action), ['submitted', 'escalated', 'approve', 'comment', 'reopen', 'approve', 'rate']);
  });
});

test('the API is described: OpenAPI at /api/openapi.json, a readable page at /api/docs', async () => {
  const doc = (await (await fetch(`${app.url}/api/openapi.json`)).json()) as any;
  assert.equal(doc.openapi, '3.1.0');
  for (const path of ['/api/v1/session', '/api/v1/cases', '/api/v1/cases/{id}', '/api/v1/cases/{id}/actions']) assert.ok(doc.paths[path], path);
  const page = await (await fetch(`${app.url}/api/docs`)).text();
  assert.match(page, /POST \/api\/v1\/cases\/\{id\}\/actions/);
});
