/**
 * The small text encodings the C2SP formats share: standard base64 (RFC 4648 §4), decimal sizes with
 * no leading zeroes, and UTF-8 without control characters. Each reader is strict, because the bytes
 * they read are signed: two spellings of one value would let the same statement be signed twice
 * under different bytes.
 */

/** Standard base64, padded. */
export const toBase64 = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

/**
 * The bytes of canonical standard base64, or undefined. Node's own decoder skips characters it does
 * not know and accepts missing padding; this one accepts only what `toBase64` writes.
 */
export function fromBase64(text: string): Uint8Array | undefined {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? new Uint8Array(bytes) : undefined;
}

/**
 * A tree size, index or timestamp written in ASCII decimal with no leading zeroes ("0" for zero), or
 * undefined. Values past 2^53 − 1 are refused rather than rounded: Mitra's logs will not get there,
 * and a rounded size would verify against the wrong tree.
 */
export function parseDecimal(text: string): number | undefined {
  if (!/^(0|[1-9][0-9]{0,15})$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}

const encoder = new TextEncoder();

export const utf8Bytes = (text: string): Uint8Array => encoder.encode(text);

/** The text of UTF-8 bytes, or undefined if they are not valid UTF-8 (a BOM is kept, not eaten). */
export function utf8Text(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** True if the text has an ASCII control character other than newline, or a lone UTF-16 surrogate. */
export const hasControlOrBrokenText = (text: string): boolean => /[\u0000-\u0009\u000b-\u001f]|\p{Cs}/u.test(text);

export const equalBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && Buffer.compare(a, b) === 0;

/** The uint32 at `offset`, big-endian. */
export const readUint32 = (bytes: Uint8Array, offset = 0): number => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(offset);

export function uint32Bytes(n: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n);
  return out;
}
