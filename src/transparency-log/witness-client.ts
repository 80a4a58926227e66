/**
 * The log's side of C2SP tlog-witness: after each batch, the sequencer asks every witness to cosign
 * the new checkpoint and publishes the note with the cosignatures that came back.
 *
 * Per witness it sends `old <the size this witness last cosigned>` with a consistency proof from that
 * size. The client remembers that size per witness; when it does not know it (first call, a restart)
 * it sends 0, and the witness's 409 says the size, from which it retries once. Every failure (time-out,
 * refusal, a cosignature that does not verify) is a value in the outcome: a witness that is down must
 * not stop the log, and whether to publish a checkpoint with fewer cosignatures is the caller's policy.
 */
import { formatAddCheckpoint, openNote, parseCheckpoint, readNote, verifierFromKey, SIGNATURE_TYPE, type Hash, type NoteVerifier } from '../ledger/index.ts';
import { parseDecimal } from '../ledger/encoding.ts';

export interface WitnessEndpoint {
  /** The witness's submission prefix: the request goes to `<url>/add-checkpoint`. */
  url: string;
  /** Its cosignature verifier key, `name+hash+base64` (type 0x04). */
  vkey: string;
}

export type CosignCode =
  /** No answer within the time allowed. */
  | 'timeout'
  /** The connection failed. */
  | 'unreachable'
  /** 404: the witness does not follow this log. */
  | 'unknown_log'
  /** 403: the witness does not trust the log's key. */
  | 'not_trusted'
  /** 400: the witness could not read the request. */
  | 'malformed'
  /** 409 twice, or the witness has cosigned a larger tree than this checkpoint's. */
  | 'size_conflict'
  /** 409 at equal sizes: the witness cosigned another root for this size. */
  | 'fork'
  /** 422: the witness refused the consistency proof. */
  | 'bad_proof'
  /** 200, but no line by the witness's key verifies. */
  | 'bad_cosignature'
  /** An answer that is not tlog-witness. */
  | 'bad_response'
  /** The proof function failed. */
  | 'proof_failed'
  /** The endpoint's vkey is not a cosignature key. */
  | 'bad_witness_key'
  /** Any other HTTP status. */
  | 'http_error';

export type WitnessOutcome =
  | { ok: true; url: string; witness: string; line: string; size: number }
  | { ok: false; url: string; witness?: string; code: CosignCode; message: string; status?: number; size?: number };

export interface Cosignatures {
  /** The verified cosignature lines, each ending in "\n", to append to the checkpoint note. */
  lines: string[];
  /** One per witness, in the order given. */
  outcomes: WitnessOutcome[];
}

/** The consistency proof from `fromSize` to the checkpoint's size. */
export type ConsistencyProofFrom = (fromSize: number) => Promise<Hash[]>;

export interface WitnessClient {
  cosign(witnesses: readonly WitnessEndpoint[], checkpointNote: string, proof: ConsistencyProofFrom): Promise<Cosignatures>;
  /** The size each witness (by `url vkey`) last cosigned or said it holds. */
  sizes(): ReadonlyMap<string, number>;
}

const MAX_ANSWER_BYTES = 64 * 1024;

