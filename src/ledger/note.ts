/**
 * C2SP signed notes (https://c2sp.org/signed-note; the format of golang.org/x/mod/sumdb/note).
 *
 *     <text, one or more lines, each ending in "\n">
 *     <blank line>
 *     — <key name> <base64(key ID (uint32, big-endian) || signature)>
 *     — …
 *
 * The signature covers the text including its final newline, not the blank line. A key is known by
 * its name and key ID together; the ID of an Ed25519 key is SHA-256(name || 0x0A || 0x01 || public
 * key)[:4]. Verifier keys travel as `<name>+<key ID, 8 hex>+<base64(type || public key)>`.
 *
 * Opening follows the Go reference: signatures from unknown keys are kept aside, never trusted and
 * never an error (that is how keys rotate and witnesses are added); a signature from a known key that
 * fails rejects the whole note; at least one known signature must verify.
 */
import { createHash, sign, verify } from 'node:crypto';
import { privateKeyOf, publicKeyOf, type KeyPair } from '../documents/index.ts';
import { fromBase64, hasControlOrBrokenText, readUint32, toBase64, uint32Bytes, utf8Bytes, utf8Text } from './encoding.ts';

/** Signature type bytes (signed-note § Signature types). */
export const SIGNATURE_TYPE = { ed25519: 0x01, cosignatureEd25519: 0x04 } as const;

/** The Go reference refuses notes with more than 100 signatures; the spec requires accepting 16. */
export const MAX_SIGNATURES = 100;

export interface NoteSigner {
  readonly name: string;
  readonly keyId: number;
  sign(text: Uint8Array): Uint8Array;
}

export interface NoteVerifier {
  readonly name: string;
  readonly keyId: number;
  verify(text: Uint8Array, signature: Uint8Array): boolean;
}

/** One signature line of a note, as written: the key's name and ID, and base64(key ID || signature). */
export interface NoteSignature {
  name: string;
  keyId: number;
  base64: string;
}

export type NoteCode =
  /** Not a signed note: bad UTF-8, a control character, no blank line, a bad signature line, too many signatures. */
  | 'malformed'
  /** A signature by a known key does not verify. */
  | 'bad_signature'
  /** No signature is from a known key. */
  | 'no_trusted_signature'
  /** Two known keys share a name and key ID: the verifier list is wrong. */
  | 'ambiguous_key';

export type NoteRead = { ok: true; text: string; signatures: NoteSignature[] } | { ok: false; code: 'malformed'; message: string };
export type NoteOpened = { ok: true; text: string; verified: NoteSignature[]; unverified: NoteSignature[] } | { ok: false; code: NoteCode; message: string };

const EM_DASH_SPACE = '\u2014 ';

/** Key names are non-empty, with no Unicode white space and no "+". */
export const isKeyName = (name: string): boolean => name.length > 0 && !/[\p{White_Space}+]|\p{Cs}/u.test(name);

/** SHA-256(name || 0x0A || type || public key)[:4], as a uint32. */
export function keyIdOf(name: string, type: number, publicKey: Uint8Array): number {
  const digest = createHash('sha256').update(utf8Bytes(`${name}\n`)).update(new Uint8Array([type])).update(publicKey).digest();
  return readUint32(digest);
}

/** `— <name> <base64>\n` for each signer, over the text. The text's shape is the caller's to get right. */
export function signatureLines(text: string, signers: readonly NoteSigner[]): string {
  const bytes = utf8Bytes(text);
  return signers.map((s) => `${EM_DASH_SPACE}${s.name} ${toBase64(Buffer.concat([uint32Bytes(s.keyId), s.sign(bytes)]))}\n`).join('');
}

/**
 * The signed note of `text`. Signatures already on the note (`keep`) come first, except those by the
 * same keys as new signers, which are replaced. The text must end in a newline and be free of control
 * characters; a text that does not is a bug in the caller, so this throws.
 */
export function signNote(text: string, signers: readonly NoteSigner[], keep: readonly NoteSignature[] = []): string {
  if (!text.endsWith('\n') || hasControlOrBrokenText(text)) throw new TypeError('a note text ends in a newline and has no control characters');
  const bad = signers.find((s) => !isKeyName(s.name));
  if (bad) throw new TypeError(`"${bad.name}" is not a valid key name`);
  const replaced = new Set(signers.map((s) => `${s.name}+${s.keyId}`));
  const kept = keep.filter((k) => !replaced.has(`${k.name}+${k.keyId}`)).map((k) => `${EM_DASH_SPACE}${k.name} ${k.base64}\n`);
  return `${text}\n${kept.join('')}${signatureLines(text, signers)}`;
}

/** Splits a note into its text and signature lines, checking the syntax only. */
export function readNote(note: string | Uint8Array): NoteRead {
  const malformed = (message: string) => ({ ok: false as const, code: 'malformed' as const, message });
  const all = typeof note === 'string' ? note : utf8Text(note);
  if (all === undefined) return malformed('a signed note is UTF-8');
  if (hasControlOrBrokenText(all)) return malformed('a signed note has no control characters but newlines');
  // The text may hold blank lines itself: the signatures start after the last one.
  const split = all.lastIndexOf('\n\n');
  if (split < 0) return malformed('no blank line before the signatures');
  const text = all.slice(0, split + 1);
  const block = all.slice(split + 2);
  if (block === '' || !block.endsWith('\n')) return malformed('the signature lines must end in a newline');
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_SIGNATURES) return malformed(`more than ${MAX_SIGNATURES} signatures`);
  const signatures: NoteSignature[] = [];
  for (const line of lines) {
    if (!line.startsWith(EM_DASH_SPACE)) return malformed(`a signature line starts with "— ": ${JSON.stringify(line.slice(0, 40))}`);
    const rest = line.slice(EM_DASH_SPACE.length);
    const space = rest.indexOf(' ');
    const name = space < 0 ? rest : rest.slice(0, space);
    const base64 = space < 0 ? '' : rest.slice(space + 1);
    const raw = fromBase64(base64);
    if (!isKeyName(name) || !raw || raw.length < 5) return malformed(`bad signature line for "${name}"`);
    signatures.push({ name, keyId: readUint32(raw), base64 });
  }
  return { ok: true, text, signatures };
}

