import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { keyPairFromSeed } from '../documents/index.ts';
import { cosigner, openCheckpoint, readNote, signatureLines, verifierFromKey, type NoteVerifier } from '../ledger/index.ts';
import { FIXTURE_ORIGIN, logVkey, memoryLog } from './log-fixture.ts';
import { witnessClient, withCosignatures, type WitnessEndpoint } from './witness-client.ts';
import { generateWitnessKey } from './witness-key.ts';
import { createWitnessServer } from './witness-server.ts';
import { openWitnessStore } from './witness-store.ts';

const logVerifier = (verifierFromKey(logVkey()) as { verifier: NoteVerifier }).verifier;
const verifierOf = (vkey: string) => (verifierFromKey(vkey) as { verifier: NoteVerifier }).verifier;
const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A `mitra witness` (task 2's server) with its own key and state. */
async function witness(seed: number): Promise<WitnessEndpoint> {
  const dir = mkdtempSync(join(tmpdir(), 'mitra-wclient-'));
  const key = generateWitnessKey(`w${seed}.test`, keyPairFromSeed(new Uint8Array(32).fill(seed)));
  const opened = await openWitnessStore(join(dir, 'state.json'));
  assert.ok(opened.ok);
  cleanups.push(async () => {
    await opened.store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const url = await listen(createWitnessServer({ name: key.name, keyPair: key.keyPair, logs: new Map([[FIXTURE_ORIGIN, [logVerifier]]]), store: opened.store }));
  return { url, vkey: key.vkey };
}

const log = memoryLog(100);
const proofTo = (size: number) => async (from: number) => log.proof(from, size);

test('the log gathers cosignatures from every witness; they verify on the published note', async () => {
  const w1 = await witness(41);
  const w2 = await witness(42);
  const client = witnessClient();
  const note = log.checkpoint(10);
  const got = await client.cosign([w1, w2], note, proofTo(10));
  assert.deepEqual(got.outcomes.map((o) => o.ok), [true, true]);
  assert.equal(got.lines.length, 2);
  const published = withCosignatures(note, got.lines);
  const opened = openCheckpoint(published, [logVerifier, verifierOf(w1.vkey), verifierOf(w2.vkey)], { origin: FIXTURE_ORIGIN });
  assert.ok(opened.ok);
  assert.equal(opened.verified.length, 3);
  assert.equal(withCosignatures(published, got.lines), published, 'lines already there are not added twice');

  // The next batch: the client remembers size 10 and sends the proof from it, one request each.
  const next = await client.cosign([w1, w2], log.checkpoint(37), proofTo(37));
  assert.deepEqual(next.outcomes.map((o) => (o.ok ? o.size : o.code)), [37, 37]);
  assert.deepEqual([...client.sizes().values()], [37, 37]);
});

test('a client that does not know the witness size learns it from the 409 and retries once', async () => {
  const w = await witness(43);
  assert.ok((await witnessClient().cosign([w], log.checkpoint(20), proofTo(20))).outcomes[0]!.ok);
  let asked: number[] = [];
  const fresh = witnessClient(); // a restarted sequencer
  const got = await fresh.cosign([w], log.checkpoint(50), async (from) => {
    asked.push(from);
    return log.proof(from, 50);
  });
  assert.ok(got.outcomes[0]!.ok, JSON.stringify(got.outcomes[0]));
  assert.deepEqual(asked, [20], 'first old 0 (no proof), then the proof from the size the witness gave');
  assert.equal(fresh.sizes().get(`${w.url} ${w.vkey}`), 50);
  asked = [];
  // Sizes can be handed in (kept by the log across restarts): no 409 then.
  const seeded = witnessClient({ sizes: fresh.sizes() });
  assert.ok((await seeded.cosign([w], log.checkpoint(60), async (from) => (asked.push(from), log.proof(from, 60)))).outcomes[0]!.ok);
  assert.deepEqual(asked, [50]);
});

test('a forked checkpoint is refused by the witness and reported, not thrown', async () => {
  const w = await witness(44);
  const client = witnessClient();
  assert.ok((await client.cosign([w], log.checkpoint(30), proofTo(30))).outcomes[0]!.ok);
  const fork = memoryLog(100, { forkAt: 4 });
  const sameSize = await client.cosign([w], fork.checkpoint(30), async () => []);
  assert.deepEqual(sameSize.outcomes.map((o) => !o.ok && [o.code, o.status, o.size]), [['fork', 409, 30]]);
  const grown = await client.cosign([w], fork.checkpoint(40), async (from) => fork.proof(from, 40));
  assert.deepEqual(grown.outcomes.map((o) => !o.ok && [o.code, o.status]), [['bad_proof', 422]]);
  assert.deepEqual(grown.lines, []);
});

test('failures are values: down, silent, not following the log, a bad answer, a bad key, a failing proof', async () => {
  const good = await witness(45);
  // Down: a port nobody listens on.
  const closed = createServer();
  const downUrl = await listen(closed);
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  // Silent: accepts and never answers.
  const silentUrl = await listen(createServer(() => {}));
  // Answer 200 for a witness whose key is w46's: one with a genuine cosignature by another key of the
  // same name, one with a line under w46's key ID that is not a signature.
  const w46 = generateWitnessKey('w46.test', keyPairFromSeed(new Uint8Array(32).fill(46)));
  const impostor = keyPairFromSeed(new Uint8Array(32).fill(47));
  const text = readNote(log.checkpoint(10));
  assert.ok(text.ok);
  const answering = (body: string) => listen(createServer((_req, res) => void res.end(body)));
  const liarUrl = await answering(signatureLines(text.text, [cosigner('w46.test', impostor, 1_754_000_000)]));
  const w46id = Buffer.alloc(4);
  w46id.writeUInt32BE(verifierOf(w46.vkey).keyId);
  const forgerUrl = await answering(`— w46.test ${Buffer.concat([w46id, Buffer.alloc(72)]).toString('base64')}\n`);
  const notFollowing = await listen(
    createServer((_req, res) => {
      res.writeHead(404).end('unknown log\n');
    }),
  );
  const client = witnessClient({ timeoutMs: 500 });
  const started = Date.now();
  const got = await client.cosign(
    [
      good,
      { url: downUrl, vkey: good.vkey },
      { url: silentUrl, vkey: good.vkey },
      { url: liarUrl, vkey: w46.vkey },
      { url: forgerUrl, vkey: w46.vkey },
      { url: notFollowing, vkey: good.vkey },
      { url: good.url, vkey: logVkey() },
    ],
    log.checkpoint(10),
    proofTo(10),
  );
  assert.ok(Date.now() - started < 5000, 'a silent witness costs the time-out, no more');
  assert.deepEqual(
    got.outcomes.map((o) => (o.ok ? 'ok' : o.code)),
    ['ok', 'unreachable', 'timeout', 'bad_cosignature', 'bad_cosignature', 'unknown_log', 'bad_witness_key'],
  );
  assert.equal(got.lines.length, 1);

  const failing = await witnessClient().cosign([good], log.checkpoint(20), async () => {
    throw new Error('database gone');
  });
  assert.deepEqual(failing.outcomes.map((o) => !o.ok && [o.code, o.message]), [['proof_failed', 'no consistency proof from 10 to 20: database gone']]);
  // Not a witness's failure: the note is the log's own.
  await assert.rejects(witnessClient().cosign([good], 'not a note', proofTo(10)), TypeError);
});
