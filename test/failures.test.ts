import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startApp } from '../src/app.ts';
import { sign, type TurnHandler } from '../src/channel/index.ts';
import { echoHandler } from '../src/conversation/index.ts';
import { loadConfig, silentLogger, type Db } from '../src/platform/index.ts';
import { CREDENTIALS, graphCapture } from './graph-capture.ts';
import { inbound } from './meta-payloads.ts';
import { eventually, testDb } from './support.ts';

// What happens when things break: the database, the conversation, the order of a burst.

let db: Awaited<ReturnType<typeof testDb>>;
let graph: Awaited<ReturnType<typeof graphCapture>>;
let app: Awaited<ReturnType<typeof startApp>>;
let databaseDown = false;
const explode = new Set<string>();

before(async () => {
  db = await testDb();
  graph = await graphCapture(CREDENTIALS.WHATSAPP_ACCESS_TOKEN);
  // The same database, with a switch that makes every transaction fail as if it were unreachable.
  const flaky: Db = {
    kind: db.kind,
    query: (sql, params) => db.query(sql, params),
    exec: (sql) => db.exec(sql),
    transaction: (fn) => (databaseDown ? Promise.reject(new Error('connection refused')) : db.transaction(fn)),
    close: async () => {},
  };
  const handler: TurnHandler = async (turn, tx) => {
    if (turn.message.content.kind === 'text' && explode.has(turn.message.content.text)) throw new Error('bug in the conversation');
    return echoHandler(turn, tx);
  };
  const loaded = loadConfig({ ...CREDENTIALS, PORT: '0', HOST: '127.0.0.1', WHATSAPP_GRAPH_URL: graph.url, WHATSAPP_RATE: '1000', WHATSAPP_MARK_READ: 'false', WORKER_RETRY_MS: '60' });
  assert.ok(loaded.ok);
  app = await startApp({ config: loaded.config, log: silentLogger, handler, db: flaky });
});
after(async () => {
  await app.stop();
  await graph.close();
  await db.dispose();
});

const post = (body: unknown) => {
  const text = JSON.stringify(body);
  return fetch(`${app.url}/webhooks/whatsapp`, { method: 'POST', headers: { 'x-hub-signature-256': sign(text, CREDENTIALS.WHATSAPP_APP_SECRET) }, body: text });
};
const replies = (to: string) => graph.messages().filter((m) => m.to === to).map((m) => m.text?.body ?? m.interactive?.body?.text ?? '');

test('database down: the webhook answers 503, so Meta retries; the retry is stored and answered once', async () => {
  const payload = inbound('919700000001', { type: 'text', text: { body: 'during the outage' } });
  databaseDown = true;
  const refused = await post(payload);
  databaseDown = false;
  assert.equal(refused.status, 503);
  assert.equal((await refused.json()).error.code, 'unavailable');
  assert.equal((await post(payload)).status, 200);
  assert.equal((await post(payload)).status, 200);
  await eventually(() => replies('919700000001').length === 1);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(replies('919700000001').length, 1);
});

test('a message that breaks the conversation is retried with growing waits, then failed with an apology; others in its batch are answered', async () => {
  explode.add('boom');
  const started = Date.now();
  const bad = '919700000002';
  const good = ['919700000003', '919700000004', '919700000005'];
  await Promise.all([post(inbound(bad, { type: 'text', text: { body: 'boom' } })), ...good.map((g) => post(inbound(g, { type: 'text', text: { body: 'fine' } })))]);
  for (const g of good) await eventually(() => replies(g).length === 1, 5000, `reply to ${g}`);
  const apology = await eventually(() => replies(bad)[0], 8000, 'the apology');
  // Four waits of 60, 120, 240 and 480 ms (WORKER_RETRY_MS=60) came before the fifth and last attempt.
  assert.ok(Date.now() - started >= 900, `the apology came after ${Date.now() - started} ms: the attempts did not wait`);
  assert.match(apology, /Sorry, we could not process your message/);
  assert.match(apology, /క్షమించండి/);
  const [row] = await db.query<{ state: string; attempts: number; error: string }>(`select state, attempts, error from inbox where wa_id = $1`, [bad]);
  assert.equal(row!.state, 'failed');
  assert.equal(row!.attempts, 5);
  assert.match(row!.error, /bug in the conversation/);
});

test('one citizen\'s burst is answered in the order it was sent', async () => {
  const from = '919700000006';
  for (let i = 0; i < 15; i++) assert.equal((await post(inbound(from, { type: 'text', text: { body: `n${i}` } }))).status, 200);
  await eventually(() => replies(from).length === 15, 10_000, "15 replies");
  assert.deepEqual(replies(from).map((r) => r.match(/«(n\d+)»/)![1]), Array.from({ length: 15 }, (_, i) => `n${i}`));
});
