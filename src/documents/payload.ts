/**
 * The QR payload of a Mitra document ("MT1").
 *
 *   claims (CWT, claims.ts) → COSE_Sign1, EdDSA, protected {1: -8, 4: kid} (cose.ts)
 *     → zlib, kept only if it is smaller (it rarely is for ~400 bytes: signatures do not compress)
 *     → Base41, the URL-safe Base45 variant (base45.ts): 3 characters per 2 bytes, QR alphanumeric set
 *     → "MT1:" + that                                  the bare payload
 *     → "HTTPS://<HOST>/V/" + the bare payload         the verify URL: what the QR code holds
 *
 * For example `HTTPS://MITRA.AP.GOV.IN/V/MT1:6BF$Q1…`. Every character is in the QR alphanumeric set
 * (0-9 A-Z space $ % * + - . / :), so the whole code is one alphanumeric segment, and none needs
 * escaping in a URL, so any phone camera opens the verify page on it. The scheme and host are
 * upper case (they are case-insensitive); the path keeps its case, so the verify route is `/V/:payload`,
 * upper case. Why not RFC Base45 itself: its space, `%`, `*` and `/` break a URL (see base45.ts).
 *
 * What was compressed is told by the first byte: 0x78 is a zlib header, 0xD2 the COSE_Sign1 tag.
 * Decoding accepts the bare form and the URL form with any host, in any letter case (the alphabet has
 * no lower case, so upper-casing loses nothing), and ignores a query or fragment added to the URL.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { deflateSync, inflateSync } from 'node:zlib';
import { decodeBase41, encodeBase41 } from './base45.ts';
import { claimsProblem, encodeClaims, type DocumentClaims } from './claims.ts';
import { ALG_EDDSA, createSign1, HEADER_ALG, HEADER_KID } from './cose.ts';
import type { DepartmentKey } from './keys.ts';
import type { CborMap } from './cbor.ts';

export const FORMAT_PREFIX = 'MT1:';
export const VERIFY_PATH = '/V/';
/** Largest COSE_Sign1 accepted (before and after zlib): a version-40 QR at ECC M holds about 2,260 bytes. */
export const MAX_COSE_BYTES = 2048;
const MAX_BODY_CHARS = Math.ceil(MAX_COSE_BYTES / 2) * 3;
/** Any scanned or pasted text longer than this is refused before it is looked at (a v40 QR holds 4,296 characters). */
const MAX_INPUT_CHARS = 8192;

export type Signed =
  | { ok: true; payload: string; cose: Uint8Array; compressed: boolean }
  | { ok: false; code: 'invalid_claims' | 'wrong_key' | 'too_large'; message: string };

const privateKeys = new Map<string, KeyObject>();

/**
 * Signs claims with a department key and returns the bare payload (`MT1:…`). The key must be the
 * issuer's, active, with `iat` inside its window; the claims must pass claimsProblem.
 */
export function signDocument(claims: DocumentClaims, key: DepartmentKey): Signed {
  const problem = claimsProblem(claims);
  if (problem) return { ok: false, code: 'invalid_claims', message: problem };
  if (key.department !== claims.issuer) return { ok: false, code: 'wrong_key', message: `key ${key.kid} is ${key.department}'s, the claims are issued by ${claims.issuer}` };
  const iat = claims.issuedAt * 1000;
  if (key.status !== 'active' || !key.secretKey || iat < Date.parse(key.notBefore) || iat > Date.parse(key.notAfter))
    return { ok: false, code: 'wrong_key', message: `key ${key.kid} cannot sign at ${new Date(iat).toISOString()}: it is ${key.status}, window ${key.notBefore} – ${key.notAfter}` };
  let privateKey = privateKeys.get(key.kid);
  if (!privateKey) {
    privateKey = createPrivateKey({ key: { kty: 'OKP', crv: 'Ed25519', x: key.publicKey, d: key.secretKey }, format: 'jwk' });
    privateKeys.set(key.kid, privateKey);
  }
  const protectedHeader: CborMap = new Map<number, number | Uint8Array>([
    [HEADER_ALG, ALG_EDDSA],
    [HEADER_KID, new Uint8Array(Buffer.from(key.kid, 'hex'))],
  ]);
  const cose = createSign1({ protected: protectedHeader, payload: encodeClaims(claims), privateKey });
  if (cose.length > MAX_COSE_BYTES) return { ok: false, code: 'too_large', message: `the signed document is ${cose.length} bytes; at most ${MAX_COSE_BYTES} fit a QR code` };
  const zipped = deflateSync(cose, { level: 9 });
  const compressed = zipped.length < cose.length;
  return { ok: true, payload: FORMAT_PREFIX + encodeBase41(compressed ? zipped : cose), cose, compressed };
}

