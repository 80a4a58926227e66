/**
 * COSE_Sign1 (RFC 9052 §4.2, §4.4) over node:crypto: create and verify.
 *
 *   COSE_Sign1 = 18([protected: bstr .cbor header_map, unprotected: header_map, payload: bstr, signature: bstr])
 *   Sig_structure = ["Signature1", protected, external_aad, payload]   (the bytes that are signed)
 *
 * Algorithms: EdDSA (-8, Ed25519 or Ed448 keys; what Mitra signs documents with); for verifying only
 * also ES256 (-7, ECDSA with SHA-256, signature r‖s) and PS256 (-37, RSA-PSS, salt 32), so the cose-wg examples
 * and the EU DCC test data, mostly ES256 and PS256, run against the same code. createSign1 does
 * EdDSA and ES256.
 */
import { constants, createPublicKey, sign as cryptoSign, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { decodeCbor, encodeCbor, Tagged, type CborMap, type CborValue } from './cbor.ts';

export const COSE_SIGN1_TAG = 18;
export const CWT_TAG = 61;
export const HEADER_ALG = 1;
export const HEADER_CRIT = 2;
export const HEADER_KID = 4;
export const ALG_EDDSA = -8;
export const ALG_ES256 = -7;
export const ALG_PS256 = -37;

export interface Sign1 {
  /** The protected header exactly as it travelled (a bstr holding a CBOR map, or empty). */
  protectedBytes: Uint8Array;
  protected: CborMap;
  unprotected: CborMap;
  payload: Uint8Array;
  signature: Uint8Array;
  tagged: boolean;
}

export type Sign1Decoded = { ok: true; sign1: Sign1 } | { ok: false; reason: string };

const SIGNATURE1 = new Uint8Array([0x6a, ...new TextEncoder().encode('Signature1')]);

/** The Sig_structure bytes for a COSE_Sign1, written directly in one allocation (it is on the hot path of every verification). */
export function sigStructure(protectedBytes: Uint8Array, payload: Uint8Array, externalAad: Uint8Array = EMPTY): Uint8Array {
  const out = new Uint8Array(1 + SIGNATURE1.length + headLength(protectedBytes.length) + protectedBytes.length + headLength(externalAad.length) + externalAad.length + headLength(payload.length) + payload.length);
  out[0] = 0x84;
  out.set(SIGNATURE1, 1);
  let o = 1 + SIGNATURE1.length;
  for (const part of [protectedBytes, externalAad, payload]) {
    o = writeBstrHead(out, o, part.length);
    out.set(part, o);
    o += part.length;
  }
  return out;
}

const EMPTY = new Uint8Array(0);
const headLength = (n: number) => (n < 24 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : 5);
function writeBstrHead(out: Uint8Array, o: number, n: number): number {
  if (n < 24) out[o++] = 0x40 | n;
  else if (n < 0x100) {
    out[o++] = 0x58;
    out[o++] = n;
  } else if (n < 0x10000) {
    out[o++] = 0x59;
    out[o++] = n >> 8;
    out[o++] = n & 0xff;
  } else {
    out[o++] = 0x5a;
    out[o++] = n >>> 24;
    out[o++] = (n >> 16) & 0xff;
    out[o++] = (n >> 8) & 0xff;
    out[o++] = n & 0xff;
  }
  return o;
}

/**
 * Decodes a COSE_Sign1, tagged (18, also inside a CWT tag 61) or untagged. Structure only: the
 * signature is not checked here. A header in both buckets is read from the protected one (as the EU
 * DCC tests expect); Mitra's own verifier insists on an empty unprotected header anyway.
 */
export function decodeSign1(bytes: Uint8Array): Sign1Decoded {
  const d = decodeCbor(bytes);
  if (!d.ok) return d;
  let v: CborValue = d.value;
  let tagged = false;
  if (v instanceof Tagged && v.tag === CWT_TAG && v.value instanceof Tagged) v = v.value;
  if (v instanceof Tagged) {
    if (v.tag !== COSE_SIGN1_TAG) return { ok: false, reason: `COSE: tag ${v.tag} is not COSE_Sign1 (18)` };
    v = v.value;
    tagged = true;
  }
  if (!Array.isArray(v) || v.length !== 4) return { ok: false, reason: 'COSE: a COSE_Sign1 is an array of 4 items' };
  const [p, u, payload, signature] = v;
  if (!(p instanceof Uint8Array)) return { ok: false, reason: 'COSE: the protected header must be a byte string' };
  if (!(u instanceof Map)) return { ok: false, reason: 'COSE: the unprotected header must be a map' };
  if (!(payload instanceof Uint8Array)) return { ok: false, reason: 'COSE: the payload must be a byte string (detached payloads are not accepted)' };
  if (!(signature instanceof Uint8Array)) return { ok: false, reason: 'COSE: the signature must be a byte string' };
  let prot: CborMap = new Map();
  if (p.length > 0) {
    const pd = decodeCbor(p);
    if (!pd.ok) return { ok: false, reason: `COSE protected header: ${pd.reason}` };
    if (!(pd.value instanceof Map)) return { ok: false, reason: 'COSE: the protected header must hold a map' };
    prot = pd.value;
  }
  return { ok: true, sign1: { protectedBytes: p, protected: prot, unprotected: u, payload, signature, tagged } };
}

export interface CreateSign1 {
  protected: CborMap;
  unprotected?: CborMap;
  payload: Uint8Array;
  privateKey: KeyObject;
  externalAad?: Uint8Array;
  /** Default true: wrap in tag 18. */
  tagged?: boolean;
}

/** Signs and encodes a COSE_Sign1 with the `alg` of its protected header (EdDSA or ES256). */
export function createSign1(c: CreateSign1): Uint8Array {
  const protectedBytes = c.protected.size ? encodeCbor(c.protected) : new Uint8Array(0);
  const alg = c.protected.get(HEADER_ALG) ?? c.unprotected?.get(HEADER_ALG);
  const tbs = sigStructure(protectedBytes, c.payload, c.externalAad);
  let signature: Uint8Array;
  if (alg === ALG_EDDSA) signature = cryptoSign(null, tbs, c.privateKey);
  else if (alg === ALG_ES256) signature = cryptoSign('sha256', tbs, { key: c.privateKey, dsaEncoding: 'ieee-p1363' });
  else throw new TypeError(`createSign1: alg ${String(alg)} is not supported`);
  const body: CborValue = [protectedBytes, c.unprotected ?? new Map(), c.payload, new Uint8Array(signature)];
  return encodeCbor(c.tagged === false ? body : new Tagged(COSE_SIGN1_TAG, body));
}

export type Sign1Verified = { ok: true } | { ok: false; code: 'unsupported_alg' | 'bad_signature'; reason: string };

/**
 * Verifies a decoded COSE_Sign1 with a public key. `alg` is read from the protected header, else the
 * unprotected one, and must suit the key. A protected header that travelled as an encoded empty map
 * (h'A0') is signed as the empty byte string, as RFC 9052 §3 lets a recipient treat it.
 */
export function verifySign1(s: Sign1, publicKey: KeyObject, externalAad?: Uint8Array): Sign1Verified {
  const alg = s.protected.has(HEADER_ALG) ? s.protected.get(HEADER_ALG) : s.unprotected.get(HEADER_ALG);
  const type = publicKey.asymmetricKeyType;
  const protectedBytes = s.protected.size === 0 ? new Uint8Array(0) : s.protectedBytes;
  const tbs = sigStructure(protectedBytes, s.payload, externalAad);
  let good: boolean;
  if (alg === ALG_EDDSA && (type === 'ed25519' || type === 'ed448')) {
    good = cryptoVerify(null, tbs, publicKey, s.signature);
  } else if (alg === ALG_ES256 && type === 'ec') {
    // ES256 is ECDSA with SHA-256; COSE does not tie it to P-256 (RFC 9053 §2.1), and the EU DCC data has P-384 keys under it.
    good = cryptoVerify('sha256', tbs, { key: publicKey, dsaEncoding: 'ieee-p1363' }, s.signature);
  } else if (alg === ALG_PS256 && type === 'rsa') {
    good = cryptoVerify('sha256', tbs, { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, s.signature);
  } else {
    return { ok: false, code: 'unsupported_alg', reason: `COSE: alg ${JSON.stringify(alg)} is not supported with a ${type} key` };
  }
  return good ? { ok: true } : { ok: false, code: 'bad_signature', reason: 'COSE: the signature does not verify' };
}

const b64url = (b: Uint8Array) => Buffer.from(b).toString('base64url');

/** A public KeyObject from a raw Ed25519 or Ed448 public key (32 or 57 bytes). */
export function okpPublicKey(raw: Uint8Array): KeyObject {
  const crv = raw.length === 32 ? 'Ed25519' : raw.length === 57 ? 'Ed448' : undefined;
  if (!crv) throw new TypeError(`okpPublicKey: a raw EdDSA public key is 32 or 57 bytes, not ${raw.length}`);
  return createPublicKey({ key: { kty: 'OKP', crv, x: b64url(raw) }, format: 'jwk' });
}
