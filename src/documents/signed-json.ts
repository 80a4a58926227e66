/**
 * JSON documents with a detached Ed25519 signature (the trust list and the status lists):
 *
 *   { "<body name>": { "type": "mitra-…", … }, "signature": { "alg": "EdDSA", "kid": "<hex>", "sig": "<base64url>" } }
 *
 * The signature covers the UTF-8 bytes of the body in canonical JSON (RFC 8785 JCS for the values we
 * use: keys sorted by UTF-16 code units, no whitespace, JSON.stringify for strings and integers), so
 * the file may be re-indented or re-ordered in transit and still verify. The body's `type` keeps a
 * trust list from passing for a status list and the other way round.
 */
import { sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJson, type JsonSignature } from './canonical-json.ts';

export { canonicalJson, isObject, isoMillis, readEnvelope, type JsonSignature } from './canonical-json.ts';

export function signJson(body: unknown, kid: string, privateKey: KeyObject): JsonSignature {
  return { alg: 'EdDSA', kid, sig: sign(null, Buffer.from(canonicalJson(body)), privateKey).toString('base64url') };
}

/** True when `signature` is a valid Ed25519 signature of `body` by `publicKey`. */
export function checkJsonSignature(body: unknown, signature: JsonSignature, publicKey: KeyObject): boolean {
  if (signature.alg !== 'EdDSA' || typeof signature.sig !== 'string') return false;
  const sig = Buffer.from(signature.sig, 'base64url');
  if (sig.length !== 64) return false;
  return verify(null, Buffer.from(canonicalJson(body)), publicKey, sig);
}
