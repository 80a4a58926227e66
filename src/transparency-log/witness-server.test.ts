import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import { keyPairFromSeed, type KeyPair } from '../documents/index.ts';
import { ed25519Signer, formatAddCheckpoint, openCheckpoint, signCheckpoint, verifierFromKey, type Hash, type NoteVerifier } from '../ledger/index.ts';
import { logVkey, memoryLog } from './log-fixture.ts';
import { generateWitnessKey, parseWitnessKey } from './witness-key.ts';
import { createWitnessServer, type WitnessEvent } from './witness-server.ts';
import { openWitnessStore, type WitnessStore } from './witness-store.ts';

const ORIGIN = 'mitra.test/ledger';
const logKeys = keyPairFromSeed(new Uint8Array(32).fill(7));
const logVerifier = (verifierFromKey(logVkey(logKeys, ORIGIN)) as { verifier: NoteVerifier }).verifier;
const witness = generateWitnessKey('witness.test/w1', keyPairFromSeed(new Uint8Array(32).fill(31)));
const witnessVerifier = (verifierFromKey(witness.vkey) as { verifier: NoteVerifier }).verifier;

const testLog = (n: number, forkAt?: number, keys: KeyPair = logKeys) => memoryLog(n, { forkAt, keys, origin: ORIGIN });

const dirs: string[] = [];
const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups) await c();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'mitra-witness-'));
  dirs.push(d);
  return d;
};

