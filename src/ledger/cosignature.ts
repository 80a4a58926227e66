/**
 * Witness cosignatures, C2SP tlog-cosignature v1 with Ed25519 (https://c2sp.org/tlog-cosignature).
 *
 * A cosignature is a note signature (type 0x04) on a checkpoint. What is signed is not the note text
 * itself but
 *
 *     cosignature/v1\n
 *     time <POSIX seconds, decimal, no leading zeroes>\n
 *     <the checkpoint text: origin, size, root, any extension lines, each ending in "\n">
 *
 * and the signature bytes are the timestamp (uint64, big-endian) followed by the 64-byte Ed25519
 * signature, so a note line reads `— <witness> base64(key ID[4] || time[8] || sig[64])`. The key ID is
 * SHA-256(name || 0x0A || 0x04 || public key)[:4], so the same key used for plain note signatures
 * (type 0x01) has a different ID. The message does not name the witness: one key must serve one
 * witness name only.
 *
 * Its statement: "as of this time, this is the largest consistent tree I have seen for this origin".
 */
import type { KeyPair } from '../documents/index.ts';
import { fromBase64, utf8Bytes } from './encoding.ts';
import { ed25519Sign, ed25519Verify, keyIdOf, rawPublicKey, SIGNATURE_TYPE, type NoteSignature, type NoteSigner, type NoteVerifier } from './note.ts';

/** Timestamps are uint64 but MUST NOT exceed 2^63 − 1. */
const MAX_TIME = 2n ** 63n - 1n;

/** The bytes a witness signs for a checkpoint text at `time` (seconds). */
export function cosignedMessage(checkpointText: string | Uint8Array, time: bigint | number): Uint8Array {
  const text = typeof checkpointText === 'string' ? utf8Bytes(checkpointText) : checkpointText;
  return Buffer.concat([utf8Bytes(`cosignature/v1\ntime ${BigInt(time)}\n`), text]);
}

export const cosignerKeyId = (name: string, publicKey: Uint8Array): number => keyIdOf(name, SIGNATURE_TYPE.cosignatureEd25519, publicKey);

/** A note signer that cosigns at `time` (POSIX seconds): one per request, the clock is the caller's. */
export function cosigner(name: string, keyPair: KeyPair, time: number): NoteSigner {
  if (!Number.isSafeInteger(time) || time < 0) throw new RangeError(`a cosignature time is whole seconds, not ${time}`);
  const stamp = new Uint8Array(8);
  new DataView(stamp.buffer).setBigUint64(0, BigInt(time));
  return {
    name,
    keyId: cosignerKeyId(name, rawPublicKey(keyPair)),
    sign: (text) => Buffer.concat([stamp, ed25519Sign(keyPair, cosignedMessage(text, time))]),
  };
}

/** A note verifier for a witness's cosignatures (type 0x04). */
export function cosignatureVerifier(name: string, publicKey: Uint8Array): NoteVerifier {
  return {
    name,
    keyId: cosignerKeyId(name, publicKey),
    verify(text, signature) {
      if (signature.length !== 8 + 64) return false;
      const time = new DataView(signature.buffer, signature.byteOffset, 8).getBigUint64(0);
      if (time > MAX_TIME) return false;
      return ed25519Verify(publicKey, cosignedMessage(text, time), signature.subarray(8));
    },
  };
}

/**
 * The time (POSIX seconds) a cosignature line states, or undefined if it is not one. It says nothing
 * about whether the signature verifies: read it from a signature `openNote` verified.
 */
export function cosignatureTime(sig: NoteSignature): number | undefined {
  const raw = fromBase64(sig.base64);
  if (!raw || raw.length !== 4 + 8 + 64) return undefined;
  const time = new DataView(raw.buffer, raw.byteOffset + 4, 8).getBigUint64(0);
  return time <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(time) : undefined;
}
