import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, cpSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadCatalog } from '../src/catalog/index.ts';
import { sign } from '../src/channel/index.ts';
import { createConversation } from '../src/conversation/index.ts';
import { verhoeffDigit } from '../src/conversation/verhoeff.ts';
import { CREDENTIALS, graphCapture } from './graph-capture.ts';
import { inbound } from './meta-payloads.ts';
import { eventually, testApp } from './support.ts';

// Citizens talking to Mitra through the real HTTP webhook, in Telugu and in English: what they see is
// what reached the Graph API.

const SHIPPED = loadCatalog('catalog');
if (!SHIPPED.ok) throw new Error('the shipped catalogue does not load');
const START = Date.parse('2026-11-25T10:00:00+05:30');
const clock = { offset: 0, now: () => new Date(START + clock.offset) };
const AADHAAR = '23456789012' + verhoeffDigit('23456789012');
const WRONG_AADHAAR = AADHAAR.slice(0, 11) + ((Number(AADHAAR[11]) + 1) % 10);

let app: Awaited<ReturnType<typeof testApp>>;
let graph: Awaited<ReturnType<typeof graphCapture>>;
let number = 919_700_000_000;

async function startMitra(catalog = SHIPPED) {
  if (!catalog.ok) throw new Error('catalogue');
  graph = await graphCapture(CREDENTIALS.WHATSAPP_ACCESS_TOKEN);
  const handler = createConversation({ catalog: catalog.catalog, aadhaarSalt: CREDENTIALS.AADHAAR_SALT, clock });
  app = await testApp({ handler, env: { ...CREDENTIALS, WHATSAPP_GRAPH_URL: graph.url, WHATSAPP_RATE: '1000', WHATSAPP_PAIR_BURST: '1000' } });
}
async function stopMitra() {
  await app.dispose();
  await graph.close();
}

/** One citizen's phone: sends signed webhooks and reads back the messages Mitra sent for each. */
class Phone {
  readonly waId = String(++number);
  async send(message: Record<string, unknown>): Promise<any[]> {
    const payload = inbound(this.waId, message);
    const id = (payload.entry[0]!.changes[0]!.value as any).messages[0].id as string;
    const body = JSON.stringify(payload);
    const res = await fetch(`${app.url}/webhooks/whatsapp`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(body, CREDENTIALS.WHATSAPP_APP_SECRET) }, body });
    assert.equal(res.status, 200);
    // The turn is done and each of its replies has reached the Graph API.
    const rows = await eventually(async () => {
      const [turn] = await app.db.query<{ id: number; state: string }>('select id, state from inbox where wamid = $1', [id]);
      if (turn?.state !== 'done') return undefined;
      const out = await app.db.query<{ payload: any; state: string }>(`select payload, state from outbox where inbox_id = $1 and kind = 'message' order by id`, [turn.id]);
      return out.every((o) => o.state !== 'queued' && o.state !== 'sending') ? out : undefined;
    }, 8000, `Mitra's answer to ${JSON.stringify(message).slice(0, 80)}`);
    const sent = rows.map((r) => r.payload);
    for (const p of sent) assert.ok(graph.messages().some((m) => JSON.stringify(m) === JSON.stringify({ ...p, biz_opaque_callback_data: m.biz_opaque_callback_data })), 'reached the Graph API');
    return sent;
  }
  say = (text: string) => this.send({ type: 'text', text: { body: text } });
  tap = (id: string, title = id) => this.send({ type: 'interactive', interactive: { type: 'list_reply', list_reply: { id, title } } });
  press = (id: string, title = id) => this.send({ type: 'interactive', interactive: { type: 'button_reply', button_reply: { id, title } } });
  photo = () => this.send({ type: 'image', image: { mime_type: 'image/jpeg', sha256: 'ab', id: '2754859441498128' } });
  location = () => this.send({ type: 'location', location: { latitude: 16.3067, longitude: 80.4365, name: 'Guntur' } });
}

const textOf = (m: any): string => m.text?.body ?? m.interactive?.body?.text ?? '';
const allText = (ms: any[]) => ms.map(textOf).join('\n');
const rowsOf = (ms: any[]) => ms.flatMap((m) => m.interactive?.action?.sections?.flatMap((s: any) => s.rows) ?? []);
const buttonsOf = (ms: any[]) => ms.flatMap((m) => m.interactive?.action?.buttons?.map((b: any) => b.reply) ?? []);
const rowId = (ms: any[], title: RegExp) => {
  const row = rowsOf(ms).find((r: any) => title.test(r.id) || title.test(r.title) || title.test(r.description ?? ''));
  assert.ok(row, `a row like ${title} in ${rowsOf(ms).map((r: any) => r.title).join(' | ')}`);
  return row.id as string;
};
const referenceIn = (ms: any[]) => allText(ms).match(/[A-Z]{2,5}-26-\d{6}/)?.[0];

