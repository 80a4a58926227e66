/**
 * Base45 (RFC 9285) and Mitra's URL-safe variant of it ("Base41").
 *
 * Both use RFC 9285's construction: every 2 bytes n = a·256 + b become 3 digits c, d, e with
 * n = c + d·R + e·R² (written c d e), a trailing single byte becomes 2 digits, and every digit is a
 * character of the QR alphanumeric set, so the QR code stays in alphanumeric mode (5.5 bits a
 * character, 8.25 bits a byte).
 *
 * - Base45 (R = 45) uses the whole alphanumeric set, including space, `%`, `*` and `/`. That is right
 *   for a bare `HC1:`-style string, but not inside a URL: a phone camera does not open a "URL" with a
 *   space in it, `%69` is read as a percent-escape, `/./` and `/../` are rewritten, and WhatsApp turns
 *   `*…*` into bold when the link is shared in a chat.
 * - Base41 (R = 41) drops those four characters. 41³ = 68,921 ≥ 65,536 and 41² = 1,681 ≥ 256, so it
 *   still takes exactly 3 characters per 2 bytes: the same QR size as Base45. It is what MT1 payloads
 *   use (see payload.ts). Its last character is never `.` or `:` (the top digit of a group is at most
 *   38), so a linkifier that strips trailing punctuation cannot cut a payload short.
 *
 * Decoding is strict: a character outside the alphabet, a length of 3k+1, or a group whose value does
 * not fit its bytes (e.g. "GGW" = 65,536 in Base45) is refused.
 */

export const BASE45_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
export const BASE41_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ$+-.:';

export type Decoded = { ok: true; bytes: Uint8Array } | { ok: false; reason: string };

interface Codec {
  encode(bytes: Uint8Array): string;
  decode(text: string): Decoded;
}

function codec(alphabet: string, name: string): Codec {
  const R = alphabet.length;
  const R2 = R * R;
  const chars = [...alphabet];
  const value = new Int8Array(128).fill(-1);
  for (let i = 0; i < R; i++) value[alphabet.charCodeAt(i)] = i;

  return {
    encode(bytes) {
      const out: string[] = [];
      let i = 0;
      for (; i + 1 < bytes.length; i += 2) {
        let n = bytes[i]! * 256 + bytes[i + 1]!;
        const c = n % R;
        n = (n - c) / R;
        const d = n % R;
        out.push(chars[c]!, chars[d]!, chars[(n - d) / R]!);
      }
      if (i < bytes.length) {
        const n = bytes[i]!;
        out.push(chars[n % R]!, chars[Math.floor(n / R)]!);
      }
      return out.join('');
    },
    decode(text) {
      const len = text.length;
      if (len % 3 === 1) return { ok: false, reason: `${name}: a length of ${len} is not possible (3 characters per 2 bytes, 2 for a last single byte)` };
      const bytes = new Uint8Array(Math.floor(len / 3) * 2 + (len % 3 === 2 ? 1 : 0));
      let o = 0;
      for (let i = 0; i < len; i += 3) {
        const c = digit(text, i);
        const d = digit(text, i + 1);
        if (c < 0 || d < 0) return bad(text, c < 0 ? i : i + 1);
        if (i + 2 < len) {
          const e = digit(text, i + 2);
          if (e < 0) return bad(text, i + 2);
          const n = c + d * R + e * R2;
          if (n > 0xffff) return { ok: false, reason: `${name}: "${text.slice(i, i + 3)}" at ${i} is ${n}, more than two bytes hold` };
          bytes[o++] = n >> 8;
          bytes[o++] = n & 0xff;
        } else {
          const n = c + d * R;
          if (n > 0xff) return { ok: false, reason: `${name}: "${text.slice(i, i + 2)}" at ${i} is ${n}, more than one byte holds` };
          bytes[o++] = n;
        }
      }
      return { ok: true, bytes };
    },
  };

  function digit(text: string, i: number): number {
    const code = text.charCodeAt(i);
    return code < 128 ? value[code]! : -1;
  }
  function bad(text: string, i: number): Decoded {
    return { ok: false, reason: `${name}: ${JSON.stringify(text[i])} at ${i} is not in the alphabet` };
  }
}

const base45 = codec(BASE45_ALPHABET, 'Base45');
const base41 = codec(BASE41_ALPHABET, 'Base41');

/** RFC 9285 Base45. */
export const encodeBase45 = base45.encode;
/** RFC 9285 Base45, strict. */
export const decodeBase45 = base45.decode;
/** Mitra's URL-safe Base45 variant (radix 41; same length as Base45). */
export const encodeBase41 = base41.encode;
/** Mitra's URL-safe Base45 variant (radix 41), strict. */
export const decodeBase41 = base41.decode;
