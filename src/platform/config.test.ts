import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from './config.ts';

test('with nothing set, Mitra runs on PGlite with the simulator on port 3000', () => {
  const r = loadConfig({});
  assert.ok(r.ok);
  assert.equal(r.config.PORT, 3000);
  assert.equal(r.config.DATABASE_URL, undefined);
  assert.equal(r.config.DATA_DIR, './data');
  assert.equal(r.config.simulated, true);
});

test('all four WhatsApp credentials switch to a live number', () => {
  const r = loadConfig({ WHATSAPP_APP_SECRET: 's', WHATSAPP_VERIFY_TOKEN: 'v', WHATSAPP_ACCESS_TOKEN: 'a', WHATSAPP_PHONE_NUMBER_ID: '1065' });
  assert.ok(r.ok);
  assert.equal(r.config.simulated, false);
});

test('bad settings are refused with a message that names them', () => {
  const partial = loadConfig({ WHATSAPP_ACCESS_TOKEN: 'a' });
  assert.ok(!partial.ok);
  assert.match(partial.problems[0]!, /WHATSAPP_APP_SECRET, WHATSAPP_VERIFY_TOKEN, WHATSAPP_PHONE_NUMBER_ID/);
  const port = loadConfig({ PORT: 'eighty' });
  assert.ok(!port.ok);
  assert.match(port.problems[0]!, /^PORT: .*"eighty"/);
  const url = loadConfig({ DATABASE_URL: 'not a url' });
  assert.ok(!url.ok && /DATABASE_URL/.test(url.problems[0]!));
});