async function startWitness(stateFile = join(tempDir(), 'state.json')) {
  const opened = await openWitnessStore(stateFile);
  assert.ok(opened.ok, opened.ok ? '' : opened.message);
  const events: WitnessEvent[] = [];
  const server = createWitnessServer({
    name: witness.name,
    keyPair: witness.keyPair,
    logs: new Map([[ORIGIN, [logVerifier]]]),
    store: opened.store,
    now: () => 1_754_000_000,
    onAnswer: (e) => events.push(e),
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await opened.store.close();
  };
  cleanups.push(stop);
  return { url, events, store: opened.store as WitnessStore, stateFile, stop };
}

async function add(url: string, oldSize: number, proof: Hash[], checkpoint: string) {
  const res = await fetch(`${url}/add-checkpoint`, { method: 'POST', body: formatAddCheckpoint({ oldSize, proof, checkpoint }) });
  return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
}

test('a witness cosigns a consistent checkpoint, and the cosignature verifies with its key', async () => {
  const w = await startWitness();
  const log = testLog(40);
  const first = await add(w.url, 0, [], log.checkpoint(10));
  assert.equal(first.status, 200);
  assert.match(first.body, /^— witness\.test\/w1 [A-Za-z0-9+/]+=*\n$/);
  const cosigned = openCheckpoint(log.checkpoint(10) + first.body, [logVerifier, witnessVerifier], { origin: ORIGIN });
  assert.ok(cosigned.ok);
  assert.deepEqual(cosigned.verified.map((s) => s.name), [ORIGIN, 'witness.test/w1']);

  const next = await add(w.url, 10, log.proof(10, 25), log.checkpoint(25));
  assert.equal(next.status, 200);
  assert.ok(openCheckpoint(log.checkpoint(25) + next.body, [witnessVerifier]).ok);
  // The same checkpoint again is cosigned again (a log retrying after a lost answer).
  assert.equal((await add(w.url, 25, [], log.checkpoint(25))).status, 200);
  // On disk before the answer left.
  const saved = JSON.parse(readFileSync(w.stateFile, 'utf8'));
  assert.equal(saved.logs[ORIGIN].size, 25);
  assert.equal(saved.logs[ORIGIN].checkpoint, log.checkpoint(25));
});

test('a witness refuses a checkpoint of a forked tree, keeps its record, and reports the signed checkpoint as evidence', async () => {
  const w = await startWitness();
  const log = testLog(40);
  const fork = testLog(40, 3);
  assert.equal((await add(w.url, 0, [], log.checkpoint(20))).status, 200);

  // The fork's proof from 20 cannot lead to the root the witness cosigned for 20.
  const refused = await add(w.url, 20, fork.proof(20, 30), fork.checkpoint(30));
  assert.equal(refused.status, 422);
  // The fork's checkpoint at the cosigned size: 409 with the witness's size.
  const same = await add(w.url, 20, [], fork.checkpoint(20));
  assert.deepEqual([same.status, same.type, same.body], [409, 'text/x.tlog.size', '20\n']);
  // Starting over from 0 does not reset it.
  const again = await add(w.url, 0, [], fork.checkpoint(30));
  assert.deepEqual([again.status, again.body], [409, '20\n']);
  assert.deepEqual(
    w.events.map((e) => [e.status, e.code, Boolean(e.evidence)]),
    [
      [200, 'cosigned', false],
      [422, 'bad_proof', true],
      [409, 'fork', true],
      [409, 'size_conflict', true],
    ],
  );
  assert.equal(w.store.latest(ORIGIN)!.size, 20);
  assert.equal((await add(w.url, 20, log.proof(20, 30), log.checkpoint(30))).status, 200);
});

test('requests for one log are taken one at a time: of two from the same old size, one is cosigned and the other told the new size', async () => {
  const w = await startWitness();
  const log = testLog(60);
  assert.equal((await add(w.url, 0, [], log.checkpoint(10))).status, 200);
  const answers = await Promise.all([add(w.url, 10, log.proof(10, 40), log.checkpoint(40)), add(w.url, 10, log.proof(10, 30), log.checkpoint(30))]);
  assert.deepEqual(answers.map((a) => a.status).sort(), [200, 409]);
  const winner = answers[0]!.status === 200 ? 40 : 30;
  assert.equal(answers.find((a) => a.status === 409)!.body, `${winner}\n`);
  assert.equal(w.store.latest(ORIGIN)!.size, winner, 'never rolled back');
});

test('the other answers: unknown log, a signature by another key, a malformed body; GET / and wrong methods', async () => {
  const w = await startWitness();
  const other = testLog(5, undefined, keyPairFromSeed(new Uint8Array(32).fill(8)));
  assert.equal((await add(w.url, 0, [], other.checkpoint(5))).status, 403);
  const elsewhere = signCheckpoint({ origin: 'other.test/log', size: 1, rootHash: new Uint8Array(32) }, [ed25519Signer('other.test/log', logKeys)]);
  assert.equal((await add(w.url, 0, [], elsewhere)).status, 404);
  const bad = await fetch(`${w.url}/add-checkpoint`, { method: 'POST', body: 'old 01\n\nx' });
  assert.equal(bad.status, 400);
  assert.equal((await fetch(`${w.url}/add-checkpoint`)).status, 405);
  const info = await (await fetch(`${w.url}/`)).text();
  assert.ok(info.includes(witness.vkey) && info.includes(ORIGIN));
  assert.equal((await fetch(`${w.url}/nothing`)).status, 404);
  const big = await fetch(`${w.url}/add-checkpoint`, { method: 'POST', body: 'x'.repeat(200_000) }).catch(() => undefined);
  assert.ok(!big || big.status === 413);
});

test('one process per state file; a damaged state file is refused, not reset', async () => {
  const w = await startWitness();
  const second = await openWitnessStore(w.stateFile);
  assert.equal(second.ok, false);
  await w.stop();
  const reopened = await openWitnessStore(w.stateFile);
  assert.ok(reopened.ok);
  await reopened.store.close();
  writeFileSync(w.stateFile, '{"version":1,"logs":{"x":{"size":-1}}}');
  const damaged = await openWitnessStore(w.stateFile);
  assert.equal(damaged.ok, false);
  assert.match(damaged.ok ? '' : damaged.message, /damaged/);
});

test('key files: keygen writes the note format, and it reads back', () => {
  const made = generateWitnessKey('w.test', keyPairFromSeed(new Uint8Array(32).fill(5)));
  assert.match(made.keyFile, /^PRIVATE\+KEY\+w\.test\+[0-9a-f]{8}\+AQ[A-Za-z0-9+/]+=*\n$/);
  const read = parseWitnessKey(made.keyFile);
  assert.ok(read.ok);
  assert.equal(read.vkey, made.vkey);
  assert.equal(verifierFromKey(made.vkey).ok && (verifierFromKey(made.vkey) as { type: number }).type, 0x04);
  assert.equal(parseWitnessKey(made.keyFile.replace('w.test', 'v.test')).ok, false, 'the key ID binds the name');
  assert.equal(parseWitnessKey('hello').ok, false);
});

// `mitra witness` as a process: restarted, it keeps what it cosigned.
const bin = fileURLToPath(new URL('../../bin/mitra.js', import.meta.url));

function startProcess(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [bin, 'witness', ...args], { env: { ...process.env, LOG_LEVEL: 'silent' }, stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (d) => {
      err += d;
      const m = /listening on (http:\/\/[^ ]+?)\/ /.exec(err);
      if (m) resolve({ child, url: m[1]! });
    });
    child.once('exit', (code) => reject(new Error(`mitra witness exited ${code}: ${err}`)));
  });
}
const stopProcess = (child: ChildProcess) => new Promise<number | null>((resolve) => {
  child.removeAllListeners('exit');
  if (child.exitCode !== null) return resolve(child.exitCode);
  child.once('exit', (code) => resolve(code));
  child.kill('SIGTERM');
});

