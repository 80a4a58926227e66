/**
 * COSE_Sign1 (RFC 9052 §4.2, §4.4) over node:crypto: create and verify. The structure (decoding, the
 * Sig_structure bytes) is in sign1.ts, which has no Node dependency; it is re-exported here.
 *
 * Algorithms: EdDSA (-8, Ed25519 or Ed448 keys; what Mitra signs documents with); for verifying only
 * also ES256 (-7, ECDSA with SHA-256, signature r‖s) and PS256 (-37, RSA-PSS, salt 32), so the cose-wg examples
 * and the EU DCC test data, mostly ES256 and PS256, run against the same code. createSign1 does
 * EdDSA and ES256.
 */
import { constants, createPublicKey, sign as cryptoSign, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { encodeCbor, Tagged, type CborMap, type CborValue } from './cbor.ts';
import { ALG_EDDSA, ALG_ES256, ALG_PS256, COSE_SIGN1_TAG, HEADER_ALG, sigStructure, type Sign1 } from './sign1.ts';

export { ALG_EDDSA, ALG_ES256, ALG_PS256, COSE_SIGN1_TAG, CWT_TAG, HEADER_ALG, HEADER_CRIT, HEADER_KID, decodeSign1, sigStructure, type Sign1, type Sign1Decoded } from './sign1.ts';

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
