import assert from 'node:assert/strict';
import { createHash, createPrivateKey, createPublicKey, verify, X509Certificate, type KeyObject } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { test } from 'node:test';
import { VECTORS } from '../../test/vectors.ts';
import { decodeBase45 } from './base45.ts';
import { decodeCbor, encodeCbor, fromHex, Tagged, toHex, type CborMap, type CborValue } from './cbor.ts';
import { createSign1, decodeSign1, sigStructure, verifySign1, HEADER_ALG, HEADER_KID } from './cose.ts';

const COSE = join(VECTORS, 'cose');
const DGC = join(VECTORS, 'dgc');

type Json = any;
const readJson = (path: string): Json => JSON.parse(readFileSync(path, 'utf8'));
const hex = (s: string) => fromHex(s);
const b64u = (h: string) => Buffer.from(h, 'hex').toString('base64url');

/** The COSE header labels and values the examples use, JSON names → COSE integers. */
const LABELS: Record<string, number> = { alg: 1, ctyp: 3, kid: 4 };
const ALGS: Record<string, number> = { EdDSA: -8, ES256: -7, ES384: -35, ES512: -36 };
function headerMap(h: Record<string, unknown> | undefined): CborMap {
  const m: CborMap = new Map();
  for (const [name, v] of Object.entries(h ?? {})) {
    const label = LABELS[name];
    assert.ok(label, `header ${name}`);
    m.set(label, name === 'alg' ? ALGS[v as string]! : name === 'kid' ? new TextEncoder().encode(v as string) : (v as number));
  }
  return m;
}

function publicKeyOf(key: Json): KeyObject {
  if (key.kty === 'OKP') return createPublicKey({ key: { kty: 'OKP', crv: key.crv, x: b64u(key.x_hex) }, format: 'jwk' });
  const x = key.x ?? b64u(key.x_hex);
  const y = key.y ?? b64u(key.y_hex);
  return createPublicKey({ key: { kty: 'EC', crv: key.crv, x, y }, format: 'jwk' });
}
function privateKeyOf(key: Json): KeyObject {
  return createPrivateKey({ key: { kty: 'OKP', crv: key.crv, x: b64u(key.x_hex), d: b64u(key.d_hex) }, format: 'jwk' });
}

test('the public vectors are there (../shared/vectors; MITRA_VECTORS overrides)', () => {
  assert.ok(existsSync(COSE), `missing ${COSE}`);
  assert.ok(existsSync(DGC), `missing ${DGC}`);
});

test('CBOR: deterministic encoding (shortest heads, sorted map keys) and strict decoding', () => {
  assert.equal(toHex(encodeCbor(new Map<number | string, CborValue>([['b', 1], [10, 2], [-1, 3], [1, 4], ['a', 5]]))), 'a501040a02200361610561620' + '1');
  assert.equal(toHex(encodeCbor([0, 23, 24, 255, 256, 65535, 65536, -1, -24, -25, -65537, 2 ** 32, Number.MAX_SAFE_INTEGER])), '8d00171818' + '18ff' + '190100' + '19ffff' + '1a00010000' + '20' + '37' + '3818' + '3a00010000' + '1b0000000100000000' + '1b001fffffffffffff');
  const roundTrip: CborValue = new Tagged(18, [new Uint8Array([1, 2]), new Map([[4, 'x']]), 'తెలుగు', true, false, null, [[]]]);
  const d = decodeCbor(encodeCbor(roundTrip));
  assert.ok(d.ok);
  assert.deepEqual(d.value, roundTrip);
  for (const [bad, why] of [
    ['9f01ff', 'indefinite length'],
    ['f93c00', 'floats'],
    ['1817', 'non-shortest'],
    ['a201010101', 'duplicate map key'],
    ['0101', 'trailing'],
    ['62c328', 'invalid UTF-8'],
    ['5a0001ffff00', 'truncated'],
    ['9b00000001000000000000', 'array of'],
    ['1b0020000000000000', 'beyond 2\\^53'],
    ['f7', 'simple value'],
    ['8181818181818181818181818181818181818100', 'deeply'],
  ] as const) {
    const r = decodeCbor(hex(bad));
    assert.equal(r.ok, false, bad);
    assert.match((r as { reason: string }).reason, new RegExp(why), bad);
  }
});

