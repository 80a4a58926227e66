// The entries the ledger bench appends and seeds, the same bytes in bench/ledger.ts and in the peer
// (bench/peer-ledger/merkletreejs.ts), so both build the tree of the same leaves. Entry i is a
// certificate issued, revoked or a case decision of one of a few departments, with a subject and a
// hash of its own: one line of canonical JSON, as Mitra queues it (entryBytes).
import { leafHash, type Hash } from '../src/ledger/index.ts';
import { entryBytes, sha256Hex, type EntryKind, type LedgerEntry } from '../src/transparency-log/index.ts';

const DEPARTMENTS = ['REV01', 'HLT01', 'EDU01', 'MUN01', 'AGR01', 'SWD01', 'PRD01', 'TRN01'];
const KINDS: EntryKind[] = ['certificate_issued', 'case_decision', 'case_decision', 'certificate_issued', 'case_decision', 'certificate_revoked'];
const T0 = Date.UTC(2026, 0, 1);

export function benchEntry(i: number): LedgerEntry {
  const department = DEPARTMENTS[i % DEPARTMENTS.length]!;
  return {
    kind: KINDS[i % KINDS.length]!,
    department,
    subject: `${department}/2026/${String(i).padStart(8, '0')}`,
    sha256: sha256Hex(`bench entry ${i}`),
    at: new Date(T0 + i * 25).toISOString(),
  };
}

export const benchBody = (i: number): Uint8Array => entryBytes(benchEntry(i));

/** Entries [0, n) as bytes and their RFC 6962 leaf hashes, SHA-256(0x00 || entry). */
export function benchLeaves(n: number): { bodies: Uint8Array[]; leaves: Hash[] } {
  const bodies: Uint8Array[] = new Array(n);
  const leaves: Hash[] = new Array(n);
  for (let i = 0; i < n; i++) {
    bodies[i] = benchBody(i);
    leaves[i] = leafHash(bodies[i]!);
  }
  return { bodies, leaves };
}

/** A small seeded PRNG (mulberry32): the same seed draws the same indexes in both processes. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
