import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import jpeg from 'jpeg-js';
import PDFDocument from 'pdfkit';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import {
  generateKeyPair,
  newStatusList,
  renderCertificatePdf,
  revokeKey,
  setRevoked,
  signDocument,
  signStatusList,
  signTrustList,
  trustListOf,
  verifyUrl,
} from '../documents/index.ts';
import { at, incomeCertificate, incomeCertificatePdf, world } from '../documents/testkit.ts';
import { verifyCommand } from './verify.ts';

const bin = fileURLToPath(new URL('../../bin/mitra.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'mitra-verify-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const w = world();
const file = (name: string, content: string | Buffer) => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};
const trustList = file('trust-list.json', JSON.stringify(signTrustList(w.trustList, w.root), null, 2));
const rootKey = file('root.key', `${w.root.publicKey}\n`);
const good = newStatusList('REV01');
setRevoked(good, 99);
const statusList = file('rev01-status.json', JSON.stringify(signStatusList(good, w.rev, at('2025-06-30T00:00:00Z'))));
const claims = incomeCertificate();
const signed = signDocument(claims, w.rev);
assert.ok(signed.ok);
const payload = signed.payload;
const AT = '2025-07-01T09:00:00+05:30';

/** The real binary, as a user runs it (each start costs a couple of seconds: used for one case of each exit status). */
function mitra(args: string[], input?: string) {
  const env: Record<string, string | undefined> = { ...process.env, LOG_LEVEL: 'silent', MITRA_ROOT_KEY: undefined };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  return spawnSync(process.execPath, [bin, 'verify', ...args], { encoding: 'utf8', env, input });
}

/** The same command in this process, its output captured: for the many other cases. */
async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const { log, error } = console;
  console.log = (...a: unknown[]) => void out.push(a.join(' '));
  console.error = (...a: unknown[]) => void err.push(a.join(' '));
  try {
    const status = await verifyCommand.run(args);
    return { status, stdout: out.join('\n'), stderr: err.join('\n') };
  } finally {
    console.log = log;
    console.error = error;
  }
}
const base = ['--trust-list', trustList, '--root-key', rootKey, '--at', AT];

test('node bin/mitra.js verify: exit 0 for a genuine link on stdin (--json), 1 for an altered payload, 2 for a usage error', () => {
  const link = verifyUrl(payload, 'https://mitra.ap.gov.in');
  const ok = mitra(['-', ...base, '--status-list', statusList, '--json'], `${link}\n`);
  assert.equal(ok.status, 0, ok.stderr);
  assert.deepEqual(JSON.parse(ok.stdout), { verdict: { valid: true, issuer: { department: 'REV01', kid: w.rev.kid }, statusChecked: true }, claims });

  const altered = payload.slice(0, 40) + (payload[40] === 'A' ? 'B' : 'A') + payload.slice(41);
  const bad = mitra([altered, ...base, '--status-list', statusList]);
  assert.equal(bad.status, 1, bad.stderr);
  assert.match(bad.stdout, /^NOT VALID \((bad_signature|malformed)\): /m);

  const usage = mitra([payload, '--root-key', rootKey]);
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /--trust-list is required/);
});

test('mitra verify: a genuine payload as text, link, text file, PNG or JPEG of the QR is VALID, with its claims', async () => {
  const r = await run([payload, ...base, '--status-list', statusList]);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /^VALID: income-certificate IC\/2025\/GNT\/TNL\/004217$/m);
  assert.match(r.stdout, /holder +Kondapalli Venkata Lakshmi Narasimha Rao/);
  assert.match(r.stdout, /revocation +not revoked \(REV01 status list of 2025-06-30T00:00:00.000Z\)/);

  const link = verifyUrl(payload, 'https://mitra.ap.gov.in');
  const png = file('qr.png', await QRCode.toBuffer([{ data: link, mode: 'alphanumeric' }], { errorCorrectionLevel: 'M', margin: 4, scale: 4 }));
  const decoded = PNG.sync.read(readFileSync(png));
  const jpg = file('qr.jpg', jpeg.encode({ data: decoded.data, width: decoded.width, height: decoded.height }, 90).data);
  for (const input of [link, file('payload.txt', `${payload}\n`), png, jpg]) {
    const v = await run([input, ...base, '--status-list', statusList]);
    assert.equal(v.status, 0, `${input.slice(0, 40)}: ${v.stderr}`);
  }
  const white = new PNG({ width: 40, height: 40 });
  white.data.fill(255);
  const blank = file('blank.png', PNG.sync.write(white));
  const none = await run([blank, ...base]);
  assert.equal(none.status, 2, 'a picture without a QR code is an input that cannot be read');
  assert.match(none.stderr, /blank\.png: no QR code was found in the picture/);
  // pdf.js marks the global object when it loads; the PDF tests come after this one.
  assert.ok(!('pdfjsLib' in globalThis), 'payloads, links, text files and pictures are verified without loading pdf.js');
});