test('COSE examples, EdDSA Sign1 (eddsa-sig-01 Ed25519, eddsa-sig-02 Ed448): same ToBeSign, byte-identical output, verifies', () => {
  for (const name of ['eddsa-sig-01.json', 'eddsa-sig-02.json']) {
    const v = readJson(join(COSE, 'eddsa-examples', name));
    const s0 = v.input.sign0;
    const payload = new TextEncoder().encode(v.input.plaintext);
    const prot = headerMap(s0.protected);
    assert.equal(toHex(sigStructure(encodeCbor(prot), payload)).toUpperCase(), v.intermediates.ToBeSign_hex, name);
    const made = createSign1({ protected: prot, unprotected: headerMap(s0.unprotected), payload, privateKey: privateKeyOf(s0.key) });
    assert.equal(toHex(made).toUpperCase(), v.output.cbor, `${name}: EdDSA is deterministic, so the output is the vector's`);
    const d = decodeSign1(hex(v.output.cbor));
    assert.ok(d.ok);
    assert.deepEqual(verifySign1(d.sign1, publicKeyOf(s0.key)), { ok: true });
    const tampered = { ...d.sign1, payload: new TextEncoder().encode('This is the content!') };
    assert.equal(verifySign1(tampered, publicKeyOf(s0.key)).ok, false);
  }
});

test('COSE examples, EdDSA COSE_Sign (eddsa-01, eddsa-02): our CBOR rebuilds their ToBeSign and the signature verifies', () => {
  for (const name of ['eddsa-01.json', 'eddsa-02.json']) {
    const v = readJson(join(COSE, 'eddsa-examples', name));
    const out = decodeCbor(hex(v.output.cbor));
    assert.ok(out.ok && out.value instanceof Tagged && out.value.tag === 98, name);
    const [bodyProtected, , payload, signers] = out.value.value as [Uint8Array, CborMap, Uint8Array, [Uint8Array, CborMap, Uint8Array][]];
    const [signProtected, , signature] = signers[0]!;
    const tbs = encodeCbor(['Signature', bodyProtected, signProtected, new Uint8Array(0), payload]);
    assert.equal(toHex(tbs).toUpperCase(), v.intermediates.signers[0].ToBeSign_hex, name);
    const key = publicKeyOf(v.input.sign.signers[0].key);
    assert.ok(key.asymmetricKeyType?.startsWith('ed'));
    assert.equal(verify(null, tbs, key, signature), true, name);
  }
});

test('COSE examples, sign1-tests: pass cases verify (alg in either bucket, external aad, no tag), fail cases do not', () => {
  const dir = join(COSE, 'sign1-tests');
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  assert.ok(files.length >= 9);
  for (const f of files) {
    const v = readJson(join(dir, f));
    const s0 = v.input.sign0;
    const aad = s0.external ? hex(s0.external) : undefined;
    const d = decodeSign1(hex(v.output.cbor));
    const verified = d.ok ? verifySign1(d.sign1, publicKeyOf(s0.key), aad).ok : false;
    assert.equal(verified, !v.fail, `${f}: ${v.title}`);
    if (!v.fail && d.ok) {
      const p = d.sign1.protected.size ? d.sign1.protectedBytes : new Uint8Array(0);
      assert.equal(toHex(sigStructure(p, d.sign1.payload, aad)).toUpperCase(), v.intermediates.ToBeSign_hex, f);
    }
  }
});

test('COSE examples, ecdsa-sig and CWT A.3 (RFC 8392): ES256 verifies, other curves are refused as unsupported, CWT claims read', () => {
  const es = readJson(join(COSE, 'ecdsa-examples', 'ecdsa-sig-01.json'));
  const d = decodeSign1(hex(es.output.cbor));
  assert.ok(d.ok);
  assert.deepEqual(verifySign1(d.sign1, publicKeyOf(es.input.sign0.key)), { ok: true });
  const p384 = readJson(join(COSE, 'ecdsa-examples', 'ecdsa-sig-02.json'));
  const d384 = decodeSign1(hex(p384.output.cbor));
  assert.ok(d384.ok);
  assert.equal((verifySign1(d384.sign1, publicKeyOf(p384.input.sign0.key)) as { code: string }).code, 'unsupported_alg');

  const cwt = readJson(join(COSE, 'CWT', 'A_3.json'));
  const c = decodeSign1(hex(cwt.output.cbor));
  assert.ok(c.ok);
  assert.equal(toHex(sigStructure(c.sign1.protectedBytes, c.sign1.payload)).toUpperCase(), cwt.intermediates.ToBeSign_hex);
  assert.deepEqual(verifySign1(c.sign1, publicKeyOf(cwt.input.sign0.key)), { ok: true });
  const claims = decodeCbor(c.sign1.payload);
  assert.ok(claims.ok && claims.value instanceof Map);
  assert.equal(claims.value.get(1), 'coap://as.example.com');
  assert.equal(claims.value.get(2), 'erikw');
  assert.equal(claims.value.get(4), 1444064944);
  assert.equal(toHex(encodeCbor(claims.value)), cwt.input.plaintext_hex, 'our deterministic encoding gives back their bytes');
});

