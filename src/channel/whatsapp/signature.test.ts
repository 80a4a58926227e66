import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isSignedByMeta, sign } from './signature.ts';

const secret = 'app-secret';
// Meta signs the raw bytes it sends, with unicode escaped; re-serialising would break the check.
const body = Buffer.from('{"object":"whatsapp_business_account","entry":[{"changes":[{"value":{"text":{"body":"\\u0c06\\u0c26\\u0c3e\\u0c2f"}}}]}]}');

test('accepts the HMAC-SHA256 of the raw bytes with the app secret', () => {
  assert.equal(isSignedByMeta(body, sign(body, secret), secret), true);
  assert.equal(isSignedByMeta(body, sign(body, secret).toUpperCase().replace('SHA256=', 'sha256='), secret), true);
});

test('rejects a wrong secret, another body, a missing or malformed header', () => {
  assert.equal(isSignedByMeta(body, sign(body, 'other'), secret), false);
  const reparsed = Buffer.from(JSON.stringify(JSON.parse(body.toString())));
  assert.equal(isSignedByMeta(reparsed, sign(body, secret), secret), false, 'the same JSON re-serialised is not the signed body');
  for (const h of [undefined, '', 'sha256=', 'sha1=' + 'a'.repeat(40), sign(body, secret).slice(0, -2), sign(body, secret) + '00']) {
    assert.equal(isSignedByMeta(body, h, secret), false, String(h));
  }
});
