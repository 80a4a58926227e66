import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { generateKeyPair, keyPairFromSeed, kidOf, newDepartmentKey, rotateKey, signingKeyFor, signTrustList, trustListOf, verifyTrustList } from './keys.ts';
import { canonicalJson } from './signed-json.ts';
import { isRevoked, newStatusList, setRevoked, signStatusList, verifyStatusList } from './status-list.ts';
import { at, world } from './testkit.ts';

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));

test('keys: kid is the first 8 bytes of SHA-256 over the raw public key; rotate retires the old key and closes its window', () => {
  const k = generateKeyPair();
  assert.equal(k.kid, createHash('sha256').update(Buffer.from(k.publicKey, 'base64url')).digest('hex').slice(0, 16));
  assert.equal(Buffer.from(k.publicKey, 'base64url').length, 32);
  assert.equal(Buffer.from(k.secretKey, 'base64url').length, 32);
  assert.equal(kidOf(Buffer.from(k.publicKey, 'base64url')), k.kid);
  assert.deepEqual(keyPairFromSeed(Buffer.from(k.secretKey, 'base64url')), k, 'a stored seed gives the same key back');
  // RFC 8032 §7.1, test 1: the seed 9d61…7f60 has the public key d75a…511a.
  const rfc = keyPairFromSeed(Buffer.from('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60', 'hex'));
  assert.equal(Buffer.from(rfc.publicKey, 'base64url').toString('hex'), 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');

  const rev = newDepartmentKey('REV01', at('2025-01-01T00:00:00Z'));
  const hlt = newDepartmentKey('HLT01', at('2025-01-01T00:00:00Z'));
  assert.equal(rev.notAfter, '2026-01-02T00:00:00.000Z', '366 days by default');
  const r = rotateKey([rev, hlt], 'REV01', at('2025-04-01T00:00:00Z'));
  assert.deepEqual(
    r.keys.map((x) => [x.department, x.status, x.notBefore, x.notAfter]),
    [
      ['REV01', 'retired', '2025-01-01T00:00:00.000Z', '2025-04-01T00:00:00.000Z'],
      ['HLT01', 'active', '2025-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z'],
      ['REV01', 'active', '2025-04-01T00:00:00.000Z', '2026-04-02T00:00:00.000Z'],
    ],
  );
  assert.equal(signingKeyFor(r.keys, 'REV01', at('2025-05-01T00:00:00Z'))?.kid, r.added.kid);
  assert.equal(signingKeyFor(r.keys, 'REV01', at('2027-01-01T00:00:00Z')), undefined, 'past every window');
  assert.equal(signingKeyFor(r.keys, 'AGR01', at('2025-05-01T00:00:00Z')), undefined);
});

test('trust list: signed by the root, verified against the pinned root key; no secrets in it; survives re-ordering and re-indenting', () => {
  const w = world();
  const signed = signTrustList(w.trustList, w.root);
  assert.ok(!JSON.stringify(signed).includes(w.rev.secretKey), 'no secret key in the published list');
  assert.deepEqual(Object.keys(signed.trustList.keys[0]!).sort(), ['department', 'kid', 'notAfter', 'notBefore', 'publicKey', 'status']);
  const ok = verifyTrustList(clone(signed), w.root.publicKey);
  assert.ok(ok.ok);
  assert.deepEqual(ok.trustList, w.trustList);

  const reordered = JSON.parse(JSON.stringify({ signature: signed.signature, trustList: Object.fromEntries(Object.entries(signed.trustList).reverse()) }, null, 2));
  assert.equal(verifyTrustList(reordered, [generateKeyPair().publicKey, w.root.publicKey]).ok, true, 'any of several pinned roots');
  assert.equal(verifyTrustList(clone(signed), w.root.publicKey, { minSerial: 1 }).ok, true);
  assert.equal((verifyTrustList(clone(signed), w.root.publicKey, { minSerial: 2 }) as { code: string }).code, 'stale', 'an older list cannot be replayed');
  assert.equal(canonicalJson({ b: [1, 'x'], a: { d: null, c: true } }), '{"a":{"c":true,"d":null},"b":[1,"x"]}');
});

test('trust list: tampering, another root, or a bad shape is refused with a code', () => {
  const w = world();
  const revoked = rotateKey(w.keys, 'REV01', at('2025-03-01T00:00:00Z'));
  const signed = signTrustList(trustListOf(revoked.keys, 2, at('2025-03-01T00:00:00Z')), w.root);

  const unretire = clone(signed);
  unretire.trustList.keys[0]!.status = 'active';
  unretire.trustList.keys[0]!.notAfter = '2026-01-02T00:00:00.000Z';
  assert.equal((verifyTrustList(unretire, w.root.publicKey) as { code: string }).code, 'bad_signature');

  const planted = clone(signed);
  const mine = newDepartmentKey('REV01', at('2025-01-01T00:00:00Z'));
  planted.trustList.keys.push({ kid: mine.kid, department: 'REV01', publicKey: mine.publicKey, notBefore: mine.notBefore, notAfter: mine.notAfter, status: 'active' });
  assert.equal((verifyTrustList(planted, w.root.publicKey) as { code: string }).code, 'bad_signature');

  const otherRoot = generateKeyPair();
  assert.equal((verifyTrustList(signTrustList(w.trustList, otherRoot), w.root.publicKey) as { code: string }).code, 'unknown_signer');

  const wrongKid = clone(w.trustList);
  wrongKid.keys[0]!.kid = '0123456789abcdef';
  assert.match((verifyTrustList(signTrustList(wrongKid, w.root), w.root.publicKey) as { message: string }).message, /kid is not the hash of its public key/);
  const noRevokedAt = clone(w.trustList);
  noRevokedAt.keys[0]!.status = 'revoked';
  assert.equal((verifyTrustList(signTrustList(noRevokedAt, w.root), w.root.publicKey) as { code: string }).code, 'malformed');
  for (const junk of [null, 'x', [], {}, { trustList: {}, signature: {} }]) assert.equal((verifyTrustList(junk, w.root.publicKey) as { code: string }).code, 'malformed');
  const asStatus = signStatusList(newStatusList('REV01'), w.rev, at('2025-02-01T00:00:00Z'));
  assert.equal(verifyTrustList({ trustList: asStatus.statusList, signature: asStatus.signature }, w.root.publicKey).ok, false, 'a status list does not pass for a trust list');
});

test('status list: bits set and read (LSB first), signed by the department, checked against the trust list', () => {
  const w = world();
  const list = newStatusList('REV01', 64);
  for (const i of [0, 9, 63]) setRevoked(list, i);
  assert.deepEqual([...list.bits], [1, 2, 0, 0, 0, 0, 0, 0x80]);
  assert.equal(isRevoked(list, 9), true);
  assert.equal(isRevoked(list, 10), false);
  assert.equal(isRevoked(list, 64), undefined, 'beyond the list: unknown');
  setRevoked(list, 9, false);
  assert.equal(isRevoked(list, 9), false);
  assert.throws(() => setRevoked(list, 64), RangeError);

  const signed = clone(signStatusList(list, w.rev, at('2025-06-30T00:00:00Z')));
  const ok = verifyStatusList(signed, w.trustList);
  assert.ok(ok.ok);
  assert.deepEqual(ok.statusList, { issuer: 'REV01', issuedAt: '2025-06-30T00:00:00.000Z', bits: list.bits });

  const flipped = clone(signed);
  flipped.statusList.bits = signStatusList(newStatusList('REV01', 64), w.rev, at('2025-06-30T00:00:00Z')).statusList.bits;
  assert.equal((verifyStatusList(flipped, w.trustList) as { code: string }).code, 'bad_signature', 'un-revoking a document breaks the signature');
  const byHealth = { statusList: { ...signed.statusList }, signature: signStatusList({ ...list, issuer: 'HLT01' }, w.health, at('2025-06-30T00:00:00Z')).signature };
  assert.equal((verifyStatusList(byHealth, w.trustList) as { code: string }).code, 'unknown_signer', "Health cannot publish Revenue's list");
  assert.throws(() => signStatusList(list, w.health, at('2025-06-30T00:00:00Z')), TypeError);
  const r = rotateKey(w.keys, 'REV01', at('2025-03-01T00:00:00Z'));
  assert.equal((verifyStatusList(signed, trustListOf(r.keys, 2, at('2025-03-01T00:00:00Z'))) as { code: string }).code, 'unknown_signer', 'a retired key signs no new list');
  const bomb = clone(signed);
  bomb.statusList.size = 8;
  assert.equal(verifyStatusList(bomb, w.trustList).ok, false);
});

test('status list: 1,000,000 documents with 0.1 % revoked stay a few KB (printed)', () => {
  const w = world();
  const list = newStatusList('REV01', 1_000_000);
  let seed = 7;
  for (let n = 0; n < 1000; n++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    setRevoked(list, seed % 1_000_000);
  }
  const json = JSON.stringify(signStatusList(list, w.rev, at('2025-06-30T00:00:00Z')));
  console.log(`  status list, 1 M entries, ~1,000 revoked: ${json.length} bytes of JSON`);
  assert.ok(json.length < 8000);
  const empty = JSON.stringify(signStatusList(newStatusList('REV01'), w.rev, at('2025-06-30T00:00:00Z')));
  console.log(`  status list, 131,072 entries, none revoked: ${empty.length} bytes of JSON`);
});
