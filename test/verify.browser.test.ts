// The verify page in a real browser (Debian's chromium through playwright-core), against a running
// Mitra with the simulator's keys: a certificate is issued through an approval; the page, opened once
// with the network on, keeps its lists and itself; then, with the network off, a pasted code, a forged
// one and the QR link itself are checked in the browser alone. The certificate is revoked while
// online, the page refreshes its lists, and offline it says revoked. A trust list older than one
// already seen is refused. Screenshots go to the system's temp directory.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { get as httpGet, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import QRCode from 'qrcode';
import { actOnCase, fileCase, type CaseDeps, type Officer } from '../src/cases/index.ts';
import { loadCatalog } from '../src/catalog/index.ts';
import { certificateOfCase, issueCertificate, revokeCertificate } from '../src/certificates/index.ts';
import { generateKeyPair } from '../src/documents/index.ts';
import { testApp, testDb } from './support.ts';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SECRET = 'verify-browser-test-secret-of-32-characters';
const SHOTS = mkdtempSync(join(tmpdir(), 'mitra-verify-'));
const CAMERA = join(SHOTS, 'camera.y4m');

const loaded = loadCatalog('catalog');
if (!loaded.ok) throw new Error('catalogue');
const catalog = loaded.catalog;
const income = catalog.services.get('income-certificate')!;
const root = generateKeyPair();
const clock = { now: () => new Date() };

let db: Awaited<ReturnType<typeof testDb>>;
let app: Awaited<ReturnType<typeof testApp>>;
let browser: Browser | undefined;
let context: BrowserContext;
let tahsildar: Officer;
let caseId = 0;
let payload = '';

