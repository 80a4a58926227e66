/**
 * Auditing the public ledger from the outside, as anyone can: `mitra ledger audit <url>`.
 *
 * 1. Fetch the checkpoint and check the log's signature with the pinned key (given, or pinned by an
 *    earlier run; the key the log serves is used only when there is neither, with a warning).
 * 2. Check the cosignatures of the witnesses whose keys were given; list every other signature seen.
 *    With a quorum (`minWitnesses` k), at least k of those witnesses must have cosigned it
 *    (../ledger/quorum.ts), or the audit stops there.
 * 3. The checkpoint must not contradict the last one audited: not smaller, the same root at the same
 *    size.
 * 4. Walk the tiles and entry bundles that are new since then (audit-tiles.ts): every entry rehashed
 *    and checked against its tile, every tile above rehashed, the old edge against the audited frontier.
 * 5. The audited frontier plus the new leaves must give the checkpoint's root: then the checkpoint's
 *    tree is the audited one, extended. When it is not, the tiles tell which side is wrong: a log
 *    whose own tiles no longer give the audited root has rewritten its past (`inconsistent`).
 *
 * Nothing is written here: the caller saves the new state only when the audit holds.
 */
import { equalBytes, toBase64, utf8Text } from '../ledger/encoding.ts';
import {
  checkWitnessQuorum,
  claimedOrigin,
  cosignatureTime,
  EMPTY_FRONTIER,
  frontierNodes,
  frontierRoot,
  openCheckpoint,
  openNote,
  readNote,
  rootAt,
  tileSource,
  tilesFor,
  verifierFromKey,
  SIGNATURE_TYPE,
  type Checkpoint,
  type Hash,
  type NoteVerifier,
  type QuorumTally,
} from '../ledger/index.ts';
import { hex8 } from '../ledger/note.ts';
import type { LogFetcher } from './audit-fetch.ts';
import { addTallies, countEntry, type AuditState, type AuditStateRead, type Tallies } from './audit-state.ts';
import { fetchTile, problem, readHashes, walkTiles, type AuditProblem } from './audit-tiles.ts';
import { readEntry } from './entries.ts';

/** Checkpoints are a few lines and at most 100 signatures. */
const MAX_CHECKPOINT_BYTES = 64 * 1024;
const MAX_KEY_BYTES = 4 * 1024;

export interface AuditInput {
  fetch: LogFetcher;
  /** The log's verifier key (`name+id+base64`), as the auditor pinned it. */
  logKey?: string;
  /** Witness cosignature keys (type 0x04) whose cosignatures to check. Invalid keys are a bug: validate first. */
  witnessKeys?: readonly string[];
  /**
   * How many of the witnesses given (told apart by name) must have cosigned the checkpoint: 0, the
   * default, requires none. More than there are witnesses is a bug: validate it with `witnessQuorum`.
   */
  minWitnesses?: number;
  /**
   * The state of the last audit for the origin the checkpoint claims (unverified: it only names the
   * file), undefined if there is none.
   */
  loadState(origin: string): Promise<AuditStateRead | undefined>;
  now: Date;
  concurrency?: number;
}

export interface WitnessSeen {
  name: string;
  keyId: string;
  /** cosigned: the cosignature verifies with a given key; not_checked: no key given for it; missing: a given key did not cosign. */
  status: 'cosigned' | 'not_checked' | 'missing';
  /** When the witness cosigned (ISO 8601), for verified cosignatures. */
  time?: string;
}

export interface AuditReport {
  origin: string;
  logKey: string;
  /** given: --log-key; state: pinned by an earlier run; served: the key the log serves (trust on first use). */
  logKeySource: 'given' | 'state' | 'served';
  size: number;
  rootHash: string;
  previousSize: number | null;
  newEntries: number;
  /** Entries per department and kind in the whole log. */
  departments: Tallies;
  /** Of those, the entries checked in this run. */
  newByDepartment: Tallies;
  witnesses: WitnessSeen[];
  /** With a quorum required (`minWitnesses` > 0): how many, and which witnesses cosigned. */
  quorum?: QuorumTally;
  fetched: { files: number; bytes: number };
  warnings: string[];
}

export type AuditOutcome = { ok: true; report: AuditReport; state: AuditState } | (AuditProblem & { warnings: string[]; origin?: string; size?: number; quorum?: QuorumTally });

