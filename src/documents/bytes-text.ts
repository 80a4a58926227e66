// Bytes written as text (base64url for keys and signatures, hex for key ids) without Buffer, so the
// verifier's pure parts run in a browser too.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const VALUE = new Map([...ALPHABET].map((c, i) => [c, i]));

/** The bytes of unpadded base64url text (padding `=` is allowed at the end); undefined when it is not base64url. */
export function fromBase64url(text: string): Uint8Array | undefined {
  const s = text.replace(/={1,2}$/, '');
  if (s.length % 4 === 1) return undefined;
  const out = new Uint8Array(Math.floor((s.length * 3) / 4));
  let bits = 0;
  let acc = 0;
  let o = 0;
  for (const c of s) {
    const v = VALUE.get(c);
    if (v === undefined) return undefined;
    acc = ((acc & 0xff) << 6) | v; // only the bits not yet written matter (fewer than 8)
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}

export function hexOf(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}
