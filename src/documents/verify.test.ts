import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { VECTORS } from '../../test/vectors.ts';
import { encodeBase45 } from './base45.ts';
import { encodeCbor, Tagged, type CborMap } from './cbor.ts';
import { encodeClaims } from './claims.ts';
import { ALG_EDDSA, ALG_ES256, createSign1, decodeSign1, HEADER_ALG, HEADER_KID } from './cose.ts';
import { newDepartmentKey, privateKeyOf, revokeKey, signTrustList, trustListOf, verifyTrustList, type DepartmentKey } from './keys.ts';
import { MAX_COSE_BYTES, parsePayload, signDocument, verifyUrl } from './payload.ts';
import { newStatusList, setRevoked, signStatusList, verifyStatusList } from './status-list.ts';
import { at, incomeCertificate, payloadOf, rotated, seconds, world } from './testkit.ts';
import { verifyDocument, type Verdict } from './verify.ts';

const NOW = at('2025-07-01T09:00:00+05:30');

function sign(claims = incomeCertificate(), key: DepartmentKey): string {
  const s = signDocument(claims, key);
  assert.ok(s.ok, s.ok ? '' : s.message);
  return s.payload;
}
const coseOf = (payload: string) => {
  const p = parsePayload(payload);
  assert.ok(p.ok);
  const d = decodeSign1(p.cose);
  assert.ok(d.ok);
  return d.sign1;
};
const codeOf = (v: Verdict) => (v.valid ? 'valid' : v.code);

test('a signed income certificate verifies, in the bare form and as the verify URL, and gives back its claims', () => {
  const w = world();
  const claims = incomeCertificate();
  const payload = sign(claims, w.rev);
  assert.match(payload, /^MT1:[0-9A-Z$+\-.:]+$/);
  const url = verifyUrl(payload, 'https://mitra.ap.gov.in');
  assert.equal(url, `HTTPS://MITRA.AP.GOV.IN/V/${payload}`);
  assert.equal(new URL(url).pathname, `/V/${payload}`, 'a browser keeps the path as it is: nothing escaped, nothing rewritten');

  for (const form of [payload, url, url.toLowerCase(), `${url}?utm_source=whatsapp`, `  ${payload}\n`, `http://localhost:3000/V/${payload}`]) {
    const v = verifyDocument(form, { trustList: w.trustList, now: NOW });
    assert.deepEqual(v, { valid: true, claims, issuer: { department: 'REV01', kid: w.rev.kid }, statusChecked: false }, form.slice(0, 40));
  }
  const s1 = coseOf(payload);
  assert.deepEqual([...s1.protected], [[HEADER_ALG, ALG_EDDSA], [HEADER_KID, new Uint8Array(Buffer.from(w.rev.kid, 'hex'))]]);
  assert.equal(s1.unprotected.size, 0);
  assert.equal(parsePayload(url).ok && (parsePayload(url) as { form: string }).form, 'url');

  const lifelong = incomeCertificate({ documentType: 'caste-certificate', expiresAt: undefined, fields: { caste: 'Kapu', cat: 'BC-D' } });
  delete lifelong.expiresAt;
  const v = verifyDocument(sign(lifelong, w.rev), { trustList: w.trustList, now: at('2060-01-01T00:00:00Z') });
  assert.equal(v.valid, true, 'no exp: still valid decades later');
});

test('forgery: one changed claim byte is rejected (every byte of the claims, one at a time), bad_signature', () => {
  const w = world();
  const s1 = coseOf(sign(incomeCertificate(), w.rev));
  const reencode = (payload: Uint8Array) => payloadOf(encodeCbor(new Tagged(18, [s1.protectedBytes, s1.unprotected, payload, s1.signature])));

  // The one an attacker wants: 96000 → 9600 would change the length, so change a letter of the name.
  const text = Buffer.from(s1.payload).toString('latin1');
  const i = text.indexOf('Narasimha');
  const forged = new Uint8Array(s1.payload);
  forged[i] = 'M'.charCodeAt(0);
  const v = verifyDocument(reencode(forged), { trustList: w.trustList, now: NOW });
  assert.equal(codeOf(v), 'bad_signature');
  assert.equal((v as { claims?: unknown }).claims, undefined, 'an altered document shows no claims');

  for (let b = 0; b < s1.payload.length; b++) {
    const p = new Uint8Array(s1.payload);
    p[b] = p[b]! ^ 0x01;
    assert.equal(codeOf(verifyDocument(reencode(p), { trustList: w.trustList, now: NOW })), 'bad_signature', `claims byte ${b}`);
  }
});

