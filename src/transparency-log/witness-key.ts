/**
 * A witness's key file, in the format of golang.org/x/mod/sumdb/note's GenerateKey, which the
 * transparency-dev witnesses read too:
 *
 *     PRIVATE+KEY+<name>+<key ID, 8 hex>+<base64(0x01 || Ed25519 seed)>
 *
 * The key ID is that of the plain Ed25519 key (type 0x01). A witness cosigns with the same key under
 * type 0x04 (tlog-cosignature), whose verifier key, `<name>+<cosignature key ID>+<base64(0x04 ||
 * public key)>`, is what logs and auditors are given.
 */
import { generateKeyPair, keyPairFromSeed, type KeyPair } from '../documents/index.ts';
import { fromBase64, toBase64 } from '../ledger/encoding.ts';
import { formatVerifierKey, isKeyName, keyIdOf, SIGNATURE_TYPE } from '../ledger/index.ts';
import { hex8, rawPublicKey } from '../ledger/note.ts';

export interface WitnessKey {
  name: string;
  keyPair: KeyPair;
  /** The cosignature verifier key (type 0x04) to give to logs and auditors. */
  vkey: string;
}

export const witnessVerifierKey = (name: string, keyPair: KeyPair): string => formatVerifierKey(name, SIGNATURE_TYPE.cosignatureEd25519, rawPublicKey(keyPair));

/** A new key for witness `name`: the key file's line, and the verifier key. Throws on a name that cannot be a key name (the caller checks). */
export function generateWitnessKey(name: string, keyPair: KeyPair = generateKeyPair()): WitnessKey & { keyFile: string } {
  if (!isKeyName(name)) throw new TypeError(`"${name}" is not a key name`);
  const seed = Buffer.from(keyPair.secretKey, 'base64url');
  const id = hex8(keyIdOf(name, SIGNATURE_TYPE.ed25519, rawPublicKey(keyPair)));
  const keyFile = `PRIVATE+KEY+${name}+${id}+${toBase64(Buffer.concat([Buffer.from([SIGNATURE_TYPE.ed25519]), seed]))}\n`;
  return { name, keyPair, vkey: witnessVerifierKey(name, keyPair), keyFile };
}

export type WitnessKeyRead = ({ ok: true } & WitnessKey) | { ok: false; message: string };

export function parseWitnessKey(text: string): WitnessKeyRead {
  const bad = (message: string): WitnessKeyRead => ({ ok: false, message });
  const m = /^PRIVATE\+KEY\+([^+\s]+)\+([0-9a-f]{8})\+(\S+)$/.exec(text.trim());
  if (!m) return bad('a key file holds one line, PRIVATE+KEY+<name>+<key ID>+<key> (as `mitra witness keygen` writes)');
  const [, name, id, key] = m as unknown as [string, string, string, string];
  const raw = fromBase64(key);
  if (!isKeyName(name)) return bad(`"${name}" is not a key name`);
  if (!raw || raw.length !== 33 || raw[0] !== SIGNATURE_TYPE.ed25519) return bad('the key is base64 of 0x01 and a 32-byte Ed25519 seed');
  const keyPair = keyPairFromSeed(raw.subarray(1));
  if (hex8(keyIdOf(name, SIGNATURE_TYPE.ed25519, rawPublicKey(keyPair))) !== id) return bad('the key ID is not that of this name and key: the file is damaged');
  return { ok: true, name, keyPair, vkey: witnessVerifierKey(name, keyPair) };
}
