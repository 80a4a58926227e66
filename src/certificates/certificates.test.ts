import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { testDb } from '../../test/support.ts';
import { actOnCase, fileCase, type CaseDeps, type CaseNotice, type Officer } from '../cases/index.ts';
import { loadCatalog } from '../catalog/index.ts';
import { generateKeyPair, verifyStatusList, verifyTrustList } from '../documents/index.ts';
import {
  addDepartmentKey,
  certificateOfCase,
  checkCertificate,
  departmentKeys,
  issueCertificate,
  latestTrustList,
  publishTrustList,
  revokeCertificate,
  revokeDepartmentKey,
  signedStatusListOf,
  signingKeyOf,
  signWaitingCertificates,
} from './index.ts';
import { ed25519Signer } from '../ledger/index.ts';
import { openLedger, sequenceBatch } from '../transparency-log/index.ts';

// Certificates against a real database: keys sealed at rest, issue on approval, a department with no
// key yet, revocation, and the checks a verifier makes, with a clock we move.

const loaded = loadCatalog('catalog');
if (!loaded.ok) throw new Error('catalogue');
const catalog = loaded.catalog;
const income = catalog.services.get('income-certificate')!;
const SECRET = 'certificates-test-secret-of-32-characters';
const PUBLIC_URL = 'https://mitra.example.in';
const root = generateKeyPair();
const clock = { at: new Date('2026-11-25T04:30:00Z'), now: () => clock.at };
const notices: CaseNotice[] = [];
let db: Awaited<ReturnType<typeof testDb>>;
let tahsildar: Officer;
let other: Officer;

const deps: CaseDeps = {
  service: (id) => catalog.services.get(id),
  clock,
  reopenWindowDays: 7,
  notify: async (_tx, n) => void notices.push(...n),
  issue: (tx, c, service, approval) => issueCertificate(tx, { catalog, clock, secret: SECRET, publicUrl: PUBLIC_URL }, c, service, { name: 'Ch. Srinivasa Rao', designation: approval.stage?.name ?? { te: 'అధికారి', en: 'Officer' } }),
};

async function approvedApplication(name = 'Kondapalli Lakshmi') {
  const c = await db.transaction((tx) =>
    fileCase(tx, { waId: '919000000777', service: income, department: 'REV01', prefix: 'REV', language: 'te', at: clock.now(), answers: { applicant_name: name, aadhaar: { aadhaarLast4: '1234', aadhaarHash: 'x' }, district: 'guntur', mandal: 'guntur/tenali', annual_income: 96000, purpose: 'scholarship' } }),
  );
  notices.length = 0;
  for (let i = 0; i < 3; i++) {
    const r = await db.transaction((tx) => actOnCase(tx, deps, { kind: 'officer', officer: tahsildar }, { id: c.id }, { action: 'approve' }));
    assert.ok(r.ok, JSON.stringify(r));
  }
  return c;
}

before(async () => {
  db = await testDb();
  const add = (u: string, dept: string) => db.query<{ id: number }>(`insert into officers (username, display_name, password_hash, department, role, office) values ($1, $1, 'x', $2, 'officer', 'guntur/tenali') returning id`, [u, dept]);
  tahsildar = { id: (await add('tahsildar.tenali', 'REV01'))[0]!.id, department: 'REV01', role: 'officer', office: 'guntur/tenali' };
  other = { id: (await add('apspdcl.tenali', 'ENE01'))[0]!.id, department: 'ENE01', role: 'officer', office: 'guntur/tenali' };
});
after(() => db.dispose());

