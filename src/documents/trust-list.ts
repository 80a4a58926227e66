// The trust list's rules without its crypto (see keys.ts for what the list is): its shape, which pinned
// root signed it, and the serial a cached list must not go below. keys.ts runs them with node:crypto
// and web-verify.ts with Web Crypto, so a browser accepts exactly the lists Node does. The key id of a
// public key (a SHA-256) is asked of the caller: Node hashes at once, a browser has hashed beforehand.
import { isObject, isoMillis, readEnvelope, type JsonSignature } from './canonical-json.ts';

export type KeyStatus = 'active' | 'retired' | 'revoked';

/** One key as the trust list publishes it. */
export interface TrustedKey {
  kid: string;
  department: string;
  publicKey: string;
  notBefore: string;
  notAfter: string;
  status: KeyStatus;
  revokedAt?: string;
  revocationReason?: string;
}

export interface TrustList {
  type: 'mitra-trust-list';
  version: 1;
  /** Grows by one with every list published; a verifier refuses a list older than one it has seen. */
  serial: number;
  issuedAt: string;
  keys: TrustedKey[];
}

export interface SignedTrustList {
  trustList: TrustList;
  signature: JsonSignature;
}

export type TrustListVerified = { ok: true; trustList: TrustList } | { ok: false; code: 'malformed' | 'unknown_signer' | 'bad_signature' | 'stale'; message: string };
type Refused = Extract<TrustListVerified, { ok: false }>;

/** The key id of a raw public key given in base64url (the first 8 bytes of its SHA-256, hex). */
export type KidOf = (publicKey: string) => string | undefined;

/** A raw Ed25519 public key in base64url: 32 bytes. */
export const PUBLIC_KEY_TEXT = /^[A-Za-z0-9_-]{43}$/;

/** Step one: the envelope, and the pinned root key (raw, base64url) it says signed it. */
export function trustListSigner(
  input: unknown,
  rootPublicKeys: string | readonly string[],
  kidOf: KidOf,
): { ok: true; body: Record<string, unknown>; signature: JsonSignature; root: string } | Refused {
  const env = readEnvelope(input, 'trustList');
  if (typeof env === 'string') return { ok: false, code: 'malformed', message: `trust list: ${env}` };
  const roots = typeof rootPublicKeys === 'string' ? [rootPublicKeys] : rootPublicKeys;
  const root = roots.find((r) => kidOf(r) === env.signature.kid);
  if (!root) return { ok: false, code: 'unknown_signer', message: `trust list: signed by ${env.signature.kid}, which is not a pinned root key` };
  return { ok: true, ...env, root };
}

/** Step two's failure: the root key's signature does not verify. */
export const trustListBadSignature = (): Refused => ({ ok: false, code: 'bad_signature', message: 'trust list: the root signature does not verify' });

/** Step three, once the root's signature holds: the body's shape, and its serial against the highest seen. */
export function trustListAccepted(body: Record<string, unknown>, kidOf: KidOf, opts: { minSerial?: number } = {}): TrustListVerified {
  const problem = trustListProblem(body, kidOf);
  if (problem) return { ok: false, code: 'malformed', message: `trust list: ${problem}` };
  const list = body as unknown as TrustList;
  if (opts.minSerial !== undefined && list.serial < opts.minSerial) return { ok: false, code: 'stale', message: `trust list: serial ${list.serial} is older than ${opts.minSerial}, already seen` };
  return { ok: true, trustList: list };
}

function trustListProblem(b: Record<string, unknown>, kidOf: KidOf): string | undefined {
  if (b.type !== 'mitra-trust-list' || b.version !== 1) return 'type must be "mitra-trust-list", version 1';
  if (!Number.isSafeInteger(b.serial)) return 'serial must be an integer';
  if (Number.isNaN(isoMillis(b.issuedAt))) return 'issuedAt must be an ISO 8601 date-time';
  if (!Array.isArray(b.keys)) return 'keys must be an array';
  const seen = new Set<string>();
  for (const [i, k] of b.keys.entries()) {
    if (!isObject(k)) return `keys[${i}] is not an object`;
    if (typeof k.kid !== 'string' || !/^[0-9a-f]{16}$/.test(k.kid)) return `keys[${i}].kid must be 16 hex digits`;
    if (seen.has(k.kid)) return `kid ${k.kid} appears twice`;
    seen.add(k.kid);
    if (typeof k.department !== 'string' || !k.department) return `keys[${i}].department is missing`;
    if (typeof k.publicKey !== 'string' || !PUBLIC_KEY_TEXT.test(k.publicKey)) return `keys[${i}].publicKey must be 32 bytes, base64url`;
    if (kidOf(k.publicKey) !== k.kid) return `keys[${i}].kid is not the hash of its public key`;
    const from = isoMillis(k.notBefore);
    const to = isoMillis(k.notAfter);
    if (Number.isNaN(from) || Number.isNaN(to) || from > to) return `keys[${i}] needs notBefore ≤ notAfter, ISO 8601`;
    if (k.status !== 'active' && k.status !== 'retired' && k.status !== 'revoked') return `keys[${i}].status must be active, retired or revoked`;
    if (k.status === 'revoked' && Number.isNaN(isoMillis(k.revokedAt))) return `keys[${i}] is revoked without a revokedAt`;
  }
  return undefined;
}
