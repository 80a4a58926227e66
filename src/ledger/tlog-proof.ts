import { fromBase64, parseDecimal, toBase64 } from './encoding.ts';
import { openCheckpoint, type Checkpoint } from './checkpoint.ts';
import { leafHash, verifyInclusion, HASH_SIZE, type Hash } from './merkle.ts';
import type { NoteVerifier } from './note.ts';

// C2SP tlog-proof (https://c2sp.org/tlog-proof): an offline proof that an entry is in the log, as
// text: the header, optional extra data, the index, the inclusion proof hashes, a blank line, and the
// checkpoint verbatim (with its cosignatures). Mitra puts the entry's own bytes in `extra`, so a
// verifier holding only a certificate can rebuild the leaf and check it.

const HEADER = 'c2sp.org/tlog-proof@v1';

export interface TlogProof {
  extra?: Uint8Array;
  index: number;
  proof: Hash[];
  /** The checkpoint note, signatures included. */
  checkpoint: string;
}

export function formatTlogProof(p: TlogProof): string {
  return [HEADER, ...(p.extra ? [`extra ${toBase64(p.extra)}`] : []), `index ${p.index}`, ...p.proof.map(toBase64), '', p.checkpoint].join('\n');
}

export type TlogProofRead = { ok: true; proof: TlogProof } | { ok: false; code: 'malformed_proof'; message: string };

export function parseTlogProof(text: string): TlogProofRead {
  const bad = (message: string): TlogProofRead => ({ ok: false, code: 'malformed_proof', message });
  const blank = text.indexOf('\n\n');
  if (blank < 0) return bad('no blank line before the checkpoint');
  const lines = text.slice(0, blank).split('\n');
  if (lines.shift() !== HEADER) return bad(`the first line must be ${HEADER}`);
  let extra: Uint8Array | undefined;
  if (lines[0]?.startsWith('extra ')) {
    extra = fromBase64(lines.shift()!.slice(6));
    if (!extra) return bad('extra is not base64');
  }
  const indexLine = lines.shift();
  const index = indexLine?.startsWith('index ') ? parseDecimal(indexLine.slice(6)) : undefined;
  if (index === undefined) return bad('the index line is missing or not a decimal');
  const proof: Hash[] = [];
  for (const l of lines) {
    const h = fromBase64(l);
    if (!h || h.length !== HASH_SIZE) return bad('a proof line is not a base64 SHA-256 hash');
    proof.push(h);
  }
  return { ok: true, proof: { ...(extra ? { extra } : {}), index, proof, checkpoint: text.slice(blank + 2) } };
}

export type TlogProofChecked =
  | { ok: true; checkpoint: Checkpoint; index: number; extra?: Uint8Array }
  | { ok: false; code: 'malformed_proof' | 'bad_checkpoint' | 'not_included'; message: string };

/** Checks a proof offline: the checkpoint is signed by a trusted log key, and `leaf` is at its index. */
export function checkTlogProof(text: string, leaf: Uint8Array, logKeys: readonly NoteVerifier[], origin?: string): TlogProofChecked {
  const read = parseTlogProof(text);
  if (!read.ok) return read;
  const opened = openCheckpoint(read.proof.checkpoint, logKeys, origin ? { origin } : {});
  if (!opened.ok) return { ok: false, code: 'bad_checkpoint', message: opened.message };
  const included = verifyInclusion(leafHash(leaf), read.proof.index, opened.checkpoint.size, read.proof.proof, opened.checkpoint.rootHash);
  if (!included.ok) return { ok: false, code: 'not_included', message: included.message };
  return { ok: true, checkpoint: opened.checkpoint, index: read.proof.index, ...(read.proof.extra ? { extra: read.proof.extra } : {}) };
}
