/**
 * A Mitra document's claims as a CWT (RFC 8392) with integer keys:
 *
 *   {  1 (iss): department code, tstr         e.g. "REV01"
 *      6 (iat): issued at, uint seconds
 *      4 (exp): expires at, uint seconds        optional: lifelong documents (caste, birth) have none
 *      -65537 (Mitra, a private-use claim; RFC 8392 §9.1 keeps keys below -65536 for private use): {
 *         1: document type, tstr                 e.g. "income-certificate"
 *         2: document number, tstr               as printed, e.g. "IC/2025/GNT/004217"
 *         3: holder name, tstr                   as printed (English transliteration: 1 byte a letter, Telugu costs 3)
 *         4: status index, uint                  the document's bit in its department's status list
 *         5: fields, { short text key: tstr | int }   e.g. {"fn": father's name, "dob": "1988-03-14", "inc": 96000}
 *      } }
 *
 * The signing key's id travels in the COSE protected header, not here. Decoding is strict: a missing,
 * mistyped or unknown claim is refused (a new claim means a new format version, MT2).
 */
import { decodeCbor, encodeCbor, type CborMap, type CborValue } from './cbor.ts';

export interface DocumentClaims {
  /** iss: the issuing department's code. */
  issuer: string;
  /** iat: seconds since the epoch. */
  issuedAt: number;
  /** exp: seconds since the epoch; absent for documents that do not expire. */
  expiresAt?: number;
  documentType: string;
  documentNumber: string;
  holderName: string;
  statusIndex: number;
  /** The certificate's own fields, short keys (e.g. fn, dob, inc), text or integer values. */
  fields: Record<string, string | number>;
}

export const CLAIM_ISS = 1;
export const CLAIM_EXP = 4;
export const CLAIM_IAT = 6;
export const CLAIM_MITRA = -65537;
const M_TYPE = 1;
const M_NUMBER = 2;
const M_HOLDER = 3;
const M_STATUS = 4;
const M_FIELDS = 5;

const ISSUER = /^[A-Za-z0-9_.-]{1,32}$/;
const DOC_TYPE = /^[a-z0-9][a-z0-9-]{0,47}$/;
const FIELD_KEY = /^[a-z][a-z0-9_]{0,15}$/;
const MAX_TEXT = 200;
const MAX_FIELDS = 32;

/** What is wrong with claims before they are signed, or undefined. */
export function claimsProblem(c: DocumentClaims): string | undefined {
  if (!ISSUER.test(c.issuer)) return 'issuer must be a department code (letters, digits, _ . -, up to 32)';
  if (!isSeconds(c.issuedAt)) return 'issuedAt must be whole seconds since the epoch';
  if (c.expiresAt !== undefined && (!isSeconds(c.expiresAt) || c.expiresAt <= c.issuedAt)) return 'expiresAt must be whole seconds, after issuedAt';
  if (!DOC_TYPE.test(c.documentType)) return 'documentType must be a lowercase id such as income-certificate';
  if (!text(c.documentNumber)) return `documentNumber must be 1–${MAX_TEXT} characters`;
  if (!text(c.holderName)) return `holderName must be 1–${MAX_TEXT} characters`;
  if (!Number.isSafeInteger(c.statusIndex) || c.statusIndex < 0) return 'statusIndex must be a whole number ≥ 0';
  const entries = Object.entries(c.fields);
  if (entries.length > MAX_FIELDS) return `at most ${MAX_FIELDS} fields`;
  for (const [k, v] of entries) {
    if (!FIELD_KEY.test(k)) return `field key ${JSON.stringify(k)} must be short: a lowercase letter, then up to 15 of a-z 0-9 _`;
    if (typeof v === 'number' ? !Number.isSafeInteger(v) : !text(v)) return `field ${k} must be text (1–${MAX_TEXT}) or a whole number`;
  }
  return undefined;
}

const isSeconds = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
const text = (s: unknown): s is string => typeof s === 'string' && s.length > 0 && s.length <= MAX_TEXT;

/** The CWT bytes of valid claims. Throws on claims that claimsProblem refuses (check first). */
export function encodeClaims(c: DocumentClaims): Uint8Array {
  const problem = claimsProblem(c);
  if (problem) throw new TypeError(`encodeClaims: ${problem}`);
  const fields: CborMap = new Map(Object.entries(c.fields));
  const mitra: CborMap = new Map<number, CborValue>([
    [M_TYPE, c.documentType],
    [M_NUMBER, c.documentNumber],
    [M_HOLDER, c.holderName],
    [M_STATUS, c.statusIndex],
    [M_FIELDS, fields],
  ]);
  const cwt: CborMap = new Map<number, CborValue>([
    [CLAIM_ISS, c.issuer],
    [CLAIM_IAT, c.issuedAt],
    [CLAIM_MITRA, mitra],
  ]);
  if (c.expiresAt !== undefined) cwt.set(CLAIM_EXP, c.expiresAt);
  return encodeCbor(cwt);
}

export type ClaimsDecoded = { ok: true; claims: DocumentClaims } | { ok: false; reason: string };

const fail = (reason: string): ClaimsDecoded => ({ ok: false, reason: `claims: ${reason}` });

/** Reads Mitra claims from CWT bytes, strictly. */
export function decodeClaims(bytes: Uint8Array): ClaimsDecoded {
  const d = decodeCbor(bytes);
  if (!d.ok) return fail(d.reason);
  const cwt = d.value;
  if (!(cwt instanceof Map)) return fail('a CWT is a map');
  for (const k of cwt.keys()) if (k !== CLAIM_ISS && k !== CLAIM_IAT && k !== CLAIM_EXP && k !== CLAIM_MITRA) return fail(`unknown claim ${JSON.stringify(k)}`);
  const mitra = cwt.get(CLAIM_MITRA);
  if (!(mitra instanceof Map)) return fail(`the Mitra claim (${CLAIM_MITRA}) is missing`);
  for (const k of mitra.keys()) if (typeof k !== 'number' || k < M_TYPE || k > M_FIELDS) return fail(`unknown Mitra claim ${JSON.stringify(k)}`);
  const fieldsMap = mitra.get(M_FIELDS);
  if (!(fieldsMap instanceof Map)) return fail('fields (5) must be a map');
  const fields: Record<string, string | number> = {};
  for (const [k, v] of fieldsMap) {
    if (typeof k !== 'string' || !FIELD_KEY.test(k) || (typeof v !== 'string' && typeof v !== 'number')) return fail('fields map short text keys to text or integers');
    fields[k] = v;
  }
  const exp = cwt.get(CLAIM_EXP);
  const claims: DocumentClaims = {
    issuer: cwt.get(CLAIM_ISS) as string,
    issuedAt: cwt.get(CLAIM_IAT) as number,
    ...(exp !== undefined ? { expiresAt: exp as number } : {}),
    documentType: mitra.get(M_TYPE) as string,
    documentNumber: mitra.get(M_NUMBER) as string,
    holderName: mitra.get(M_HOLDER) as string,
    statusIndex: mitra.get(M_STATUS) as number,
    fields,
  };
  const problem = claimsProblem(claims);
  return problem ? fail(problem) : { ok: true, claims };
}
