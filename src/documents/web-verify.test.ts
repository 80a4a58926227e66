import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deflateSync } from 'node:zlib';
import { encodeCbor, Tagged, type CborMap } from './cbor.ts';
import { encodeClaims } from './claims.ts';
import { ALG_EDDSA, createSign1, HEADER_ALG, HEADER_KID } from './cose.ts';
import { generateKeyPair, newDepartmentKey, privateKeyOf, revokeKey, signTrustList, trustListOf, verifyTrustList, type DepartmentKey } from './keys.ts';
import { FORMAT_PREFIX, parsePayload, signDocument, verifyUrl } from './payload.ts';
import { encodeBase41 } from './base45.ts';
import { signJson } from './signed-json.ts';
import { newStatusList, setRevoked, signStatusList, verifyStatusList } from './status-list.ts';
import { at, incomeCertificate, payloadOf, rotated, seconds, world } from './testkit.ts';
import { verifyDocument, type VerifyContext } from './verify.ts';
import { verifyDocumentWeb, verifyStatusListWeb, verifyTrustListWeb } from './web-verify.ts';

// The browser's verifier (Web Crypto, DecompressionStream) must answer exactly as the Node one does,
// verdict, message and claims, on good documents and on every kind of bad one. Node ≥ 20 has both
// APIs, so the same function the verify page runs is held to verifyDocument here, case by case.

const NOW = at('2025-07-01T09:00:00+05:30');

function sign(claims = incomeCertificate(), key: DepartmentKey): string {
  const s = signDocument(claims, key);
  assert.ok(s.ok, s.ok ? '' : s.message);
  return s.payload;
}

async function agree(payload: string, ctx: VerifyContext, what = payload.slice(0, 40)) {
  assert.deepEqual(await verifyDocumentWeb(payload, ctx), verifyDocument(payload, ctx), what);
}

test('good documents: the same verdict and claims, in every form the payload travels in', async () => {
  const w = world();
  const s = signDocument(incomeCertificate(), w.rev);
  assert.ok(s.ok);
  const url = verifyUrl(s.payload, 'https://mitra.ap.gov.in');
  const ctx = { trustList: w.trustList, now: NOW };
  for (const form of [s.payload, url, url.toLowerCase(), `${url}?utm_source=whatsapp`, `  ${s.payload}\n`, payloadOf(s.cose, true), payloadOf(s.cose, false)]) await agree(form, ctx);
  const v = await verifyDocumentWeb(payloadOf(s.cose, true), ctx);
  assert.equal(v.valid, true, 'a zlib-compressed payload inflates through DecompressionStream');
});

test('every single changed byte of the COSE message, compressed or not, and every cut: the same refusal', async () => {
  const w = world();
  const p = parsePayload(sign(incomeCertificate(), w.rev));
  assert.ok(p.ok);
  const ctx = { trustList: w.trustList, now: NOW };
  for (let b = 0; b < p.cose.length; b++) {
    const c = new Uint8Array(p.cose);
    c[b] = c[b]! ^ 0x40;
    await agree(payloadOf(c), ctx, `byte ${b}`);
    if (b % 7 === 0) await agree(payloadOf(c, true), ctx, `byte ${b}, compressed`);
  }
  for (const payload of [payloadOf(p.cose), payloadOf(p.cose, true)]) {
    for (let k = 0; k <= payload.length; k += 3) await agree(payload.slice(0, k), ctx, `cut to ${k}`);
  }
});

test('zlib damaged, oversized or followed by extra bytes: malformed in both', async () => {
  const w = world();
  const p = parsePayload(sign(incomeCertificate(), w.rev));
  assert.ok(p.ok);
  const ctx = { trustList: w.trustList, now: NOW };
  const zipped = deflateSync(p.cose);
  const junk = FORMAT_PREFIX + encodeBase41(Buffer.concat([zipped, Buffer.from([1, 2])]));
  assert.equal((await verifyDocumentWeb(junk, ctx)).valid, false);
  await agree(junk, ctx, 'trailing bytes after the zlib stream');
  const bomb = FORMAT_PREFIX + encodeBase41(deflateSync(new Uint8Array(50_000)));
  await agree(bomb, ctx, 'inflates past the largest COSE');
  await agree(FORMAT_PREFIX + encodeBase41(new Uint8Array([0x78, 0x9c, 1, 2, 3, 4])), ctx, 'not zlib after all');
});