test('an approval with no department key yet: approved now, the certificate waits and is signed once a key exists', async () => {
  const c = await approvedApplication();
  const approved = notices.find((n) => n.event === 'approved')!;
  assert.equal(approved.certificate?.signed, false);
  const waiting = await certificateOfCase(db, c.id);
  assert.equal(waiting?.state, 'waiting_for_key');
  assert.equal(waiting?.payload, null);
  assert.deepEqual(await db.transaction((tx) => signWaitingCertificates(tx, { secret: SECRET, clock, publicUrl: PUBLIC_URL })), [], 'still no key');

  await db.transaction(async (tx) => {
    await addDepartmentKey(tx, SECRET, 'REV01', clock.now());
    await publishTrustList(tx, root, clock.now());
  });
  const sent = await db.transaction((tx) => signWaitingCertificates(tx, { secret: SECRET, clock, publicUrl: PUBLIC_URL }));
  assert.equal(sent.length, 1);
  assert.equal(sent[0]!.event, 'certificate');
  assert.match(sent[0]!.certificate!.link, /^https:\/\/mitra\.example\.in\/certificates\/[\w-]{22}\/income-certificate-REV01-2026-0000001\.pdf$/);
  const signed = (await certificateOfCase(db, c.id))!;
  assert.equal(signed.state, 'issued');
  const checked = await checkCertificate(db, catalog, signed.payload!, clock.now());
  assert.ok(checked.verdict.valid, JSON.stringify(checked.verdict));
  assert.equal(checked.shown?.holderName, 'Kondapalli Lakshmi');
  assert.deepEqual(checked.shown?.fields.find((f) => f.label.en === "Family's yearly income (₹)"), { label: income.fields.find((f) => f.id === 'annual_income')!.label, value: '₹96,000' });
  assert.ok(!checked.shown?.fields.some((f) => /1234|x/.test(f.value) && f.label.en.includes('Aadhaar')), 'no Aadhaar in the QR');
});

test('an approval with a key: signed at once, numbered in the department\'s sequence; what the PDF prints is kept', async () => {
  const c = await approvedApplication('Ravi Kumar');
  const approved = notices.find((n) => n.event === 'approved')!;
  assert.equal(approved.certificate?.signed, true);
  assert.equal(approved.certificate?.number, 'REV01/2026/0000002');
  const record = (await certificateOfCase(db, c.id))!;
  assert.equal(record.printed.holderName, 'Ravi Kumar');
  assert.deepEqual(record.printed.office, { te: 'తెనాలి మండలం, గుంటూరు జిల్లా', en: 'Tenali Mandal, Guntur District' });
  assert.equal(record.expiresAt?.getTime(), clock.now().getTime() + 365 * 86_400_000);
  assert.ok((await checkCertificate(db, catalog, record.payload!, clock.now())).verdict.valid);
});

test('keys are sealed: the wrong secret cannot sign, and the database never holds a private key in clear', async () => {
  const [row] = await db.query<{ sealed_private: string; kid: string }>(`select sealed_private, kid from signing_keys where department = 'REV01' and status = 'active'`);
  assert.match(row!.sealed_private, /^v1\./);
  const withKey = await signingKeyOf(db, SECRET, 'REV01', clock.now());
  assert.ok(withKey.ok);
  assert.ok(!row!.sealed_private.includes(withKey.key.secretKey));
  const wrong = await signingKeyOf(db, 'another-secret-of-at-least-32-characters', 'REV01', clock.now());
  assert.deepEqual(wrong.ok ? 'unsealed' : wrong.code, 'sealed_with_another_secret');
});

test('revocation: only an officer who reaches the case, once, with a reason; the citizen is told; the status list and the verdict say so', async () => {
  const c = await approvedApplication('Sita Devi');
  const record = (await certificateOfCase(db, c.id))!;
  const revoke = (who: Officer, reason: string) => db.transaction((tx) => revokeCertificate(tx, { clock, notify: deps.notify }, who, c.id, reason));
  assert.equal((await revoke(other, 'wrong department')).ok ? 'revoked' : 'refused', 'refused');
  assert.deepEqual(await revoke(tahsildar, '  '), { ok: false, code: 'reason_required', message: 'a revocation needs a reason the citizen can read' });
  notices.length = 0;
  const done = await revoke(tahsildar, 'Income was misstated');
  assert.ok(done.ok);
  assert.deepEqual(notices.map((n) => [n.event, n.message]), [['certificate_revoked', 'Income was misstated']]);
  assert.equal((await revoke(tahsildar, 'again')).ok ? 'twice' : 'once', 'once');

  const list = await signedStatusListOf(db, SECRET, 'REV01', clock.now());
  assert.ok(list.ok);
  const trust = verifyTrustList(JSON.parse(JSON.stringify(await latestTrustList(db))), root.publicKey);
  assert.ok(trust.ok);
  const status = verifyStatusList(JSON.parse(JSON.stringify(list.signed)), trust.trustList);
  assert.ok(status.ok);
  assert.equal(status.statusList.bits[record.statusIndex >> 3]! & (1 << (record.statusIndex & 7)), 1 << (record.statusIndex & 7));
  const checked = await checkCertificate(db, catalog, record.payload!, clock.now());
  assert.equal(checked.verdict.valid ? 'valid' : checked.verdict.code, 'revoked');
  const [event] = await db.query<{ action: string; note: string }>(`select action, note from case_events where case_id = $1 order by id desc limit 1`, [c.id]);
  assert.deepEqual(event, { action: 'certificate_revoked', note: 'Income was misstated' });
});

