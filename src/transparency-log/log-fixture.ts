/**
 * For tests: a log written as static tlog-tiles files with src/ledger (what the log's HTTP side
 * serves under /ledger), and a tiny server for a directory that counts the requests it answers.
 * A test builds a log, audits it, then tampers with the files as an operator could.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, normalize } from 'node:path';
import { keyPairFromSeed, type KeyPair } from '../documents/index.ts';
import {
  appendLeaves,
  bundlesToWrite,
  ed25519Signer,
  encodeEntryBundle,
  formatVerifierKey,
  leafHash,
  memorySource,
  rootAt,
  signCheckpoint,
  tileBytes,
  tilePath,
  tilesToWrite,
  EMPTY_FRONTIER,
  SIGNATURE_TYPE,
  consistencyProof,
  type Hash,
  type HashSource,
  type NoteSignature,
} from '../ledger/index.ts';
import { rawPublicKey } from '../ledger/note.ts';
import { entryBytes, sha256Hex, type EntryKind, type LedgerEntry } from './entries.ts';

export const FIXTURE_ORIGIN = 'mitra.test/ledger';
export const fixtureLogKey = keyPairFromSeed(new Uint8Array(32).fill(7));
export const logVkey = (keys: KeyPair = fixtureLogKey, origin = FIXTURE_ORIGIN) => formatVerifierKey(origin, SIGNATURE_TYPE.ed25519, rawPublicKey(keys));

const KINDS: EntryKind[] = ['certificate_issued', 'certificate_issued', 'certificate_issued', 'certificate_revoked', 'key_added', 'key_retired', 'key_revoked', 'case_decision'];
const DEPARTMENTS = ['REV01', 'HLT02', 'EDU03'];

/** Entry number i of a made-up log: kinds and departments in a fixed rotation. */
export function sampleEntry(i: number, tag = ''): LedgerEntry {
  return {
    kind: KINDS[i % KINDS.length]!,
    department: DEPARTMENTS[i % DEPARTMENTS.length]!,
    subject: `${tag}N-${String(i).padStart(6, '0')}`,
    sha256: sha256Hex(`${tag}payload ${i}`),
    at: new Date(Date.UTC(2025, 6, 1) + i * 60_000).toISOString(),
  };
}

export const sampleEntries = (n: number, from = 0, tag = ''): Uint8Array[] => Array.from({ length: n }, (_, i) => entryBytes(sampleEntry(from + i, tag)));

/** A log in memory, for witness tests: `forkAt` rewrites one entry, as a log showing another history would. */
export function memoryLog(n: number, opts: { forkAt?: number; keys?: KeyPair; origin?: string } = {}) {
  const origin = opts.origin ?? FIXTURE_ORIGIN;
  const entries = Array.from({ length: n }, (_, i) => Buffer.from(i === opts.forkAt ? `rewritten ${i}` : `entry ${i}`));
  const source = memorySource(appendLeaves(EMPTY_FRONTIER, entries.map(leafHash)).nodes);
  return {
    checkpoint: (size: number) => signCheckpoint({ origin, size, rootHash: rootAt(size, source) }, [ed25519Signer(origin, opts.keys ?? fixtureLogKey)]),
    proof: (from: number, to: number): Hash[] => consistencyProof(from, to, source),
  };
}

export interface FixtureLog {
  dir: string;
  entries: Uint8Array[];
  source: HashSource;
  /** Writes the tiles and bundles that grow the served log from `from` to `to` entries, and the checkpoint of `to`. */
  publish(from: number, to: number, opts?: { keys?: KeyPair; keep?: NoteSignature[] }): string;
}

/** A log of these entries served from `dir` (its files are written by `publish`). */
export function fixtureLog(dir: string, entries: Uint8Array[], origin = FIXTURE_ORIGIN): FixtureLog {
  const source = memorySource(appendLeaves(EMPTY_FRONTIER, entries.map(leafHash)).nodes);
  const write = (path: string, data: string | Uint8Array) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), data);
  };
  return {
    dir,
    entries,
    source,
    publish(from, to, opts = {}) {
      for (const t of tilesToWrite(from, to)) write(tilePath(t), tileBytes(t.level as number, t.index, t.width, source));
      for (const b of bundlesToWrite(from, to)) write(tilePath(b), encodeEntryBundle(entries.slice(b.index * 256, b.index * 256 + b.width)));
      const keys = opts.keys ?? fixtureLogKey;
      const note = signCheckpoint({ origin, size: to, rootHash: rootAt(to, source) }, [ed25519Signer(origin, keys)], opts.keep);
      write('checkpoint', note);
      write('log-key', `${logVkey(fixtureLogKey, origin)}\n`);
      return note;
    },
  };
}

export const readFixture = (dir: string, path: string): Buffer => readFileSync(join(dir, path));
export const writeFixture = (dir: string, path: string, data: string | Uint8Array) => {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), data);
};

export interface StaticServer {
  /** The log's prefix: http://127.0.0.1:<port>/ledger */
  url: string;
  /** Paths asked for (relative to the prefix), in order. */
  requests: string[];
  close(): Promise<void>;
}

/** Serves `dir` under /ledger/, as Mitra does; anything else is 404. */
export async function serveDirectory(dir: string): Promise<StaticServer> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (req.method !== 'GET' || !path.startsWith('/ledger/') || normalize(path) !== path) {
      res.writeHead(404).end();
      return;
    }
    const rel = path.slice('/ledger/'.length);
    requests.push(rel);
    try {
      const body = readFileSync(join(dir, rel));
      res.writeHead(200, { 'content-type': rel === 'checkpoint' || rel === 'log-key' ? 'text/plain; charset=utf-8' : 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/ledger`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
