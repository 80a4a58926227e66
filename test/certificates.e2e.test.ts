import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import jpeg from 'jpeg-js';
import { addDepartmentKey, publishTrustList, requestPhotoCheck } from '../src/certificates/index.ts';
import { loadCatalog } from '../src/catalog/index.ts';
import { createConversation } from '../src/conversation/index.ts';
import { generateKeyPair, openPdf, readQrCode, verifyDocument, verifyStatusList, verifyTrustList } from '../src/documents/index.ts';
import { TEST_COST, addOfficer, knownOffices } from '../src/officers/index.ts';
import { CREDENTIALS, graphCapture } from './graph-capture.ts';
import { eventually, testApp, testDb } from './support.ts';
import { ed25519Verifier, formatVerifierKey, SIGNATURE_TYPE } from '../src/ledger/index.ts';
import { OfficerBrowser, PASSWORD, Phone, applyForIncomeCertificate, textOf, type World } from './two-sides.ts';

// Issue 6 end to end: an application approved in the back office → the citizen receives the PDF on
// WhatsApp → the QR code read from the rendered page verifies offline with the published lists → the
// verify page and a photo of the QR sent to the WhatsApp number give the same verdict → the officer
// revokes it, and all three say so.

const loaded = loadCatalog('catalog');
if (!loaded.ok) throw new Error('catalogue');
const catalog = loaded.catalog;
const root = generateKeyPair();
let db: Awaited<ReturnType<typeof testDb>>;
let app: Awaited<ReturnType<typeof testApp>>;
let graph: Awaited<ReturnType<typeof graphCapture>>;
const world: World = { url: () => app.url, get graph() { return graph; }, get db() { return db; } };

before(async () => {
  db = await testDb();
  graph = await graphCapture(CREDENTIALS.WHATSAPP_ACCESS_TOKEN);
  const ctx = { departments: new Set(catalog.departments.map((d) => d.code)), offices: knownOffices(catalog.lists), cost: TEST_COST };
  for (const [username, department] of [['tahsildar.tenali', 'REV01'], ['apspdcl.tenali', 'ENE01']] as const) {
    const r = await addOfficer(db, { username, password: PASSWORD, department, role: 'officer', office: 'guntur/tenali', displayName: 'Ch. Srinivasa Rao' }, ctx);
    assert.ok(r.ok, JSON.stringify(r));
  }
  // What `mitra keys create --department REV01` and `mitra keys publish --root-key FILE` do.
  await db.transaction(async (tx) => {
    await addDepartmentKey(tx, CREDENTIALS.SIGNING_KEY_SECRET, 'REV01', new Date(Date.now() - 60_000));
    await publishTrustList(tx, root, new Date());
  });
  app = await testApp({
    db,
    catalog,
    handler: createConversation({ catalog, aadhaarSalt: CREDENTIALS.AADHAAR_SALT, checkPhoto: (tx, r) => requestPhotoCheck(tx, r, new Date()) }),
    env: { ...CREDENTIALS, WHATSAPP_GRAPH_URL: graph.url, WHATSAPP_RATE: '1000', WHATSAPP_PAIR_BURST: '1000', CASE_SWEEP_SECONDS: '3600', LEDGER_KEY: generateKeyPair().secretKey, LEDGER_BATCH_MS: '50' },
  });
});
after(async () => {
  await app.stop();
  await db.dispose();
  await graph.close();
});

