/**
 * `mitra witness`: a C2SP tlog-witness (https://c2sp.org/tlog-witness) for Mitra's ledger, or any
 * log that signs its checkpoints with Ed25519. A department, the state audit office or a university
 * runs one; the log asks it to cosign each new checkpoint with a consistency proof from the last one
 * it cosigned, and it refuses any checkpoint that does not extend that one.
 *
 *     POST /add-checkpoint   the tlog-witness call; the decision is src/ledger's `addCheckpoint`
 *     GET  /                 the witness's name, verifier key and the logs it follows
 *
 * Per origin, one request at a time: read the record, decide, and store the new record
 * (compare-and-swap, witness-store.ts) before the cosignature is returned.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { KeyPair } from '../documents/index.ts';
import { addCheckpoint, parseAddCheckpoint, type NoteVerifier } from '../ledger/index.ts';
import { witnessVerifierKey } from './witness-key.ts';
import type { WitnessStore } from './witness-store.ts';

/** 63 proof lines and a checkpoint with 100 signatures fit in a fraction of this. */
const MAX_BODY_BYTES = 128 * 1024;
const TEXT = 'text/plain; charset=utf-8';

export interface WitnessConfig {
  name: string;
  keyPair: KeyPair;
  /** The logs followed: origin → the keys its checkpoints may be signed with. */
  logs: ReadonlyMap<string, readonly NoteVerifier[]>;
  store: WitnessStore;
  /** Now, in POSIX seconds: the time a cosignature states. */
  now?: () => number;
  /** Told of every answer. Refusals of a checkpoint the log did sign carry it as `evidence`: it may prove a fork. */
  onAnswer?: (event: WitnessEvent) => void;
}

export interface WitnessEvent {
  status: number;
  code: string;
  origin?: string;
  size?: number;
  message?: string;
  evidence?: string;
}

export interface HttpAnswer {
  status: number;
  contentType: string;
  body: string;
}

/** The add-checkpoint call without HTTP: a request body in, an answer out. */
export function witnessHandler(config: WitnessConfig): (body: Uint8Array | string) => Promise<HttpAnswer> {
  const now = config.now ?? (() => Math.floor(Date.now() / 1000));
  const tell = config.onAnswer ?? (() => {});
  const queues = new Map<string, Promise<unknown>>();

  /** Runs `fn` after every earlier request for the same origin has finished. */
  function oneAtATime<T>(origin: string, fn: () => Promise<T>): Promise<T> {
    const run = (queues.get(origin) ?? Promise.resolve()).then(fn);
    const tail = run.catch(() => {});
    queues.set(origin, tail);
    void tail.then(() => {
      if (queues.get(origin) === tail) queues.delete(origin);
    });
    return run;
  }

  return async (body) => {
    const read = parseAddCheckpoint(body);
    if (!read.ok) {
      tell({ status: 400, code: read.code, message: read.message });
      return { status: 400, contentType: TEXT, body: `${read.message}\n` };
    }
    const { request, origin } = read;
    const logKeys = config.logs.get(origin);
    // Unknown origins are answered at once: only followed logs get a queue.
    const decide = async (): Promise<HttpAnswer> => {
      const latest = config.store.latest(origin);
      const answer = addCheckpoint({ request, origin, logKeys, latest, witness: { name: config.name, keyPair: config.keyPair }, time: now() });
      if (answer.status !== 200) {
        tell({ status: answer.status, code: answer.code, origin, message: answer.message, ...(answer.signed ? { size: answer.signed.size, evidence: request.checkpoint } : {}) });
        return { status: answer.status, contentType: answer.contentType, body: answer.body };
      }
      const { size, rootHash, checkpoint } = answer.record;
      const stored = await config.store.compareAndSwap(origin, latest, { size, rootHash, checkpoint });
      if (!stored) throw new Error(`witness: the record of ${origin} changed during a request that held its turn`);
      tell({ status: 200, code: answer.code, origin, size });
      return { status: 200, contentType: answer.contentType, body: answer.body };
    };
    return logKeys ? oneAtATime(origin, decide) : decide();
  };
}

class TooLarge extends Error {}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  let length = 0;
  for await (const chunk of req) {
    length += (chunk as Buffer).length;
    if (length > MAX_BODY_BYTES) throw new TooLarge();
    parts.push(chunk as Buffer);
  }
  return Buffer.concat(parts);
}

export function createWitnessServer(config: WitnessConfig): Server {
  const handle = witnessHandler(config);
  const info = [`${config.name}`, `verifier key: ${witnessVerifierKey(config.name, config.keyPair)}`, 'follows:', ...[...config.logs.keys()].map((o) => `  ${o}`), ''].join('\n');
  return createServer((req, res) => {
    const send = (a: HttpAnswer, headers: Record<string, string> = {}) => {
      if (!res.headersSent) res.writeHead(a.status, { 'content-type': a.contentType, 'cache-control': 'no-store', ...headers }).end(a.body);
    };
    const path = new URL(req.url ?? '/', 'http://witness').pathname;
    if (path === '/' && (req.method === 'GET' || req.method === 'HEAD')) return send({ status: 200, contentType: TEXT, body: info });
    if (path !== '/add-checkpoint') return send({ status: 404, contentType: TEXT, body: 'not found\n' });
    if (req.method !== 'POST') return send({ status: 405, contentType: TEXT, body: 'add-checkpoint is a POST\n' }, { allow: 'POST' });
    readBody(req)
      .then(handle)
      .then(send, (err: unknown) => {
        if (err instanceof TooLarge) return send({ status: 413, contentType: TEXT, body: `a request is at most ${MAX_BODY_BYTES} bytes\n` }, { connection: 'close' });
        // The record could not be stored (a full disk…): no cosignature without it.
        config.onAnswer?.({ status: 500, code: 'internal', message: (err as Error).message });
        send({ status: 500, contentType: TEXT, body: 'the witness could not record this checkpoint\n' });
      });
  });
}