/**
 * The verify URL for a bare payload, e.g. verifyUrl('MT1:…', 'https://mitra.ap.gov.in') →
 * 'HTTPS://MITRA.AP.GOV.IN/V/MT1:…'. `origin` is a scheme and host (and port), nothing else.
 */
export function verifyUrl(payload: string, origin: string): string {
  const m = /^(https?:\/\/[a-z0-9.-]+(?::\d{1,5})?)\/?$/i.exec(origin);
  if (!m) throw new TypeError(`verifyUrl: ${JSON.stringify(origin)} is not an origin such as https://mitra.ap.gov.in`);
  return m[1]!.toUpperCase() + VERIFY_PATH + payload;
}

export type Parsed =
  | { ok: true; cose: Uint8Array; form: 'bare' | 'url' }
  | { ok: false; code: 'wrong_format' | 'malformed'; message: string };

/** From a scanned or pasted payload (bare or URL form) to the COSE_Sign1 bytes. No signature check here. */
export function parsePayload(input: string): Parsed {
  if (input.length > MAX_INPUT_CHARS) return { ok: false, code: 'malformed', message: `far too long for a document payload (${input.length} characters)` };
  let s = input.trim().toUpperCase();
  let form: 'bare' | 'url' = 'bare';
  const scheme = /^HTTPS?:\/\//.exec(s);
  if (scheme) {
    const end = s.search(/[?#]/);
    if (end >= 0) s = s.slice(0, end);
    const slash = s.lastIndexOf('/');
    if (slash < scheme[0].length || !s.slice(0, slash + 1).endsWith(VERIFY_PATH)) return wrong('a link, but not to a Mitra verify page (…/V/MT1:…)');
    s = s.slice(slash + 1);
    if (s.includes('%')) {
      try {
        s = decodeURIComponent(s);
      } catch {
        return { ok: false, code: 'malformed', message: 'bad percent-escape in the link' };
      }
    }
    form = 'url';
  }
  if (!s.startsWith(FORMAT_PREFIX)) {
    const other = /^([A-Z0-9]{1,8}):/.exec(s)?.[1];
    if (other === 'HC1') return wrong('an EU Digital COVID Certificate (HC1:), not a Mitra document');
    if (other && /^MT\d+$/.test(other)) return wrong(`format ${other}: is not one this verifier reads (it reads MT1:)`);
    return wrong(other ? `prefix ${other}: is not a Mitra document's (MT1:)` : 'not a Mitra document payload (it starts with MT1:)');
  }
  const body = s.slice(FORMAT_PREFIX.length);
  if (body.length > MAX_BODY_CHARS) return { ok: false, code: 'malformed', message: `payload too long (${body.length} characters)` };
  const d = decodeBase41(body);
  if (!d.ok) return { ok: false, code: 'malformed', message: d.reason };
  let bytes = d.bytes;
  if (bytes[0] === 0x78) {
    try {
      const inflated = inflateSync(bytes, { maxOutputLength: MAX_COSE_BYTES });
      bytes = new Uint8Array(inflated.buffer, inflated.byteOffset, inflated.length);
    } catch {
      return { ok: false, code: 'malformed', message: 'zlib: the compressed payload is damaged or truncated' };
    }
  }
  if (bytes[0] !== 0xd2) return { ok: false, code: 'malformed', message: 'the payload is not a COSE_Sign1 (tag 18)' };
  return { ok: true, cose: bytes, form };

  function wrong(message: string): Parsed {
    return { ok: false, code: 'wrong_format', message };
  }
}