/** Runs `mitra witness` in this process (for what needs no server), capturing what it prints. */
async function inProcess(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const saved = { log: console.log, error: console.error };
  console.log = (...a: unknown[]) => void out.push(a.join(' '));
  console.error = (...a: unknown[]) => void err.push(a.join(' '));
  try {
    const { witnessCommand } = await import('../cli/witness.ts');
    const status = await witnessCommand.run(args);
    return { status, stdout: out.join('\n'), stderr: err.join('\n') };
  } finally {
    Object.assign(console, { log: saved.log, error: saved.error });
  }
}

test('mitra witness: keygen, serve, restart with the state kept; usage errors exit 2', { timeout: 120_000 }, async () => {
  const dir = tempDir();
  const keyFile = join(dir, 'w.key');
  const made = await inProcess('keygen', '--name', 'witness.test/cli', '--out', keyFile);
  assert.equal(made.status, 0, made.stderr);
  const vkey = made.stdout.trim();
  const wv = (verifierFromKey(vkey) as { verifier: NoteVerifier }).verifier;
  const args = ['--name', 'witness.test/cli', '--key', keyFile, '--log', `${ORIGIN}=${logVkey(logKeys, ORIGIN)}`, '--port', '0', '--host', '127.0.0.1', '--state', join(dir, 'state.json')];
  const log = testLog(40);

  let w = await startProcess(args);
  try {
    const first = await add(w.url, 0, [], log.checkpoint(10));
    assert.equal(first.status, 200);
    assert.ok(openCheckpoint(log.checkpoint(10) + first.body, [wv]).ok);
    // A second witness on the same state is refused while the first runs.
    const twin = await inProcess(...args);
    assert.equal(twin.status, 1);
    assert.match(twin.stderr, /in use by another witness process/);
  } finally {
    assert.equal(await stopProcess(w.child), 0);
  }

  w = await startProcess(args);
  try {
    const fresh = await add(w.url, 0, [], testLog(40, 2).checkpoint(10));
    assert.deepEqual([fresh.status, fresh.body], [409, '10\n'], 'restarted, it still knows size 10');
    assert.equal((await add(w.url, 10, log.proof(10, 30), log.checkpoint(30))).status, 200);
  } finally {
    await stopProcess(w.child);
  }

  assert.equal((await inProcess('--key', keyFile)).status, 2, 'no --name');
  assert.equal((await inProcess('--name', 'witness.test/cli', '--key', keyFile)).status, 2, 'no --log');
  assert.equal((await inProcess('--name', 'witness.test/cli', '--key', keyFile, '--log', 'nokey')).status, 2);
  assert.equal((await inProcess('--name', 'witness.test/cli', '--key', keyFile, '--log', `${ORIGIN}=${vkey}`)).status, 2, 'a cosignature key is not a log key');
  assert.equal((await inProcess('--name', 'other', '--key', keyFile, '--log', `${ORIGIN}=${logVkey(logKeys, ORIGIN)}`, '--state', join(dir, 's2.json'))).status, 1, 'the key is for another name');
  assert.equal((await inProcess('keygen', '--name', 'has space')).status, 2);
  const printed = spawnSync(process.execPath, [bin, 'witness', 'keygen', '--name', 'w.test'], { encoding: 'utf8' });
  assert.equal(printed.status, 0);
  assert.ok(parseWitnessKey(printed.stdout).ok);
  assert.match(printed.stderr, /verifier key .*: w\.test\+[0-9a-f]{8}\+B/);
});
