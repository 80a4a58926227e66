import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import { encodeEntryBundle } from '../ledger/index.ts';
import { entryBytes } from '../transparency-log/entries.ts';
import { fixtureLog, logVkey, sampleEntries, sampleEntry, serveDirectory, writeFixture } from '../transparency-log/log-fixture.ts';
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