export function witnessClient(opts: { timeoutMs?: number; fetch?: typeof fetch; sizes?: Iterable<[string, number]> } = {}): WitnessClient {
  const timeoutMs = opts.timeoutMs ?? 5000;
  const post = opts.fetch ?? fetch;
  const known = new Map<string, number>(opts.sizes ?? []);

  async function ask(url: string, body: string): Promise<{ ok: true; status: number; text: string } | { ok: false; code: 'timeout' | 'unreachable' | 'bad_response'; message: string }> {
    try {
      const base = url.endsWith('/') ? url : `${url}/`;
      const res = await post(new URL('add-checkpoint', base), { method: 'POST', body, headers: { 'content-type': 'text/plain; charset=utf-8' }, signal: AbortSignal.timeout(timeoutMs) });
      const bytes = new Uint8Array(await res.arrayBuffer());
      if (bytes.length > MAX_ANSWER_BYTES) return { ok: false, code: 'bad_response', message: `an answer of ${bytes.length} bytes` };
      return { ok: true, status: res.status, text: Buffer.from(bytes).toString('utf8') };
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      if (e.name === 'TimeoutError' || e.name === 'AbortError') return { ok: false, code: 'timeout', message: `no answer within ${timeoutMs} ms` };
      return { ok: false, code: 'unreachable', message: e.cause?.code ?? e.message };
    }
  }

  async function one(w: WitnessEndpoint, note: string, text: string, size: number, proof: ConsistencyProofFrom): Promise<WitnessOutcome> {
    const key = verifierFromKey(w.vkey);
    if (!key.ok) return { ok: false, url: w.url, code: 'bad_witness_key', message: key.message };
    if (key.type !== SIGNATURE_TYPE.cosignatureEd25519) return { ok: false, url: w.url, code: 'bad_witness_key', message: `${w.vkey} is not a cosignature key (type 0x04)` };
    const witness = key.verifier.name;
    const id = `${w.url} ${w.vkey}`;
    const fail = (code: CosignCode, message: string, more: { status?: number; size?: number } = {}): WitnessOutcome => ({ ok: false, url: w.url, witness, code, message, ...more });

    let old = known.get(id) ?? 0;
    for (let attempt = 0; ; attempt++) {
      if (old > size) return fail('size_conflict', `the witness has cosigned a tree of ${old} entries, larger than this checkpoint's ${size}`, { size: old });
      let hashes: Hash[] = [];
      let body: string;
      try {
        if (old > 0 && old < size) hashes = await proof(old);
        body = formatAddCheckpoint({ oldSize: old, proof: hashes, checkpoint: note });
      } catch (err) {
        return fail('proof_failed', `no consistency proof from ${old} to ${size}: ${(err as Error).message}`);
      }
      const answer = await ask(w.url, body);
      if (!answer.ok) return fail(answer.code, answer.message);
      const status = answer.status;
      if (status === 200) {
        const lines = verifiedLines(text, answer.text, key.verifier);
        if (typeof lines === 'string') return fail('bad_cosignature', lines, { status });
        known.set(id, size);
        return { ok: true, url: w.url, witness, line: lines.join(''), size };
      }
      if (status === 409) {
        const m = /^(\d+)\n$/.exec(answer.text);
        const theirs = m ? parseDecimal(m[1]!) : undefined;
        if (theirs === undefined) return fail('bad_response', `a 409 whose body is not "<size>\\n"`, { status });
        known.set(id, theirs);
        if (theirs === old && old === size) return fail('fork', `the witness has cosigned another root for size ${size}: the log has forked, or this checkpoint is not the log's`, { status, size: theirs });
        if (attempt === 0 && theirs !== old && theirs <= size) {
          old = theirs;
          continue;
        }
        return fail('size_conflict', `the witness holds size ${theirs}; the request said ${old}`, { status, size: theirs });
      }
      const said = answer.text.trim().slice(0, 200);
      const code: CosignCode = status === 404 ? 'unknown_log' : status === 403 ? 'not_trusted' : status === 400 ? 'malformed' : status === 422 ? 'bad_proof' : 'http_error';
      const why =
        code === 'bad_proof'
          ? `the witness refused the consistency proof from ${old} (a bug, or the witness cosigned another tree of ${old} entries)`
          : `HTTP ${status}`;
      return fail(code, said ? `${why}: ${said}` : why, { status });
    }
  }

  return {
    async cosign(witnesses, checkpointNote, proof) {
      const read = readNote(checkpointNote);
      const cp = read.ok ? parseCheckpoint(read.text) : undefined;
      // The note is the log's own, just signed: a bad one is a bug, not a witness's failure.
      if (!read.ok || !cp?.ok) throw new TypeError(`cosign: not a checkpoint note: ${read.ok ? (cp as { message: string }).message : read.message}`);
      const outcomes = await Promise.all(witnesses.map((w) => one(w, checkpointNote, read.text, cp.checkpoint.size, proof)));
      const lines = [...new Set(outcomes.flatMap((o) => (o.ok ? [o.line] : [])))];
      return { lines, outcomes };
    },
    sizes: () => new Map(known),
  };
}

/** The response's lines by the witness's key, each verified on the checkpoint; a message if there are none. */
function verifiedLines(text: string, body: string, witness: NoteVerifier): string[] | string {
  const lines = body.split('\n').filter((l) => l !== '');
  if (!lines.length || lines.some((l) => !l.startsWith('\u2014 '))) return 'the answer is not signature lines';
  const good: string[] = [];
  for (const line of lines) {
    const opened = openNote(`${text}\n${line}\n`, [witness]);
    if (opened.ok) good.push(`${line}\n`);
    else if (opened.code !== 'no_trusted_signature') return `the cosignature does not verify: ${opened.message}`;
  }
  return good.length ? good : `no line is signed by ${witness.name}'s key`;
}

/** The checkpoint note with the cosignature lines appended, skipping any it already has. */
export function withCosignatures(note: string, lines: readonly string[]): string {
  const present = new Set(note.slice(note.lastIndexOf('\n\n') + 2).split('\n').map((l) => `${l}\n`));
  return note + lines.filter((l) => !present.has(l)).join('');
}