test('a rotated-out key\'s certificates stay valid; a key revoked for compromise takes all it signed with it', async () => {
  const c = await approvedApplication('Rotated Holder');
  const record = (await certificateOfCase(db, c.id))!;
  clock.at = new Date(clock.at.getTime() + 30 * 86_400_000);
  await db.transaction(async (tx) => {
    await addDepartmentKey(tx, SECRET, 'REV01', clock.now());
    await publishTrustList(tx, root, clock.now());
  });
  const keys = await departmentKeys(db, 'REV01');
  assert.deepEqual(keys.map((k) => k.status), ['retired', 'active']);
  assert.ok((await checkCertificate(db, catalog, record.payload!, clock.now())).verdict.valid, 'signed inside the retired key\'s window');

  await db.transaction(async (tx) => {
    const r = await revokeDepartmentKey(tx, record.kid!, 'private key leaked', clock.now());
    assert.ok(r.ok);
    await publishTrustList(tx, root, clock.now());
  });
  const after = await checkCertificate(db, catalog, record.payload!, clock.now());
  assert.equal(after.verdict.valid ? 'valid' : after.verdict.code, 'key_revoked');
  const fresh = await approvedApplication('Reissued Holder');
  assert.ok((await checkCertificate(db, catalog, (await certificateOfCase(db, fresh.id))!.payload!, clock.now())).verdict.valid, 'the new key signs on');
});

test('a forged payload: one changed character is caught', async () => {
  const c = await approvedApplication('Forged Holder');
  const payload = (await certificateOfCase(db, c.id))!.payload!;
  const i = payload.length - 10;
  const forged = payload.slice(0, i) + (payload[i] === 'A' ? 'B' : 'A') + payload.slice(i + 1);
  const v = (await checkCertificate(db, catalog, forged, clock.now())).verdict;
  assert.ok(!v.valid && ['bad_signature', 'malformed'].includes(v.code), JSON.stringify(v));
});

test('each signed certificate learns its place in the ledger when the batch holding its entry is sequenced', async () => {
  const id = { origin: 'mitra.test/ledger', signer: ed25519Signer('mitra.test/ledger', generateKeyPair()) };
  await openLedger(db, id);
  const before = await db.query<{ number: string }>(`select number from certificates where state = 'issued' and ledger_index is null`);
  assert.ok(before.length > 0, 'certificates signed above wait for their batch');
  await sequenceBatch(db, id, clock);
  const rows = await db.query<{ number: string; ledger_index: number | null; idx: number | null }>(
    `select c.number, c.ledger_index, e.idx from certificates c left join ledger_entries e on e.subject = c.number and e.kind = 'certificate_issued' where c.state = 'issued'`,
  );
  assert.ok(rows.length >= before.length);
  for (const r of rows) assert.equal(r.ledger_index, r.idx, `${r.number} holds the index of its issue entry`);
  const waiting = await db.query(`select 1 from certificates where state = 'waiting_for_key' and ledger_index is not null`);
  assert.equal(waiting.length, 0, 'a certificate not yet signed has no entry and no index');
});