test('EU DCC test data (dgc-testdata, every */2DCode/raw/*.json): Base45, zlib, COSE and signatures agree with EXPECTEDRESULTS', () => {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.json') && p.includes(`${join('2DCode', 'raw')}`)) files.push(p);
    }
  };
  walk(DGC);
  assert.ok(files.length >= 500, `${files.length} DCC files`);
  const counts = { unprefix: 0, b45: 0, zlib: 0, verify: 0 };
  const disagree: string[] = [];
  for (const f of files) {
    let v: Json;
    try {
      v = readJson(f);
    } catch {
      continue; // a few files in the corpus are not JSON; they carry no expectations we can read
    }
    const e = v.EXPECTEDRESULTS ?? {};
    const check = (step: keyof typeof counts, got: boolean, want: boolean) => {
      counts[step]++;
      if (got !== want) disagree.push(`${step} ${f.slice(DGC.length)}`);
    };
    if (typeof e.EXPECTEDUNPREFIX === 'boolean' && v.PREFIX && v.BASE45) check('unprefix', v.PREFIX.startsWith('HC1:') && v.PREFIX.slice(4) === v.BASE45, e.EXPECTEDUNPREFIX);
    if (typeof e.EXPECTEDB45DECODE === 'boolean' && v.BASE45) {
      const d = decodeBase45(v.BASE45);
      let got = false;
      if (!v.COMPRESSED && !v.COSE) continue; // nothing to compare the decoded bytes with
      if (d.ok) {
        if (v.COMPRESSED) got = toHex(d.bytes) === v.COMPRESSED.toLowerCase();
        else if (v.COSE) {
          try {
            got = toHex(inflateSync(d.bytes)) === v.COSE.toLowerCase();
          } catch {
            got = false;
          }
        }
      }
      check('b45', got, e.EXPECTEDB45DECODE);
    }
    if (typeof e.EXPECTEDCOMPRESSION === 'boolean' && v.COMPRESSED && v.COSE) {
      let got = false;
      try {
        got = toHex(inflateSync(hex(v.COMPRESSED))) === v.COSE.toLowerCase();
      } catch {
        got = false;
      }
      check('zlib', got, e.EXPECTEDCOMPRESSION);
    }
    if (typeof e.EXPECTEDVERIFY === 'boolean' && v.COSE && v.TESTCTX?.CERTIFICATE) {
      let got = false;
      const d = decodeSign1(hex(v.COSE));
      if (d.ok) {
        const der = Buffer.from(v.TESTCTX.CERTIFICATE, 'base64');
        // The DCC kid is the first 8 bytes of SHA-256 over the signer certificate (protected header first).
        const kid = d.sign1.protected.get(HEADER_KID) ?? d.sign1.unprotected.get(HEADER_KID);
        const kidOk = kid instanceof Uint8Array && toHex(kid) === createHash('sha256').update(der).digest().subarray(0, 8).toString('hex');
        let key: KeyObject | undefined;
        try {
          key = new X509Certificate(der).publicKey;
        } catch {
          key = undefined;
        }
        got = kidOk && !!key && verifySign1(d.sign1, key).ok;
      }
      check('verify', got, e.EXPECTEDVERIFY);
    }
  }
  console.log(`  DCC corpus: ${files.length} files; checked unprefix ${counts.unprefix}, Base45 ${counts.b45}, zlib ${counts.zlib}, signature ${counts.verify}; disagreements ${disagree.length}`);
  assert.ok(counts.b45 > 400 && counts.verify > 400 && counts.zlib > 400);
  assert.deepEqual(disagree, []);
});

test('COSE alg must suit the key: an EdDSA message does not verify with an ES256 key and the other way round', () => {
  const ed = readJson(join(COSE, 'eddsa-examples', 'eddsa-sig-01.json'));
  const es = readJson(join(COSE, 'ecdsa-examples', 'ecdsa-sig-01.json'));
  const dEd = decodeSign1(hex(ed.output.cbor));
  const dEs = decodeSign1(hex(es.output.cbor));
  assert.ok(dEd.ok && dEs.ok);
  assert.equal(verifySign1(dEd.sign1, publicKeyOf(es.input.sign0.key)).ok, false);
  assert.equal(verifySign1(dEs.sign1, publicKeyOf(ed.input.sign0.key)).ok, false);
  assert.equal(dEd.sign1.protected.get(HEADER_ALG), -8);
});
