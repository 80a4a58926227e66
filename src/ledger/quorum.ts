/**
 * A witness quorum: a checkpoint is trusted only when at least k of n known witnesses have cosigned
 * it (the k-of-n policy of sigsum's policy files, of Go's sumdb witnesses and of c2sp.org/tlog-proof).
 * Without one, a log operator can show one view to some people and another to others (a split view),
 * and the witnesses add nothing.
 *
 * Witnesses are told apart by name: a witness given with two keys (while it rotates) counts once, as
 * does a cosignature line repeated. A line counts only if its name and key ID are a given witness
 * key's and it verifies on the checkpoint's text as a tlog-cosignature (type 0x04); lines by unknown
 * keys are ignored, and a line that does not verify is reported, never counted. The cosignature's
 * time is not checked against a clock (cosignature.ts only bounds it, to 2^63 − 1).
 *
 * The log's own signature is not checked here: open the checkpoint with the log's key first.
 */
import { fromBase64, utf8Bytes } from './encoding.ts';
import { readNote, SIGNATURE_TYPE, type NoteSignature, type NoteVerifier } from './note.ts';
import { verifierFromKey } from './verifier-key.ts';

export interface WitnessQuorum {
  /** Each witness's name, with its cosignature keys (more than one while it rotates keys), in the order given. */
  witnesses: ReadonlyMap<string, readonly NoteVerifier[]>;
  /** How many distinct witnesses must have cosigned: 0 requires none. */
  required: number;
}

export type WitnessQuorumCode =
  /** A key is not a witness cosignature verifier key (type 0x04). */
  | 'bad_witness_key'
  /** k is not a whole number from 0 to the number of distinct witnesses given. */
  | 'quorum_out_of_range';

export type WitnessQuorumRead = { ok: true; quorum: WitnessQuorum } | { ok: false; code: WitnessQuorumCode; message: string };

/** Which of the quorum's witnesses cosigned a checkpoint, by name, in the order they were given. */
export interface QuorumTally {
  required: number;
  /** A cosignature by one of the witness's keys verifies. */
  cosigned: string[];
  /** No line by any of the witness's keys. */
  missing: string[];
  /** Lines by the witness's keys, none of which verifies. */
  invalid: string[];
}

export type QuorumCode = WitnessQuorumCode | 'malformed' | 'witness_quorum_not_met';

export type QuorumChecked =
  | ({ ok: true } & QuorumTally)
  | ({ ok: false; code: 'witness_quorum_not_met'; message: string } & QuorumTally)
  | { ok: false; code: WitnessQuorumCode | 'malformed'; message: string };

/** The policy "at least `required` of these witnesses", from their verifier keys (`name+hash+base64`). */
export function witnessQuorum(vkeys: readonly string[], required: number): WitnessQuorumRead {
  const witnesses = new Map<string, NoteVerifier[]>();
  for (const vkey of new Set(vkeys.map((k) => k.trim()))) {
    const key = verifierFromKey(vkey);
    if (!key.ok) return { ok: false, code: 'bad_witness_key', message: key.message };
    if (key.type !== SIGNATURE_TYPE.cosignatureEd25519) return { ok: false, code: 'bad_witness_key', message: `${vkey} is not a witness cosignature key (type 0x04)` };
    witnesses.set(key.verifier.name, [...(witnesses.get(key.verifier.name) ?? []), key.verifier]);
  }
  if (!Number.isSafeInteger(required) || required < 0) return { ok: false, code: 'quorum_out_of_range', message: `a quorum is a whole number of witnesses, not ${required}` };
  if (required > witnesses.size) return { ok: false, code: 'quorum_out_of_range', message: `a quorum of ${required} cannot be met by ${witnessCount(witnesses.size)}` };
  return { ok: true, quorum: { witnesses, required } };
}

/**
 * Whether a signed checkpoint note carries valid cosignatures from at least `required` of the
 * witnesses whose keys are given. A bad key or an impossible quorum is a value too: both come from
 * configuration.
 */
export function checkWitnessQuorum(note: string | Uint8Array, vkeys: readonly string[], required: number): QuorumChecked {
  const policy = witnessQuorum(vkeys, required);
  if (!policy.ok) return policy;
  return meetsQuorum(note, policy.quorum);
}

/** `checkWitnessQuorum` for a policy already read. */
export function meetsQuorum(note: string | Uint8Array, quorum: WitnessQuorum): QuorumChecked {
  const read = readNote(note);
  if (!read.ok) return read;
  const text = utf8Bytes(read.text);
  const valid = new Set<string>();
  const failed = new Set<string>();
  for (const sig of read.signatures) {
    const keys = (quorum.witnesses.get(sig.name) ?? []).filter((v) => v.keyId === sig.keyId);
    if (keys.length === 0) continue;
    (keys.some((v) => v.verify(text, signatureBytes(sig))) ? valid : failed).add(sig.name);
  }
  const names = [...quorum.witnesses.keys()];
  const tally: QuorumTally = {
    required: quorum.required,
    cosigned: names.filter((n) => valid.has(n)),
    missing: names.filter((n) => !valid.has(n) && !failed.has(n)),
    invalid: names.filter((n) => !valid.has(n) && failed.has(n)),
  };
  if (tally.cosigned.length >= quorum.required) return { ok: true, ...tally };
  return { ok: false, code: 'witness_quorum_not_met', message: quorumMessage(tally, names.length), ...tally };
}

/** The signature bytes of a line `readNote` accepted (base64 of at least the key ID and one byte). */
const signatureBytes = (sig: NoteSignature): Uint8Array => fromBase64(sig.base64)!.subarray(4);

const witnessCount = (n: number) => `${n} witness${n === 1 ? '' : 'es'}`;

function quorumMessage(t: QuorumTally, n: number): string {
  const parts = [`the checkpoint is cosigned by ${t.cosigned.length} of ${witnessCount(n)}, ${t.required} required`];
  if (t.cosigned.length) parts.push(`cosigned: ${t.cosigned.join(', ')}`);
  if (t.missing.length) parts.push(`no cosignature from ${t.missing.join(', ')}`);
  if (t.invalid.length) parts.push(`a cosignature that does not verify from ${t.invalid.join(', ')}`);
  return parts.join('; ');
}
