/**
 * Signing keys and the trust list.
 *
 * Each department signs its documents with an Ed25519 key of its own. A key has a signing window
 * [notBefore, notAfter]: a document is genuine only if its `iat` falls inside the window of the key
 * that signed it.
 * - rotate: the department gets a new active key; the old one becomes `retired` and its window closes
 *   at the rotation time. Documents it signed before then stay valid for good.
 * - revoke: for compromise. Every document the key ever signed stops verifying, whatever its `iat`:
 *   `iat` is written by whoever holds the key, so a thief can backdate it, and nothing in the QR proves
 *   when a document was really signed. (Once documents carry a proof of inclusion in the ledger, the
 *   verifier can keep those logged before `revokedAt`; until then the department reissues them.)
 *
 * The trust list is the public half of all departments' keys (`kid`, department, raw public key,
 * window, status), signed by the state's root key (kept offline) and served at a well-known URL.
 * Verifiers pin the root public key, cache the list, and look keys up by `kid` = the first 8 bytes of
 * SHA-256 over the raw 32-byte public key (hex in JSON, raw bytes in the COSE header).
 *
 * Keys here are plain JSON-ready records so `mitra keys` can keep them in the database as they are.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { okpPublicKey } from './cose.ts';
import { checkJsonSignature, signJson } from './signed-json.ts';
import { trustListBadSignature, trustListAccepted, trustListSigner, type KeyStatus, type SignedTrustList, type TrustList, type TrustListVerified } from './trust-list.ts';

export type { KeyStatus, SignedTrustList, TrustedKey, TrustList, TrustListVerified } from './trust-list.ts';

export interface KeyPair {
  /** Hex of the first 8 bytes of SHA-256(raw public key). */
  kid: string;
  /** Raw 32-byte Ed25519 public key, base64url. */
  publicKey: string;
  /** Raw 32-byte Ed25519 private key (the seed), base64url. Never in a trust list. */
  secretKey: string;
}

export interface DepartmentKey extends KeyPair {
  department: string;
  /** ISO 8601: the signing window. */
  notBefore: string;
  notAfter: string;
  status: KeyStatus;
  revokedAt?: string;
  revocationReason?: string;
}

/** Default length of a department key's signing window; it is normally rotated well before. */
export const DEFAULT_KEY_DAYS = 366;
const DAY = 86_400_000;

export function kidOf(rawPublicKey: Uint8Array): string {
  return createHash('sha256').update(rawPublicKey).digest().subarray(0, 8).toString('hex');
}

export function generateKeyPair(): KeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const x = publicKey.export({ format: 'jwk' }).x!;
  const d = privateKey.export({ format: 'jwk' }).d!;
  return { kid: kidOf(Buffer.from(x, 'base64url')), publicKey: x, secretKey: d };
}

/** The key pair of a 32-byte Ed25519 seed (for keys restored from storage, and reproducible tests). */
export function keyPairFromSeed(seed: Uint8Array): KeyPair {
  if (seed.length !== 32) throw new TypeError('an Ed25519 seed is 32 bytes');
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const x = createPublicKey(privateKey).export({ format: 'jwk' }).x!;
  return { kid: kidOf(Buffer.from(x, 'base64url')), publicKey: x, secretKey: Buffer.from(seed).toString('base64url') };
}
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export function privateKeyOf(k: KeyPair): KeyObject {
  return createPrivateKey({ key: { kty: 'OKP', crv: 'Ed25519', x: k.publicKey, d: k.secretKey }, format: 'jwk' });
}

export function publicKeyOf(k: { publicKey: string }): KeyObject {
  return okpPublicKey(Buffer.from(k.publicKey, 'base64url'));
}

export function newDepartmentKey(department: string, at: Date, days = DEFAULT_KEY_DAYS, pair: KeyPair = generateKeyPair()): DepartmentKey {
  return { ...pair, department, notBefore: at.toISOString(), notAfter: new Date(at.getTime() + days * DAY).toISOString(), status: 'active' };
}

