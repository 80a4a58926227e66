import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { keyPairFromSeed } from '../documents/index.ts';
import { cosigner, formatCheckpoint, formatVerifierKey, signNote, readNote, signCheckpoint, ed25519Signer, rootAt, SIGNATURE_TYPE, tilePath, encodeEntryBundle, parseEntryBundle } from '../ledger/index.ts';
import { rawPublicKey } from '../ledger/note.ts';
import { httpFetcher, logPrefix } from './audit-fetch.ts';
import { formatAuditState, parseAuditState, type AuditState } from './audit-state.ts';
import { auditLog, type AuditOutcome } from './audit.ts';
import { entryBytes } from './entries.ts';
import { fixtureLog, fixtureLogKey, FIXTURE_ORIGIN, logVkey, readFixture, sampleEntries, sampleEntry, serveDirectory, writeFixture, type StaticServer } from './log-fixture.ts';

const dirs: string[] = [];
const servers: StaticServer[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A fresh directory holding a log of `size` sample entries (more are made, for growing it later), and its server. */
async function served(size: number, total = size) {
  const dir = mkdtempSync(join(tmpdir(), 'mitra-audit-'));
  dirs.push(dir);
  const log = fixtureLog(dir, sampleEntries(total));
  const note = log.publish(0, size);
  const server = await serveDirectory(dir);
  servers.push(server);
  return { dir, log, server, note };
}

const NOW = new Date('2025-08-01T06:00:00Z');

/** One audit run; the state goes through its file format as it does between runs of the command. */
async function audit(server: StaticServer, state?: AuditState, opts: { logKey?: string | null; witnessKeys?: string[]; minWitnesses?: number } = {}): Promise<AuditOutcome> {
  const saved = state && parseAuditState(formatAuditState(state));
  if (saved && !saved.ok) throw new Error(saved.message);
  return auditLog({
    fetch: httpFetcher(logPrefix(server.url)!, { timeoutMs: 5000 }),
    logKey: opts.logKey === null ? undefined : (opts.logKey ?? logVkey()),
    witnessKeys: opts.witnessKeys,
    minWitnesses: opts.minWitnesses,
    now: NOW,
    loadState: async () => saved,
  });
}

function holds(out: AuditOutcome): Extract<AuditOutcome, { ok: true }> {
  assert.ok(out.ok, out.ok ? '' : `${out.code}: ${out.message}`);
  return out;
}
const failure = (out: AuditOutcome) => (out.ok ? { code: 'ok' } : { code: out.code, index: out.index, path: out.path });

test('a first audit checks every entry and counts them per department and kind', async () => {
  const { server } = await served(300);
  const out = holds(await audit(server));
  assert.equal(out.report.size, 300);
  assert.equal(out.report.previousSize, null);
  assert.equal(out.report.newEntries, 300);
  assert.equal(out.report.logKeySource, 'given');
  // The rotation of sampleEntry: 8 kinds over 3 departments; REV01 holds entries 0, 3, 6, …
  let issuedRev = 0;
  for (let i = 0; i < 300; i++) if (sampleEntry(i).department === 'REV01' && sampleEntry(i).kind === 'certificate_issued') issuedRev++;
  assert.equal(out.report.departments.REV01!.certificate_issued, issuedRev);
  const total = Object.values(out.report.departments).reduce((n, t) => n + Object.values(t).reduce((a, b) => a + b, 0), 0);
  assert.equal(total, 300);
  assert.deepEqual(Object.keys(out.report.departments), ['EDU03', 'HLT02', 'REV01']);
  // checkpoint, 2 tiles + 2 bundles at level 0, one level 1 tile of width 1.
  assert.deepEqual([...server.requests].sort(), ['checkpoint', 'tile/0/000', 'tile/0/001.p/44', 'tile/1/000.p/1', 'tile/entries/000', 'tile/entries/001.p/44']);
  assert.equal(out.state.size, 300);
  assert.equal(out.state.frontier.hashes.length, 4); // 300 = 256 + 32 + 8 + 4
});

test('an empty log audits: no tiles yet, the empty root', async () => {
  const { server } = await served(0);
  const out = holds(await audit(server));
  assert.deepEqual([out.report.size, out.report.newEntries, out.report.departments], [0, 0, {}]);
  assert.deepEqual(server.requests, ['checkpoint']);
});

test('a second run fetches only what is new: the edge tiles, wider, and the new ones', async () => {
  const { log, server } = await served(300, 600);
  const first = holds(await audit(server));
  log.publish(300, 600);
  server.requests.length = 0;
  const second = holds(await audit(server, first.state));
  assert.deepEqual([...server.requests].sort(), ['checkpoint', 'tile/0/001', 'tile/0/002.p/88', 'tile/1/000.p/2', 'tile/entries/001', 'tile/entries/002.p/88']);
  assert.equal(second.report.previousSize, 300);
  assert.equal(second.report.newEntries, 300);
  const count = (o: typeof second) => Object.values(o.report.departments).reduce((n, t) => n + Object.values(t).reduce((a, b) => a + b, 0), 0);
  assert.equal(count(second), 600, 'the edge entries seen again are not counted twice');
  assert.equal(Object.values(second.report.newByDepartment).reduce((n, t) => n + Object.values(t).reduce((a, b) => a + b, 0), 0), 300);

  // Nothing new: only the checkpoint.
  server.requests.length = 0;
  const third = holds(await audit(server, second.state));
  assert.deepEqual(server.requests, ['checkpoint']);
  assert.equal(third.report.newEntries, 0);
});

test('a log past 65,536 entries: level 2 tiles, and a second run from an edge at every level', async () => {
  const { log, server } = await served(66_000, 70_000);
  const first = holds(await audit(server));
  assert.ok(server.requests.includes('tile/2/000.p/1'));
  log.publish(66_000, 70_000);
  server.requests.length = 0;
  const second = holds(await audit(server, first.state));
  // Level 0 from tile 257 (partial at 66,000) to 273.p/112; level 1 tile 1 was .p/1 and is .p/17 now.
  assert.ok(server.requests.includes('tile/0/257') && server.requests.includes('tile/0/273.p/112') && server.requests.includes('tile/1/001.p/17'));
  assert.ok(!server.requests.some((p) => p === 'tile/0/256' || p === 'tile/2/000.p/1' || p === 'tile/1/000'), server.requests.join(' '));
  assert.equal(server.requests.length, 1 + 2 * 17 + 1);
  assert.equal(second.report.size, 70_000);
});

test('tampering: an entry changed in its bundle is named by its index', async () => {
  const { dir, log, server } = await served(300);
  const entries = [...log.entries.slice(256, 300)];
  entries[7] = entryBytes({ ...sampleEntry(263), subject: 'N-FORGED' });
  writeFixture(dir, 'tile/entries/001.p/44', encodeEntryBundle(entries));
  assert.deepEqual(failure(await audit(server)), { code: 'leaf_mismatch', index: 263, path: 'tile/entries/001.p/44' });
});

test('tampering: an entry deleted from its bundle', async () => {
  const { dir, log, server } = await served(300);
  const entries = log.entries.slice(0, 256).filter((_, i) => i !== 17);
  writeFixture(dir, 'tile/entries/000', encodeEntryBundle(entries));
  const out = await audit(server);
  assert.deepEqual(failure(out), { code: 'entry_count', index: undefined, path: 'tile/entries/000' });
  assert.match(out.ok ? '' : out.message, /holds 255 entries where the checkpoint calls for 256 \(entries 0–255\): entries are missing/);
});

test('tampering: an entry inserted in the past, later ones shifted, in the bundle alone', async () => {
  const { dir, log, server } = await served(300);
  const entries = [...log.entries.slice(0, 5), entryBytes({ ...sampleEntry(5), subject: 'N-BACKDATED' }), ...log.entries.slice(5, 255)];
  writeFixture(dir, 'tile/entries/000', encodeEntryBundle(entries));
  assert.deepEqual(failure(await audit(server)), { code: 'leaf_mismatch', index: 5, path: 'tile/entries/000' });
});

test('tampering: an entry inserted in the past and the whole log rebuilt and re-signed is inconsistent with the last audit', async () => {
  const { dir, server, log } = await served(300);
  const first = holds(await audit(server));
  // The operator rebuilds every file from the altered history: to a first-time auditor it is a valid log.
  const rewritten = [...log.entries.slice(0, 100), entryBytes({ ...sampleEntry(100), subject: 'N-BACKDATED' }), ...log.entries.slice(100)];
  rmSync(join(dir, 'tile'), { recursive: true });
  fixtureLog(dir, rewritten).publish(0, 301);
  holds(await audit(server));
  const out = await audit(server, first.state);
  // Entries 256–299 moved one place along: the edge tile no longer folds into the audited frontier.
  assert.deepEqual(failure(out), { code: 'inconsistent', index: 256, path: 'tile/0/001.p/45' });
  assert.match(out.ok ? '' : out.message, /entries 256–287 are not those audited when the log had 300 entries/);
});

test('tampering: a checkpoint for a forked tree after a first audit is inconsistent, however far back the fork', async () => {
  const forkedLog = (n: number, at: number) => sampleEntries(n).map((e, i) => (i === at ? entryBytes({ ...sampleEntry(i), subject: 'N-REWRITTEN' }) : e));

  // Same size, another root: refused before anything is fetched.
  let { dir, server } = await served(300, 700);
  let first = holds(await audit(server));
  fixtureLog(dir, forkedLog(700, 10)).publish(0, 300);
  server.requests.length = 0;
  let out = await audit(server, first.state);
  assert.deepEqual(failure(out), { code: 'inconsistent', index: undefined, path: 'checkpoint' });
  assert.match(out.ok ? '' : out.message, /another root .* the log has forked/);
  assert.deepEqual(server.requests, ['checkpoint']);

  // The fork grew past the next level 1 hash: the re-fetched level 1 tile shows entry 10's tile changed.
  ({ dir, server } = await served(300, 700));
  first = holds(await audit(server));
  fixtureLog(dir, forkedLog(700, 10)).publish(0, 700);
  assert.deepEqual(failure(await audit(server, first.state)), { code: 'inconsistent', index: 0, path: 'tile/1/000.p/2' });

  // A small step: no level 1 tile changes, the new leaves are right, but the root is not the audited
  // tree extended; the log's own tiles then give the audited size another root.
  ({ dir, server } = await served(300, 700));
  first = holds(await audit(server));
  fixtureLog(dir, forkedLog(700, 10)).publish(0, 310);
  out = await audit(server, first.state);
  assert.deepEqual(failure(out), { code: 'inconsistent', index: undefined, path: 'checkpoint' });
  assert.match(out.ok ? '' : out.message, /rewritten entries before index 300/);

  // A log that shrank.
  ({ dir, server } = await served(300, 700));
  first = holds(await audit(server));
  fixtureLog(dir, sampleEntries(700)).publish(0, 299);
  out = await audit(server, first.state);
  assert.equal(failure(out).code, 'inconsistent');
  assert.match(out.ok ? '' : out.message, /the log shrank/);
});

test('tampering: a bad log signature', async () => {
  const { dir, log, server, note } = await served(300);
  // Signed by another key under the log's name.
  log.publish(0, 300, { keys: keyPairFromSeed(new Uint8Array(32).fill(9)) });
  let out = await audit(server);
  assert.deepEqual(failure(out), { code: 'bad_signature', index: undefined, path: 'checkpoint' });
  // The log's signature kept, the root changed.
  const lines = note.split('\n');
  lines[2] = Buffer.from(rootAt(299, log.source)).toString('base64');
  writeFixture(dir, 'checkpoint', lines.join('\n'));
  out = await audit(server);
  assert.equal(failure(out).code, 'bad_signature');
  // The log's key on a checkpoint of another log.
  writeFixture(dir, 'checkpoint', signNote(formatCheckpoint({ origin: 'other.test/log', size: 300, rootHash: rootAt(300, log.source) }), [ed25519Signer(FIXTURE_ORIGIN, fixtureLogKey)]));
  out = await audit(server);
  assert.equal(failure(out).code, 'wrong_origin');
  writeFixture(dir, 'checkpoint', note);
  holds(await audit(server));
});

test('the entries must hash into the signed root, and every tile above must be the hash of the ones below', async () => {
  let { dir, log, server } = await served(300);
  writeFixture(dir, 'checkpoint', signCheckpoint({ origin: FIXTURE_ORIGIN, size: 300, rootHash: rootAt(299, log.source) }, [ed25519Signer(FIXTURE_ORIGIN, fixtureLogKey)]));
  assert.deepEqual(failure(await audit(server)), { code: 'root_mismatch', index: undefined, path: 'checkpoint' });

  ({ dir, log, server } = await served(300));
  const tile = Buffer.from(readFixture(dir, 'tile/1/000.p/1'));
  tile[5] = tile[5]! ^ 1;
  writeFixture(dir, 'tile/1/000.p/1', tile);
  assert.deepEqual(failure(await audit(server)), { code: 'tile_mismatch', index: 0, path: 'tile/1/000.p/1' });

  writeFixture(dir, 'tile/1/000.p/1', tile.subarray(0, 31));
  assert.equal(failure(await audit(server)).code, 'malformed_tile');
});

test('entries must be canonical entries.ts lines, and the log must be readable', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mitra-audit-'));
  dirs.push(dir);
  const entries = sampleEntries(20);
  entries[12] = Buffer.from(`${JSON.stringify({ v: 1, kind: 'certificate_issued', department: 'REV01', subject: 'N-1', sha256: 'ab'.repeat(32), at: '2025-07-01T00:00:00.000Z' }, null, 1)}\n`);
  fixtureLog(dir, entries).publish(0, 20);
  const server = await serveDirectory(dir);
  servers.push(server);
  assert.deepEqual(failure(await audit(server)), { code: 'malformed_entry', index: 12, path: undefined });

  unlinkSync(join(dir, 'tile/0/000.p/20'));
  const out = await audit(server);
  assert.deepEqual(failure(out), { code: 'unreachable', index: undefined, path: 'tile/0/000.p/20' });
  await server.close();
  assert.equal(failure(await audit(server)).code, 'unreachable');
});

