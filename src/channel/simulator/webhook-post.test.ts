import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { createWebhookPoster, type DeliveryTiming } from './webhook-post.ts';

async function webhook(handle: (req: IncomingMessage, body: string, res: ServerResponse) => void) {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => handle(req, body, res));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/whatsapp`;
  return { url, close: () => new Promise<void>((r) => { server.close(() => r()); server.closeAllConnections(); }) };
}

test('a webhook gets the signed body as posted, and its answer and timing come back', async () => {
  const seen: { signature?: string; type?: string; body: string }[] = [];
  const hook = await webhook((req, body, res) => {
    seen.push({ signature: req.headers['x-hub-signature-256'] as string, type: req.headers['content-type'], body });
    res.writeHead(seen.length === 1 ? 200 : 503).end();
  });
  const timings: DeliveryTiming[] = [];
  const poster = createWebhookPoster(hook.url, { timeoutMs: 2000, connections: 2, onTiming: (t) => timings.push(t) });
  try {
    const text = JSON.stringify({ object: 'whatsapp_business_account', note: 'తెలుగు' });
    assert.equal(await poster.post(text, 'sha256=abc'), 200);
    assert.equal(await poster.post(text, 'sha256=abc'), 503, 'a refusal is an answer, for the caller to retry');
    assert.deepEqual(seen[0], { signature: 'sha256=abc', type: 'application/json', body: text });
    assert.equal(timings.length, 2);
    assert.ok(timings.every((t) => t.answerMs >= 0 && t.queuedMs >= 0));
  } finally {
    poster.close();
    await hook.close();
  }
});

test('a webhook that does not answer in time is given up, as Meta gives up, instead of waiting for ever', async () => {
  const hook = await webhook(() => {
    /* never answers */
  });
  const poster = createWebhookPoster(hook.url, { timeoutMs: 200, connections: 1 });
  try {
    await assert.rejects(poster.post('{}', 'sha256=abc'), /no answer in 200 ms/);
  } finally {
    poster.close();
    await hook.close();
  }
});

test('a webhook that cannot be reached is an error, not an answer', async () => {
  const hook = await webhook((_req, _body, res) => res.end());
  await hook.close();
  const poster = createWebhookPoster(hook.url, { timeoutMs: 1000, connections: 1 });
  try {
    await assert.rejects(poster.post('{}', 'sha256=abc'), (err: NodeJS.ErrnoException) => err.code === 'ECONNREFUSED');
  } finally {
    poster.close();
  }
});
