import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { BASE41_ALPHABET, BASE45_ALPHABET, decodeBase41, decodeBase45, encodeBase41, encodeBase45 } from './base45.ts';

const text = (s: string) => new TextEncoder().encode(s);

test('Base45: the RFC 9285 examples (§4.3, §4.4)', () => {
  assert.equal(encodeBase45(text('AB')), 'BB8');
  assert.equal(encodeBase45(text('Hello!!')), '%69 VD92EX0');
  assert.equal(encodeBase45(text('base-45')), 'UJCLQE7W581');
  const ietf = decodeBase45('QED8WEX0');
  assert.ok(ietf.ok);
  assert.equal(new TextDecoder().decode(ietf.bytes), 'ietf!');
  for (const s of ['AB', 'Hello!!', 'base-45', 'ietf!', 'The quick brown fox jumps over the lazy dog', '']) {
    const d = decodeBase45(encodeBase45(text(s)));
    assert.ok(d.ok);
    assert.equal(new TextDecoder().decode(d.bytes), s);
  }
});

test('Base45: invalid input is refused (RFC 9285 §6)', () => {
  // "GGW" = 16 + 16·45 + 32·45² = 65,536, one more than two bytes hold; ":::" is larger still.
  for (const bad of ['GGW', ':::', 'ZZZ', 'A', 'ABCD', 'ab8', 'BB8\n', 'é00']) {
    const d = decodeBase45(bad);
    assert.equal(d.ok, false, `${JSON.stringify(bad)} should not decode`);
  }
});

test('Base45: the largest groups decode, one more does not', () => {
  // 65,535 = 15 + 16·45 + 32·45² = "FGW".
  assert.equal(encodeBase45(new Uint8Array([0xff, 0xff])), 'FGW');
  assert.deepEqual(decodeBase45('FGW'), { ok: true, bytes: new Uint8Array([0xff, 0xff]) });
  assert.equal(encodeBase45(new Uint8Array([0xff])), 'U5');
  assert.equal(decodeBase45('V5').ok, false, '256 is more than one byte');
});

test('Base41 (the URL-safe variant) round-trips random data, same length as Base45, URL-safe characters only', () => {
  assert.equal(BASE41_ALPHABET.length, 41);
  for (const c of ' %*/') assert.ok(!BASE41_ALPHABET.includes(c));
  for (const c of BASE41_ALPHABET) assert.ok(BASE45_ALPHABET.includes(c), 'a subset of the QR alphanumeric set');
  for (let n = 0; n < 300; n++) {
    const bytes = new Uint8Array(randomBytes(n));
    const s = encodeBase41(bytes);
    assert.equal(s.length, encodeBase45(bytes).length);
    assert.match(s, /^[0-9A-Z$+\-.:]*$/);
    assert.equal(encodeURI(s), s, 'nothing to escape in a URL');
    if (s.length) assert.ok(!'.:'.includes(s.at(-1)!), 'never ends in . or :');
    assert.deepEqual(decodeBase41(s), { ok: true, bytes });
  }
  assert.deepEqual(decodeBase41(encodeBase41(new Uint8Array([0xff, 0xff]))), { ok: true, bytes: new Uint8Array([0xff, 0xff]) });
});

test('Base41: invalid input is refused', () => {
  for (const bad of ['A', 'ABCD', '%69', 'A B', 'AB*', 'AB/', 'ab0', ':::', '--:']) assert.equal(decodeBase41(bad).ok, false, bad);
  // The largest group value 41³−1 = 68,920 exceeds 65,535.
  assert.equal(decodeBase41('::-').ok, false);
});