test('a partial tile the log deleted once the full one exists is read from the full tile', async () => {
  const { dir, log, server, note } = await served(300, 600);
  // The log has grown to 600 and removed the partial tiles of 300; an auditor still holds the
  // checkpoint of 300 (a cached copy).
  log.publish(300, 600);
  writeFixture(dir, 'checkpoint', note);
  for (const p of ['tile/0/001.p/44', 'tile/entries/001.p/44']) unlinkSync(join(dir, p));
  const out = holds(await audit(server));
  assert.equal(out.report.size, 300);
  assert.ok(server.requests.includes('tile/0/001') && server.requests.includes('tile/entries/001'));
});

test('witnesses: cosignatures checked with the keys given, others listed, a forged one refused', async () => {
  const { dir, log, server } = await served(300);
  const w1 = keyPairFromSeed(new Uint8Array(32).fill(21));
  const w2 = keyPairFromSeed(new Uint8Array(32).fill(22));
  const time = Date.parse('2025-08-01T05:59:00Z') / 1000;
  const cp = { origin: FIXTURE_ORIGIN, size: 300, rootHash: rootAt(300, log.source) };
  const note = signCheckpoint(cp, [ed25519Signer(FIXTURE_ORIGIN, fixtureLogKey), cosigner('w1.test', w1, time), cosigner('w2.test', w2, time)]);
  writeFixture(dir, 'checkpoint', note);
  const w1key = formatVerifierKey('w1.test', SIGNATURE_TYPE.cosignatureEd25519, rawPublicKey(w1));
  const w3key = formatVerifierKey('w3.test', SIGNATURE_TYPE.cosignatureEd25519, rawPublicKey(keyPairFromSeed(new Uint8Array(32).fill(23))));
  const out = holds(await audit(server, undefined, { witnessKeys: [w1key, w3key] }));
  assert.deepEqual(
    out.report.witnesses.map((w) => [w.name, w.status, w.time]),
    [
      ['w1.test', 'cosigned', '2025-08-01T05:59:00.000Z'],
      ['w2.test', 'not_checked', undefined],
      ['w3.test', 'missing', undefined],
    ],
  );
  // w1's line replaced by its signature on another checkpoint.
  const other = signCheckpoint({ ...cp, size: 299, rootHash: rootAt(299, log.source) }, [cosigner('w1.test', w1, time)]);
  const forged = readNote(other);
  assert.ok(forged.ok);
  const lines = note.split('\n');
  lines[lines.findIndex((l) => l.startsWith('— w1.test '))] = `— w1.test ${forged.signatures[0]!.base64}`;
  writeFixture(dir, 'checkpoint', lines.join('\n'));
  assert.equal(failure(await audit(server, undefined, { witnessKeys: [w1key] })).code, 'bad_cosignature');
  holds(await audit(server)); // without w1's key, its line is only listed
});

