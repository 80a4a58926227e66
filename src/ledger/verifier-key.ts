/**
 * A note verifier from a verifier key string, for the two signature types a Mitra ledger deals in:
 * 0x01, the log's own Ed25519 signature on its checkpoints, and 0x04, a witness's cosignature. Keys
 * come from configuration (the log key a witness trusts, the witness keys a log or verifier trusts),
 * so a bad one is reported with its reason rather than skipped.
 */
import { cosignatureVerifier } from './cosignature.ts';
import { ed25519Verifier, parseVerifierKey, SIGNATURE_TYPE, type NoteVerifier } from './note.ts';

export type VerifierFromKey =
  | { ok: true; verifier: NoteVerifier; type: number }
  | { ok: false; code: 'malformed_key' | 'key_id_mismatch' | 'unsupported_type'; message: string };

export function verifierFromKey(vkey: string): VerifierFromKey {
  const read = parseVerifierKey(vkey);
  if (!read.ok) return read;
  const { name, type, publicKey } = read.key;
  if (type !== SIGNATURE_TYPE.ed25519 && type !== SIGNATURE_TYPE.cosignatureEd25519) {
    return { ok: false, code: 'unsupported_type', message: `${name}: signature type 0x${type.toString(16).padStart(2, '0')} is not supported (0x01 Ed25519, 0x04 cosignature)` };
  }
  if (publicKey.length !== 32) return { ok: false, code: 'malformed_key', message: `${name}: an Ed25519 public key is 32 bytes, not ${publicKey.length}` };
  const verifier = type === SIGNATURE_TYPE.ed25519 ? ed25519Verifier(name, publicKey) : cosignatureVerifier(name, publicKey);
  return { ok: true, verifier, type };
}