test('mitra verify: not valid exits 1 with the code and reason (altered, revoked, unknown key, wrong format, expired, revocation unchecked)', async () => {
  const altered = payload.slice(0, 40) + (payload[40] === 'A' ? 'B' : 'A') + payload.slice(41);
  const r = await run([altered, ...base, '--json']);
  assert.equal(r.status, 1);
  const out = JSON.parse(r.stdout);
  assert.equal(out.verdict.valid, false);
  assert.match(out.verdict.code, /^(bad_signature|malformed)$/);
  assert.equal(out.claims, null);

  const revokedList = newStatusList('REV01');
  setRevoked(revokedList, claims.statusIndex);
  const revoked = await run([payload, ...base, '--status-list', file('revoked.json', JSON.stringify(signStatusList(revokedList, w.rev, at('2025-06-30T00:00:00Z'))))]);
  assert.equal(revoked.status, 1);
  assert.match(revoked.stdout, /^NOT VALID \(revoked\): revoked by REV01/m);

  const stranger = world();
  const s = signDocument(incomeCertificate(), stranger.rev);
  assert.ok(s.ok);
  const unknown = await run([s.payload, ...base]);
  assert.equal(unknown.status, 1);
  assert.match(unknown.stdout, /NOT VALID \(unknown_issuer\)/);

  const hc1 = await run(['HC1:NCFOXN%TSMAHN-H9QCGDSB5QPN', ...base]);
  assert.equal(hc1.status, 1);
  assert.match(hc1.stdout, /NOT VALID \(wrong_format\)/);

  const unchecked = await run([payload, ...base]);
  assert.equal(unchecked.status, 1, 'genuine, but revocation unknown: not confirmed');
  assert.match(unchecked.stdout, /^GENUINE, BUT REVOCATION NOT CHECKED/m);
  assert.match(unchecked.stderr, /--skip-status/);
  assert.equal((await run([payload, ...base, '--skip-status'])).status, 0);

  const expired = await run([payload, ...base.slice(0, 4), '--at', '2026-07-01T00:00:00Z', '--skip-status']);
  assert.equal(expired.status, 1);
  assert.match(expired.stdout, /NOT VALID \(expired\)/);
});

test('mitra verify: a trust list not signed by the pinned root exits 1; usage errors exit 2', async () => {
  const otherRoot = file('other-root.key', generateKeyPair().publicKey);
  const r = await run([payload, '--trust-list', trustList, '--root-key', otherRoot, '--at', AT]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /trust list is not usable \(unknown_signer\)/);
  const tampered = JSON.parse(JSON.stringify(signTrustList(w.trustList, w.root)));
  tampered.trustList.keys[0].notAfter = '2099-01-01T00:00:00.000Z';
  assert.match((await run([payload, '--trust-list', file('tampered.json', JSON.stringify(tampered)), '--root-key', rootKey])).stderr, /bad_signature/);

  assert.equal((await run([payload, '--trust-list', trustList])).status, 2, 'no root key');
  assert.equal((await run([...base])).status, 2, 'no payload');
  assert.equal((await run([payload, ...base, '--bogus'])).status, 2);
  assert.equal((await run([join(dir, 'missing.png'), ...base])).status, 2);
  assert.equal((await run([payload, ...base, '--at', 'yesterday'])).status, 2);
  assert.equal((await run([payload, '--trust-list', join(dir, 'nope.json'), '--root-key', rootKey])).status, 2);
});