/**
 * Rotates a department's key at `at`: a new active key, and every active key of the department
 * retired with its window closed at `at`. Returns the new list of keys and the new key.
 */
export function rotateKey(keys: readonly DepartmentKey[], department: string, at: Date, days = DEFAULT_KEY_DAYS): { keys: DepartmentKey[]; added: DepartmentKey } {
  const added = newDepartmentKey(department, at, days);
  const iso = at.toISOString();
  const next = keys.map((k) =>
    k.department === department && k.status === 'active' ? { ...k, status: 'retired' as const, notAfter: Date.parse(k.notAfter) < at.getTime() ? k.notAfter : iso } : k,
  );
  return { keys: [...next, added], added };
}

export type Revoked = { ok: true; keys: DepartmentKey[] } | { ok: false; code: 'unknown_key' | 'already_revoked'; message: string };

/** Revokes a key for compromise: every document it signed stops verifying once verifiers have the new trust list. */
export function revokeKey(keys: readonly DepartmentKey[], kid: string, reason: string, at: Date): Revoked {
  const k = keys.find((x) => x.kid === kid);
  if (!k) return { ok: false, code: 'unknown_key', message: `no key ${kid}` };
  if (k.status === 'revoked') return { ok: false, code: 'already_revoked', message: `key ${kid} was revoked at ${k.revokedAt}` };
  return { ok: true, keys: keys.map((x) => (x === k ? { ...x, status: 'revoked' as const, revokedAt: at.toISOString(), revocationReason: reason } : x)) };
}

/** The key a department signs with at `at`: active, with its secret, `at` inside its window. */
export function signingKeyFor(keys: readonly DepartmentKey[], department: string, at: Date): DepartmentKey | undefined {
  const t = at.getTime();
  return keys.find((k) => k.department === department && k.status === 'active' && k.secretKey && Date.parse(k.notBefore) <= t && t <= Date.parse(k.notAfter));
}

/** The public trust list of these keys (secrets left out). */
export function trustListOf(keys: readonly DepartmentKey[], serial: number, issuedAt: Date): TrustList {
  return {
    type: 'mitra-trust-list',
    version: 1,
    serial,
    issuedAt: issuedAt.toISOString(),
    keys: keys.map((k) => ({
      kid: k.kid,
      department: k.department,
      publicKey: k.publicKey,
      notBefore: k.notBefore,
      notAfter: k.notAfter,
      status: k.status,
      ...(k.revokedAt ? { revokedAt: k.revokedAt } : {}),
      ...(k.revocationReason ? { revocationReason: k.revocationReason } : {}),
    })),
  };
}

export function signTrustList(list: TrustList, root: KeyPair): SignedTrustList {
  return { trustList: list, signature: signJson(list, root.kid, privateKeyOf(root)) };
}

/**
 * Checks a trust list (parsed JSON) against the pinned root public key(s) (raw, base64url) and its
 * shape. Only a list that passes may be given to verifyDocument. A verifier that caches lists passes
 * the highest serial it has accepted as `minSerial`, so an older list (one that still shows a key
 * as not revoked) cannot be replayed to it.
 */
export function verifyTrustList(input: unknown, rootPublicKeys: string | readonly string[], opts: { minSerial?: number } = {}): TrustListVerified {
  const signer = trustListSigner(input, rootPublicKeys, kidOfText);
  if (!signer.ok) return signer;
  let good: boolean;
  try {
    good = checkJsonSignature(signer.body, signer.signature, publicKeyOf({ publicKey: signer.root }));
  } catch {
    good = false;
  }
  if (!good) return trustListBadSignature();
  return trustListAccepted(signer.body, kidOfText, opts);
}

const kidOfText = (publicKey: string) => kidOf(Buffer.from(publicKey, 'base64url'));
