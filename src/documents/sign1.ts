/**
 * COSE_Sign1 (RFC 9052 §4.2, §4.4), its structure only: the bytes that are signed and the decoding.
 * No crypto and no Node modules here, so a browser's verifier reads documents with the same code;
 * signing and verifying with node:crypto are in cose.ts.
 *
 *   COSE_Sign1 = 18([protected: bstr .cbor header_map, unprotected: header_map, payload: bstr, signature: bstr])
 *   Sig_structure = ["Signature1", protected, external_aad, payload]   (the bytes that are signed)
 */
import { decodeCbor, Tagged, type CborMap, type CborValue } from './cbor.ts';

export const COSE_SIGN1_TAG = 18;
export const CWT_TAG = 61;
export const HEADER_ALG = 1;
export const HEADER_CRIT = 2;
export const HEADER_KID = 4;
export const ALG_EDDSA = -8;
export const ALG_ES256 = -7;
export const ALG_PS256 = -37;

export interface Sign1 {
  /** The protected header exactly as it travelled (a bstr holding a CBOR map, or empty). */
  protectedBytes: Uint8Array;
  protected: CborMap;
  unprotected: CborMap;
  payload: Uint8Array;
  signature: Uint8Array;
  tagged: boolean;
}

export type Sign1Decoded = { ok: true; sign1: Sign1 } | { ok: false; reason: string };

const SIGNATURE1 = new Uint8Array([0x6a, ...new TextEncoder().encode('Signature1')]);

/** The Sig_structure bytes for a COSE_Sign1, written directly in one allocation (it is on the hot path of every verification). */
export function sigStructure(protectedBytes: Uint8Array, payload: Uint8Array, externalAad: Uint8Array = EMPTY): Uint8Array {
  const out = new Uint8Array(1 + SIGNATURE1.length + headLength(protectedBytes.length) + protectedBytes.length + headLength(externalAad.length) + externalAad.length + headLength(payload.length) + payload.length);
  out[0] = 0x84;
  out.set(SIGNATURE1, 1);
  let o = 1 + SIGNATURE1.length;
  for (const part of [protectedBytes, externalAad, payload]) {
    o = writeBstrHead(out, o, part.length);
    out.set(part, o);
    o += part.length;
  }
  return out;
}

const EMPTY = new Uint8Array(0);
const headLength = (n: number) => (n < 24 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : 5);
function writeBstrHead(out: Uint8Array, o: number, n: number): number {
  if (n < 24) out[o++] = 0x40 | n;
  else if (n < 0x100) {
    out[o++] = 0x58;
    out[o++] = n;
  } else if (n < 0x10000) {
    out[o++] = 0x59;
    out[o++] = n >> 8;
    out[o++] = n & 0xff;
  } else {
    out[o++] = 0x5a;
    out[o++] = n >>> 24;
    out[o++] = (n >> 16) & 0xff;
    out[o++] = (n >> 8) & 0xff;
    out[o++] = n & 0xff;
  }
  return o;
}

/**
 * Decodes a COSE_Sign1, tagged (18, also inside a CWT tag 61) or untagged. Structure only: the
 * signature is not checked here. A header in both buckets is read from the protected one (as the EU
 * DCC tests expect); Mitra's own verifier insists on an empty unprotected header anyway.
 */
export function decodeSign1(bytes: Uint8Array): Sign1Decoded {
  const d = decodeCbor(bytes);
  if (!d.ok) return d;
  let v: CborValue = d.value;
  let tagged = false;
  if (v instanceof Tagged && v.tag === CWT_TAG && v.value instanceof Tagged) v = v.value;
  if (v instanceof Tagged) {
    if (v.tag !== COSE_SIGN1_TAG) return { ok: false, reason: `COSE: tag ${v.tag} is not COSE_Sign1 (18)` };
    v = v.value;
    tagged = true;
  }
  if (!Array.isArray(v) || v.length !== 4) return { ok: false, reason: 'COSE: a COSE_Sign1 is an array of 4 items' };
  const [p, u, payload, signature] = v;
  if (!(p instanceof Uint8Array)) return { ok: false, reason: 'COSE: the protected header must be a byte string' };
  if (!(u instanceof Map)) return { ok: false, reason: 'COSE: the unprotected header must be a map' };
  if (!(payload instanceof Uint8Array)) return { ok: false, reason: 'COSE: the payload must be a byte string (detached payloads are not accepted)' };
  if (!(signature instanceof Uint8Array)) return { ok: false, reason: 'COSE: the signature must be a byte string' };
  let prot: CborMap = new Map();
  if (p.length > 0) {
    const pd = decodeCbor(p);
    if (!pd.ok) return { ok: false, reason: `COSE protected header: ${pd.reason}` };
    if (!(pd.value instanceof Map)) return { ok: false, reason: 'COSE: the protected header must hold a map' };
    prot = pd.value;
  }
  return { ok: true, sign1: { protectedBytes: p, protected: prot, unprotected: u, payload, signature, tagged } };
}
