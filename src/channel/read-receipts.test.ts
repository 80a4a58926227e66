import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createMetrics, silentLogger } from '../platform/index.ts';
import { CREDENTIALS, graphCapture } from '../../test/graph-capture.ts';
import { createReadReceipts } from './read-receipts.ts';
import { createGraphClient } from './whatsapp/graph.ts';

let graph: Awaited<ReturnType<typeof graphCapture>>;
before(async () => (graph = await graphCapture(CREDENTIALS.WHATSAPP_ACCESS_TOKEN)));
after(() => graph.close());

const client = () => createGraphClient({ baseUrl: graph.url, version: 'v23.0', accessToken: CREDENTIALS.WHATSAPP_ACCESS_TOKEN, phoneNumberId: '100200300400500' });

test('every stored message is marked read, with "typing…" unless it is a reaction', async () => {
  graph.sent.length = 0;
  const receipts = createReadReceipts({ graph: client(), log: silentLogger, metrics: createMetrics() });
  receipts.send([{ wamid: 'wamid.a', kind: 'text' }, { wamid: 'wamid.b', kind: 'reaction' }, { wamid: 'wamid.c', kind: 'image' }]);
  await receipts.idle();
  assert.deepEqual(
    graph.sent.map((s) => [s.path, s.body]).sort(),
    [
      ['/v23.0/100200300400500/messages', { messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.a', typing_indicator: { type: 'text' } }],
      ['/v23.0/100200300400500/messages', { messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.b' }],
      ['/v23.0/100200300400500/messages', { messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.c', typing_indicator: { type: 'text' } }],
    ].sort(),
  );
});

test('under a flood the oldest waiting receipts are dropped, never the newest, and idle() waits for the rest', async () => {
  graph.sent.length = 0;
  const metrics = createMetrics();
  const receipts = createReadReceipts({ graph: client(), log: silentLogger, metrics, maxInFlight: 1, maxWaiting: 3 });
  receipts.send(Array.from({ length: 10 }, (_, i) => ({ wamid: `wamid.${i}`, kind: 'text' })));
  await receipts.idle();
  assert.deepEqual(graph.sent.map((s) => s.body.message_id), ['wamid.0', 'wamid.7', 'wamid.8', 'wamid.9']);
  assert.match(await metrics.registry.metrics(), /mitra_messages_sent_total\{kind="read"\} 4/);
});
