/**
 * Revocation status lists: one bit per document, 1 = revoked.
 *
 * Each issuing department has one list; a document's claims carry its `statusIndex` in its
 * department's list. Bit i is bit (i mod 8), least significant first, of byte ⌊i/8⌋ (the IETF Token
 * Status List order). On the wire the bytes are zlib-compressed and base64url-encoded inside a JSON
 * body signed by one of the department's keys from the trust list:
 *
 *   { "statusList": { "type": "mitra-status-list", "version": 1, "issuer": "REV01",
 *                     "issuedAt": "…", "size": 131072, "bits": "<base64url(zlib(bytes))>" },
 *     "signature": { "alg": "EdDSA", "kid": "<department key>", "sig": "…" } }
 *
 * A list of 131,072 documents with a few revoked is a few hundred bytes; 1 M with 0.1 % revoked about
 * 2 KB. Lists are small, cacheable and the same for every verifier, so fetching one reveals nothing
 * about which document is being checked.
 */
import { deflateSync, inflateSync } from 'node:zlib';
import { kidOf, privateKeyOf, publicKeyOf, type DepartmentKey, type TrustList } from './keys.ts';
import { checkJsonSignature, isoMillis, readEnvelope, signJson, type JsonSignature } from './signed-json.ts';

export interface StatusList {
  issuer: string;
  issuedAt: string;
  /** One bit per document index; length × 8 entries. */
  bits: Uint8Array;
}

export interface StatusListBody {
  type: 'mitra-status-list';
  version: 1;
  issuer: string;
  issuedAt: string;
  size: number;
  bits: string;
}

export interface SignedStatusList {
  statusList: StatusListBody;
  signature: JsonSignature;
}

/** The smallest list size (W3C Bitstring Status List's 16 KB floor): no list gives away how few documents there are. */
export const MIN_STATUS_LIST_SIZE = 131_072;
/** The largest list accepted: 2^24 documents (2 MB of bits before compression). */
export const MAX_STATUS_LIST_SIZE = 1 << 24;

export function newStatusList(issuer: string, size = MIN_STATUS_LIST_SIZE, issuedAt = new Date(0)): StatusList {
  if (!Number.isSafeInteger(size) || size <= 0 || size % 8 || size > MAX_STATUS_LIST_SIZE) throw new RangeError(`a status list size is a positive multiple of 8 up to ${MAX_STATUS_LIST_SIZE}`);
  return { issuer, issuedAt: issuedAt.toISOString(), bits: new Uint8Array(size / 8) };
}

/** Whether document `index` is revoked; undefined when the list is too short to say (it predates the document). */
export function isRevoked(list: StatusList, index: number): boolean | undefined {
  const byte = list.bits[index >>> 3];
  if (byte === undefined || index < 0) return undefined;
  return ((byte >> (index & 7)) & 1) === 1;
}

/** Sets (or clears) document `index`'s bit. An index beyond the list is a bug: grow the list first. */
export function setRevoked(list: StatusList, index: number, revoked = true): void {
  if (!Number.isSafeInteger(index) || index < 0 || index >= list.bits.length * 8) throw new RangeError(`status index ${index} is outside a list of ${list.bits.length * 8}`);
  const mask = 1 << (index & 7);
  list.bits[index >>> 3] = revoked ? list.bits[index >>> 3]! | mask : list.bits[index >>> 3]! & ~mask;
}

/** Signs the list as it is now, stamped `issuedAt`, with a key of its department. */
export function signStatusList(list: StatusList, signer: DepartmentKey, issuedAt: Date): SignedStatusList {
  if (signer.department !== list.issuer) throw new TypeError(`a ${signer.department} key cannot sign ${list.issuer}'s status list`);
  const body: StatusListBody = {
    type: 'mitra-status-list',
    version: 1,
    issuer: list.issuer,
    issuedAt: issuedAt.toISOString(),
    size: list.bits.length * 8,
    bits: deflateSync(list.bits, { level: 9 }).toString('base64url'),
  };
  return { statusList: body, signature: signJson(body, signer.kid, privateKeyOf(signer)) };
}

export type StatusListVerified = { ok: true; statusList: StatusList } | { ok: false; code: 'malformed' | 'unknown_signer' | 'bad_signature'; message: string };

/**
 * Checks a status list (parsed JSON) against a verified trust list: signed by a key of the list's own
 * department that was not revoked and whose window holds the list's issuedAt.
 */
export function verifyStatusList(input: unknown, trustList: TrustList): StatusListVerified {
  const env = readEnvelope(input, 'statusList');
  if (typeof env === 'string') return { ok: false, code: 'malformed', message: `status list: ${env}` };
  const b = env.body;
  if (b.type !== 'mitra-status-list' || b.version !== 1) return { ok: false, code: 'malformed', message: 'status list: type must be "mitra-status-list", version 1' };
  if (typeof b.issuer !== 'string' || typeof b.bits !== 'string') return { ok: false, code: 'malformed', message: 'status list: issuer and bits are required' };
  const at = isoMillis(b.issuedAt);
  if (Number.isNaN(at)) return { ok: false, code: 'malformed', message: 'status list: issuedAt must be an ISO 8601 date-time' };
  const size = b.size;
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size <= 0 || size % 8 || size > MAX_STATUS_LIST_SIZE) return { ok: false, code: 'malformed', message: 'status list: bad size' };
  const key = trustList.keys.find((k) => k.kid === env.signature.kid);
  if (!key || key.department !== b.issuer) return { ok: false, code: 'unknown_signer', message: `status list: ${env.signature.kid} is not a ${b.issuer} key in the trust list` };
  if (key.status === 'revoked') return { ok: false, code: 'unknown_signer', message: `status list: signed with key ${key.kid}, which is revoked` };
  if (at < Date.parse(key.notBefore) || at > Date.parse(key.notAfter)) return { ok: false, code: 'unknown_signer', message: `status list: issued at ${b.issuedAt}, outside key ${key.kid}'s window` };
  if (kidOf(Buffer.from(key.publicKey, 'base64url')) !== env.signature.kid || !checkJsonSignature(b, env.signature, publicKeyOf(key)))
    return { ok: false, code: 'bad_signature', message: 'status list: the signature does not verify' };
  let bits: Uint8Array;
  try {
    bits = new Uint8Array(inflateSync(Buffer.from(b.bits, 'base64url'), { maxOutputLength: size / 8 }));
  } catch {
    return { ok: false, code: 'malformed', message: 'status list: bits do not inflate (zlib) to its size' };
  }
  if (bits.length !== size / 8) return { ok: false, code: 'malformed', message: `status list: bits hold ${bits.length * 8} entries, size says ${size}` };
  return { ok: true, statusList: { issuer: b.issuer, issuedAt: b.issuedAt as string, bits } };
}
