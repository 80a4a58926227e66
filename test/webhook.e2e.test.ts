import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sign } from '../src/channel/index.ts';
import { CREDENTIALS, graphCapture } from './graph-capture.ts';
import { inbound, samples, status, wamid } from './meta-payloads.ts';
import { eventually, testApp } from './support.ts';

// Drives the real HTTP webhook with Meta-shaped, signed payloads and watches what reaches the Graph API.

let app: Awaited<ReturnType<typeof testApp>>;
let graph: Awaited<ReturnType<typeof graphCapture>>;
let citizen = 919_800_000_000;
const nextCitizen = () => String(++citizen);

before(async () => {
  graph = await graphCapture(CREDENTIALS.WHATSAPP_ACCESS_TOKEN);
  app = await testApp({ env: { ...CREDENTIALS, WHATSAPP_GRAPH_URL: graph.url, WHATSAPP_RATE: '1000' } });
});
after(async () => {
  await app.dispose();
  await graph.close();
});

async function post(body: unknown, headers: Record<string, string> = {}) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return fetch(`${app.url}/webhooks/whatsapp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(text, CREDENTIALS.WHATSAPP_APP_SECRET), ...headers },
    body: text,
  });
}

const repliesTo = (to: string) => graph.messages().filter((m) => m.to === to);
const bodyText = (m: any): string => m.text?.body ?? m.interactive?.body?.text ?? '';

describe('inbound message types', () => {
  const expectations: Record<string, (replies: any[]) => void> = {
    text: ([r]) => {
      assert.equal(r.type, 'interactive');
      assert.match(bodyText(r), /You wrote: «ఆదాయ ధృవీకరణ పత్రం kavali»/);
      assert.deepEqual(r.interactive.action.buttons.map((b: any) => b.reply.id), ['menu', 'help']);
    },
    button_reply: ([r]) => assert.match(bodyText(r), /Write anything and I will echo it/),
    list_reply: ([r]) => {
      const rows = r.interactive.action.sections.flatMap((s: any) => s.rows);
      assert.equal(rows.length, 10, 'nine districts and a More row: WhatsApp allows 10 rows in all');
      assert.match(rows.at(-1).id, /^~p:/);
    },
    template_button: ([r]) => assert.equal(r.interactive.type, 'list'),
    image: ([r]) => assert.match(bodyText(r), /Got your photo \(image\/jpeg\)/),
    document: ([r]) => assert.match(bodyText(r), /Got your document \(application\/pdf\)/),
    voice: ([r]) => assert.match(bodyText(r), /Got your voice note/),
    video: ([r]) => assert.match(bodyText(r), /Got your video/),
    sticker: ([r]) => assert.match(bodyText(r), /Got your sticker/),
    location: ([r]) => assert.match(bodyText(r), /Got your location: 16.5131, 80.5165/),
    contacts: ([r]) => assert.match(bodyText(r), /Got the contact: Ravi Kumar/),
    reaction: ([r]) => assert.match(bodyText(r), /Thank you for your reaction 👍/),
    unknown: ([r]) => assert.match(bodyText(r), /cannot read this kind of message/),
    future: ([r]) => assert.match(bodyText(r), /cannot read this kind of message/),
  };
  for (const [name, sample] of Object.entries(samples)) {
    test(`${name}: stored, answered, and marked read`, async () => {
      const from = nextCitizen();
      const payload = inbound(from, sample);
      const res = await post(payload);
      assert.equal(res.status, 200);
      const replies = await eventually(() => (repliesTo(from).length ? repliesTo(from) : undefined), 5000, `a reply to ${name}`);
      expectations[name]!(replies);
      const id = (payload.entry[0]!.changes[0]!.value as any).messages[0].id;
      const receipt = await eventually(() => graph.sent.find((s) => s.body.status === 'read' && s.body.message_id === id), 5000, 'read receipt');
      // "typing…" until the reply, except for a reaction, which the catalogue conversation does not answer.
      assert.deepEqual(receipt.body.typing_indicator, name === 'reaction' ? undefined : { type: 'text' });
      // Every outbound carries our outbox id so its statuses find it even before the wamid is stored.
      assert.match(replies[0].biz_opaque_callback_data, /^mitra:\d+$/);
    });
  }
});

test('a long list pages: tapping More brings the next rows, never a truncated list', async () => {
  const from = nextCitizen();
  await post(inbound(from, samples.list_reply!));
  const first = await eventually(() => repliesTo(from)[0]);
  const more = first.interactive.action.sections.flatMap((s: any) => s.rows).at(-1);
  await post(inbound(from, { type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: more.id, title: more.title } } }));
  const second = await eventually(() => repliesTo(from)[1]);
  const rows = second.interactive.action.sections.flatMap((s: any) => s.rows);
  const firstTitles = first.interactive.action.sections.flatMap((s: any) => s.rows).map((r: any) => r.title);
  assert.ok(rows.every((r: any) => !firstTitles.includes(r.title) || r.id.startsWith('~p:')), 'page 2 shows new districts');
  // 26 districts: 9 + 9 + 8, so page 3 exists and page 3 has no More row.
  const more2 = rows.at(-1);
  await post(inbound(from, { type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: more2.id, title: more2.title } } }));
  const third = await eventually(() => repliesTo(from)[2]);
  const last = third.interactive.action.sections.flatMap((s: any) => s.rows);
  assert.equal(last.length, 8);
  assert.ok(last.every((r: any) => r.id.startsWith('district:')));
});

test('statuses are recorded against the outbound message, in order, and failures keep their code', async () => {
  const from = nextCitizen();
  await post(inbound(from, samples.text!));
  const reply = await eventually(() => repliesTo(from)[0]);
  const outboxId = Number(reply.biz_opaque_callback_data.split(':')[1]);
  const row = async () => (await app.db.query<any>('select * from outbox where id = $1', [outboxId]))[0];
  const sentWamid = await eventually(async () => (await row())?.wamid);
  // Out of order, and repeated: read, then a late delivered, then sent again.
  for (const s of ['read', 'delivered', 'sent'] as const) assert.equal((await post(status(sentWamid, s))).status, 200);
  const r = await row();
  assert.equal(r.state, 'read');
  assert.ok(r.delivered_at && r.read_at);

  // A status before the wamid is known still finds its message through the callback data.
  const from2 = nextCitizen();
  await post(inbound(from2, samples.text!));
  const reply2 = await eventually(() => repliesTo(from2)[0]);
  const id2 = Number(reply2.biz_opaque_callback_data.split(':')[1]);
  await post(status('wamid.unknown-yet-' + id2, 'failed', `mitra:${id2}`, [{ code: 131047, title: 'Re-engagement message', message: 'Re-engagement message', error_data: { details: 'more than 24 hours have passed' } }]));
  const failed = await eventually(async () => {
    const x = (await app.db.query<any>('select * from outbox where id = $1', [id2]))[0];
    return x.state === 'failed' ? x : undefined;
  });
  assert.equal(failed.error_code, 131047);
  assert.match(failed.error_detail, /24 hours/);
});

test('a message is marked read the moment it is stored, even while its turn cannot run; the outbox holds replies only', async () => {
  const from = nextCitizen();
  // An earlier message of this citizen waiting for a retry holds their later ones back (order first).
  const [waiting] = await app.db.query<{ id: number }>(
    `insert into inbox (wamid, phone_number_id, wa_id, type, message, raw, sent_at, attempts, retry_at)
     values ($1, $2, $3, 'text', $4, '{}', now(), 1, now() + interval '1 hour') returning id`,
    [wamid(), CREDENTIALS.WHATSAPP_PHONE_NUMBER_ID, from, JSON.stringify({ id: 'x', from, at: new Date().toISOString(), content: { kind: 'text', text: 'earlier' } })],
  );
  const payload = inbound(from, samples.text!);
  const id = (payload.entry[0]!.changes[0]!.value as any).messages[0].id;
  assert.equal((await post(payload)).status, 200);
  const receipt = await eventually(() => graph.sent.find((s) => s.body.status === 'read' && s.body.message_id === id), 5000, 'read receipt while the turn waits');
  assert.deepEqual(receipt.body.typing_indicator, { type: 'text' });
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(repliesTo(from).length, 0, 'no reply yet: the turn is held back');
  await app.db.query(`update inbox set state = 'done', done_at = now() where id = $1`, [waiting!.id]);
  await eventually(() => repliesTo(from).length === 1, 5000, 'the reply once the turn runs');
  const kinds = await app.db.query<{ kind: string }>(`select distinct kind from outbox where wa_id = $1`, [from]);
  assert.deepEqual(kinds.map((k) => k.kind), ['message']);
});

test('the same message delivered five times is answered once', async () => {
  const from = nextCitizen();
  const payload = inbound(from, samples.text!);
  const results = await Promise.all([1, 2, 3].map(() => post(payload)));
  results.push(await post(payload), await post(payload));
  assert.deepEqual(results.map((r) => r.status), [200, 200, 200, 200, 200]);
  await eventually(() => repliesTo(from).length === 1);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(repliesTo(from).length, 1);
  const id = (payload.entry[0]!.changes[0]!.value as any).messages[0].id;
  assert.equal(graph.sent.filter((s) => s.body.status === 'read' && s.body.message_id === id).length, 1, 'marked read once');
  const metrics = await (await fetch(`${app.url}/metrics`)).text();
  assert.match(metrics, /mitra_messages_deduplicated_total [1-9]/);
});

describe('signatures', () => {
  const payload = () => JSON.stringify(inbound(nextCitizen(), samples.text!));
  const stored = async () => Number((await app.db.query<{ n: number }>('select count(*)::int as n from inbox'))[0]!.n);

  test('forged (wrong secret), missing and replayed (another body\'s) signatures get 401 and nothing is stored', async () => {
    const before = await stored();
    const body = payload();
    const forged = await fetch(`${app.url}/webhooks/whatsapp`, { method: 'POST', headers: { 'x-hub-signature-256': sign(body, 'not-the-secret') }, body });
    const missing = await fetch(`${app.url}/webhooks/whatsapp`, { method: 'POST', body });
    const other = payload();
    const replayed = await fetch(`${app.url}/webhooks/whatsapp`, { method: 'POST', headers: { 'x-hub-signature-256': sign(other, CREDENTIALS.WHATSAPP_APP_SECRET) }, body });
    const garbage = await fetch(`${app.url}/webhooks/whatsapp`, { method: 'POST', headers: { 'x-hub-signature-256': 'sha256=zz' }, body });
    for (const r of [forged, missing, replayed, garbage]) {
      assert.equal(r.status, 401);
      assert.equal((await r.json()).error.code, 'bad_signature');
    }
    assert.equal(await stored(), before);
  });

  test('a correctly signed message older than the dedupe window is a replay: parked, not answered', async () => {
    const from = nextCitizen();
    const old = inbound(from, samples.text!);
    (old.entry[0]!.changes[0]!.value as any).messages[0].timestamp = String(Math.floor(Date.now() / 1000) - 9 * 86400);
    assert.equal((await post(old)).status, 200);
    const parked = await app.db.query<{ reason: string }>(`select reason from webhook_rejects where body like $1`, [`%${from}%`]);
    assert.match(parked[0]!.reason, /replay/);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(repliesTo(from).length, 0);
  });

  test('the GET handshake echoes the challenge only for the right verify token', async () => {
    const ok = await fetch(`${app.url}/webhooks/whatsapp?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=${CREDENTIALS.WHATSAPP_VERIFY_TOKEN}`);
    assert.equal(ok.status, 200);
    assert.equal(await ok.text(), '1158201444');
    const bad = await fetch(`${app.url}/webhooks/whatsapp?hub.mode=subscribe&hub.challenge=1&hub.verify_token=guess`);
    assert.equal(bad.status, 403);
  });
});

test('malformed but correctly signed bodies get 200, are parked for operators, and the server carries on', async () => {
  const from = nextCitizen();
  const bodies = [
    'not json at all',
    JSON.stringify({ object: 'page', entry: [] }),
    JSON.stringify(inbound(from, { type: 'text' })), // text without text.body
    JSON.stringify({ object: 'whatsapp_business_account', entry: [{ changes: [{ field: 'messages', value: { messages: [{ id: 'x' }] } }] }] }),
  ];
  const before = Number((await app.db.query<{ n: number }>('select count(*)::int as n from webhook_rejects'))[0]!.n);
  for (const b of bodies) assert.equal((await post(b)).status, 200);
  const after = Number((await app.db.query<{ n: number }>('select count(*)::int as n from webhook_rejects'))[0]!.n);
  assert.equal(after - before, bodies.length);
  // A batch with one bad message and one good one: the good one is still answered.
  const mixed = inbound(from, samples.text!);
  (mixed.entry[0]!.changes[0]!.value as any).messages.unshift({ from, id: wamid(), timestamp: '1', type: 'image' });
  assert.equal((await post(mixed)).status, 200);
  await eventually(() => repliesTo(from).length === 1, 5000, 'the good message answered');
  assert.equal((await fetch(`${app.url}/healthz`)).status, 200);
});

test('a permanent send error is recorded on the message and not retried; a 5xx is retried', async () => {
  const from = nextCitizen();
  graph.failNext(400, 131026, 'Message undeliverable');
  await post(inbound(from, samples.text!));
  const failed = await eventually(async () => (await app.db.query<any>(`select * from outbox where wa_id = $1 and kind = 'message' and state = 'failed'`, [from]))[0]);
  assert.equal(failed.error_code, 131026);
  assert.equal(failed.attempts, 1);
  const listed = await (await fetch(`${app.url}/api/v1/outbound?state=failed&wa_id=${from}`)).json();
  assert.deepEqual(listed.messages.map((m: any) => [m.state, m.error.code, m.error.title]), [['failed', 131026, 'Message undeliverable']]);
  const bad = await fetch(`${app.url}/api/v1/outbound?state=lost`);
  assert.equal(bad.status, 400);
  assert.equal((await bad.json()).error.code, 'bad_query');

  const from2 = nextCitizen();
  graph.failNext(503, 2, 'Service temporarily unavailable');
  await post(inbound(from2, { type: 'text', text: { body: 'retry me' } }));
  const sent = await eventually(async () => (await app.db.query<any>(`select * from outbox where wa_id = $1 and kind = 'message' and state in ('sent','delivered','read')`, [from2]))[0], 10_000, 'the retried send');
  assert.ok(sent.attempts >= 2);
  assert.equal(repliesTo(from2).filter((m) => /retry me/.test(bodyText(m))).length, 2, 'one failed try and one success');
});

test('/healthz and /metrics answer in their documented formats', async () => {
  const h = await (await fetch(`${app.url}/healthz`)).json();
  assert.equal(h.status, 'ok');
  const m = await (await fetch(`${app.url}/metrics`)).text();
  for (const name of ['mitra_messages_received_total', 'mitra_messages_deduplicated_total', 'mitra_turns_processed_total', 'mitra_messages_sent_total', 'mitra_messages_failed_total', 'mitra_inbox_pending', 'mitra_outbox_pending', 'mitra_turn_latency_seconds_bucket']) {
    assert.match(m, new RegExp(`^${name}`, 'm'), name);
  }
  // Replies and read receipts are counted apart: a dashboard of messages sent must not count blue ticks.
  assert.match(m, /^mitra_messages_sent_total\{kind="message"\} [1-9]/m);
  assert.match(m, /^mitra_messages_sent_total\{kind="read"\} [1-9]/m);
});
