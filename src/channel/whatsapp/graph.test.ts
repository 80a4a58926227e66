import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { serve } from '@hono/node-server';
import { createSimulator } from '../simulator/simulator.ts';
import { classify, createGraphClient } from './graph.ts';

const creds = { appSecret: 's', accessToken: 'token-1', phoneNumberId: '1065' };
let server: ReturnType<typeof serve>;
let sim: ReturnType<typeof createSimulator>;
let base = '';

before(async () => {
  server = await new Promise((resolve) => {
    const s = serve({ fetch: (req) => sim.app.fetch(req), port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  sim = createSimulator({ ...creds, webhookUrl: 'http://127.0.0.1:9/none', publicUrl: base, statuses: 'off' });
});
after(async () => {
  await sim.close();
  await new Promise<void>((r) => server.close(() => r()));
});

const client = (token = creds.accessToken) => createGraphClient({ baseUrl: `${base}/graph`, version: 'v23.0', accessToken: token, phoneNumberId: creds.phoneNumberId });

test('media: upload, then download the same bytes through the short-lived URL with the token', async () => {
  const bytes = Buffer.from('%PDF-1.7 certificate of income');
  const up = await client().upload(new Blob([bytes]), 'application/pdf', 'INC-26-000001.pdf');
  assert.ok(up.ok);
  const down = await client().download(up.mediaId);
  assert.ok(down.ok);
  assert.deepEqual(down.bytes, bytes);
  assert.equal(down.mimeType, 'application/pdf');
  const missing = await client().download('999');
  assert.ok(!missing.ok && missing.error.code === 100 && !missing.error.retryable);
});

test('a wrong token is a permanent error (190), not something to retry', async () => {
  const r = await client('expired').send({ messaging_product: 'whatsapp', to: '919800000001', type: 'text', text: { body: 'x' } });
  assert.ok(!r.ok);
  assert.equal(r.error.code, 190);
  assert.equal(r.error.retryable, false);
});

test('a message beyond WhatsApp limits is refused by the simulator as Meta would (131009)', async () => {
  const rows = Array.from({ length: 11 }, (_, i) => ({ id: `r${i}`, title: `Row ${i}` }));
  const r = await client().send({ messaging_product: 'whatsapp', to: '919800000001', type: 'interactive', interactive: { type: 'list', body: { text: 'x' }, action: { button: 'Go', sections: [{ rows }] } } });
  assert.ok(!r.ok);
  assert.equal(r.error.code, 131009);
  assert.equal(r.error.retryable, false);
});

test('Meta error codes decide retry: throughput and pair limits and 5xx retry; window and undeliverable do not', () => {
  const e = (status: number, code?: number) => classify(status, code ? { error: { code, message: 'm' } } : undefined);
  for (const c of [130429, 131056, 131000, 4, 80007, 2]) assert.equal(e(400, c).retryable, true, String(c));
  for (const c of [131047, 131026, 131051, 131009, 100, 132001, 368]) assert.equal(e(400, c).retryable, false, String(c));
  assert.equal(e(503).retryable, true);
  assert.equal(e(429).retryable, true);
  assert.equal(e(0).retryable, true, 'network error');
  assert.equal(e(400, 131056).pairRateLimited, true);
});
