import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { generateKeyPair, keyPairFromSeed } from '../src/documents/index.ts';
import { ed25519Verifier, formatVerifierKey, SIGNATURE_TYPE } from '../src/ledger/index.ts';
import { auditLog, createWitnessServer, generateWitnessKey, httpFetcher, latestCheckpoint, openWitnessStore, recordInLedger, type LedgerEntry } from '../src/transparency-log/index.ts';
import { CREDENTIALS, graphCapture } from './graph-capture.ts';
import { eventually, testApp, testDb } from './support.ts';

// The ledger as the public meets it: Mitra sequences entries, a witness cosigns each checkpoint, and
// an auditor reads everything back over HTTP. Then the database is tampered with, as an insider
// could, and the audit catches each change; the witness refuses a forked checkpoint.

const ORIGIN = '127.0.0.1/ledger';
const logSeed = generateKeyPair().secretKey;
const logPair = keyPairFromSeed(Buffer.from(logSeed, 'base64url'));
const logKey = formatVerifierKey(ORIGIN, SIGNATURE_TYPE.ed25519, Buffer.from(logPair.publicKey, 'base64url'));
const witness = generateWitnessKey('witness.university.example');
const dir = mkdtempSync(join(tmpdir(), 'mitra-ledger-'));
let db: Awaited<ReturnType<typeof testDb>>;
let app: Awaited<ReturnType<typeof testApp>>;
let graph: Awaited<ReturnType<typeof graphCapture>>;
let witnessServer: ReturnType<typeof createWitnessServer>;
let n = 0;

const entry = (): LedgerEntry => ({ kind: n % 5 === 4 ? 'certificate_revoked' : 'certificate_issued', department: n % 2 ? 'REV01' : 'HLT01', subject: `CERT/${++n}`, sha256: 'cd'.repeat(32), at: new Date().toISOString() });
const audit = (state?: Parameters<typeof auditLog>[0]['loadState']) =>
  auditLog({ fetch: httpFetcher(new URL(`${app.url}/ledger/`)), logKey, witnessKeys: [witness.vkey], loadState: state ?? (async () => undefined), now: new Date() });

before(async () => {
  db = await testDb();
  graph = await graphCapture(CREDENTIALS.WHATSAPP_ACCESS_TOKEN);
  const store = await openWitnessStore(join(dir, 'witness.state'));
  assert.ok(store.ok);
  witnessServer = createWitnessServer({ name: witness.name, keyPair: witness.keyPair, logs: new Map([[ORIGIN, [ed25519Verifier(ORIGIN, Buffer.from(logPair.publicKey, 'base64url'))]]]), store: store.store });
  await new Promise<void>((r) => witnessServer.listen(0, '127.0.0.1', r));
  const witnessUrl = `http://127.0.0.1:${(witnessServer.address() as AddressInfo).port}`;
  app = await testApp({ db, env: { ...CREDENTIALS, WHATSAPP_GRAPH_URL: graph.url, LEDGER_KEY: logSeed, LEDGER_BATCH_MS: '50', LEDGER_WITNESSES: `${witnessUrl} ${witness.vkey}` } });
});
after(async () => {
  await app.stop();
  await db.dispose();
  await graph.close();
  await new Promise<void>((r) => witnessServer.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

test('entries are sequenced, the witness cosigns, and an audit over HTTP recomputes everything and counts per department', async () => {
  for (let i = 0; i < 6; i++) await db.transaction((tx) => recordInLedger(tx, Array.from({ length: 50 }, entry), new Date()));
  await eventually(async () => (await latestCheckpoint(db)).size === 300, 10_000, 'all 300 sequenced');
  await eventually(async () => (await latestCheckpoint(db)).note.includes(`— ${witness.name} `), 10_000, 'the witness cosignature');
  const outcome = await audit();
  assert.ok(outcome.ok, JSON.stringify(outcome));
  assert.equal(outcome.report.size, 300);
  assert.deepEqual(outcome.report.witnesses.map((w) => [w.name, w.status]), [[witness.name, 'cosigned']]);
  // Every fifth entry is a revocation; every other one is Revenue's.
  assert.deepEqual([outcome.report.departments.REV01!.certificate_issued, outcome.report.departments.REV01!.certificate_revoked], [120, 30]);
  assert.deepEqual([outcome.report.departments.HLT01!.certificate_issued, outcome.report.departments.HLT01!.certificate_revoked], [120, 30]);
});

test('tampering in the database is caught by the audit: a row changed, a row deleted, an entry inserted in the past', async () => {
  const code = async () => {
    const o = await audit();
    return o.ok ? 'ok' : o.code;
  };
  assert.equal(await code(), 'ok');
  const [row] = await db.query<{ body: Uint8Array }>(`select body from ledger_entries where idx = 7`);
  const original = Buffer.from(row!.body);

  await db.query(`update ledger_entries set body = $1 where idx = 7`, [Buffer.from(original.toString().replace('CERT/8', 'CERT/9'))]);
  assert.notEqual(await code(), 'ok', 'a changed row');
  await db.query(`update ledger_entries set body = $1 where idx = 7`, [original]);
  assert.equal(await code(), 'ok', 'put back');

  await db.query(`delete from ledger_entries where idx = 299`);
  assert.notEqual(await code(), 'ok', 'a deleted row');
  await db.query(`insert into ledger_entries (idx, body, kind, department, subject, sequenced_at) values (299, $1, 'x', 'x', 'x', now())`, [original]);
  assert.notEqual(await code(), 'ok', 'a different row in its place');

  // An entry slipped in at index 10: everything after it moves up one.
  await db.query(`update ledger_entries set idx = -idx - 1 where idx >= 10`);
  await db.query(`update ledger_entries set idx = -idx where idx < 0`);
  await db.query(`insert into ledger_entries (idx, body, kind, department, subject, sequenced_at) values (10, $1, 'certificate_issued', 'REV01', 'BACKDATED', now())`, [Buffer.from(original.toString().replace('CERT/8', 'BACKDATED'))]);
  assert.notEqual(await code(), 'ok', 'an entry inserted in the past');
});

test('the witness refuses a checkpoint signed for a forked tree', async () => {
  const { size } = await latestCheckpoint(db);
  const { signCheckpoint, ed25519Signer, formatAddCheckpoint } = await import('../src/ledger/index.ts');
  const forked = signCheckpoint({ origin: ORIGIN, size: size + 1, rootHash: new Uint8Array(32).fill(9) }, [ed25519Signer(ORIGIN, logPair)]);
  const witnessUrl = `http://127.0.0.1:${(witnessServer.address() as AddressInfo).port}`;
  const res = await fetch(`${witnessUrl}/add-checkpoint`, { method: 'POST', body: formatAddCheckpoint({ oldSize: size, proof: [new Uint8Array(32)], checkpoint: forked }) });
  assert.ok([409, 422].includes(res.status), `status ${res.status}`);
});