test('forgery: any single changed byte of the whole COSE message (headers, claims, signature) is never valid', () => {
  const w = world();
  const p = parsePayload(sign(incomeCertificate(), w.rev));
  assert.ok(p.ok);
  const seen = new Set<string>();
  for (let b = 0; b < p.cose.length; b++) {
    const c = new Uint8Array(p.cose);
    c[b] = c[b]! ^ 0x40;
    const v = verifyDocument(payloadOf(c), { trustList: w.trustList, now: NOW });
    assert.equal(v.valid, false, `byte ${b}`);
    seen.add(codeOf(v));
  }
  assert.ok(seen.has('bad_signature') && seen.has('malformed'), [...seen].join());
});

test('forgery: a signature from an unknown key is rejected, unknown_issuer; borrowing a known kid gives bad_signature', () => {
  const w = world();
  const stranger = newDepartmentKey('REV01', at('2025-01-01T00:00:00Z'));
  assert.equal(codeOf(verifyDocument(sign(incomeCertificate(), stranger), { trustList: w.trustList, now: NOW })), 'unknown_issuer');

  const protectedHeader: CborMap = new Map<number, number | Uint8Array>([
    [HEADER_ALG, ALG_EDDSA],
    [HEADER_KID, new Uint8Array(Buffer.from(w.rev.kid, 'hex'))],
  ]);
  const spoof = createSign1({ protected: protectedHeader, payload: encodeClaims(incomeCertificate()), privateKey: privateKeyOf(stranger) });
  assert.equal(codeOf(verifyDocument(payloadOf(spoof), { trustList: w.trustList, now: NOW })), 'bad_signature');

  // A genuine Health key signing a document that claims to be from Revenue.
  const crossKid: CborMap = new Map<number, number | Uint8Array>([
    [HEADER_ALG, ALG_EDDSA],
    [HEADER_KID, new Uint8Array(Buffer.from(w.health.kid, 'hex'))],
  ]);
  const cross = createSign1({ protected: crossKid, payload: encodeClaims(incomeCertificate()), privateKey: privateKeyOf(w.health) });
  const v = verifyDocument(payloadOf(cross), { trustList: w.trustList, now: NOW });
  assert.equal(codeOf(v), 'unknown_issuer');
  assert.match((v as { message: string }).message, /says it is from REV01, but is signed with HLT01's key/);
  assert.equal(signDocument(incomeCertificate(), w.health).ok, false, 'signDocument refuses it up front');
});

test('forgery: a revoked document (its bit set in the status list) is rejected, revoked, with its claims shown', () => {
  const w = world();
  const claims = incomeCertificate();
  const payload = sign(claims, w.rev);
  const list = newStatusList('REV01');
  setRevoked(list, 17);
  assert.deepEqual(verifyDocument(payload, { trustList: w.trustList, statusList: list, now: NOW }), { valid: true, claims, issuer: { department: 'REV01', kid: w.rev.kid }, statusChecked: true });

  setRevoked(list, claims.statusIndex);
  // Over the wire: signed by the department, checked against the trust list, then used.
  const served = JSON.parse(JSON.stringify(signStatusList(list, w.rev, at('2025-06-30T00:00:00Z'))));
  const checked = verifyStatusList(served, w.trustList);
  assert.ok(checked.ok, checked.ok ? '' : checked.message);
  const v = verifyDocument(payload, { trustList: w.trustList, statusList: [newStatusList('HLT01'), checked.statusList], now: NOW });
  assert.equal(codeOf(v), 'revoked');
  assert.deepEqual((v as { claims?: unknown }).claims, claims);

  // Another department's list, or one too short to hold entry 4217, says nothing about this document.
  const other = newStatusList('HLT01');
  setRevoked(other, claims.statusIndex);
  const short = newStatusList('REV01', 1024);
  for (const statusList of [other, short]) {
    const u = verifyDocument(payload, { trustList: w.trustList, statusList, now: NOW });
    assert.equal(u.valid && u.statusChecked, false);
    assert.equal(u.valid, true);
  }
});

test('forgery: an expired key (document dated after its key stopped signing) is rejected, key_expired; a past exp gives expired', () => {
  const w = world();
  const r = rotated(w, at('2025-03-01T00:00:00Z'));
  // The retired key's secret, used after the rotation (a backup left on an old PC): its window has closed.
  const late = sign(incomeCertificate({ issuedAt: seconds('2025-06-10T10:42:00+05:30') }), w.rev);
  const v = verifyDocument(late, { trustList: r.trustList, now: NOW });
  assert.equal(codeOf(v), 'key_expired');
  assert.match((v as { message: string }).message, /after key .* stopped signing \(2025-03-01T00:00:00.000Z\)/);

  const claims = incomeCertificate();
  const e = verifyDocument(sign(claims, w.rev), { trustList: w.trustList, now: at('2026-06-10T00:00:00+05:30') });
  assert.equal(codeOf(e), 'expired');
  assert.deepEqual((e as { claims?: unknown }).claims, claims);
  assert.equal(verifyDocument(sign(claims, w.rev), { trustList: w.trustList, now: at('2026-06-09T23:59:00+05:30') }).valid, true, 'the minute before');
});

test('a document dated in the future or before its key existed is rejected, not_yet_valid', () => {
  const w = world();
  const future = sign(incomeCertificate({ issuedAt: seconds('2025-07-01T10:00:00+05:30') }), w.rev);
  assert.equal(codeOf(verifyDocument(future, { trustList: w.trustList, now: NOW })), 'not_yet_valid');
  assert.equal(verifyDocument(future, { trustList: w.trustList, now: at('2025-07-01T09:56:00+05:30') }).valid, true, 'within the 5-minute skew');
  const early = { ...w.rev, notBefore: '2024-01-01T00:00:00.000Z' };
  const backdated = sign(incomeCertificate({ issuedAt: seconds('2024-06-01T00:00:00Z') }), early);
  assert.equal(codeOf(verifyDocument(backdated, { trustList: w.trustList, now: NOW })), 'not_yet_valid');
});

test('forgery: a truncated payload is rejected, malformed, however much is cut (compressed or not)', () => {
  const w = world();
  const s = signDocument(incomeCertificate(), w.rev);
  assert.ok(s.ok);
  const zipped = payloadOf(s.cose, true);
  assert.equal(verifyDocument(zipped, { trustList: w.trustList, now: NOW }).valid, true, 'a zlib-compressed payload is read too');
  for (const payload of [s.payload, zipped, verifyUrl(s.payload, 'https://mitra.ap.gov.in')]) {
    const start = payload.indexOf('MT1:') + 4;
    for (let k = start; k < payload.length; k++) {
      const v = verifyDocument(payload.slice(0, k), { trustList: w.trustList, now: NOW });
      assert.equal(codeOf(v), 'malformed', `cut to ${k} of ${payload.length}`);
    }
  }
  assert.equal(codeOf(verifyDocument('MT1', { trustList: w.trustList, now: NOW })), 'wrong_format');
});

test('a compressed payload inflates to at most MAX_COSE_BYTES, across more than one zlib output chunk; past that it is malformed', () => {
  const w = world();
  // A document with long fields: its COSE is over 1 KiB (the inflate chunk), under 2 KiB.
  const long = (c: string) => c.repeat(190);
  const big = incomeCertificate({ fields: { a: long('a'), b: long('b'), c: long('c'), d: long('d'), e: long('e'), f: long('f') } });
  const s = signDocument(big, w.rev);
  assert.ok(s.ok, s.ok ? '' : s.message);
  assert.ok(s.cose.length > 1024 && s.cose.length <= MAX_COSE_BYTES && s.compressed, `COSE ${s.cose.length} B, compressed ${s.ok && s.compressed}`);
  const v = verifyDocument(s.payload, { trustList: w.trustList, now: NOW });
  assert.ok(v.valid && v.claims.fields.f === long('f'));
  // Bytes that inflate past the limit (a zlib bomb, here a COSE_Sign1 tag and zeros) are refused before they are looked at.
  for (const n of [MAX_COSE_BYTES + 1, 1_000_000]) {
    const bomb = new Uint8Array(n);
    bomb[0] = 0xd2;
    assert.equal(codeOf(verifyDocument(payloadOf(bomb, true), { trustList: w.trustList, now: NOW })), 'malformed', `${n} bytes inflated`);
  }
});

test('forgery: a payload of another format is rejected, wrong_format: an EU DCC (HC1:) from the test data, links elsewhere, garbage', () => {
  const w = world();
  const dir = join(VECTORS, 'dgc', 'common', '2DCode', 'raw');
  const hc1 = readdirSync(dir)
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')).PREFIX as string | undefined)
    .filter((p): p is string => !!p && p.startsWith('HC1:'));
  assert.ok(hc1.length > 10);
  for (const p of hc1) {
    const v = verifyDocument(p, { trustList: w.trustList, now: NOW });
    assert.equal(codeOf(v), 'wrong_format');
    assert.match((v as { message: string }).message, /EU Digital COVID Certificate/);
  }
  const payload = sign(incomeCertificate(), w.rev);
  for (const garbage of [
    '',
    'hello',
    'https://example.com/',
    'HTTPS://MITRA.AP.GOV.IN/X/' + payload,
    'MT2:' + payload.slice(4),
    'eyJhbGciOiJFZERTQSJ9.eyJpc3MiOiJSRVYwMSJ9.c2ln',
    'shc:/5676290952432060346029243740446031222959532654603460292540772804336028702864716745222809',
    '{"issuer":"REV01"}',
    '\u0000\u0001\u0002',
  ]) {
    assert.equal(codeOf(verifyDocument(garbage, { trustList: w.trustList, now: NOW })), 'wrong_format', garbage.slice(0, 30));
  }
  // The right prefix over the wrong encoding or contents: malformed.
  const p = parsePayload(payload);
  assert.ok(p.ok);
  for (const bad of ['MT1:' + encodeBase45(p.cose).replace(/ /g, ''), 'MT1:ABC', 'MT1:' + payloadOf(encodeCbor([1, 2, 3])).slice(4), 'MT1:' + payloadOf(encodeCbor(new Tagged(18, [1]))).slice(4)]) {
    assert.equal(codeOf(verifyDocument(bad, { trustList: w.trustList, now: NOW })), 'malformed', bad.slice(0, 30));
  }
});

test('signed, but not the MT1 shape (another alg, extra or unprotected headers, short kid): malformed', () => {
  const w = world();
  const kid = new Uint8Array(Buffer.from(w.rev.kid, 'hex'));
  const payload = encodeClaims(incomeCertificate());
  const privateKey = privateKeyOf(w.rev);
  const header = (...extra: [number, number | Uint8Array][]): CborMap => new Map<number, number | Uint8Array>([[HEADER_ALG, ALG_EDDSA], [HEADER_KID, kid], ...extra]);
  // Genuinely signed by a trusted key, yet not what MT1 allows.
  const signed = [createSign1({ protected: header([3, 0]), payload, privateKey }), createSign1({ protected: header(), unprotected: new Map([[33, 'x']]), payload, privateKey })];
  // Refused before any signature check.
  const sig = new Uint8Array(64);
  const shaped = [header([HEADER_ALG, ALG_ES256]), header([HEADER_KID, kid.subarray(0, 4)])].map((h) => encodeCbor(new Tagged(18, [encodeCbor(h), new Map(), payload, sig])));
  for (const cose of [...signed, ...shaped]) assert.equal(codeOf(verifyDocument(payloadOf(cose), { trustList: w.trustList, now: NOW })), 'malformed');
});

test('a rotated-out (retired) key still verifies the documents it signed; the new key signs from the rotation on', () => {
  const w = world();
  const before = sign(incomeCertificate({ issuedAt: seconds('2025-02-10T11:00:00+05:30') }), w.rev);
  const r = rotated(w, at('2025-03-01T00:00:00Z'));
  const old = r.keys.find((k) => k.kid === w.rev.kid)!;
  assert.equal(old.status, 'retired');
  assert.equal(old.notAfter, '2025-03-01T00:00:00.000Z');
  assert.equal(signDocument(incomeCertificate(), old).ok, false, 'a retired key signs no more');

  const list = verifyTrustList(JSON.parse(JSON.stringify(signTrustList(r.trustList, w.root))), w.root.publicKey);
  assert.ok(list.ok);
  const v = verifyDocument(before, { trustList: list.trustList, now: NOW });
  assert.equal(v.valid, true);
  assert.deepEqual(v.valid && v.issuer, { department: 'REV01', kid: w.rev.kid });
  const after = sign(incomeCertificate(), r.added);
  assert.deepEqual((verifyDocument(after, { trustList: list.trustList, now: NOW }) as { issuer: unknown }).issuer, { department: 'REV01', kid: r.added.kid });
});

test('a key revoked for compromise invalidates every document it signed, even those dated before the compromise', () => {
  const w = world();
  const early = sign(incomeCertificate({ issuedAt: seconds('2025-02-10T11:00:00+05:30') }), w.rev);
  const healthDoc = sign(incomeCertificate({ issuer: 'HLT01', documentType: 'disability-certificate', fields: { pct: 45 } }), w.health);
  const revoked = revokeKey(w.keys, w.rev.kid, 'private key copied from the Tenali office PC', at('2025-06-20T00:00:00Z'));
  assert.ok(revoked.ok);
  const list = trustListOf(revoked.keys, 2, at('2025-06-20T00:00:00Z'));
  const v = verifyDocument(early, { trustList: list, now: NOW });
  assert.equal(codeOf(v), 'key_revoked');
  assert.match((v as { message: string }).message, /revoked at 2025-06-20T00:00:00.000Z \(private key copied from the Tenali office PC\)/);
  assert.equal((v as { claims?: unknown }).claims, undefined);
  assert.equal(verifyDocument(healthDoc, { trustList: list, now: NOW }).valid, true, "other keys are untouched");

  assert.deepEqual(revokeKey(revoked.keys, w.rev.kid, 'again', NOW), { ok: false, code: 'already_revoked', message: `key ${w.rev.kid} was revoked at 2025-06-20T00:00:00.000Z` });
  assert.equal((revokeKey(w.keys, '0000000000000000', 'x', NOW) as { code: string }).code, 'unknown_key');
});

test('signDocument refuses what it must not sign: bad claims, another department, a key outside its window', () => {
  const w = world();
  assert.equal((signDocument(incomeCertificate({ documentType: 'Income Certificate' }), w.rev) as { code: string }).code, 'invalid_claims');
  assert.equal((signDocument(incomeCertificate({ fields: { 'Father Name': 'x' } }), w.rev) as { code: string }).code, 'invalid_claims');
  assert.equal((signDocument(incomeCertificate({ issuer: 'HLT01' }), w.rev) as { code: string }).code, 'wrong_key');
  assert.equal((signDocument(incomeCertificate({ issuedAt: seconds('2027-01-01T00:00:00Z'), expiresAt: seconds('2028-01-01T00:00:00Z') }), w.rev) as { code: string }).code, 'wrong_key');
  assert.equal((signDocument(incomeCertificate({ fields: Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`f${i}`, 'x'.repeat(199)])) }), w.rev) as { code: string }).code, 'too_large');
});
