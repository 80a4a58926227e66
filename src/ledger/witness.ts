/**
 * The witness side of C2SP tlog-witness (https://c2sp.org/tlog-witness), without HTTP: read an
 * add-checkpoint request, decide, and cosign.
 *
 * The log POSTs <submission prefix>/add-checkpoint with
 *
 *     old <size the log thinks this witness last cosigned, decimal>\n
 *     <consistency proof from that size to the new one: one base64 hash a line, at most 63>
 *     \n
 *     <the signed checkpoint note>
 *
 * and the witness answers, checking in the spec's order:
 *   400  the body is malformed, or old size > checkpoint size
 *   404  the origin is not a log this witness follows
 *   403  no signature by the log's key verifies (a bad one by the log's key counts as none)
 *   409  old size is not the size the witness last cosigned (the body says which: "<size>\n",
 *        Content-Type text/x.tlog.size), or it is but the root differs: a fork
 *   422  the consistency proof does not verify (it must be empty from old size 0)
 *   200  cosignature lines (tlog-cosignature v1), after which the witness stores the new checkpoint.
 *
 * The witness keeps one record per origin, the latest (size, root) it cosigned. Checking the old size
 * and storing the new record must be one atomic step (compare-and-swap on the stored size), or two
 * concurrent requests can roll the record back; that is the database's part.
 */
import type { KeyPair } from '../documents/index.ts';
import { openCheckpoint, claimedOrigin, type Checkpoint } from './checkpoint.ts';
import { cosigner } from './cosignature.ts';
import { equalBytes, fromBase64, parseDecimal, toBase64, utf8Text } from './encoding.ts';
import { HASH_SIZE, verifyConsistency, type Hash } from './merkle.ts';
import { signatureLines, type NoteVerifier } from './note.ts';

export const MAX_PROOF_LINES = 63;

export interface AddCheckpoint {
  oldSize: number;
  proof: readonly Hash[];
  /** The signed checkpoint note, as sent. */
  checkpoint: string;
}

export type AddCheckpointRead = { ok: true; request: AddCheckpoint; origin: string } | { ok: false; status: 400; code: 'malformed'; message: string };

export function formatAddCheckpoint(req: AddCheckpoint): string {
  if (req.proof.length > MAX_PROOF_LINES) throw new RangeError(`at most ${MAX_PROOF_LINES} proof lines`);
  return `old ${req.oldSize}\n${req.proof.map((h) => `${toBase64(h)}\n`).join('')}\n${req.checkpoint}`;
}

/**
 * Reads an add-checkpoint body. The origin returned is the one the checkpoint claims, before any
 * signature is checked: it only says which log's keys and record to load.
 */
export function parseAddCheckpoint(body: string | Uint8Array): AddCheckpointRead {
  const bad = (message: string) => ({ ok: false as const, status: 400 as const, code: 'malformed' as const, message });
  const text = typeof body === 'string' ? body : utf8Text(body);
  if (text === undefined) return bad('the body is not UTF-8');
  const blank = text.indexOf('\n\n');
  if (blank < 0) return bad('no empty line before the checkpoint');
  const [oldLine, ...proofLines] = text.slice(0, blank).split('\n');
  const m = /^old (.*)$/.exec(oldLine!);
  const oldSize = m ? parseDecimal(m[1]!) : undefined;
  if (oldSize === undefined) return bad('the first line is "old <size>", decimal with no leading zeroes');
  if (proofLines.length > MAX_PROOF_LINES) return bad(`more than ${MAX_PROOF_LINES} consistency proof lines`);
  const proof: Hash[] = [];
  for (const line of proofLines) {
    const h = fromBase64(line);
    if (!h || h.length !== HASH_SIZE) return bad('each proof line is the base64 of a 32-byte hash');
    proof.push(h);
  }
  const checkpoint = text.slice(blank + 2);
  const origin = claimedOrigin(checkpoint);
  if (origin === undefined) return bad('the checkpoint is not a signed note');
  return { ok: true, request: { oldSize, proof, checkpoint }, origin };
}

/** What a witness keeps per log: the latest checkpoint it cosigned. */
export interface Cosigned {
  size: number;
  rootHash: Hash;
}

