import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { createSimulator } from './simulator.ts';

test('a read receipt with a typing indicator shows "typing…" to the citizen until the reply, or 25 s, as WhatsApp does', async () => {
  const webhook = createServer((req, res) => req.resume().on('end', () => res.end()));
  await new Promise<void>((r) => webhook.listen(0, '127.0.0.1', r));
  const clock = { t: Date.parse('2026-11-26T09:00:00Z') };
  const sim = createSimulator({
    webhookUrl: `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/`,
    publicUrl: 'http://127.0.0.1/simulator',
    appSecret: 'secret',
    accessToken: 'token',
    phoneNumberId: '100200300400500',
    statuses: 'off',
    now: () => clock.t,
  });
  try {
    const send = (body: Record<string, unknown>) => sim.sendMessage('100200300400500', 'Bearer token', { messaging_product: 'whatsapp', ...body });
    const seen = async (wa: string) => (await (await sim.app.request(`/api/citizens/${wa}/messages`)).json()).typing;
    const first = sim.citizenSends('919000000001', { type: 'text', text: 'income certificate' });
    await first.delivered;
    assert.equal(await seen('919000000001'), false);

    assert.equal(send({ status: 'read', message_id: first.wamid, typing_indicator: { type: 'text' } }).status, 200);
    assert.equal(await seen('919000000001'), true);
    assert.equal(sim.chat('919000000001')[0]!.status, 'read');
    assert.equal(send({ to: '919000000001', type: 'text', text: { body: 'Here it is' } }).status, 200);
    assert.equal(await seen('919000000001'), false, 'the reply ends it');

    const second = sim.citizenSends('919000000001', { type: 'text', text: 'status' });
    await second.delivered;
    send({ status: 'read', message_id: second.wamid, typing_indicator: { type: 'text' } });
    clock.t += 25_001;
    assert.equal(await seen('919000000001'), false, 'no reply: gone after 25 s');

    const refused = send({ status: 'read', message_id: second.wamid, typing_indicator: { type: 'audio' } });
    assert.equal(refused.status, 400);
  } finally {
    await sim.close();
    webhook.close();
  }
});