/** A PDF that pdfkit draws: a page of text, say, as any office might send. */
function pdfOf(draw: (doc: PDFKit.PDFDocument) => void, options: PDFKit.PDFDocumentOptions = {}): Promise<Buffer> {
  return new Promise((resolve) => {
    const doc = new PDFDocument(options);
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    draw(doc);
    doc.end();
  });
}

test('node bin/mitra.js verify certificate.pdf: the QR code is read off the printed certificate; exit 0 and the claims (--json)', async () => {
  const pdf = Buffer.from(await renderCertificatePdf(incomeCertificatePdf(claims, verifyUrl(payload, 'https://mitra.ap.gov.in'))));
  const ok = mitra([file('income-certificate.pdf', pdf), ...base, '--status-list', statusList, '--json']);
  assert.equal(ok.status, 0, ok.stderr);
  assert.deepEqual(JSON.parse(ok.stdout), { verdict: { valid: true, issuer: { department: 'REV01', kid: w.rev.kid }, statusChecked: true }, claims });

  // A download that lost its name is still known for a PDF by its first bytes.
  const unnamed = await run([file('download', pdf), ...base, '--status-list', statusList]);
  assert.equal(unnamed.status, 0, unnamed.stderr);
  assert.match(unnamed.stdout, /^VALID: income-certificate IC\/2025\/GNT\/TNL\/004217$/m);
});

test('mitra verify certificate.pdf: 1 when the key that signed it was revoked; 2 with the reason for a PDF without a QR code, a protected, corrupt or cut-off one', async () => {
  const pdf = Buffer.from(await renderCertificatePdf(incomeCertificatePdf(claims, verifyUrl(payload, 'https://mitra.ap.gov.in'))));
  const printed = file('printed.pdf', pdf);
  const compromised = revokeKey(w.keys, w.rev.kid, 'key leaked', at('2025-06-20T00:00:00Z'));
  assert.ok(compromised.ok);
  const newTrust = file('trust-list-2.json', JSON.stringify(signTrustList(trustListOf(compromised.keys, 2, at('2025-06-20T00:00:00Z')), w.root)));
  const revoked = await run([printed, '--trust-list', newTrust, '--root-key', rootKey, '--at', AT, '--json']);
  assert.equal(revoked.status, 1, revoked.stderr);
  const out = JSON.parse(revoked.stdout);
  assert.equal(out.verdict.code, 'key_revoked');
  assert.match(out.verdict.message, /key leaked/);

  const letter = file('letter.pdf', await pdfOf((d) => d.text('Office of the Tahsildar, Tenali. No QR code on this page.')));
  const noQr = await run([letter, ...base]);
  assert.equal(noQr.status, 2);
  assert.match(noQr.stderr, /letter\.pdf: no QR code was found on the PDF/);
  assert.doesNotMatch(noQr.stderr, /usage:/, 'the reason, not the usage text');

  const pages = file('pages.pdf', await pdfOf((d) => [1, 2, 3].forEach((n) => d.text(`page ${n}`).addPage())));
  assert.match((await run([pages, ...base])).stderr, /no QR code was found on its first 3 pages \(of 4\)/);

  const locked = await run([file('locked.pdf', await pdfOf((d) => d.text('secret'), { userPassword: 'x' })), ...base]);
  assert.equal(locked.status, 2);
  assert.match(locked.stderr, /locked\.pdf: the PDF is protected by a password/);

  for (const [name, bytes] of [
    ['corrupt.pdf', Buffer.from('%PDF-1.7\nnot really a PDF')],
    ['cut-off.pdf', pdf.subarray(0, 4096)],
    ['empty.pdf', Buffer.alloc(0)],
  ] as const) {
    const r = await run([file(name, bytes), ...base]);
    assert.equal(r.status, 2, `${name}: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`${name.replace('.', '\\.')}: the PDF could not be read`), name);
  }
});
