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

test('all four WhatsApp credentials, an Aadhaar salt and a signing key secret switch to a live number', () => {
  const live = { WHATSAPP_APP_SECRET: 's', WHATSAPP_VERIFY_TOKEN: 'v', WHATSAPP_ACCESS_TOKEN: 'a', WHATSAPP_PHONE_NUMBER_ID: '1065' };
  const secrets = { AADHAAR_SALT: 'a-long-enough-secret-salt', SIGNING_KEY_SECRET: 'a-signing-key-secret-of-32-chars-or-more' };
  const r = loadConfig({ ...live, ...secrets });
  assert.ok(r.ok);
  assert.equal(r.config.simulated, false);
  const unsalted = loadConfig({ ...live, SIGNING_KEY_SECRET: secrets.SIGNING_KEY_SECRET });
  assert.ok(!unsalted.ok && /AADHAAR_SALT/.test(unsalted.problems[0]!));
  const unsealed = loadConfig({ ...live, AADHAAR_SALT: secrets.AADHAAR_SALT });
  assert.ok(!unsealed.ok && /SIGNING_KEY_SECRET/.test(unsealed.problems[0]!));
  const badRoot = loadConfig({ ...live, ...secrets, TRUST_ROOT_KEY: 'not-a-seed' });
  assert.ok(!badRoot.ok && /^TRUST_ROOT_KEY: must be a 32-byte/.test(badRoot.problems[0]!));
  assert.doesNotMatch(badRoot.problems.join(' '), /not-a-seed/);
});

test('a secret that is refused is never echoed back', () => {
  const r = loadConfig({ AADHAAR_SALT: 'short-secret' });
  assert.ok(!r.ok);
  assert.match(r.problems[0]!, /^AADHAAR_SALT: must be at least 16/);
  assert.doesNotMatch(r.problems.join(' '), /short-secret/);
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