describe('the conversation, in Telugu and in English, through the real webhook', () => {
  before(() => startMitra());
  after(() => stopMitra());

  test('Telugu: menu → department → service; a form with wrong answers corrected; a reference; its status', async () => {
    const p = new Phone();
    const hello = await p.say('నమస్కారం');
    assert.match(allText(hello), /ఏ భాష/);
    assert.deepEqual(buttonsOf(hello).map((b: any) => b.title), ['తెలుగు', 'English']);

    const menu = await p.press('lang:te', 'తెలుగు');
    assert.match(allText(menu), /తెలుగులో రాస్తాను/);
    // A number picks that row of the menu: 2 is "browse by department".
    const depts = await p.say('2');
    assert.match(allText(depts), /శాఖను ఎంచుకోండి \(36\)/);
    assert.equal(rowsOf(depts).length, 10, 'nine departments and a More row');
    const revenue = await p.tap('dept:REV01');
    const detail = await p.tap(rowId(revenue, /ఆదాయ ధ/));
    assert.match(allText(detail), /ఆదాయ[\s\S]*రుసుము: ₹45[\s\S]*సమయం: 7 రోజులు/);
    const start = buttonsOf(detail).find((b: any) => b.id.startsWith('start:'));

    let q = await p.press(start.id, start.title);
    assert.match(allText(q), /ప్రశ్న 1 \/ 7[\s\S]*దరఖాస్తుదారుని పేరు/);
    q = await p.say('R4vi');
    assert.match(allText(q), /⚠️ దయచేసి పేరును అక్షరాలతో మాత్రమే రాయండి[\s\S]*ప్రశ్న 1 \/ 7/);
    q = await p.say('రవి కుమార్');
    assert.match(allText(q), /ప్రశ్న 2 \/ 7[\s\S]*ఆధార్/);
    q = await p.say(WRONG_AADHAAR);
    assert.match(allText(q), /⚠️ ఇది సరైన ఆధార్ నంబరు కాదు/);
    q = await p.say(AADHAAR.replace(/(\d{4})(?=\d)/g, '$1 '));
    assert.match(allText(q), /ప్రశ్న 3 \/ 7[\s\S]*జిల్లా/);
    assert.ok(rowsOf(q).length > 0, 'districts come as a list');
    q = await p.say('గుంటూరు');
    assert.match(allText(q), /ప్రశ్న 4 \/ 7[\s\S]*మండలం/);
    assert.ok(rowsOf(q).every((r: any) => r.id.startsWith('opt:guntur/') || r.id.startsWith('~p:')), 'the mandals of Guntur only');
    // Tenali is further down: "More" brings the next page, its numbers running on.
    const more = await p.tap(rowId(q, /^~p:/));
    const tenali = rowsOf(more).find((r: any) => r.id === 'opt:guntur/tenali');
    assert.match(tenali.title, /^1\d\. /);
    q = await p.say('999');
    assert.match(allText(q), /⚠️ దయచేసి ఇచ్చిన వాటిలో ఒకటి ఎంచుకోండి/);
    q = await p.tap(tenali.id, tenali.title);
    q = await p.say('ఒకటిన్నర లక్ష');
    assert.match(allText(q), /⚠️ దయచేసి మొత్తాన్ని రూపాయలలో రాయండి/);
    q = await p.say('1.5 లక్షలు');
    assert.match(allText(q), /ప్రశ్న 6 \/ 7/);
    q = await p.press('opt:scholarship', 'ఉపకార వేతనం');
    assert.match(allText(q), /ప్రశ్న 7 \/ 7[\s\S]*ఫోటో/);
    q = await p.say('ఇదిగో');
    assert.match(allText(q), /⚠️ దయచేసి 📎 బటన్‌తో ఫోటో పంపండి/);
    const summary = await p.photo();
    assert.match(allText(summary), /రవి కుమార్[\s\S]*XXXX XXXX 9?\d{3}[\s\S]*తెనాలి|Tenali/);
    assert.match(allText(summary), /₹1,50,000/);

    // Change the name from the summary, then confirm.
    let edit = await p.say('మార్చు 1');
    assert.match(allText(edit), /దరఖాస్తుదారుని పేరు/);
    edit = await p.say('రవి కుమార్ రెడ్డి');
    assert.match(allText(edit), /సరిచూడండి[\s\S]*రవి కుమార్ రెడ్డి/, 'back at the summary');
    const done = await p.press('form:confirm', 'నిర్ధారించండి');
    const reference = referenceIn(done);
    assert.ok(reference?.startsWith('REV-26-'), allText(done));
    assert.match(allText(done), /దరఖాస్తు సమర్పించబడింది[\s\S]*02-12-2026 లోపు/);

    const status = await p.say(`స్థితి ${reference!.toLowerCase()}`);
    assert.match(allText(status), new RegExp(`${reference}[\\s\\S]*ఆదాయ[\\s\\S]*సమర్పించిన తేదీ: 25-11-2026[\\s\\S]*స్థితి: సమర్పించబడింది`));

    // Nobody else can see it, not even by its exact number.
    const stranger = new Phone();
    await stranger.say('hi');
    await stranger.press('lang:en', 'English');
    assert.match(allText(await stranger.say(`status ${reference}`)), new RegExp(`could not find ${reference} among your applications`));

    // The Aadhaar number is nowhere in clear: not in the case, the session, the inbox or the outbox.
    for (const table of ['cases', 'conversation_sessions', 'inbox', 'outbox']) {
      const [hit] = await app.db.query<{ n: number }>(`select count(*)::int as n from ${table} t where t::text like $1`, [`%${AADHAAR.slice(0, 8)}%`]);
      assert.equal(hit!.n, 0, `Aadhaar digits found in ${table}`);
    }
    const [stored] = await app.db.query<{ answers: any }>('select answers from cases where reference = $1', [reference]);
    assert.equal(stored!.answers.aadhaar.aadhaarLast4, AADHAAR.slice(-4));
  });

  test('English: search with spelling mistakes, a number picks the result; resume an interrupted form; back; cancel', async () => {
    const p = new Phone();
    await p.say('hello');
    await p.press('lang:en', 'English');
    const found = await p.say('incme certficate');
    assert.match(allText(found), /For "incme certficate" I found these/);
    const n = rowsOf(found).findIndex((r: any) => /Income Certificate/.test(r.title) && !/EWS|Agri/.test(r.title));
    assert.ok(n >= 0 && n < 3, 'in the top 3');
    const detail = await p.say(String(n + 1));
    assert.match(allText(detail), /\*Income Certificate\*[\s\S]*Fee: ₹45/);
    let q = await p.press('start:income-certificate', 'Apply');
    q = await p.say('Lakshmi Devi');
    assert.match(allText(q), /Question 2 of 7/);

    // Walks away mid-form: "hi" shows the menu with the unfinished form on top.
    const menu = await p.say('hi');
    assert.equal(rowsOf(menu)[0].id, 'menu:resume');
    assert.match(`${rowsOf(menu)[0].title} ${rowsOf(menu)[0].description}`, /Income Certificate Continue the form: 1 of 7 answered/);
    q = await p.tap('menu:resume');
    assert.match(allText(q), /Let us continue your form for Income Certificate[\s\S]*Question 2 of 7[\s\S]*Aadhaar/);

    // Back goes to the previous question, with its answer cleared.
    q = await p.say('back');
    assert.match(allText(q), /Question 1 of 7[\s\S]*Applicant's name/);
    q = await p.say('back');
    assert.match(allText(q), /This is the first question/);
    q = await p.say('help');
    assert.match(allText(q), /How to use Mana Mitra[\s\S]*Question 1 of 7/, 'help explains, then the question comes again');
    q = await p.say('Lakshmi Devi');
    q = await p.say(AADHAAR);
    assert.match(allText(q), /Question 3 of 7/);

    // A day later the conversation starts again politely; the form is kept and continues.
    clock.offset += 25 * 3600_000;
    const later = await p.say('Guntur');
    assert.match(allText(later), /Welcome back! It has been a while[\s\S]*unfinished form for Income Certificate is kept/);
    q = await p.tap('menu:resume');
    assert.match(allText(q), /Question 3 of 7[\s\S]*District/);

    const cancelled = await p.say('cancel');
    assert.match(allText(cancelled), /Cancelled: nothing was submitted/);
    assert.ok(!rowsOf(cancelled).some((r: any) => r.id === 'menu:resume'), 'no form to continue any more');
    assert.match(allText(await p.say('cancel')), /You are not filling a form right now/);
  });

  test('requests and suggestions: category, description, optional photo skipped, location, reference; my applications', async () => {
    const p = new Phone();
    await p.say('hi');
    const menu = await p.press('lang:en', 'English');
    let q = await p.tap(rowId(menu, /^menu:suggest$/));
    assert.match(allText(q), /tell the government what you need[\s\S]*Question 1 of 6/);
    q = await p.press('opt:suggestion', 'Suggestion');
    assert.match(allText(q), /Question 2 of 6[\s\S]*Topic/);
    q = await p.say('1');
    assert.match(allText(q), /Question 3 of 6/);
    q = await p.say('Please add a drinking water tap near the Tenali bus stand.');
    q = await p.say('guntur');
    assert.match(allText(q), /Question 5 of 6[\s\S]*Photo \(optional\)[\s\S]*Optional/);
    q = await p.press('form:skip', 'Skip');
    assert.match(allText(q), /Question 6 of 6/);
    assert.ok(q.some((m) => m.interactive?.type === 'location_request_message'), 'asks for the location with WhatsApp\'s own button');
    const summary = await p.location();
    assert.match(allText(summary), /Suggestion[\s\S]*Drinking water[\s\S]*\(skipped\)[\s\S]*Guntur/);
    const done = await p.say('yes');
    const reference = referenceIn(done);
    assert.match(reference ?? '', /^PGRS-26-\d{6}$/);
    assert.match(allText(done), /complaint is registered|is registered/);

    const mine = await p.say('my applications');
    assert.equal(rowsOf(mine)[0].title, `1. ${reference}`);
    assert.match(allText(await p.tap(`case:${reference}`)), new RegExp(`${reference}[\\s\\S]*Request or suggestion`));
  });

  test('never a dead end: unknown words, a stray photo, a sticker, an out-of-range number', async () => {
    const p = new Phone();
    await p.say('hi');
    await p.press('lang:en', 'English');
    const nothing = await p.say('zzqx vvbn');
    assert.match(allText(nothing), /could not find a service for "zzqx vvbn"/);
    assert.deepEqual(buttonsOf(nothing).map((b: any) => b.id), ['menu:departments', 'cmd:menu', 'menu:help']);
    assert.match(allText(await p.photo()), /Photos and documents go with a form or a complaint[\s\S]*How can I help you/);
    assert.match(allText(await p.send({ type: 'sticker', sticker: { mime_type: 'image/webp', sha256: 'a', id: '1' } })), /How can I help you/);
    await p.say('menu');
    assert.match(allText(await p.say('42')), /Please write a number from 1 to \d+/);
    const help = await p.say('help');
    assert.match(allText(help), /How to use Mana Mitra/);
    const telugu = await p.say('భాష');
    assert.deepEqual(buttonsOf(telugu).map((b: any) => b.id), ['lang:te', 'lang:en']);
    assert.match(allText(await p.press('lang:te', 'తెలుగు')), /మీకు ఎలా సహాయం చేయగలను/);
  });

  test('a first message that is not a greeting is answered in its own script after the language question', async () => {
    const p = new Phone();
    await p.say('ration card kavali');
    const results = await p.say('ration card kavali');
    assert.match(allText(results), /For "ration card kavali" I found these/);
    assert.ok(rowsOf(results).slice(0, 3).some((r: any) => /rice card|ration/i.test(r.title)), rowsOf(results).map((r: any) => r.title).join(' | '));
  });
});

describe('a department added by YAML alone is served, with no code change', () => {
  before(async () => {
    clock.offset = 0;
    const root = mkdtempSync(join(tmpdir(), 'mitra-catalog-'));
    mkdirSync(join(root, 'departments'));
    cpSync('catalog/lists', join(root, 'lists'), { recursive: true });
    writeFileSync(join(root, 'departments', 'fisheries.yaml'), `
department:
  code: FSH01
  prefix: FSH
  name: { te: మత్స్య శాఖ, en: Fisheries }
services:
  - id: fishing-boat-licence
    name: { te: చేపల పడవ లైసెన్సు, en: Fishing boat licence }
    summary: { te: సముద్రంలో చేపలు పట్టే పడవకు లైసెన్సు., en: A licence for a sea fishing boat. }
    keywords: { en: [boat licence, fishing], te: [పడవ లైసెన్సు], romanised: [padava license] }
    kind: application
    fee: { amount: 500 }
    sla_days: 15
    fields:
      - { id: owner, type: person_name, label: { te: యజమాని పేరు, en: Owner's name } }
      - { id: boat_length, type: number, min: 3, max: 30, label: { te: పడవ పొడవు (మీటర్లు), en: Boat length (metres) } }
    workflow:
      - { id: inspection, name: { te: తనిఖీ, en: Inspection }, role: Fisheries Development Officer, level: district, sla_days: 10 }
`);
    await startMitra(loadCatalog(root));
  });
  after(() => stopMitra());

  test('searchable, its form asks and checks its questions, and it files under its own prefix', async () => {
    const p = new Phone();
    await p.say('hi');
    await p.press('lang:en', 'English');
    const found = await p.say('padava license');
    assert.match(rowsOf(found)[0].title, /Fishing boat licence/);
    await p.say('1');
    await p.press('start:fishing-boat-licence', 'Apply');
    await p.say('Yesu Babu');
    assert.match(allText(await p.say('45')), /number from 3 to 30/);
    await p.say('9');
    const done = await p.press('form:confirm', 'Confirm');
    assert.equal(referenceIn(done), 'FSH-26-000001');
    assert.match(allText(done), /Expected by 10-12-2026/);
  });
});
