/**
 * Verifying a document payload: pure, synchronous, no I/O. The caller brings a trust list it has
 * verified (verifyTrustList), optionally status lists it has verified (verifyStatusList), and the time.
 *
 * Order (each step's failure is a distinct code):
 *   format ─ prefix / URL form                            wrong_format
 *   Base41, zlib, COSE_Sign1 structure, alg EdDSA, kid     malformed
 *   kid in the trust list                                  unknown_issuer
 *   Ed25519 signature                                      bad_signature
 *   key revoked (compromise): every document it signed    key_revoked
 *   claims decode strictly; iss is the key's department   malformed / unknown_issuer
 *   iat inside the key's window [notBefore, notAfter]      not_yet_valid / key_expired
 *   iat not in the future (5 min skew), exp not passed     not_yet_valid / expired
 *   status list bit                                        revoked
 * A retired (rotated-out) key still verifies what it signed inside its window.
 */
import { verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { decodeClaims, type DocumentClaims } from './claims.ts';
import { ALG_EDDSA, decodeSign1, HEADER_ALG, HEADER_KID, okpPublicKey, sigStructure } from './cose.ts';
import type { TrustedKey, TrustList } from './keys.ts';
import { parsePayload } from './payload.ts';
import { isRevoked, type StatusList } from './status-list.ts';

export type VerdictCode = 'malformed' | 'wrong_format' | 'unknown_issuer' | 'bad_signature' | 'key_revoked' | 'key_expired' | 'expired' | 'revoked' | 'not_yet_valid';

export interface Issuer {
  department: string;
  kid: string;
}

export type Verdict =
  | {
      valid: true;
      claims: DocumentClaims;
      issuer: Issuer;
      /** False when no status list of the issuer (long enough to hold the document) was given: revocation is unknown. */
      statusChecked: boolean;
    }
  | {
      valid: false;
      code: VerdictCode;
      message: string;
      /** Present when the signature is genuine and the key not compromised (expired, revoked, out of window). */
      claims?: DocumentClaims;
      issuer?: Issuer;
    };

export interface VerifyContext {
  /** A trust list that passed verifyTrustList. */
  trustList: TrustList;
  /** Status lists that passed verifyStatusList: the one of the document's issuer is used. */
  statusList?: StatusList | readonly StatusList[];
  now: Date;
  /** How far in the future an iat may be (clocks differ). Default 300 s. */
  skewSeconds?: number;
}

interface IndexedKey {
  entry: TrustedKey;
  publicKey: KeyObject;
  from: number;
  to: number;
}

/** Parsed keys per trust list object (the list is immutable once verified), and KeyObjects per public key. */
const indexes = new WeakMap<TrustList, Map<string, IndexedKey>>();
const keyObjects = new Map<string, KeyObject>();

function indexOf(list: TrustList): Map<string, IndexedKey> {
  let index = indexes.get(list);
  if (index) return index;
  index = new Map();
  for (const entry of list.keys) {
    let publicKey = keyObjects.get(entry.publicKey);
    if (!publicKey) {
      publicKey = okpPublicKey(Buffer.from(entry.publicKey, 'base64url'));
      keyObjects.set(entry.publicKey, publicKey);
    }
    index.set(entry.kid, { entry, publicKey, from: Date.parse(entry.notBefore), to: Date.parse(entry.notAfter) });
  }
  indexes.set(list, index);
  return index;
}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

export function verifyDocument(payload: string, ctx: VerifyContext): Verdict {
  const parsed = parsePayload(payload);
  if (!parsed.ok) return { valid: false, code: parsed.code, message: parsed.message };
  const decoded = decodeSign1(parsed.cose);
  if (!decoded.ok) return { valid: false, code: 'malformed', message: decoded.reason };
  const s = decoded.sign1;
  if (s.protected.size !== 2 || s.protected.get(HEADER_ALG) !== ALG_EDDSA) return { valid: false, code: 'malformed', message: 'the protected header must be exactly {alg: EdDSA, kid}' };
  if (s.unprotected.size !== 0) return { valid: false, code: 'malformed', message: 'the unprotected header must be empty' };
  const kidBytes = s.protected.get(HEADER_KID);
  if (!(kidBytes instanceof Uint8Array) || kidBytes.length !== 8) return { valid: false, code: 'malformed', message: 'the kid must be 8 bytes' };
  if (s.signature.length !== 64) return { valid: false, code: 'malformed', message: 'an Ed25519 signature is 64 bytes' };
  const kid = Buffer.from(kidBytes.buffer, kidBytes.byteOffset, 8).toString('hex');

  const key = indexOf(ctx.trustList).get(kid);
  if (!key) return { valid: false, code: 'unknown_issuer', message: `key ${kid} is not in the trust list (issued ${ctx.trustList.issuedAt})` };
  if (!cryptoVerify(null, sigStructure(s.protectedBytes, s.payload), key.publicKey, s.signature))
    return { valid: false, code: 'bad_signature', message: `the signature does not verify with ${key.entry.department}'s key ${kid}: the document was altered or not signed by that key` };
  const { entry } = key;
  if (entry.status === 'revoked')
    return { valid: false, code: 'key_revoked', message: `${entry.department}'s key ${kid} was revoked at ${entry.revokedAt}${entry.revocationReason ? ` (${entry.revocationReason})` : ''}: no document it signed can be trusted` };

  const c = decodeClaims(s.payload);
  if (!c.ok) return { valid: false, code: 'malformed', message: c.reason };
  const claims = c.claims;
  const issuer = { department: entry.department, kid };
  if (claims.issuer !== entry.department) return { valid: false, code: 'unknown_issuer', message: `the document says it is from ${claims.issuer}, but is signed with ${entry.department}'s key ${kid}` };
  const iat = claims.issuedAt * 1000;
  if (iat < key.from) return { valid: false, code: 'not_yet_valid', message: `dated ${iso(claims.issuedAt)}, before key ${kid} could sign (from ${entry.notBefore})`, claims, issuer };
  if (iat > key.to) return { valid: false, code: 'key_expired', message: `dated ${iso(claims.issuedAt)}, after key ${kid} stopped signing (${entry.notAfter})`, claims, issuer };
  const now = ctx.now.getTime();
  if (iat > now + (ctx.skewSeconds ?? 300) * 1000) return { valid: false, code: 'not_yet_valid', message: `dated ${iso(claims.issuedAt)}, in the future`, claims, issuer };
  if (claims.expiresAt !== undefined && claims.expiresAt * 1000 <= now) return { valid: false, code: 'expired', message: `expired at ${iso(claims.expiresAt)}`, claims, issuer };

  let statusChecked = false;
  const given = ctx.statusList;
  const lists: readonly StatusList[] = given === undefined ? [] : 'bits' in given ? [given] : given;
  for (const list of lists) {
    if (list.issuer !== claims.issuer) continue;
    const revoked = isRevoked(list, claims.statusIndex);
    if (revoked === undefined) continue;
    if (revoked) return { valid: false, code: 'revoked', message: `revoked by ${claims.issuer} (status list of ${list.issuedAt}, entry ${claims.statusIndex})`, claims, issuer };
    statusChecked = true;
  }
  return { valid: true, claims, issuer, statusChecked };
}
