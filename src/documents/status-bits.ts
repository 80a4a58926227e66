// Status lists' rules without their crypto or zlib (see status-list.ts for what a list is): the bits,
// the body's shape and which key of the trust list may sign it. status-list.ts runs them with
// node:crypto and node:zlib, web-verify.ts with Web Crypto and DecompressionStream.
import { readEnvelope, isoMillis, type JsonSignature } from './canonical-json.ts';
import type { TrustedKey, TrustList } from './trust-list.ts';

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

export type StatusListVerified = { ok: true; statusList: StatusList } | { ok: false; code: 'malformed' | 'unknown_signer' | 'bad_signature'; message: string };
type Refused = Extract<StatusListVerified, { ok: false }>;

/**
 * Step one: the body's shape, and the trust list's key that may sign it: a key of the list's own
 * department, not revoked, whose window holds the list's issuedAt.
 */
export function statusListSigner(input: unknown, trustList: TrustList): { ok: true; body: StatusListBody; signature: JsonSignature; key: TrustedKey } | Refused {
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
  return { ok: true, body: b as unknown as StatusListBody, signature: env.signature, key };
}

export const statusListBadSignature = (): Refused => ({ ok: false, code: 'bad_signature', message: 'status list: the signature does not verify' });
export const statusListBadBits = (): Refused => ({ ok: false, code: 'malformed', message: 'status list: bits do not inflate (zlib) to its size' });

/** Step three, once the signature holds and the bits are inflated: they must be exactly the size the list says. */
export function statusListAccepted(body: StatusListBody, bits: Uint8Array): StatusListVerified {
  if (bits.length !== body.size / 8) return { ok: false, code: 'malformed', message: `status list: bits hold ${bits.length * 8} entries, size says ${body.size}` };
  return { ok: true, statusList: { issuer: body.issuer, issuedAt: body.issuedAt, bits } };
}
