import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import { keyPairFromSeed } from '../documents/index.ts';
import { consistencyProof, encodeEntryBundle, verifierFromKey, type NoteVerifier } from '../ledger/index.ts';
import { entryBytes } from '../transparency-log/entries.ts';
import { createWitnessServer, generateWitnessKey, openWitnessStore, witnessClient, withCosignatures, type WitnessEndpoint } from '../transparency-log/index.ts';
import { fixtureLog, FIXTURE_ORIGIN, logVkey, sampleEntries, sampleEntry, serveDirectory, writeFixture, type FixtureLog } from '../transparency-log/log-fixture.ts';
import { ledgerCommand } from './ledger.ts';

// `mitra ledger audit` against a static copy of a log. In this process where it can be (the server
// is in this process too); once through bin/mitra.js for the wiring and the exit status.
const dir = mkdtempSync(join(tmpdir(), 'mitra-ledger-cli-'));
const stateFile = join(dir, 'state', 'audit.json');
const logDir = join(dir, 'log');
const log = fixtureLog(logDir, sampleEntries(400));
log.publish(0, 300);
const server = await serveDirectory(logDir);
after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

async function audit(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const saved = { log: console.log, error: console.error };
  console.log = (...a: unknown[]) => void out.push(a.join(' '));
  console.error = (...a: unknown[]) => void err.push(a.join(' '));
  try {
    const status = await ledgerCommand.run(args);
    return { status, stdout: out.join('\n'), stderr: err.join('\n') };
  } finally {
    Object.assign(console, saved);
  }
}

test('mitra ledger audit: a table per department, then a second run that checks only what is new', async () => {
  const keyFile = join(dir, 'log.vkey');
  writeFileSync(keyFile, `${logVkey()}\n`);
  const first = await audit('audit', server.url, '--log-key', keyFile, '--state', stateFile);
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stdout, /^Ledger mitra\.test\/ledger: 300 entries, root /);
  assert.match(first.stdout, /first audit: all 300 entries checked; fetched 6 files/);
  assert.match(first.stdout, /department\s+certs issued\s+certs revoked\s+keys added\s+keys retired\s+keys revoked\s+decisions/);
  assert.match(first.stdout, /\nall\s+114\s+38\s+37\s+37\s+37\s+37\n/);
  assert.match(first.stdout, /All holds/);
  assert.equal(JSON.parse(readFileSync(stateFile, 'utf8')).size, 300);

  log.publish(300, 400);
  const second = await audit('audit', server.url, '--state', stateFile, '--json');
  assert.equal(second.status, 0, second.stderr);
  const report = JSON.parse(second.stdout);
  assert.equal(report.ok, true);
  assert.equal(report.logKeySource, 'state');
  assert.deepEqual([report.previousSize, report.size, report.newEntries], [300, 400, 100]);
  assert.equal(report.departments.REV01.certificate_issued + report.departments.HLT02.certificate_issued + report.departments.EDU03.certificate_issued, 150);
  assert.equal(report.fetched.files, 3); // the checkpoint, tile/0/001.p/144 and its bundle: nothing else changed
  assert.equal(JSON.parse(readFileSync(stateFile, 'utf8')).size, 400);
});

test('mitra ledger audit: tampering exits 1 with its code, keeping the state; usage errors exit 2', async () => {
  const before = readFileSync(stateFile, 'utf8');
  const entries = log.entries.slice(256, 400);
  entries[3] = entryBytes({ ...sampleEntry(259), department: 'FAKE' });
  writeFixture(logDir, 'tile/entries/001.p/144', encodeEntryBundle(entries));
  const state2 = join(dir, 'fresh.json');
  const bad = await audit('audit', server.url, '--log-key', logVkey(), '--state', state2, '--json');
  assert.equal(bad.status, 1);
  assert.deepEqual(JSON.parse(bad.stdout), {
    ok: false,
    url: `${server.url}/`,
    code: 'leaf_mismatch',
    message: 'entry 259 in tile/entries/001.p/144 does not hash to leaf 3 of tile/0/001.p/144',
    index: 259,
    path: 'tile/entries/001.p/144',
    origin: 'mitra.test/ledger',
    size: 400,
    warnings: [],
  });
  assert.match(bad.stderr, /leaf_mismatch: entry 259/);
  assert.equal(readFileSync(stateFile, 'utf8'), before);

  assert.equal((await audit('audit')).status, 2);
  assert.equal((await audit('audit', 'ftp://x')).status, 2);
  assert.equal((await audit('audit', server.url, '--log-key', 'nonsense')).status, 2);
  assert.equal((await audit('audit', server.url, '--witness', logVkey())).status, 2, 'a log key is not a witness key');
  assert.equal((await audit('check', server.url)).status, 2);
});

