/**
 * The verdict rules for a document payload, without crypto or I/O, shared by verifyDocument (Node,
 * synchronous) and verifyDocumentWeb (Web Crypto, asynchronous), so both answer alike, code and message.
 * A verifier runs them in this order, each failure a distinct code:
 *
 *   format ─ prefix / URL form                            wrong_format      payload-text.ts
 *   Base41, zlib, COSE_Sign1 structure, alg EdDSA, kid     malformed         payload-text.ts, openDocument
 *   kid in the trust list                                  unknown_issuer    openDocument
 *   Ed25519 signature over `signed`                        bad_signature     the caller's crypto, badSignature
 *   key revoked (compromise): every document it signed    key_revoked       judgeSigned
 *   claims decode strictly; iss is the key's department   malformed / unknown_issuer
 *   iat inside the key's window [notBefore, notAfter]      not_yet_valid / key_expired
 *   iat not in the future (5 min skew), exp not passed     not_yet_valid / expired
 *   status list bit                                        revoked
 * A retired (rotated-out) key still verifies what it signed inside its window.
 */
import { hexOf } from './bytes-text.ts';
import { decodeClaims, type DocumentClaims } from './claims.ts';
import { ALG_EDDSA, decodeSign1, HEADER_ALG, HEADER_KID, sigStructure } from './sign1.ts';
import { isRevoked, type StatusList } from './status-bits.ts';
import type { TrustedKey, TrustList } from './trust-list.ts';

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

/** A key of the trust list with its window parsed. */
export interface IndexedKey {
  entry: TrustedKey;
  from: number;
  to: number;
}

/** A document whose structure holds and whose key is known: what remains is its signature and the rules. */
export interface Opened {
  key: IndexedKey;
  kid: string;
  /** The Sig_structure bytes the signature must cover. */
  signed: Uint8Array;
  signature: Uint8Array;
  claimsBytes: Uint8Array;
}

type Failed = Extract<Verdict, { valid: false }>;

/** Parsed keys per trust list object (the list is immutable once verified). */
const indexes = new WeakMap<TrustList, Map<string, IndexedKey>>();

function indexOf(list: TrustList): Map<string, IndexedKey> {
  let index = indexes.get(list);
  if (index) return index;
  index = new Map();
  for (const entry of list.keys) index.set(entry.kid, { entry, from: Date.parse(entry.notBefore), to: Date.parse(entry.notAfter) });
  indexes.set(list, index);
  return index;
}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

/** From the COSE_Sign1 bytes to the trusted key that must have signed them: MT1's header shape, the kid known. */
export function openDocument(cose: Uint8Array, trustList: TrustList): { ok: true; opened: Opened } | { ok: false; verdict: Failed } {
  const decoded = decodeSign1(cose);
  if (!decoded.ok) return fail('malformed', decoded.reason);
  const s = decoded.sign1;
  if (s.protected.size !== 2 || s.protected.get(HEADER_ALG) !== ALG_EDDSA) return fail('malformed', 'the protected header must be exactly {alg: EdDSA, kid}');
  if (s.unprotected.size !== 0) return fail('malformed', 'the unprotected header must be empty');
  const kidBytes = s.protected.get(HEADER_KID);
  if (!(kidBytes instanceof Uint8Array) || kidBytes.length !== 8) return fail('malformed', 'the kid must be 8 bytes');
  if (s.signature.length !== 64) return fail('malformed', 'an Ed25519 signature is 64 bytes');
  const kid = hexOf(kidBytes);
  const key = indexOf(trustList).get(kid);
  if (!key) return fail('unknown_issuer', `key ${kid} is not in the trust list (issued ${trustList.issuedAt})`);
  return { ok: true, opened: { key, kid, signed: sigStructure(s.protectedBytes, s.payload), signature: s.signature, claimsBytes: s.payload } };

  function fail(code: VerdictCode, message: string) {
    return { ok: false as const, verdict: { valid: false as const, code, message } };
  }
}

/** The verdict when the signature does not verify with the key the document names. */
export function badSignature({ key, kid }: Opened): Failed {
  return { valid: false, code: 'bad_signature', message: `the signature does not verify with ${key.entry.department}'s key ${kid}: the document was altered or not signed by that key` };
}

/** The verdict on a document whose signature verified: the key's status and window, the dates, the status list. */
export function judgeSigned({ key, kid, claimsBytes }: Opened, ctx: VerifyContext): Verdict {
  const { entry } = key;
  if (entry.status === 'revoked')
    return { valid: false, code: 'key_revoked', message: `${entry.department}'s key ${kid} was revoked at ${entry.revokedAt}${entry.revocationReason ? ` (${entry.revocationReason})` : ''}: no document it signed can be trusted` };

  const c = decodeClaims(claimsBytes);
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