/** Page 1 of a PDF as pixels at `dpi`, as a printer and a phone camera see it (pdf.js, as `mitra verify` reads a PDF). */
async function printed(pdf: Uint8Array, dpi: number) {
  const doc = await openPdf(pdf);
  try {
    const { png, width, height, rgba } = await doc.image(1, dpi);
    const rgb = new Uint8Array(width * height * 3);
    for (let i = 0, j = 0; j < rgba.length; i += 3, j += 4) [rgb[i], rgb[i + 1], rgb[i + 2]] = [rgba[j]!, rgba[j + 1]!, rgba[j + 2]!];
    return { png: png(), width, height, rgb };
  } finally {
    await doc.close();
  }
}
type Printed = Awaited<ReturnType<typeof printed>>;
/** The page as a phone photo: JPEG, as WhatsApp sends pictures. */
function photoOf(page: Printed): Buffer {
  const rgba = Buffer.alloc(page.width * page.height * 4);
  for (let i = 0, j = 0; i < page.rgb.length; i += 3, j += 4) {
    rgba[j] = page.rgb[i]!;
    rgba[j + 1] = page.rgb[i + 1]!;
    rgba[j + 2] = page.rgb[i + 2]!;
    rgba[j + 3] = 255;
  }
  return jpeg.encode({ data: rgba, width: page.width, height: page.height }, 80).data;
}
async function offlineVerdict(scanned: string) {
  const trust = verifyTrustList(await (await fetch(`${app.url}/.well-known/mitra/trust-list.json`)).json(), root.publicKey);
  assert.ok(trust.ok, 'the trust list verifies against the pinned root key');
  const status = verifyStatusList(await (await fetch(`${app.url}/.well-known/mitra/status/REV01.json`)).json(), trust.trustList);
  assert.ok(status.ok, 'the status list is signed by a REV01 key of the trust list');
  return verifyDocument(scanned, { trustList: trust.trustList, statusList: status.statusList, now: new Date() });
}
/** Sends a photo and returns everything said until the check's answer (it may come with the "checking" line or after it). */
async function sendPhoto(p: Phone, bytes: Uint8Array): Promise<string> {
  const said = await p.send({ type: 'image', image: { mime_type: 'image/jpeg', sha256: 'x', id: graph.addMedia(bytes, 'image/jpeg') } });
  while (!/✅|❌|⚠️|could not|కనిపించలేదు/.test(textOf(said))) said.push(...(await p.next()));
  return textOf(said);
}

