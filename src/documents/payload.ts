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
import { encodeBase41 } from './base45.ts';
import { claimsProblem, encodeClaims, type DocumentClaims } from './claims.ts';
import { ALG_EDDSA, createSign1, HEADER_ALG, HEADER_KID } from './cose.ts';
import type { DepartmentKey } from './keys.ts';
import type { CborMap } from './cbor.ts';
import { coseOf, FORMAT_PREFIX, MAX_COSE_BYTES, payloadBytes, VERIFY_PATH, ZLIB_DAMAGED, type Parsed } from './payload-text.ts';

export { FORMAT_PREFIX, MAX_COSE_BYTES, VERIFY_PATH, type Parsed } from './payload-text.ts';
/**
 * zlib's output buffer for inflating a payload. The default (16 KiB) is a fresh allocation on every
 * verification; 1 KiB comes from Node's buffer pool and holds a whole COSE_Sign1 of a typical
 * document (a larger one, up to MAX_COSE_BYTES, takes two chunks).
 */
const INFLATE_CHUNK = 1024;

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

/** From a scanned or pasted payload (bare or URL form) to the COSE_Sign1 bytes. No signature check here. */
export function parsePayload(input: string): Parsed {
  const read = payloadBytes(input);
  if (!read.ok) return read;
  let bytes = read.bytes;
  if (read.zipped) {
    try {
      // With info, the engine comes back too: its bytesWritten is the input the zlib stream took. Bytes
      // after the stream's end are refused, as a browser's DecompressionStream refuses them.
      const { buffer: inflated, engine } = inflateSync(bytes, { maxOutputLength: MAX_COSE_BYTES, chunkSize: INFLATE_CHUNK, info: true }) as unknown as { buffer: Buffer; engine: { bytesWritten: number } };
      if (engine.bytesWritten !== bytes.length) return { ...ZLIB_DAMAGED };
      bytes = new Uint8Array(inflated.buffer, inflated.byteOffset, inflated.length);
    } catch {
      return { ...ZLIB_DAMAGED };
    }
  }
  return coseOf(bytes, read.form);
}
