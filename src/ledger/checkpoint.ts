/**
 * Checkpoints, C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint): the signed tree head of a log,
 * as the text of a signed note.
 *
 *     mitra.ap.gov.in/log                              origin: names the log, non-empty
 *     20852163                                         tree size, decimal, no leading zeroes
 *     CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=     root hash, base64 of 32 bytes
 *     <extension lines, optional, each non-empty>      opaque; discouraged, Mitra writes none
 *
 * The log signs it with its Ed25519 key under a key name equal to the origin; witnesses add their
 * cosignatures to the same note. A log must never sign two checkpoints that are not consistent.
 */
import { fromBase64, parseDecimal, toBase64 } from './encoding.ts';
import { HASH_SIZE, type Hash } from './merkle.ts';
import { openNote, readNote, signNote, type NoteCode, type NoteSignature, type NoteSigner, type NoteVerifier } from './note.ts';

export interface Checkpoint {
  origin: string;
  size: number;
  rootHash: Hash;
  extensions?: readonly string[];
}

export type CheckpointCode = NoteCode | 'malformed_checkpoint' | 'wrong_origin';
export type CheckpointRead = { ok: true; checkpoint: Checkpoint } | { ok: false; code: 'malformed_checkpoint'; message: string };
export type CheckpointOpened =
  | { ok: true; checkpoint: Checkpoint; text: string; verified: NoteSignature[]; unverified: NoteSignature[] }
  | { ok: false; code: CheckpointCode; message: string };

/** The checkpoint's note text. Throws on a checkpoint that cannot be written (a bug in the caller). */
export function formatCheckpoint(c: Checkpoint): string {
  const extensions = c.extensions ?? [];
  if (c.origin === '' || /\n/.test(c.origin)) throw new TypeError('a checkpoint origin is one non-empty line');
  if (!Number.isSafeInteger(c.size) || c.size < 0) throw new RangeError(`a tree size is a whole number, not ${c.size}`);
  if (c.rootHash.length !== HASH_SIZE) throw new RangeError(`a root hash is ${HASH_SIZE} bytes`);
  if (extensions.some((e) => e === '' || /\n/.test(e))) throw new TypeError('extension lines are non-empty single lines');
  return [c.origin, String(c.size), toBase64(c.rootHash), ...extensions].map((l) => `${l}\n`).join('');
}

/** Reads a checkpoint's note text (signatures already split off). */
export function parseCheckpoint(text: string): CheckpointRead {
  const malformed = (message: string) => ({ ok: false as const, code: 'malformed_checkpoint' as const, message });
  if (!text.endsWith('\n')) return malformed('a checkpoint text ends in a newline');
  const lines = text.slice(0, -1).split('\n');
  const [origin, size, root, ...extensions] = lines;
  if (root === undefined) return malformed('a checkpoint has an origin, a tree size and a root hash');
  if (lines.some((l) => l === '')) return malformed('a checkpoint has no empty lines');
  const n = parseDecimal(size!);
  if (n === undefined) return malformed(`tree size "${size}" is not a decimal number without leading zeroes (at most 2^53 − 1)`);
  const rootHash = fromBase64(root);
  if (!rootHash || rootHash.length !== HASH_SIZE) return malformed('the root hash is base64 of 32 bytes');
  return { ok: true, checkpoint: { origin: origin!, size: n, rootHash, ...(extensions.length ? { extensions } : {}) } };
}

/** The signed checkpoint note, with `keep` (e.g. cosignatures already collected) before the new signatures. */
export const signCheckpoint = (c: Checkpoint, signers: readonly NoteSigner[], keep: readonly NoteSignature[] = []): string => signNote(formatCheckpoint(c), signers, keep);

/**
 * Opens a signed checkpoint: the note's signatures against the known keys, then the text as a
 * checkpoint. With `origin`, a checkpoint of another log is refused.
 */
export function openCheckpoint(note: string | Uint8Array, verifiers: readonly NoteVerifier[], opts: { origin?: string } = {}): CheckpointOpened {
  const opened = openNote(note, verifiers);
  if (!opened.ok) return opened;
  const read = parseCheckpoint(opened.text);
  if (!read.ok) return read;
  if (opts.origin !== undefined && read.checkpoint.origin !== opts.origin) {
    return { ok: false, code: 'wrong_origin', message: `the checkpoint is for "${read.checkpoint.origin}", not "${opts.origin}"` };
  }
  return { ok: true, checkpoint: read.checkpoint, text: opened.text, verified: opened.verified, unverified: opened.unverified };
}

/** The origin a note claims, unverified: enough to look up which keys to verify it with. */
export function claimedOrigin(note: string | Uint8Array): string | undefined {
  const read = readNote(note);
  if (!read.ok) return undefined;
  const origin = read.text.slice(0, read.text.indexOf('\n'));
  return origin || undefined;
}
