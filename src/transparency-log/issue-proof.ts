import { checkTlogProof, parseTlogProof, type NoteVerifier } from '../ledger/index.ts';
import { certificatePayloadHash, readEntry } from './entries.ts';

/** The name of the file a certificate PDF carries its ledger proof in. */
export const LEDGER_PROOF_FILE = 'certificate.tlog-proof';

export type IssueProofChecked =
  | { ok: true; index: number; size: number; origin: string }
  | { ok: false; code: 'malformed_proof' | 'bad_checkpoint' | 'not_included' | 'other_document'; message: string };

/**
 * Checks, offline, a certificate's ledger proof (C2SP tlog-proof with the issue entry as its extra
 * data): the checkpoint is signed by the log, the entry is in it, and the entry records this very
 * certificate (its number, and the SHA-256 of its payload in the bare MT1: form).
 */
export function checkIssueProof(proofText: string, scanned: string, documentNumber: string, logKeys: readonly NoteVerifier[]): IssueProofChecked {
  // The leaf is the entry carried as extra data: read it, then prove exactly those bytes.
  const parsed = parseTlogProof(proofText);
  if (!parsed.ok) return parsed;
  const read = parsed.proof.extra;
  if (!read) return { ok: false, code: 'malformed_proof', message: 'the proof carries no ledger entry' };
  const entry = readEntry(read);
  if (!entry.ok) return { ok: false, code: 'malformed_proof', message: `its entry: ${entry.message}` };
  if (entry.entry.kind !== 'certificate_issued' || entry.entry.subject !== documentNumber || entry.entry.sha256 !== certificatePayloadHash(scanned)) {
    return { ok: false, code: 'other_document', message: `the proof records ${entry.entry.kind} of ${entry.entry.subject}, not this certificate` };
  }
  const checked = checkTlogProof(proofText, read, logKeys);
  if (!checked.ok) return checked;
  return { ok: true, index: checked.index, size: checked.checkpoint.size, origin: checked.checkpoint.origin };
}