before(async () => {
  db = await testDb();
  // The simulator with a root key we hold: it makes every issuing department a signing key and
  // publishes the trust list, and the page pins the root's public half.
  app = await testApp({ db, catalog, env: { TRUST_ROOT_KEY: root.secretKey, SIGNING_KEY_SECRET: SECRET, CASE_SWEEP_SECONDS: '3600' } });
  // The keys' windows open at the millisecond they were made; a certificate's iat is in whole seconds,
  // so one issued within that same second would fall before its key's window. Wait for the next second.
  await new Promise((r) => setTimeout(r, 1000));
  const [officer] = await db.query<{ id: number }>(`insert into officers (username, display_name, password_hash, department, role, office) values ('tahsildar.tenali', 'Ch. Srinivasa Rao', 'x', 'REV01', 'officer', 'guntur/tenali') returning id`);
  tahsildar = { id: officer!.id, department: 'REV01', role: 'officer', office: 'guntur/tenali' };
  const deps: CaseDeps = {
    service: (id) => catalog.services.get(id),
    clock,
    reopenWindowDays: 7,
    notify: async () => undefined,
    issue: (tx, c, service, approval) => issueCertificate(tx, { catalog, clock, secret: SECRET, publicUrl: app.url }, c, service, { name: 'Ch. Srinivasa Rao', designation: approval.stage?.name ?? { te: 'అధికారి', en: 'Officer' } }),
  };
  const c = await db.transaction((tx) =>
    fileCase(tx, { waId: '919000000777', service: income, department: 'REV01', prefix: 'REV', language: 'te', at: clock.now(), answers: { applicant_name: 'Ravi Kumar', aadhaar: { aadhaarLast4: '1234', aadhaarHash: 'x' }, district: 'guntur', mandal: 'guntur/tenali', annual_income: 120000, purpose: 'scholarship' } }),
  );
  for (let i = 0; i < 3; i++) assert.ok((await db.transaction((tx) => actOnCase(tx, deps, { kind: 'officer', officer: tahsildar }, { id: c.id }, { action: 'approve' }))).ok);
  caseId = c.id;
  const record = await certificateOfCase(db, c.id);
  assert.equal(record?.state, 'issued');
  payload = record!.payload!;

  if (!existsSync(CHROMIUM)) assert.fail(`${CHROMIUM} not found: the browser tests need Debian's chromium (apt-get install -y chromium). They fail rather than skip.`);
  // The camera is a fake one that films the certificate's QR code (the QR link, as printed).
  writeFileSync(CAMERA, cameraFilming(`${app.url.toUpperCase()}/V/${payload}`));
  browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${CAMERA}`] });
  // A phone's screen, in Telugu, in India.
  context = await browser.newContext({ viewport: { width: 412, height: 900 }, deviceScaleFactor: 1, locale: 'te-IN', timezoneId: 'Asia/Kolkata' });
});

after(async () => {
  await browser?.close();
  await app?.dispose();
});

/** A few frames of video (Y4M, 640×480, grey) of a QR code holding `text`, black on white with its quiet zone. */
function cameraFilming(text: string): Buffer {
  const qr = QRCode.create([{ data: text, mode: 'alphanumeric' }], { errorCorrectionLevel: 'M' });
  const [w, h, n] = [640, 480, qr.modules.size];
  const scale = Math.floor(440 / (n + 8));
  const left = Math.floor((w - n * scale) / 2);
  const top = Math.floor((h - n * scale) / 2);
  const y = Buffer.alloc(w * h, 255);
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) if (qr.modules.get(r, c)) for (let dy = 0; dy < scale; dy++) y.fill(0, (top + r * scale + dy) * w + left + c * scale, (top + r * scale + dy) * w + left + (c + 1) * scale);
  const chroma = Buffer.alloc((w / 2) * (h / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), y, chroma]);
  return Buffer.concat([Buffer.from(`YUV4MPEG2 W${w} H${h} F10:1 Ip A1:1 C420jpeg\n`), ...Array.from({ length: 5 }, () => frame)]);
}

// Offline, requests the service worker does not answer fail, and Chromium says so on the console.
const EXPECTED = /^Failed to load resource: net::ERR_INTERNET_DISCONNECTED/;

function watch(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !EXPECTED.test(m.text())) errors.push(m.text());
  });
  page.on('response', (r) => void (r.status() >= 400 && errors.push(`HTTP ${r.status()} ${r.url()}`)));
  page.setDefaultTimeout(10_000);
  return errors;
}

const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, name), fullPage: true, animations: 'disabled' });
const verdictOf = (page: Page) => page.locator('#result [data-verdict]').getAttribute('data-verdict');
const said = async (page: Page) => (await page.locator('#result').innerText()).replace(/\s+/g, ' ');

/** Pastes a code into the box and checks it: the verdict is drawn in place, by the page's script. */
async function paste(page: Page, text: string): Promise<string | null> {
  await page.evaluate(() => (document.getElementById('result')!.innerHTML = ''));
  await page.locator('#payload').fill(text);
  await page.locator('#paste button[type=submit]').click();
  await page.locator('#result[data-checked-by=browser] [data-verdict]').waitFor();
  return verdictOf(page);
}

async function ready(page: Page) {
  await page.locator('html[data-offline=ready]').waitFor();
}

test('the page pins the root key it is served with, under a strict policy; its scripts are built and revalidated', async () => {
  const res = await fetch(`${app.url}/verify`);
  const csp = res.headers.get('content-security-policy') ?? '';
  assert.match(csp, /script-src 'self'/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  const html = await res.text();
  assert.match(html, new RegExp(`<script type="application/json" id="verify-setup">\\{"rootKeys":\\["${root.publicKey}"\\]\\}</script>`));
  assert.deepEqual(await (await fetch(`${app.url}/.well-known/mitra/root-key.json`)).json(), { keys: [{ kid: root.kid, publicKey: root.publicKey }] });
  const sw = await fetch(`${app.url}/verify/sw.js`);
  assert.equal(sw.headers.get('service-worker-allowed'), '/');
  const script = await fetch(`${app.url}/verify/app.js`);
  assert.equal(script.status, 200);
  assert.doesNotMatch(await script.text(), /\bnode:|\bBuffer\b/, 'nothing of Node in the browser bundle');
  assert.equal((await fetch(`${app.url}/verify/app.js`, { headers: { 'if-none-match': script.headers.get('etag')! } })).status, 304);
  const labels = await (await fetch(`${app.url}/verify/labels.json`)).json();
  assert.equal(labels.documents['income-certificate'].title.en, 'Income Certificate');
});

test('the page\'s scripts go compressed to a phone that takes it, and unpack to what an old client gets', async () => {
  // The service worker is a few hundred bytes: not worth compressing.
  for (const path of ['/verify/jsQR.js', '/verify/app.js', '/verify/labels.json']) {
    const plain = await rawGet(`${app.url}${path}`, {});
    const br = await rawGet(`${app.url}${path}`, { 'accept-encoding': 'gzip, deflate, br' });
    const gz = await rawGet(`${app.url}${path}`, { 'accept-encoding': 'gzip' });
    assert.equal(plain.headers['content-encoding'], undefined, path);
    assert.equal(br.headers['content-encoding'], 'br', path);
    assert.equal(gz.headers['content-encoding'], 'gzip', path);
    assert.equal(br.headers.vary, 'accept-encoding', path);
    assert.deepEqual(brotliDecompressSync(br.body), plain.body, path);
    assert.deepEqual(gunzipSync(gz.body), plain.body, path);
    assert.ok(br.body.length < plain.body.length / 2, `${path}: ${plain.body.length} bytes as text, ${br.body.length} as brotli`);
    console.log(`${path}: ${plain.body.length} bytes as text, ${gz.body.length} as gzip, ${br.body.length} as brotli`);
    assert.notEqual(br.headers.etag, plain.headers.etag);
    const again = await rawGet(`${app.url}${path}`, { 'accept-encoding': 'br', 'if-none-match': br.headers.etag as string });
    assert.equal(again.status, 304, path);
  }
});

/** A GET through node:http, which (unlike fetch) leaves the body as it came on the wire. */
function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    httpGet(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

test('opened once online, the page checks with the network off: genuine, tampered, and the QR link itself', async () => {
  const page = await context.newPage();
  const errors = watch(page);
  try {
    // Online, the QR link: the server's verdict, and the browser's own check agrees with it.
    await page.goto(`${app.url}/V/${payload}`);
    assert.equal(await verdictOf(page), 'valid');
    assert.equal(await page.locator('#result').getAttribute('data-checked-by'), 'server');
    await page.locator('[data-verdict][data-client-verdict]').waitFor();
    assert.equal(await page.locator('[data-verdict]').getAttribute('data-client-verdict'), 'valid');
    await ready(page);

    await page.goto(`${app.url}/verify`);
    await ready(page);
    assert.match(await page.getByTestId('offline').innerText(), /This page checks without the internet too \(revocation lists as of/);

    await context.setOffline(true);
    assert.equal(await page.evaluate(() => fetch('/healthz').then(() => 'reached', () => 'offline')), 'offline', 'the network is really off');
    await page.reload();
    await ready(page);

    assert.equal(await paste(page, `${app.url.toUpperCase()}/V/${payload}`), 'valid');
    const text = await said(page);
    assert.match(text, /అసలైనది · చెల్లుతుంది/);
    assert.match(text, /Genuine and valid/);
    assert.match(text, /Ravi Kumar/);
    assert.match(text, /ఆదాయ ధ్రువీకరణ పత్రం \/ Income Certificate/);
    assert.match(text, /₹1,20,000/);
    assert.match(text, /Revocation checked as of \d{1,2} \w+ 20\d\d/);
    await shot(page, 'verify-offline-valid.png');

    // One character changed, as a forger would: the signature no longer holds.
    const i = payload.length - 12;
    const forged = payload.slice(0, i) + (payload[i] === '7' ? '8' : '7') + payload.slice(i + 1);
    assert.ok(['bad_signature', 'malformed'].includes((await paste(page, forged))!));
    assert.match(await said(page), /నకిలీ లేదా మార్చబడింది|కోడ్ పాడైంది/);
    assert.equal(await page.locator('[data-testid=claims]').count(), 0, 'an altered code shows no claims');
    await shot(page, 'verify-offline-tampered.png');
    assert.equal(await paste(page, 'HC1:NCFOXN%TS3DH3ZSUZK+.V0ETD%'), 'wrong_format');

    // The QR code's own link, opened offline: the worker serves the page and the browser checks the link.
    await page.goto(`${app.url}/V/${payload}`);
    await page.locator('#result[data-checked-by=browser] [data-verdict]').waitFor();
    assert.equal(await verdictOf(page), 'valid');
    assert.deepEqual(errors, []);
  } finally {
    await context.setOffline(false);
    await page.close();
  }
});

test('offline, the camera reads the QR code and the page gives the verdict (the scanner itself kept for offline)', async () => {
  const page = await context.newPage();
  const errors = watch(page);
  try {
    await page.goto(`${app.url}/verify`);
    await ready(page);
    await context.setOffline(true);
    await page.reload();
    await ready(page);
    await page.locator('#scan').click();
    await page.locator('#result[data-checked-by=browser] [data-verdict]').waitFor();
    assert.equal(await verdictOf(page), 'valid');
    assert.match(await said(page), /Ravi Kumar/);
    assert.equal(await page.locator('#video').isVisible(), false, 'the camera is put away');
    assert.deepEqual(errors, []);
  } finally {
    await context.setOffline(false);
    await page.close();
  }
});

test('revoked while online: after the page refreshes its lists, offline it says revoked, as the server does', async () => {
  const done = await db.transaction((tx) => revokeCertificate(tx, { clock, notify: async () => undefined }, tahsildar, caseId, 'Income was misstated'));
  assert.ok(done.ok);
  const page = await context.newPage();
  const errors = watch(page);
  try {
    await page.goto(`${app.url}/V/${payload}`);
    assert.equal(await verdictOf(page), 'revoked');
    await page.locator('[data-verdict][data-client-verdict]').waitFor();
    assert.equal(await page.locator('[data-verdict]').getAttribute('data-client-verdict'), 'revoked', 'the browser agrees with the server');
    await ready(page);

    await context.setOffline(true);
    await page.goto(`${app.url}/verify`);
    await ready(page);
    assert.equal(await paste(page, payload), 'revoked');
    const text = await said(page);
    assert.match(text, /రద్దు చేయబడింది/);
    assert.match(text, /Revoked/);
    assert.match(text, /Revocation checked as of/);
    assert.doesNotMatch(text, /misstated/, 'the reason is for the citizen, not for whoever scans the paper');
    await shot(page, 'verify-offline-revoked.png');
    assert.deepEqual(errors, []);
  } finally {
    await context.setOffline(false);
    await page.close();
  }
});

test('a trust list with a lower serial than one already seen is refused, fresh or kept', async () => {
  const page = await context.newPage();
  const errors = watch(page);
  const infos: string[] = [];
  page.on('console', (m) => void (m.type() === 'info' && infos.push(m.text())));
  try {
    await page.goto(`${app.url}/verify`);
    await ready(page);
    // As if this browser had once been shown serial 1000: the server's list (and the copy kept) are older.
    await page.evaluate(() => localStorage.setItem('mitra-verify:trust-list-serial', '1000'));
    await page.reload();
    await page.locator('html[data-offline=unavailable]').waitFor();
    assert.match(infos.join('\n'), /downloaded trust list: serial \d+ is older than 1000, already seen/);
    assert.match(infos.join('\n'), /kept trust list: serial \d+ is older than 1000/);
    // Without lists it trusts, the page sends the code to the server (online), which still answers.
    await page.locator('#payload').fill(payload);
    await page.locator('#paste button[type=submit]').click();
    await page.waitForURL(/\/V\/MT1:/);
    assert.equal(await page.locator('#result').getAttribute('data-checked-by'), 'server');
    assert.equal(await verdictOf(page), 'revoked');
    await page.evaluate(() => localStorage.removeItem('mitra-verify:trust-list-serial'));
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});
