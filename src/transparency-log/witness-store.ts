/**
 * A witness's memory: for each log it follows, the latest checkpoint it cosigned (size, root, the
 * note). It is all that stands between the witness and cosigning a fork, so:
 *
 * - it is on disk before a cosignature leaves (tlog-witness: "MUST persist the new checkpoint before
 *   responding"), written whole with temp + fsync + rename (atomic-file.ts);
 * - an update is a compare-and-swap: it applies only if the record is still the one the decision was
 *   made on; the server also takes one request per origin at a time, so a swap that fails is a bug;
 * - one process owns the file (a lock file beside it), since two would each swap against their own
 *   copy of it.
 */
import { fromBase64, toBase64 } from '../ledger/encoding.ts';
import type { Hash } from '../ledger/index.ts';
import { lockFile, readTextIfExists, writeFileAtomic } from './atomic-file.ts';

export interface WitnessRecord {
  size: number;
  rootHash: Hash;
  /** The signed checkpoint note as the log sent it. */
  checkpoint: string;
}

export interface WitnessStore {
  readonly file: string;
  latest(origin: string): WitnessRecord | undefined;
  /** Stores `next` for `origin` if its record is still `expected` (the same object `latest` gave); false if not. */
  compareAndSwap(origin: string, expected: WitnessRecord | undefined, next: WitnessRecord): Promise<boolean>;
  close(): Promise<void>;
}

export type StoreOpened = { ok: true; store: WitnessStore } | { ok: false; message: string };

function parseRecords(text: string): Map<string, WitnessRecord> | string {
  let v: { version?: unknown; logs?: Record<string, { size?: unknown; root?: unknown; checkpoint?: unknown }> };
  try {
    v = JSON.parse(text);
  } catch {
    return 'not JSON';
  }
  if (v?.version !== 1 || typeof v.logs !== 'object' || v.logs === null) return 'not a version 1 witness state';
  const records = new Map<string, WitnessRecord>();
  for (const [origin, r] of Object.entries(v.logs)) {
    const rootHash = typeof r?.root === 'string' ? fromBase64(r.root) : undefined;
    if (typeof r?.size !== 'number' || !Number.isSafeInteger(r.size) || r.size < 0 || !rootHash || rootHash.length !== 32 || typeof r.checkpoint !== 'string') {
      return `the record of "${origin}" is damaged`;
    }
    records.set(origin, { size: r.size, rootHash, checkpoint: r.checkpoint });
  }
  return records;
}

const formatRecords = (records: ReadonlyMap<string, WitnessRecord>): string =>
  `${JSON.stringify(
    { version: 1, logs: Object.fromEntries([...records].map(([origin, r]) => [origin, { size: r.size, root: toBase64(r.rootHash), checkpoint: r.checkpoint }])) },
    null,
    2,
  )}\n`;

/** Opens (or starts) the state file, taking its lock. A damaged file is refused, never reset: resetting would forget what was cosigned. */
export async function openWitnessStore(file: string): Promise<StoreOpened> {
  const lock = await lockFile(`${file}.lock`);
  if (!lock.ok) return { ok: false, message: `${file} is in use by another witness process (pid ${lock.pid}, per ${file}.lock)` };
  const text = await readTextIfExists(file);
  const read = text === undefined ? new Map<string, WitnessRecord>() : parseRecords(text);
  if (typeof read === 'string') {
    await lock.release();
    return { ok: false, message: `${file}: ${read}` };
  }
  let records = read;
  // Writes go one after another, each of the whole file with every origin's latest record.
  let writing: Promise<unknown> = Promise.resolve();
  const store: WitnessStore = {
    file,
    latest: (origin) => records.get(origin),
    compareAndSwap(origin, expected, next) {
      const swap = writing.then(async () => {
        if (records.get(origin) !== expected) return false;
        const updated = new Map(records).set(origin, next);
        await writeFileAtomic(file, formatRecords(updated));
        records = updated;
        return true;
      });
      writing = swap.catch(() => {});
      return swap;
    },
    async close() {
      await writing;
      await lock.release();
    },
  };
  return { ok: true, store };
}
