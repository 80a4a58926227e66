import assert from 'node:assert/strict';
import { test } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { preferredEncoding, representationFor, served } from './verify-scripts.ts';

test('Accept-Encoding: brotli before gzip, a coding refused by q=0 or left out is never chosen', () => {
  assert.equal(preferredEncoding('gzip, deflate, br, zstd'), 'br');
  assert.equal(preferredEncoding('gzip, deflate'), 'gzip');
  assert.equal(preferredEncoding('br;q=0, gzip;q=0.5'), 'gzip');
  assert.equal(preferredEncoding('*'), 'br');
  assert.equal(preferredEncoding('*, br;q=0'), 'gzip');
  assert.equal(preferredEncoding('identity'), undefined);
  assert.equal(preferredEncoding('gzip;q=0, br;q=0.0'), undefined);
  assert.equal(preferredEncoding(undefined), undefined);
  assert.equal(preferredEncoding(''), undefined);
});

test('a script goes compressed to a client that takes it, with an ETag of its own, and unpacks to the same text', async () => {
  const text = `/* జనన ధృవీకరణ పత్రం */\n${Array.from({ length: 400 }, (_, i) => `function f${i}(a){return a+${i}}`).join('\n')}`;
  const s = served(text);
  const plain = await representationFor(s, undefined);
  assert.deepEqual(plain, { body: text, etag: s.etag });
  const br = await representationFor(s, 'gzip, deflate, br');
  const gz = await representationFor(s, 'gzip');
  assert.equal(br.encoding, 'br');
  assert.equal(gz.encoding, 'gzip');
  assert.equal(brotliDecompressSync(br.body as Buffer).toString('utf8'), text);
  assert.equal(gunzipSync(gz.body as Buffer).toString('utf8'), text);
  assert.ok((br.body as Buffer).length < Buffer.byteLength(text) / 4, 'much smaller on the wire');
  assert.equal(new Set([plain.etag, br.etag, gz.etag]).size, 3, 'each form its own ETag, so a cache never mixes them');
  assert.deepEqual(await representationFor(served('tiny'), 'br'), { body: 'tiny', etag: served('tiny').etag }, 'not worth compressing');
});
