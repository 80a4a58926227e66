import { createHash } from 'node:crypto';

// What the public log holds: one entry per certificate issued or revoked, per signing key added,
// retired or revoked, and per case decision. An entry never carries a citizen's personal data: a
// certificate is known by its number and the SHA-256 of its signed payload (whoever holds the paper
// can recompute it), a decision only by the hash of what was decided.

export type EntryKind = 'certificate_issued' | 'certificate_revoked' | 'key_added' | 'key_retired' | 'key_revoked' | 'case_decision';

export interface LedgerEntry {
  kind: EntryKind;
  /** The department it concerns. */
  department: string;
  /** What it is about: a certificate number, a key id, a case reference. */
  subject: string;
  /** SHA-256, hex, of the thing itself: the certificate's payload, the raw public key, the decision. */
  sha256: string;
  /** When it happened (ISO 8601, milliseconds, UTC). */
  at: string;
}

const KINDS = new Set<EntryKind>(['certificate_issued', 'certificate_revoked', 'key_added', 'key_retired', 'key_revoked', 'case_decision']);

export const sha256Hex = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

/**
 * What a certificate's entries record as its sha256: the hash of its payload in the bare `MT1:` form,
 * from the bare payload or the verify link a QR holds (any host, query or fragment ignored).
 */
export function certificatePayloadHash(scanned: string): string {
  const at = scanned.toUpperCase().indexOf('MT1:');
  return sha256Hex((at >= 0 ? scanned.slice(at) : scanned).split(/[?#]/)[0]!.trim());
}

/**
 * An entry's bytes in the log: one line of JSON with its keys in a fixed order, so the same entry
 * is always the same bytes and an auditor in any language can read it.
 */
export function entryBytes(e: LedgerEntry): Uint8Array {
  return Buffer.from(`${JSON.stringify({ v: 1, kind: e.kind, department: e.department, subject: e.subject, sha256: e.sha256, at: e.at })}\n`, 'utf8');
}

export type EntryRead = { ok: true; entry: LedgerEntry } | { ok: false; code: 'malformed_entry'; message: string };

/** Reads an entry back from the log's bytes, refusing any other spelling of it. */
export function readEntry(bytes: Uint8Array): EntryRead {
  const bad = (message: string): EntryRead => ({ ok: false, code: 'malformed_entry', message });
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    return bad('not JSON');
  }
  const o = v as Record<string, unknown>;
  if (typeof o !== 'object' || o === null || o.v !== 1) return bad('not a version 1 entry');
  if (!KINDS.has(o.kind as EntryKind)) return bad(`unknown kind ${String(o.kind)}`);
  for (const k of ['department', 'subject', 'sha256', 'at'] as const) if (typeof o[k] !== 'string' || !o[k]) return bad(`${k} is missing`);
  if (!/^[0-9a-f]{64}$/.test(o.sha256 as string)) return bad('sha256 must be 64 hex digits');
  const entry = { kind: o.kind as EntryKind, department: o.department as string, subject: o.subject as string, sha256: o.sha256 as string, at: o.at as string };
  if (Buffer.compare(Buffer.from(entryBytes(entry)), Buffer.from(bytes)) !== 0) return bad('not in its one canonical form');
  return { ok: true, entry };
}