test('bin/mitra.js ledger audit: exit 1 when the log cannot be read', async () => {
  const bin = fileURLToPath(new URL('../../bin/mitra.js', import.meta.url));
  const child = spawn(process.execPath, [bin, 'ledger', 'audit', 'http://127.0.0.1:9/ledger', '--log-key', logVkey(), '--state', join(dir, 'none.json'), '--timeout', '5'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const status = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  assert.equal(status, 1);
  assert.match(stderr, /unreachable: cannot read the checkpoint/);
});

/** A `mitra witness` following the fixture log, with its own key and state; `stop` takes it down. */
async function startWitness(name: string, seed: number): Promise<WitnessEndpoint & { name: string; stop(): Promise<void> }> {
  const key = generateWitnessKey(name, keyPairFromSeed(new Uint8Array(32).fill(seed)));
  const opened = await openWitnessStore(join(dir, `${name}.json`));
  assert.ok(opened.ok);
  const logKey = (verifierFromKey(logVkey()) as { verifier: NoteVerifier }).verifier;
  const server = createWitnessServer({ name, keyPair: key.keyPair, logs: new Map([[FIXTURE_ORIGIN, [logKey]]]), store: opened.store });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }).then(() => opened.store.close()));
  after(stop);
  return { name, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, vkey: key.vkey, stop };
}

/** Publishes `log`'s checkpoint of `size` entries with the cosignatures the witnesses give it. */
async function publishCosigned(log: FixtureLog, size: number, witnesses: WitnessEndpoint[]) {
  const note = log.publish(0, size);
  const got = await witnessClient({ timeoutMs: 2000 }).cosign(witnesses, note, async (from) => consistencyProof(from, size, log.source));
  writeFixture(log.dir, 'checkpoint', withCosignatures(note, got.lines));
  return got.outcomes.map((o) => (o.ok ? 'cosigned' : o.code));
}

test('mitra ledger audit --min-witnesses: k of the --witness witnesses must have cosigned, else exit 1 naming who did not', async () => {
  const auditOffice = await startWitness('witness.audit.test', 51);
  const university = await startWitness('witness.university.test', 52);
  const newspaper = await startWitness('witness.newspaper.test', 53);
  const witnessArgs = [auditOffice, university, newspaper].flatMap((w) => ['--witness', w.vkey]);
  await newspaper.stop(); // down when the log asks

  const real = fixtureLog(join(dir, 'quorum-log'), sampleEntries(50));
  assert.deepEqual(await publishCosigned(real, 50, [auditOffice, university, newspaper]), ['cosigned', 'cosigned', 'unreachable']);
  const realServer = await serveDirectory(real.dir);
  after(() => realServer.close());

  const met = await audit('audit', realServer.url, '--log-key', logVkey(), ...witnessArgs, '--min-witnesses', '2', '--state', join(dir, 'quorum-2.json'));
  assert.equal(met.status, 0, met.stderr);
  assert.match(met.stdout, /witness quorum: 2 required, met by 2 \(witness\.audit\.test, witness\.university\.test\)/);
  assert.match(met.stdout, /witness\.newspaper\.test\+[0-9a-f]{8} did not cosign/);

  const stateFile3 = join(dir, 'quorum-3.json');
  const notMet = await audit('audit', realServer.url, '--log-key', logVkey(), ...witnessArgs, '--min-witnesses', '3', '--state', stateFile3, '--json');
  assert.equal(notMet.status, 1);
  assert.match(notMet.stderr, /witness_quorum_not_met: the checkpoint is cosigned by 2 of 3 witnesses, 3 required; .*no cosignature from witness\.newspaper\.test/);
  const report = JSON.parse(notMet.stdout);
  assert.deepEqual([report.ok, report.code, report.path], [false, 'witness_quorum_not_met', 'checkpoint']);
  assert.deepEqual(report.quorum, { required: 3, cosigned: ['witness.audit.test', 'witness.university.test'], missing: ['witness.newspaper.test'], invalid: [] });
  assert.ok(!existsSync(stateFile3), 'a refused checkpoint is not pinned');

  // A split view: to a newcomer the operator shows another history under the same key. Its own
  // signature is fine and its tiles agree, so without a quorum the audit holds; the witnesses, which
  // cosigned the real log at this size, refuse the fork, and a quorum of one is enough to refuse it.
  const forked = fixtureLog(join(dir, 'quorum-fork'), sampleEntries(50).map((e, i) => (i === 7 ? entryBytes({ ...sampleEntry(7), subject: 'N-REWRITTEN' }) : e)));
  assert.deepEqual(await publishCosigned(forked, 50, [auditOffice, university]), ['fork', 'fork']);
  const forkServer = await serveDirectory(forked.dir);
  after(() => forkServer.close());
  const unguarded = await audit('audit', forkServer.url, '--log-key', logVkey(), ...witnessArgs, '--state', join(dir, 'fork-0.json'));
  assert.equal(unguarded.status, 0, unguarded.stderr);
  const guarded = await audit('audit', forkServer.url, '--log-key', logVkey(), ...witnessArgs, '--min-witnesses', '1', '--state', join(dir, 'fork-1.json'));
  assert.equal(guarded.status, 1);
  assert.match(guarded.stderr, /witness_quorum_not_met: the checkpoint is cosigned by 0 of 3 witnesses, 1 required; no cosignature from witness\.audit\.test, witness\.university\.test, witness\.newspaper\.test/);

  // Usage errors: more than the witnesses given, not a number, a quorum with no witnesses.
  for (const args of [[...witnessArgs, '--min-witnesses', '4'], ['--witness', auditOffice.vkey, '--witness', auditOffice.vkey, '--min-witnesses', '2'], ['--min-witnesses', 'two'], ['--min-witnesses', '1']]) {
    const bad = await audit('audit', realServer.url, '--log-key', logVkey(), ...args);
    assert.equal(bad.status, 2, args.join(' '));
    assert.match(bad.stderr, /--min-witnesses/);
  }
});