/** Reads a note and checks its signatures against the known keys (see the top of this file). */
export function openNote(note: string | Uint8Array, verifiers: readonly NoteVerifier[]): NoteOpened {
  const read = readNote(note);
  if (!read.ok) return read;
  const textBytes = utf8Bytes(read.text);
  const verified: NoteSignature[] = [];
  const unverified: NoteSignature[] = [];
  const seen = new Set<string>();
  for (const sig of read.signatures) {
    const known = verifiers.filter((v) => v.name === sig.name && v.keyId === sig.keyId);
    if (known.length > 1) return { ok: false, code: 'ambiguous_key', message: `two known keys are ${sig.name}+${hex8(sig.keyId)}` };
    // Repeats are dropped: a known key's second line, and identical lines from unknown keys.
    const id = known.length ? `${sig.name}+${sig.keyId}` : `? ${sig.name} ${sig.base64}`;
    if (seen.has(id)) continue;
    seen.add(id);
    if (known.length === 0) {
      unverified.push(sig);
      continue;
    }
    const signature = fromBase64(sig.base64)!.subarray(4);
    if (!known[0]!.verify(textBytes, signature)) return { ok: false, code: 'bad_signature', message: `the signature of ${sig.name}+${hex8(sig.keyId)} does not verify` };
    verified.push(sig);
  }
  if (verified.length === 0) return { ok: false, code: 'no_trusted_signature', message: `none of the ${read.signatures.length} signatures is from a known key` };
  return { ok: true, text: read.text, verified, unverified };
}

export const hex8 = (keyId: number): string => keyId.toString(16).padStart(8, '0');

/** Ed25519 over the bytes, false for a signature that is not one (wrong length included). */
export function ed25519Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  try {
    return verify(null, message, publicKeyOf({ publicKey: Buffer.from(publicKey).toString('base64url') }), signature);
  } catch {
    return false;
  }
}

export const ed25519Sign = (keyPair: KeyPair, message: Uint8Array): Uint8Array => sign(null, message, privateKeyOf(keyPair));

/** The raw 32-byte public key of a KeyPair (src/documents keeps it in base64url). */
export const rawPublicKey = (keyPair: { publicKey: string }): Uint8Array => new Uint8Array(Buffer.from(keyPair.publicKey, 'base64url'));

/** A note signer (type 0x01) for a key of src/documents. */
export function ed25519Signer(name: string, keyPair: KeyPair): NoteSigner {
  return { name, keyId: keyIdOf(name, SIGNATURE_TYPE.ed25519, rawPublicKey(keyPair)), sign: (text) => ed25519Sign(keyPair, text) };
}

export function ed25519Verifier(name: string, publicKey: Uint8Array): NoteVerifier {
  return { name, keyId: keyIdOf(name, SIGNATURE_TYPE.ed25519, publicKey), verify: (text, sig) => ed25519Verify(publicKey, text, sig) };
}

/** A verifier key as written: `<name>+<key ID, 8 hex>+<base64(type || public key)>`. */
export interface VerifierKey {
  name: string;
  keyId: number;
  type: number;
  publicKey: Uint8Array;
}

export type VerifierKeyRead = { ok: true; key: VerifierKey } | { ok: false; code: 'malformed_key' | 'key_id_mismatch'; message: string };

export const formatVerifierKey = (name: string, type: number, publicKey: Uint8Array): string =>
  `${name}+${hex8(keyIdOf(name, type, publicKey))}+${toBase64(Buffer.concat([new Uint8Array([type]), publicKey]))}`;

/**
 * Reads a verifier key and checks its key ID against its name and key. The key ID rule is the one
 * every type in use shares (0x01 Ed25519, 0x04 cosignature); the type's own checks (key length) are
 * left to the verifier built from it.
 */
export function parseVerifierKey(vkey: string): VerifierKeyRead {
  const malformed = (message: string) => ({ ok: false as const, code: 'malformed_key' as const, message });
  const first = vkey.indexOf('+');
  const second = first < 0 ? -1 : vkey.indexOf('+', first + 1);
  if (second < 0) return malformed('a verifier key is <name>+<key ID>+<key>');
  const name = vkey.slice(0, first);
  const id = vkey.slice(first + 1, second);
  const key = fromBase64(vkey.slice(second + 1));
  if (!isKeyName(name)) return malformed(`"${name}" is not a valid key name`);
  if (!/^[0-9a-f]{8}$/i.test(id)) return malformed('the key ID is 8 hex digits');
  if (!key || key.length < 2) return malformed('the key is base64 of a type byte and a public key');
  const type = key[0]!;
  const publicKey = key.subarray(1);
  const keyId = parseInt(id, 16);
  if (keyIdOf(name, type, publicKey) !== keyId) return { ok: false, code: 'key_id_mismatch', message: `${name}+${id}: the key ID is not the hash of this name and key` };
  return { ok: true, key: { name, keyId, type, publicKey } };
}