test('keys and rules: unknown, spoofed and cross-department keys, revoked and expired keys, dates, status lists', async () => {
  const w = world();
  const claims = incomeCertificate();
  const payload = sign(claims, w.rev);
  const base = { trustList: w.trustList, now: NOW };
  await agree(sign(incomeCertificate(), newDepartmentKey('REV01', at('2025-01-01T00:00:00Z'))), base, 'unknown key');
  const header = (kid: string): CborMap => new Map<number, number | Uint8Array>([[HEADER_ALG, ALG_EDDSA], [HEADER_KID, new Uint8Array(Buffer.from(kid, 'hex'))]]);
  const stranger = newDepartmentKey('REV01', at('2025-01-01T00:00:00Z'));
  await agree(payloadOf(createSign1({ protected: header(w.rev.kid), payload: encodeClaims(claims), privateKey: privateKeyOf(stranger) })), base, 'borrowed kid');
  await agree(payloadOf(createSign1({ protected: header(w.health.kid), payload: encodeClaims(claims), privateKey: privateKeyOf(w.health) })), base, 'another department');
  await agree(payloadOf(encodeCbor(new Tagged(18, [encodeCbor(header(w.rev.kid)), new Map([[33, 'x']]), encodeClaims(claims), new Uint8Array(64)]))), base, 'unprotected header');

  const revoked = revokeKey(w.keys, w.rev.kid, 'copied from the office PC', at('2025-06-20T00:00:00Z'));
  assert.ok(revoked.ok);
  await agree(payload, { trustList: trustListOf(revoked.keys, 2, at('2025-06-20T00:00:00Z')), now: NOW }, 'key revoked');
  await agree(payload, { trustList: rotated(w, at('2025-03-01T00:00:00Z')).trustList, now: NOW }, 'after its key stopped signing');
  await agree(payload, { ...base, now: at('2026-06-10T00:00:00+05:30') }, 'expired');
  await agree(sign(incomeCertificate({ issuedAt: seconds('2025-07-01T10:00:00+05:30') }), w.rev), base, 'in the future');

  const list = newStatusList('REV01');
  await agree(payload, { ...base, statusList: list }, 'status list, not revoked');
  setRevoked(list, claims.statusIndex);
  await agree(payload, { ...base, statusList: [newStatusList('HLT01'), list] }, 'revoked');
  await agree(payload, { ...base, statusList: newStatusList('REV01', 1024) }, 'a list too short to say');
  for (const garbage of ['', 'hello', 'HC1:NCFOXN%TS3DH3ZSUZK+.V0ETD%', 'https://example.com/', 'MT2:ABC', 'MT1:ABC', 'MT1:' + 'Z'.repeat(5000)]) await agree(garbage, base);
});

test('trust lists: the same acceptance and refusals (bad root, tampered, stale, a kid not its key\'s hash)', async () => {
  const w = world();
  const signed = JSON.parse(JSON.stringify(signTrustList(w.trustList, w.root)));
  const other = generateKeyPair();
  const both = async (input: unknown, roots: string | string[], opts: { minSerial?: number } = {}, what = '') => {
    const node = verifyTrustList(input, roots, opts);
    assert.deepEqual(await verifyTrustListWeb(input, roots, opts), node, what);
    return node;
  };
  assert.equal((await both(signed, w.root.publicKey, {}, 'good')).ok, true);
  assert.equal((await both(signed, [other.publicKey, w.root.publicKey], {}, 'one of two pinned roots')).ok, true);
  const reordered = { signature: signed.signature, trustList: Object.fromEntries(Object.entries(signed.trustList).reverse()) };
  assert.equal((await both(reordered, w.root.publicKey, {}, 're-ordered keys still verify')).ok, true);
  const codes = [];
  codes.push(await both(signed, other.publicKey, {}, 'another root'));
  codes.push(await both({ ...signed, trustList: { ...signed.trustList, serial: 9 } }, w.root.publicKey, {}, 'tampered'));
  codes.push(await both(signed, w.root.publicKey, { minSerial: 2 }, 'stale'));
  codes.push(await both({ trustList: 1 }, w.root.publicKey, {}, 'not a list'));
  const badKid = { ...w.trustList, keys: [{ ...w.trustList.keys[0]!, kid: w.health.kid }] };
  codes.push(await both({ trustList: badKid, signature: signJson(badKid, w.root.kid, privateKeyOf(w.root)) }, w.root.publicKey, {}, 'kid not the hash of its key'));
  assert.deepEqual(codes.map((c) => !c.ok && c.code), ['unknown_signer', 'bad_signature', 'stale', 'malformed', 'malformed']);
});

test('status lists: the same acceptance and refusals (another department\'s key, tampered bits, revoked signer)', async () => {
  const w = world();
  const list = newStatusList('REV01');
  setRevoked(list, 4217);
  const signed = JSON.parse(JSON.stringify(signStatusList(list, w.rev, at('2025-06-30T00:00:00Z'))));
  const both = async (input: unknown, trustList = w.trustList, what = '') => {
    const node = verifyStatusList(input, trustList);
    assert.deepEqual(await verifyStatusListWeb(input, trustList), node, what);
    return node;
  };
  const good = await both(signed);
  assert.ok(good.ok && good.statusList.bits[4217 >> 3] === 1 << (4217 & 7));
  const forged = signStatusList(newStatusList('REV01'), { ...w.health, department: 'REV01' }, at('2025-06-30T00:00:00Z'));
  const revoked = revokeKey(w.keys, w.rev.kid, 'compromise', at('2025-06-20T00:00:00Z'));
  assert.ok(revoked.ok);
  const results = [
    await both(forged, w.trustList, "signed with another department's key"),
    await both({ ...signed, statusList: { ...signed.statusList, bits: deflateSync(new Uint8Array(16384)).toString('base64url') } }, w.trustList, 'bits swapped'),
    await both(signed, trustListOf(revoked.keys, 2, at('2025-06-20T00:00:00Z')), 'signer revoked'),
    await both({ ...signed, statusList: { ...signed.statusList, size: 8 } }, w.trustList, 'size changed'),
  ];
  assert.deepEqual(results.map((r) => !r.ok && r.code), ['unknown_signer', 'bad_signature', 'unknown_signer', 'bad_signature']);
});
