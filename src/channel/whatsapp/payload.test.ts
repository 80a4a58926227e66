import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseWebhook } from './payload.ts';

const envelope = (value: object, field = 'messages') => JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: '1', changes: [{ field, value: { messaging_product: 'whatsapp', metadata: { phone_number_id: '106540352242922' }, ...value } }] }] });

test('reads every entry, change and message in one body, not just the first', () => {
  const body = JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [1, 2].map((e) => ({ id: String(e), changes: [1, 2].map((c) => ({ field: 'messages', value: { metadata: { phone_number_id: '1' }, messages: [1, 2].map((m) => ({ from: '91980000000' + e, id: `wamid.${e}${c}${m}`, timestamp: '1750275992', type: 'text', text: { body: 'x' } })) } })) })),
  });
  const parsed = parseWebhook(body);
  assert.equal(parsed.messages.length, 8);
  assert.deepEqual(parsed.rejections, []);
});

test('statuses carry our outbox id back and failures their error code', () => {
  const parsed = parseWebhook(envelope({ statuses: [
    { id: 'wamid.a', status: 'delivered', timestamp: '1750857384', recipient_id: '1', biz_opaque_callback_data: 'mitra:42' },
    { id: 'wamid.b', status: 'failed', timestamp: '1674498654', errors: [{ code: 131047, title: 'Re-engagement message', error_data: { details: 'more than 24 hours' } }] },
  ] }));
  assert.equal(parsed.statuses[0]!.outboxId, 42);
  assert.deepEqual(parsed.statuses[1]!.error, { code: 131047, title: 'Re-engagement message', detail: 'more than 24 hours' });
});

test('a bad message is rejected alone; its neighbours still arrive', () => {
  const parsed = parseWebhook(envelope({ messages: [
    { from: '1', id: 'wamid.bad', timestamp: 'yesterday', type: 'text', text: { body: 'x' } },
    { from: '1', id: 'wamid.good', timestamp: '1750275992', type: 'text', text: { body: 'x' } },
  ] }));
  assert.deepEqual(parsed.messages.map((m) => m.message.id), ['wamid.good']);
  assert.match(parsed.rejections[0]!.reason, /timestamp/);
});

test('other webhook fields are noted, not mistaken for messages', () => {
  const parsed = parseWebhook(envelope({ event: 'APPROVED' }, 'message_template_status_update'));
  assert.deepEqual(parsed.ignoredFields, ['message_template_status_update']);
  assert.equal(parsed.rejections.length, 0);
});

test('never throws, whatever the bytes', () => {
  for (const b of ['', 'null', '[]', '{"object":"whatsapp_business_account"}', '{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"messages":[null,1,"x"]}}]}]}']) {
    const parsed = parseWebhook(b);
    assert.equal(parsed.messages.length, 0);
    assert.ok(parsed.rejections.length > 0, b);
  }
});