export async function auditLog(input: AuditInput): Promise<AuditOutcome> {
  const warnings: string[] = [];
  const fail = (p: AuditProblem, more: { origin?: string; size?: number; quorum?: QuorumTally } = {}): AuditOutcome => ({ ...p, ...more, warnings });

  const got = await input.fetch('checkpoint', MAX_CHECKPOINT_BYTES);
  if (!got.ok) return fail(problem('unreachable', `cannot read the checkpoint: ${got.message} (is the URL the log's prefix, …/ledger?)`, { path: 'checkpoint' }));
  const note = utf8Text(got.bytes);
  const claimed = note === undefined ? undefined : claimedOrigin(note);
  if (note === undefined || claimed === undefined) return fail(problem('malformed_checkpoint', 'the checkpoint is not a signed note', { path: 'checkpoint' }));

  const read = await input.loadState(claimed);
  if (read && !read.ok) return fail(read);
  const state = read?.state;

  let vkey: string;
  let logKeySource: AuditReport['logKeySource'];
  if (input.logKey) {
    [vkey, logKeySource] = [input.logKey, 'given'];
    if (state && state.logKey !== vkey) warnings.push(`the log key differs from the one pinned by the last audit (${state.logKey}); the one given is used, and pinned from now on`);
  } else if (state) {
    [vkey, logKeySource] = [state.logKey, 'state'];
  } else {
    const served = await input.fetch('log-key', MAX_KEY_BYTES);
    if (!served.ok) return fail(problem('unreachable', `no --log-key given and the log's key cannot be read: ${served.message}`, { path: 'log-key' }));
    [vkey, logKeySource] = [(utf8Text(served.bytes) ?? '').trim(), 'served'];
    warnings.push(`no log key pinned: trusting the key the log serves (${vkey}). Compare it with one published elsewhere and pass it as --log-key; later runs keep it.`);
  }
  const key = verifierFromKey(vkey);
  if (!key.ok) return fail(problem('bad_log_key', `the log key ${JSON.stringify(vkey)} (${logKeySource}): ${key.message}`));
  if (key.type !== SIGNATURE_TYPE.ed25519) return fail(problem('bad_log_key', `the log key ${vkey} is not an Ed25519 signing key (type 0x01)`));

  const opened = openCheckpoint(note, [key.verifier], { origin: key.verifier.name });
  if (!opened.ok) {
    const code = opened.code === 'bad_signature' || opened.code === 'no_trusted_signature' ? 'bad_signature' : opened.code === 'wrong_origin' ? 'wrong_origin' : 'malformed_checkpoint';
    const message = code === 'bad_signature' ? `the checkpoint is not signed by the log key ${vkey}: ${opened.message}` : opened.message;
    return fail(problem(code, message, { path: 'checkpoint' }), { origin: claimed });
  }
  const cp = opened.checkpoint;
  const at = { origin: cp.origin, size: cp.size };
  if (state && state.origin !== cp.origin) return fail(problem('wrong_origin', `the state file is for "${state.origin}", the checkpoint for "${cp.origin}"`), at);

  const witnesses = checkWitnesses(note, key.verifier, input.witnessKeys ?? []);
  if (!Array.isArray(witnesses)) return fail(witnesses, at);
  const quorum = checkQuorum(note, input.witnessKeys ?? [], input.minWitnesses ?? 0);
  if (!quorum.ok) return fail(quorum.problem, { ...at, quorum: quorum.tally });

  const consistent = checkAgainstLast(cp, state);
  if (consistent) return fail(consistent, at);

  const fresh: Tallies = {};
  const walk = await walkTiles({
    fetch: input.fetch,
    from: state?.frontier ?? EMPTY_FRONTIER,
    to: cp.size,
    concurrency: input.concurrency,
    visit(index, bytes) {
      const entry = readEntry(bytes);
      if (!entry.ok) return problem('malformed_entry', `entry ${index}: ${entry.message}`, { index });
      countEntry(fresh, entry.entry);
      return undefined;
    },
  });
  if (!walk.ok) return fail(walk, at);

  const root = frontierRoot(walk.frontier);
  if (!equalBytes(root, cp.rootHash)) return fail(await explainRoot(input.fetch, root, cp, state), at);

  const departments = addTallies(state?.departments ?? {}, fresh);
  const report: AuditReport = {
    origin: cp.origin,
    logKey: vkey,
    logKeySource,
    size: cp.size,
    rootHash: toBase64(cp.rootHash),
    previousSize: state ? state.size : null,
    newEntries: cp.size - (state?.size ?? 0),
    departments,
    newByDepartment: addTallies({}, fresh),
    witnesses,
    ...(quorum.tally.required > 0 ? { quorum: quorum.tally } : {}),
    fetched: { files: walk.files + 1 + (logKeySource === 'served' ? 1 : 0), bytes: walk.bytes + got.bytes.length },
    warnings,
  };
  const next: AuditState = { origin: cp.origin, logKey: vkey, size: cp.size, rootHash: cp.rootHash, frontier: walk.frontier, checkpoint: note, departments, auditedAt: input.now.toISOString() };
  return { ok: true, report, state: next };
}

