import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sign, verify } from 'node:crypto';
import { test } from 'node:test';
import { VECTORS } from '../../test/vectors.ts';
import QRCode from 'qrcode';
import { BASE45_ALPHABET } from './base45.ts';
import { encodeClaims } from './claims.ts';
import { privateKeyOf, publicKeyOf } from './keys.ts';
import { parsePayload, signDocument, verifyUrl } from './payload.ts';
import { at, incomeCertificate, world } from './testkit.ts';
import { verifyDocument } from './verify.ts';

/** The smallest QR version holding `text` as one alphanumeric segment at this error-correction level. */
function qrVersion(text: string, level: 'L' | 'M' | 'Q' | 'H'): number {
  return QRCode.create([{ data: text, mode: 'alphanumeric' }], { errorCorrectionLevel: level }).version;
}
const modules = (v: number) => 17 + 4 * v;

test('size: a realistic Andhra income certificate fits an alphanumeric QR no bigger than the EU DCC (printed)', () => {
  const w = world(true); // fixed keys: Ed25519 is deterministic, so the sizes are the same every run
  const claims = incomeCertificate();
  const signed = signDocument(claims, w.rev);
  assert.ok(signed.ok);
  const url = verifyUrl(signed.payload, 'https://mitra.ap.gov.in');
  for (const ch of url) assert.ok(BASE45_ALPHABET.includes(ch), `${JSON.stringify(ch)} is in the QR alphanumeric set`);
  const qr = QRCode.create([{ data: url, mode: 'alphanumeric' }], { errorCorrectionLevel: 'M' });
  assert.deepEqual(
    qr.segments.map((s) => s.mode.id),
    ['Alphanumeric'],
    'one alphanumeric segment',
  );
  const parsed = parsePayload(url);
  assert.ok(parsed.ok);
  const vM = qrVersion(url, 'M');
  const vQ = qrVersion(url, 'Q');

  // The peer: EU DCC payloads from the public test data (HC1:, Base45, alphanumeric), the whole corpus.
  const dcc: number[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.includes(join('2DCode', 'raw')) && e.name.endsWith('.json')) {
        let prefix: unknown;
        try {
          prefix = JSON.parse(readFileSync(p, 'utf8')).PREFIX;
        } catch {
          continue;
        }
        if (typeof prefix === 'string' && prefix.startsWith('HC1:') && [...prefix].every((c) => BASE45_ALPHABET.includes(c))) dcc.push(qrVersion(prefix, 'M'));
      }
    }
  };
  walk(join(VECTORS, 'dgc'));
  dcc.sort((a, b) => a - b);
  const dccMedian = dcc[Math.floor(dcc.length / 2)]!;
  const bareM = qrVersion(signed.payload, 'M');

  console.log(
    [
      `  income certificate: claims ${encodeClaims(claims).length} B CBOR, COSE_Sign1 ${signed.cose.length} B, zlib ${signed.compressed ? `used (${(signed.payload.length - 4) / 1.5 | 0} B)` : 'not smaller, not used'}`,
      `  bare payload ${signed.payload.length} chars; verify URL ${url.length} chars (${url.slice(0, 40)}…)`,
      `  QR, verify URL: version ${vM} at ECC M (${modules(vM)}×${modules(vM)} modules), version ${vQ} at ECC Q; bare payload: v${bareM} at M`,
      `  EU DCC test corpus (${dcc.length} HC1 payloads): median v${dccMedian} at M (range v${dcc[0]}–v${dcc.at(-1)})`,
    ].join('\n'),
  );
  assert.ok(bareM <= dccMedian, `the bare payload (v${bareM}) is no bigger than the DCC median (v${dccMedian})`);
  assert.ok(vM <= dccMedian + 1, `the verify URL (v${vM}) costs at most one version more`);
  assert.equal(verifyDocument(url, { trustList: w.trustList, now: at('2025-07-01T00:00:00Z') }).valid, true);
});

test('speed: verifications a second on one core, the full path from the URL string, next to bare Ed25519 (printed, not asserted)', () => {
  const w = world();
  const signed = signDocument(incomeCertificate(), w.rev);
  assert.ok(signed.ok);
  const url = verifyUrl(signed.payload, 'https://mitra.ap.gov.in');
  const ctx = { trustList: w.trustList, now: at('2025-07-01T00:00:00Z') };
  assert.equal(verifyDocument(url, ctx).valid, true);
  const message = new Uint8Array(400);
  const signature = sign(null, message, privateKeyOf(w.rev));
  const publicKey = publicKeyOf(w.rev);
  const doc = rate(() => verifyDocument(url, ctx));
  const raw = rate(() => verify(null, message, publicKey, signature));
  console.log(`  verifyDocument ${doc.toLocaleString('en')}/s; node:crypto Ed25519 verify alone ${raw.toLocaleString('en')}/s (${Math.round((100 * doc) / raw)} %)`);
});

/** Calls a second, for about 0.6 s after a warm-up. */
function rate(f: () => unknown): number {
  for (let i = 0; i < 300; i++) f();
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < 600) {
    for (let i = 0; i < 100; i++) f();
    n += 100;
  }
  return Math.round(n / ((performance.now() - start) / 1000));
}