test('witnesses: with a quorum, k of the witness keys given must have cosigned before the checkpoint is trusted', async () => {
  const { dir, log, server } = await served(300);
  const w1 = keyPairFromSeed(new Uint8Array(32).fill(21));
  const w2 = keyPairFromSeed(new Uint8Array(32).fill(22));
  const time = Date.parse('2025-08-01T05:59:00Z') / 1000;
  writeFixture(dir, 'checkpoint', signCheckpoint({ origin: FIXTURE_ORIGIN, size: 300, rootHash: rootAt(300, log.source) }, [ed25519Signer(FIXTURE_ORIGIN, fixtureLogKey), cosigner('w1.test', w1, time)]));
  const witnessKeys = [formatVerifierKey('w1.test', SIGNATURE_TYPE.cosignatureEd25519, rawPublicKey(w1)), formatVerifierKey('w2.test', SIGNATURE_TYPE.cosignatureEd25519, rawPublicKey(w2))];

  const met = holds(await audit(server, undefined, { witnessKeys, minWitnesses: 1 }));
  assert.deepEqual(met.report.quorum, { required: 1, cosigned: ['w1.test'], missing: ['w2.test'], invalid: [] });
  assert.equal(holds(await audit(server, undefined, { witnessKeys })).report.quorum, undefined, 'no quorum asked, none reported');

  server.requests.length = 0;
  const out = await audit(server, undefined, { witnessKeys, minWitnesses: 2 });
  assert.deepEqual(failure(out), { code: 'witness_quorum_not_met', index: undefined, path: 'checkpoint' });
  assert.deepEqual(out.ok ? undefined : out.quorum, { required: 2, cosigned: ['w1.test'], missing: ['w2.test'], invalid: [] });
  assert.deepEqual(server.requests, ['checkpoint'], 'refused before any tile is fetched');
  await assert.rejects(audit(server, undefined, { witnessKeys, minWitnesses: 3 }), /witness quorum: a quorum of 3 cannot be met by 2 witnesses/, 'the caller validates the quorum');
});