/** The new checkpoint against the last one audited, before anything is fetched. */
function checkAgainstLast(cp: Checkpoint, state: AuditState | undefined): AuditProblem | undefined {
  if (!state) return undefined;
  if (cp.size < state.size) {
    return problem('inconsistent', `the log shrank: its checkpoint says ${cp.size} entries, but ${state.size} were audited on ${state.auditedAt}`, { path: 'checkpoint' });
  }
  if (cp.size === state.size && !equalBytes(cp.rootHash, state.rootHash)) {
    return problem('inconsistent', `the checkpoint gives the tree of ${cp.size} entries another root (${toBase64(cp.rootHash)}) than the one audited on ${state.auditedAt} (${toBase64(state.rootHash)}): the log has forked`, {
      path: 'checkpoint',
    });
  }
  return undefined;
}

/**
 * The entries do not hash to the checkpoint's root. If the log's own tiles no longer give the root
 * audited last time, it rewrote entries before the old size (a fork: `inconsistent`); otherwise its
 * checkpoint does not match its entries (`root_mismatch`). Costs a few extra fetches, on failure only.
 */
async function explainRoot(fetch: LogFetcher, root: Hash, cp: Checkpoint, state: AuditState | undefined): Promise<AuditProblem> {
  const mismatch = problem('root_mismatch', `the ${cp.size} entries hash to the root ${toBase64(root)}, not the checkpoint's ${toBase64(cp.rootHash)}`, { path: 'checkpoint' });
  if (!state || state.size === 0) return mismatch;
  const tiles = new Map<string, Hash[]>();
  for (const tile of tilesFor(frontierNodes(state.size), cp.size)) {
    const got = await fetchTile(fetch, tile);
    if (!got.ok) return mismatch;
    const hashes = readHashes(got);
    if (!Array.isArray(hashes)) return mismatch;
    tiles.set(`${tile.level}/${tile.index}`, hashes);
  }
  let served: Hash;
  try {
    served = rootAt(state.size, tileSource(tiles));
  } catch {
    return mismatch;
  }
  if (equalBytes(served, state.rootHash)) return mismatch;
  return problem(
    'inconsistent',
    `the log's tiles now give its first ${state.size} entries the root ${toBase64(served)}, not ${toBase64(state.rootHash)} as audited on ${state.auditedAt}: it has rewritten entries before index ${state.size}`,
    { path: 'checkpoint' },
  );
}

/**
 * At least `required` of the given witnesses cosigned the checkpoint. The keys and the quorum were
 * validated by the caller, so only a quorum not met is a problem; anything else is a bug.
 */
function checkQuorum(note: string, vkeys: readonly string[], required: number): { ok: true; tally: QuorumTally } | { ok: false; problem: AuditProblem; tally: QuorumTally } {
  const checked = checkWitnessQuorum(note, vkeys, required);
  if (checked.ok) return { ok: true, tally: tallyOf(checked) };
  if (checked.code !== 'witness_quorum_not_met') throw new TypeError(`witness quorum: ${checked.message}`);
  return { ok: false, problem: problem('witness_quorum_not_met', checked.message, { path: 'checkpoint' }), tally: tallyOf(checked) };
}

const tallyOf = ({ required, cosigned, missing, invalid }: QuorumTally): QuorumTally => ({ required, cosigned, missing, invalid });

/** Every signature line but the log's: checked when its witness key is given, listed either way. */
function checkWitnesses(note: string, log: NoteVerifier, vkeys: readonly string[]): WitnessSeen[] | AuditProblem {
  const verifiers = vkeys.map((vkey) => {
    const v = verifierFromKey(vkey);
    if (!v.ok || v.type !== SIGNATURE_TYPE.cosignatureEd25519) throw new TypeError(`not a witness cosignature key: ${vkey}`);
    return v.verifier;
  });
  const read = readNote(note);
  if (!read.ok) throw new Error('a checkpoint that opened cannot be unreadable');
  const seen: WitnessSeen[] = [];
  const done = new Set<string>();
  for (const sig of read.signatures) {
    const id = `${sig.name}+${hex8(sig.keyId)}`;
    if ((sig.name === log.name && sig.keyId === log.keyId) || done.has(id)) continue;
    done.add(id);
    const witness = verifiers.find((v) => v.name === sig.name && v.keyId === sig.keyId);
    if (!witness) {
      seen.push({ name: sig.name, keyId: hex8(sig.keyId), status: 'not_checked' });
      continue;
    }
    const opened = openNote(note, [witness]);
    if (!opened.ok) return problem('bad_cosignature', `the cosignature of witness ${id} does not verify: ${opened.message}`, { path: 'checkpoint' });
    const time = cosignatureTime(sig);
    seen.push({ name: sig.name, keyId: hex8(sig.keyId), status: 'cosigned', ...(time === undefined ? {} : { time: new Date(time * 1000).toISOString() }) });
  }
  for (const v of verifiers) {
    const id = `${v.name}+${hex8(v.keyId)}`;
    if (!done.has(id)) seen.push({ name: v.name, keyId: hex8(v.keyId), status: 'missing' });
  }
  return seen;
}
