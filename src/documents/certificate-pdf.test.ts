// The certificate PDF end to end: sign an income certificate, render it, print it to pixels (pdf.js,
// as `mitra verify certificate.pdf` does), and read it back the way a citizen's phone and a clerk's eyes would: the QR code with jsQR, the
// words with Tesseract OCR (Telugu and English). Needs Debian's tesseract-ocr and tesseract-ocr-tel
// (.ci/run installs them); without them the OCR test fails, it does not skip.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import jsqr from 'jsqr';
import { openPdf, renderCertificatePdf, signDocument, verifyDocument, verifyUrl, type OpenPdf } from './index.ts';
import { at, incomeCertificate, incomeCertificatePdf, world } from './testkit.ts';

const jsQR = jsqr.default; // a CommonJS module: its exports object, whose default is the function

const dir = mkdtempSync(join(tmpdir(), 'mitra-certificate-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const w = world(true);
const claims = incomeCertificate();
const signed = signDocument(claims, w.rev);
assert.ok(signed.ok);
const url = verifyUrl(signed.payload, 'https://mitra.ap.gov.in');
const input = incomeCertificatePdf(claims, url);

/** Opens the PDF for `use` and closes it after. */
async function reading<T>(pdf: Uint8Array, use: (doc: OpenPdf) => Promise<T>): Promise<T> {
  const doc = await openPdf(pdf);
  try {
    return await use(doc);
  } finally {
    await doc.close();
  }
}
/** Page 1 at `dpi`, as a printer or a scanner would see it. */
const rasterise = (pdf: Uint8Array, dpi: number) => reading(pdf, (doc) => doc.image(1, dpi));
const pagesOf = (pdf: Uint8Array) => reading(pdf, async (doc) => doc.pageCount);
const textOf = (pdf: Uint8Array) => reading(pdf, (doc) => doc.text(1));

function tesseract(png: Buffer): string {
  const langs = spawnSync('tesseract', ['--list-langs'], { encoding: 'utf8' });
  assert.ok(!langs.error, `tesseract is not installed (${langs.error?.message}): apt-get install tesseract-ocr tesseract-ocr-tel (.ci/run does)`);
  assert.match(langs.stdout, /^tel$/m, 'the Telugu OCR data is not installed: apt-get install tesseract-ocr-tel (.ci/run does)');
  const file = join(dir, 'page.png');
  writeFileSync(file, png);
  // One thread: Tesseract's OpenMP threads only contend on a small CI machine.
  const r = spawnSync('tesseract', [file, '-', '-l', 'tel+eng'], { encoding: 'utf8', env: { ...process.env, OMP_THREAD_LIMIT: '1' } });
  assert.equal(r.status, 0, `tesseract failed: ${r.stderr}`);
  return r.stdout;
}
/** OCR text compared without spaces and joiners, which OCR keeps or drops at will. */
const squeezed = (s: string) => s.replace(/[\s\u200C\u200D]+/g, '');

let rendered: Uint8Array | undefined;
const certificate = async () => (rendered ??= await renderCertificatePdf(input));

test('certificate PDF: one A4 page whose printed QR code (≥ 35 mm, quiet zone clear) reads back as the verify URL, and the URL verifies', async () => {
  const pdf = await certificate();
  assert.equal(Buffer.from(pdf.subarray(0, 5)).toString(), '%PDF-');
  assert.equal(await pagesOf(pdf), 1);
  const size = await reading(pdf, (doc) => doc.pageSize(1));
  assert.deepEqual([Math.round(size.width), Math.round(size.height)], [595, 842], 'A4 in points');

  const dpi = 150;
  const png = await rasterise(pdf, dpi);
  const code = jsQR(png.rgba, png.width, png.height);
  assert.ok(code, 'a QR code is found on the page');
  assert.equal(code.data, url, 'the QR code holds the verify URL');
  const verdict = verifyDocument(code.data, { trustList: w.trustList, now: at('2025-07-01T00:00:00Z') });
  assert.ok(verdict.valid, `the scanned URL verifies: ${JSON.stringify(verdict)}`);
  assert.equal(verdict.claims.documentNumber, claims.documentNumber);

  // Printed size, from where jsQR found the code's corners.
  const { topLeftCorner: tl, topRightCorner: tr, bottomLeftCorner: bl } = code.location;
  const px = (a: { x: number; y: number }, b: { x: number; y: number }) => Math.hypot(a.x - b.x, a.y - b.y);
  const mm = (pixels: number) => (pixels / dpi) * 25.4;
  const side = mm(Math.max(px(tl, tr), px(tl, bl)));
  assert.ok(side >= 35, `the code is ${side.toFixed(1)} mm across (at least 35 mm)`);
  // The quiet zone: four modules of white all round (less a pixel of anti-aliasing at the edge).
  const modules = 17 + 4 * code.version;
  const module = px(tl, tr) / modules;
  const [x0, y0, x1, y1] = [Math.min(tl.x, bl.x), Math.min(tl.y, tr.y), Math.max(tr.x, code.location.bottomRightCorner.x), Math.max(bl.y, code.location.bottomRightCorner.y)];
  let dark = 0;
  for (let y = Math.floor(y0 - 4 * module); y <= Math.ceil(y1 + 4 * module); y++)
    for (let x = Math.floor(x0 - 4 * module); x <= Math.ceil(x1 + 4 * module); x++) {
      const inside = x > x0 - 2 && x < x1 + 2 && y > y0 - 2 && y < y1 + 2;
      if (!inside && png.rgba[(y * png.width + x) * 4]! < 200) dark++;
    }
  assert.equal(dark, 0, 'nothing is printed in the quiet zone');
  console.log(`  QR: version ${code.version} (${modules}×${modules} modules), ${side.toFixed(1)} mm across, ${((module / dpi) * 25.4).toFixed(2)} mm a module; decoded from a ${dpi} dpi print`);
});

test('certificate PDF: OCR (Tesseract, tel+eng) reads back the Telugu title, the holder\'s Telugu name, a Telugu field and the English title', async () => {
  const pdf = await certificate();
  const png = (await rasterise(pdf, 300)).png();
  // MITRA_CERTIFICATE_PNG=docs/images/certificate-example.png remakes the picture in docs/documents.md.
  if (process.env.MITRA_CERTIFICATE_PNG) writeFileSync(process.env.MITRA_CERTIFICATE_PNG, (await rasterise(pdf, 100)).png());
  const text = tesseract(png);
  const seen = squeezed(text);
  for (const expected of ['ఆదాయ ధ్రువీకరణ పత్రం', 'కొండపల్లి వెంకట లక్ష్మీ నరసింహారావు', 'కొండపల్లి సుబ్బారావు', 'తండ్రి పేరు'])
    assert.ok(seen.includes(squeezed(expected)), `OCR reads ${expected}:\n${text}`);
  assert.match(text, /INCOME CERTIFICATE/, 'OCR reads the English title');
  assert.match(text, /IC\/2025\/GNT\/TNL\/004217/, 'OCR reads the certificate number');
});

test('certificate PDF: the same certificate renders to the same bytes, and it is small (size printed)', async () => {
  const pdf = await certificate();
  const again = await renderCertificatePdf(input);
  assert.ok(Buffer.from(pdf).equals(Buffer.from(again)), 'same input, same bytes');
  const started = performance.now();
  await renderCertificatePdf(input);
  const ms = performance.now() - started;
  assert.ok(pdf.length < 100_000, `${pdf.length} bytes`);
  console.log(`  income certificate PDF: ${(pdf.length / 1024).toFixed(1)} KB (4 subset fonts), rendered in ${ms.toFixed(0)} ms once warm`);
});

test('certificate PDF: English first when the citizen chose English; a lifelong certificate says so', async () => {
  const pdf = await renderCertificatePdf({ ...input, language: 'en', validUntil: undefined });
  assert.equal(await pagesOf(pdf), 1);
  const lines = await textOf(pdf);
  assert.equal(lines[0], 'Government of Andhra Pradesh');
  assert.ok(lines.includes('Validity'), 'no expiry date: the validity cell says so');
  assert.ok(lines.some((l) => l.includes('Permanent')));
  assert.ok(!lines.includes('Valid until'));
});

test('certificate PDF: many fields are set smaller to stay on one page; too many, or a QR text that is not the verify URL, are refused', async () => {
  const field = (i: number) => ({ label: { te: `వివరం ${i}`, en: `Detail ${i}` }, value: `విలువ ${i} (value ${i})` });
  const many = await renderCertificatePdf({ ...input, fields: Array.from({ length: 12 }, (_, i) => field(i)) });
  assert.equal(await pagesOf(many), 1);
  await assert.rejects(renderCertificatePdf({ ...input, fields: Array.from({ length: 40 }, (_, i) => field(i)) }), /do not fit on one page/);
  await assert.rejects(renderCertificatePdf({ ...input, qr: url.toLowerCase() }), /upper-case verify URL/);
});
