// Reading a payload's text (see payload.ts for the format): the bare or link form, the prefix and
// Base41, up to the bytes that may be zlib-compressed. No Node modules: payload.ts inflates with
// node:zlib, web-verify.ts with a browser's DecompressionStream, and both finish with coseOf.
import { decodeBase41 } from './base45.ts';

export const FORMAT_PREFIX = 'MT1:';
export const VERIFY_PATH = '/V/';
/** Largest COSE_Sign1 accepted (before and after zlib): a version-40 QR at ECC M holds about 2,260 bytes. */
export const MAX_COSE_BYTES = 2048;
export const MAX_BODY_CHARS = Math.ceil(MAX_COSE_BYTES / 2) * 3;
/** Any scanned or pasted text longer than this is refused before it is looked at (a v40 QR holds 4,296 characters). */
export const MAX_INPUT_CHARS = 8192;

export type Parsed =
  | { ok: true; cose: Uint8Array; form: 'bare' | 'url' }
  | { ok: false; code: 'wrong_format' | 'malformed'; message: string };

/** A payload's bytes as its text carries them; `zipped` when they are zlib (0x78), to be inflated. */
export type PayloadBytes = { ok: true; bytes: Uint8Array; zipped: boolean; form: 'bare' | 'url' } | Extract<Parsed, { ok: false }>;

/** From a scanned or pasted payload (bare or URL form) to its bytes, still compressed if they were. */
export function payloadBytes(input: string): PayloadBytes {
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
  return { ok: true, bytes: d.bytes, zipped: d.bytes[0] === 0x78, form };

  function wrong(message: string): PayloadBytes {
    return { ok: false, code: 'wrong_format', message };
  }
}

/** What a damaged zlib stream (or one that would inflate past MAX_COSE_BYTES) is reported as. */
export const ZLIB_DAMAGED = { ok: false, code: 'malformed', message: 'zlib: the compressed payload is damaged or truncated' } as const;

/** The last step, on the inflated (or never compressed) bytes: they must be a tagged COSE_Sign1. */
export function coseOf(bytes: Uint8Array, form: 'bare' | 'url'): Parsed {
  if (bytes[0] !== 0xd2) return { ok: false, code: 'malformed', message: 'the payload is not a COSE_Sign1 (tag 18)' };
  return { ok: true, cose: bytes, form };
}
