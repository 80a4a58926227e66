/**
 * What an auditor remembers between runs of `mitra ledger audit`: the last checkpoint it checked, the
 * frontier of that tree (the roots of its perfect subtrees, a few dozen hashes even for billions of
 * entries) and the per-department tallies. The frontier is all a second run needs: every new leaf is
 * appended to it, and the old edge tiles the log serves again are checked against it, so nothing
 * audited before is fetched twice.
 */
import { fromBase64, toBase64, equalBytes } from '../ledger/encoding.ts';
import { frontierNodes, frontierOf, frontierRoot, type Frontier, type Hash } from '../ledger/index.ts';
import type { EntryKind, LedgerEntry } from './entries.ts';

export const ENTRY_KINDS: readonly EntryKind[] = ['certificate_issued', 'certificate_revoked', 'key_added', 'key_retired', 'key_revoked', 'case_decision'];

/** How many entries of each kind a department has in the log. */
export type Tally = Record<EntryKind, number>;
export type Tallies = Record<string, Tally>;

export const emptyTally = (): Tally => ({ certificate_issued: 0, certificate_revoked: 0, key_added: 0, key_retired: 0, key_revoked: 0, case_decision: 0 });

/** Counts one entry in place (tallies belong to one audit run until it is saved). */
export function countEntry(tallies: Tallies, entry: LedgerEntry): void {
  (tallies[entry.department] ??= emptyTally())[entry.kind] += 1;
}

export function addTallies(a: Tallies, b: Tallies): Tallies {
  const out: Tallies = {};
  for (const t of [a, b]) for (const [dept, tally] of Object.entries(t)) for (const k of ENTRY_KINDS) (out[dept] ??= emptyTally())[k] += tally[k];
  return Object.fromEntries(Object.entries(out).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
}

export interface AuditState {
  origin: string;
  /** The log's verifier key the checkpoint was checked with, pinned for the next run. */
  logKey: string;
  size: number;
  rootHash: Hash;
  /** The hashes of `frontierNodes(size)`, left to right. */
  frontier: Frontier;
  /** The signed checkpoint note last audited, kept as evidence. */
  checkpoint: string;
  departments: Tallies;
  /** ISO 8601. */
  auditedAt: string;
}

export function formatAuditState(s: AuditState): string {
  return `${JSON.stringify(
    {
      version: 1,
      origin: s.origin,
      logKey: s.logKey,
      size: s.size,
      root: toBase64(s.rootHash),
      frontier: s.frontier.hashes.map(toBase64),
      checkpoint: s.checkpoint,
      departments: s.departments,
      auditedAt: s.auditedAt,
    },
    null,
    2,
  )}\n`;
}

export type AuditStateRead = { ok: true; state: AuditState } | { ok: false; code: 'bad_state'; message: string };

/**
 * Reads a state file back, checking it against itself: its frontier must fold to its root. A state
 * file edited or damaged by hand is refused rather than audited from, since every later run trusts it.
 */
export function parseAuditState(text: string): AuditStateRead {
  const bad = (message: string): AuditStateRead => ({ ok: false, code: 'bad_state', message });
  let v: Record<string, unknown>;
  try {
    v = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return bad('the state file is not JSON');
  }
  if (typeof v !== 'object' || v === null || v.version !== 1) return bad('the state file is not version 1');
  const { origin, logKey, size, root, frontier, checkpoint, departments, auditedAt } = v;
  if (typeof origin !== 'string' || !origin || typeof logKey !== 'string' || typeof checkpoint !== 'string' || typeof auditedAt !== 'string') {
    return bad('origin, logKey, checkpoint and auditedAt are strings');
  }
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) return bad('size is a whole number');
  const rootHash = typeof root === 'string' ? fromBase64(root) : undefined;
  if (!rootHash || rootHash.length !== 32) return bad('root is the base64 of 32 bytes');
  if (!Array.isArray(frontier) || frontier.length !== frontierNodes(size).length) return bad(`a tree of ${size} has a frontier of ${frontierNodes(size).length} hashes`);
  const hashes = frontier.map((h) => (typeof h === 'string' ? fromBase64(h) : undefined));
  if (hashes.some((h) => !h || h.length !== 32)) return bad('each frontier hash is the base64 of 32 bytes');
  const f = frontierOf(size, hashes as Hash[]);
  if (!equalBytes(frontierRoot(f), rootHash)) return bad('the frontier does not hash to the root: the state file is damaged');
  if (typeof departments !== 'object' || departments === null) return bad('departments is an object');
  const tallies: Tallies = {};
  for (const [dept, t] of Object.entries(departments as Record<string, Record<string, unknown>>)) {
    const tally = emptyTally();
    for (const k of ENTRY_KINDS) {
      const n = t?.[k] ?? 0;
      if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) return bad(`departments.${dept}.${k} is a whole number`);
      tally[k] = n;
    }
    tallies[dept] = tally;
  }
  return { ok: true, state: { origin, logKey, size, rootHash, frontier: f, checkpoint, departments: tallies, auditedAt } };
}

/** The default state file's name for an origin: its characters outside [A-Za-z0-9._-] become "_". */
export const stateFileName = (origin: string): string => `${origin.replace(/[^A-Za-z0-9._-]+/g, '_')}.json`;