export type WitnessCode = 'malformed' | 'unknown_log' | 'bad_signature' | 'size_conflict' | 'fork' | 'bad_proof';

export type WitnessAnswer =
  | {
      status: 200;
      code: 'cosigned';
      contentType: string;
      /** The cosignature line(s), to return as the response body. */
      body: string;
      /** The record to store for the origin, in the same transaction that checked `request.oldSize`. */
      record: Cosigned & { origin: string; checkpoint: string };
    }
  | {
      status: 400 | 403 | 404 | 409 | 422;
      code: WitnessCode;
      contentType: string;
      body: string;
      message: string;
      /**
       * Set when the log's signature verified but the request was refused (409, 422): a signed
       * checkpoint the witness could not cosign, which may be evidence of a fork worth keeping.
       */
      signed?: Checkpoint;
    };

export interface WitnessInput {
  request: AddCheckpoint;
  /** The origin the request claims (from parseAddCheckpoint); its keys and record are the ones given. */
  origin: string;
  /** The log's keys, or undefined if the witness does not follow this origin. */
  logKeys: readonly NoteVerifier[] | undefined;
  /** The latest checkpoint cosigned for this origin, or undefined if none yet. */
  latest: Cosigned | undefined;
  witness: { name: string; keyPair: KeyPair };
  /** Now, in POSIX seconds: the time the cosignature states. */
  time: number;
}

const TEXT = 'text/plain; charset=utf-8';

export function addCheckpoint(input: WitnessInput): WitnessAnswer {
  const { request, origin, logKeys, latest } = input;
  const refuse = (status: 400 | 403 | 404 | 409 | 422, code: WitnessCode, message: string, signed?: Checkpoint) =>
    status === 409
      ? { status, code, message, contentType: 'text/x.tlog.size', body: `${latest?.size ?? 0}\n`, ...(signed ? { signed } : {}) }
      : { status, code, message, contentType: TEXT, body: `${message}\n`, ...(signed ? { signed } : {}) };

  if (!logKeys) return refuse(404, 'unknown_log', `this witness does not follow "${origin}"`);
  const opened = openCheckpoint(request.checkpoint, logKeys, { origin });
  if (!opened.ok) {
    if (opened.code === 'ambiguous_key') throw new Error(`witness configuration: ${opened.message}`);
    const status = opened.code === 'bad_signature' || opened.code === 'no_trusted_signature' ? 403 : 400;
    return refuse(status, status === 403 ? 'bad_signature' : 'malformed', opened.message);
  }
  const cp = opened.checkpoint;
  if (request.oldSize > cp.size) return refuse(400, 'malformed', `old size ${request.oldSize} is beyond the checkpoint's size ${cp.size}`);
  const cosignedSize = latest?.size ?? 0;
  if (request.oldSize !== cosignedSize) return refuse(409, 'size_conflict', `the latest checkpoint cosigned for "${origin}" has size ${cosignedSize}, not ${request.oldSize}`, cp);

  if (request.oldSize === 0) {
    // Nothing to be consistent with yet (or only the empty tree): trust on first use.
    if (request.proof.length > 0) return refuse(422, 'bad_proof', 'the consistency proof from old size 0 must be empty', cp);
    if (cp.size === 0 && latest && !equalBytes(latest.rootHash, cp.rootHash)) return refuse(409, 'fork', 'another root for the empty tree', cp);
  } else if (request.oldSize === cp.size) {
    if (request.proof.length > 0) return refuse(422, 'bad_proof', 'the consistency proof between equal sizes must be empty', cp);
    if (!equalBytes(latest!.rootHash, cp.rootHash)) return refuse(409, 'fork', `another root for size ${cp.size} than the one cosigned: the log has forked`, cp);
  } else {
    const consistent = verifyConsistency(request.oldSize, cp.size, request.proof, latest!.rootHash, cp.rootHash);
    if (!consistent.ok) return refuse(422, 'bad_proof', `not consistent with the checkpoint cosigned at size ${request.oldSize}: ${consistent.message}`, cp);
  }

  const body = signatureLines(opened.text, [cosigner(input.witness.name, input.witness.keyPair, input.time)]);
  return { status: 200, code: 'cosigned', contentType: TEXT, body, record: { origin, size: cp.size, rootHash: cp.rootHash, checkpoint: request.checkpoint } };
}