describe('a certificate: issued on approval, delivered on WhatsApp, verified from its printed QR, revoked', () => {
  let caseId = 0;
  let link = '';
  let scanned = '';
  let page: Printed;
  const citizen = () => new Phone(world);
  const p = citizen();

  test('approval sends the PDF as a WhatsApp document; its printed QR code verifies offline', async () => {
    const reference = await applyForIncomeCertificate(p, 'Ravi Kumar');
    const tahsildar = await new OfficerBrowser(world, 'tahsildar.tenali').login();
    caseId = (await tahsildar.get('/api/v1/cases')).body.cases.find((c: any) => c.reference === reference).id;
    for (let stage = 0; stage < 2; stage++) {
      assert.equal((await tahsildar.act(caseId, { action: 'approve' })).status, 200);
      await p.next();
    }
    assert.equal((await tahsildar.act(caseId, { action: 'approve' })).body.case.status, 'approved');
    const told = await p.next();
    assert.match(textOf(told), new RegExp(`✅ \\*${reference}\\* \\(Income Certificate\\) is approved\\. Your certificate REV01/2026/\\d{7} is attached`));
    const doc = told.find((m) => m.type === 'document')?.document;
    assert.ok(doc, 'a document message');
    assert.match(doc.filename, /^income-certificate-REV01-2026-\d{7}\.pdf$/);
    assert.match(doc.caption, /Income Certificate · REV01\/2026\/\d{7}\nScan the QR code/);
    link = doc.link;
    assert.ok(link.startsWith(`${app.url}/certificates/`), link);

    // What WhatsApp does with the link: fetch the PDF.
    const res = await fetch(link);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/pdf');
    const pdf = new Uint8Array(await res.arrayBuffer());
    assert.equal(Buffer.from(pdf.subarray(0, 5)).toString(), '%PDF-');
    page = await printed(pdf, 150);
    // Kept for a person to look at: what the citizen's certificate looks like printed.
    writeFileSync(join(tmpdir(), 'mitra-certificate-e2e.png'), page.png);
    const read = await readQrCode(page.png);
    assert.ok(read.ok, 'the QR code reads from the printed page');
    scanned = read.text;
    assert.ok(scanned.startsWith(`${new URL(app.url).origin.toUpperCase()}/V/MT1:`), scanned.slice(0, 60));
    const verdict = await offlineVerdict(scanned);
    assert.ok(verdict.valid, JSON.stringify(verdict));
    assert.equal(verdict.statusChecked, true);
    assert.equal(verdict.claims.holderName, 'Ravi Kumar');
    assert.equal(verdict.claims.documentType, 'income-certificate');
    assert.deepEqual({ inc: verdict.claims.fields.annual_income, purpose: verdict.claims.fields.purpose }, { inc: 120000, purpose: 'Scholarship' });
    assert.ok(!JSON.stringify(verdict.claims).includes('XXXX'), 'no Aadhaar digits in the QR');
    assert.equal((await fetch(link.replace(/certificates\/[^/]+/, 'certificates/guessed-token'))).status, 404);
  });

  test('once its batch is sequenced, the PDF carries its ledger proof; mitra verify checks it offline, with the public keys only', async () => {
    await eventually(async () => (await db.query<{ n: number }>(`select count(*)::int as n from certificates where case_id = $1 and ledger_index is not null`, [caseId]))[0]!.n === 1, 5000, 'the issue entry sequenced');
    const dir = mkdtempSync(join(tmpdir(), 'mitra-cert-'));
    const file = join(dir, 'certificate.pdf');
    writeFileSync(file, new Uint8Array(await (await fetch(link)).arrayBuffer()));
    writeFileSync(join(dir, 'root.key'), root.publicKey);
    writeFileSync(join(dir, 'trust.json'), await (await fetch(`${app.url}/.well-known/mitra/trust-list.json`)).text());
    writeFileSync(join(dir, 'status.json'), await (await fetch(`${app.url}/.well-known/mitra/status/REV01.json`)).text());
    const logKey = (await (await fetch(`${app.url}/ledger/log-key`)).text()).trim();
    const page = await (await fetch(`${app.url}/V/${scanned.slice(scanned.indexOf('/V/') + 3)}`)).text();
    assert.match(page, /data-testid="ledger">📒 .*Recorded in the public ledger as entry #\d+/);
    // Run asynchronously: Mitra lives in this process and must keep answering meanwhile.
    const mitra = (...args: string[]) =>
      new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
        execFile(process.execPath, ['bin/mitra.js', 'verify', file, '--trust-list', join(dir, 'trust.json'), '--root-key', join(dir, 'root.key'), '--status-list', join(dir, 'status.json'), ...args], { encoding: 'utf8' }, (err, stdout, stderr) =>
          resolve({ status: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
        );
      });
    const checked = await mitra('--log-key', logKey);
    assert.equal(checked.status, 0, checked.stdout + checked.stderr);
    assert.match(checked.stdout, /ledger: +recorded as entry #\d+ of 127\.0\.0\.1\/ledger/);
    const otherLog = ed25519Verifier('127.0.0.1/ledger', Buffer.from(generateKeyPair().publicKey, 'base64url'));
    const forged = await mitra('--log-key', formatVerifierKey(otherLog.name, SIGNATURE_TYPE.ed25519, Buffer.from(generateKeyPair().publicKey, 'base64url')));
    assert.equal(forged.status, 1, 'a checkpoint not signed by the pinned log key proves nothing');
    assert.match(forged.stdout, /NOT SHOWN TO BE RECORDED \(bad_checkpoint\)/);
    rmSync(dir, { recursive: true, force: true });
  });

  test('the verify page the QR opens says genuine, in Telugu and English, with the claims', async () => {
    const res = await fetch(`${app.url}/V/${scanned.slice(scanned.indexOf('/V/') + 3)}`);
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /data-verdict="valid"/);
    assert.match(html, /అసలైనది · చెల్లుతుంది/);
    assert.match(html, /Genuine and valid/);
    assert.match(html, /Ravi Kumar/);
    assert.match(html, /రెవెన్యూ శాఖ \/ Revenue/);
    const pasted = await fetch(`${app.url}/verify?payload=${encodeURIComponent(scanned)}`, { redirect: 'manual' });
    assert.equal(pasted.status, 303);
    assert.match(pasted.headers.get('location')!, /^\/V\/MT1:/);
  });

  test('a shopkeeper sends a photo of the QR to the WhatsApp number and is told it is genuine; a photo without one is told so', async () => {
    const shop = citizen();
    await shop.say('hi');
    await shop.tap('lang:en');
    const verdict = await sendPhoto(shop, photoOf(page));
    assert.match(verdict, /^🔍 Checking the QR code in your photo…[\s\S]*✅ \*Genuine and valid\*/);
    assert.match(verdict, /Income Certificate\*\nNo\. REV01\/2026\/\d{7}\nName: Ravi Kumar\nIssued by: Revenue/);
    const blank = Buffer.alloc(64 * 64 * 4, 255);
    assert.match(await sendPhoto(shop, jpeg.encode({ data: blank, width: 64, height: 64 }, 80).data), /could not find a QR code in that photo/);
  });

  test('the officer revokes it with a reason: the citizen is told; the status list, the verify page and WhatsApp say revoked', async () => {
    const other = await new OfficerBrowser(world, 'apspdcl.tenali').login();
    assert.equal((await other.post(`/api/v1/cases/${caseId}/certificate/revoke`, { reason: 'not mine' })).status, 404);
    const tahsildar = await new OfficerBrowser(world, 'tahsildar.tenali').login();
    const empty = await tahsildar.post(`/api/v1/cases/${caseId}/certificate/revoke`, { reason: ' ' });
    assert.deepEqual([empty.status, empty.body.error.code], [400, 'reason_required']);
    const done = await tahsildar.post(`/api/v1/cases/${caseId}/certificate/revoke`, { reason: 'Income was misstated in the application' });
    assert.equal(done.status, 200, JSON.stringify(done.body));
    assert.match(textOf(await p.next()), /has been revoked by the department[\s\S]*Income was misstated/);
    assert.equal((await tahsildar.post(`/api/v1/cases/${caseId}/certificate/revoke`, { reason: 'again' })).status, 409);

    const verdict = await offlineVerdict(scanned);
    assert.equal(verdict.valid ? 'valid' : verdict.code, 'revoked');
    const html = await (await fetch(`${app.url}/V/${scanned.slice(scanned.indexOf('/V/') + 3)}`)).text();
    assert.match(html, /data-verdict="revoked"/);
    assert.doesNotMatch(html, /misstated/, 'the reason is for the citizen, not for whoever scans the paper');
    const shop = citizen();
    await shop.say('hi');
    await shop.tap('lang:te');
    assert.match(await sendPhoto(shop, photoOf(page)), /❌ \*రద్దు చేయబడింది\*/);
  });

  test('forged and foreign codes on the verify page: one changed character, an EU DCC, garbage', async () => {
    const bare = scanned.slice(scanned.indexOf('/V/') + 3);
    const i = bare.length - 12;
    const forged = bare.slice(0, i) + (bare[i] === '7' ? '8' : '7') + bare.slice(i + 1);
    const verdictOf = async (path: string) => (await (await fetch(`${app.url}/V/${path}`)).text()).match(/data-verdict="(\w+)"/)?.[1];
    assert.ok(['bad_signature', 'malformed'].includes((await verdictOf(forged))!));
    assert.equal(await verdictOf('HC1:NCFOXN%25TS3DH3ZSUZK+.V0ETD%25'), 'wrong_format');
    assert.equal(await verdictOf('MT1:ZZZ'), 'malformed');
  });
});
