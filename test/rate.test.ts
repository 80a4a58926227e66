import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sign } from '../src/channel/index.ts';
import { CREDENTIALS, graphCapture } from './graph-capture.ts';
import { inbound } from './meta-payloads.ts';
import { eventually, testApp } from './support.ts';

test('the sender keeps to the configured messages per second for the number', async () => {
  const graph = await graphCapture(CREDENTIALS.WHATSAPP_ACCESS_TOKEN);
  const app = await testApp({ env: { ...CREDENTIALS, WHATSAPP_GRAPH_URL: graph.url, WHATSAPP_RATE: '10', WHATSAPP_MARK_READ: 'false' } });
  try {
    const times: number[] = [];
    const seen = () => graph.messages().length;
    for (let i = 0; i < 30; i++) {
      const text = JSON.stringify(inbound(String(919600000000 + i), { type: 'text', text: { body: `m${i}` } }));
      await fetch(`${app.url}/webhooks/whatsapp`, { method: 'POST', headers: { 'x-hub-signature-256': sign(text, CREDENTIALS.WHATSAPP_APP_SECRET) }, body: text });
    }
    const start = Date.now();
    let last = 0;
    await eventually(() => {
      if (seen() !== last) times.push(Date.now() - start), (last = seen());
      return seen() === 30;
    }, 15_000, '30 replies');
    // 30 messages at 10/s (bursts of a tenth of a second): about 3 s from first to last, never all at once.
    const elapsed = times.at(-1)! - times[0]!;
    assert.ok(elapsed >= 1800, `30 messages went out in ${elapsed} ms at 10/s`);
  } finally {
    await app.dispose();
    await graph.close();
  }
});