test('without a pinned key the served one is trusted with a warning, and pinned for the next run', async () => {
  const { log, server } = await served(300, 310);
  const first = holds(await audit(server, undefined, { logKey: null }));
  assert.equal(first.report.logKeySource, 'served');
  assert.match(first.report.warnings[0]!, /no log key pinned/);
  assert.ok(server.requests.includes('log-key'));
  log.publish(300, 310);
  server.requests.length = 0;
  const second = holds(await audit(server, first.state, { logKey: null }));
  assert.equal(second.report.logKeySource, 'state');
  assert.ok(!server.requests.includes('log-key'));
  // A log that changes its key is refused with the pinned one.
  log.publish(300, 310, { keys: keyPairFromSeed(new Uint8Array(32).fill(9)) });
  assert.equal(failure(await audit(server, second.state, { logKey: null })).code, 'bad_signature');
});

test('the state file is checked against itself', () => {
  const entries = sampleEntries(5);
  const dir = mkdtempSync(join(tmpdir(), 'mitra-audit-'));
  dirs.push(dir);
  const log = fixtureLog(dir, entries);
  const state: AuditState = {
    origin: FIXTURE_ORIGIN,
    logKey: logVkey(),
    size: 5,
    rootHash: rootAt(5, log.source),
    frontier: { size: 5, hashes: [log.source.node(2, 0)!, log.source.node(0, 4)!] },
    checkpoint: log.publish(0, 5),
    departments: {},
    auditedAt: NOW.toISOString(),
  };
  const text = formatAuditState(state);
  assert.ok(parseAuditState(text).ok);
  const damaged = JSON.parse(text);
  damaged.frontier[1] = damaged.frontier[0];
  assert.equal((parseAuditState(JSON.stringify(damaged)) as { code: string }).code, 'bad_state');
  assert.equal((parseAuditState('{') as { code: string }).code, 'bad_state');
  // The fixture's bundles read back as tlog-tiles bundles.
  assert.ok(parseEntryBundle(readFixture(dir, tilePath({ level: 'entries', index: 0, width: 5 }))).ok);
});
