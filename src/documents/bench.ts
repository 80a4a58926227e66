// Quick figures for the documents core, one core, no server:
//   node --import tsx src/documents/bench.ts [seconds-per-measure]
// Prints the income certificate's sizes, then signatures and verifications a second, next to bare
// node:crypto Ed25519 for scale. Numbers vary with the machine's load; nothing is asserted.
import { sign, verify } from 'node:crypto';
import { encodeClaims } from './claims.ts';
import { privateKeyOf, publicKeyOf } from './keys.ts';
import { newStatusList, setRevoked } from './status-list.ts';
import { signDocument, verifyUrl } from './payload.ts';
import { at, incomeCertificate, world } from './testkit.ts';
import { verifyDocument } from './verify.ts';

const seconds = Number(process.argv[2] ?? 2);

function rate(name: string, f: () => unknown): number {
  for (let i = 0; i < 500; i++) f();
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) {
    for (let i = 0; i < 100; i++) f();
    n += 100;
  }
  const perSecond = Math.round(n / ((performance.now() - start) / 1000));
  console.log(`${name.padEnd(44)} ${perSecond.toLocaleString('en').padStart(8)}/s  ${(1e6 / perSecond).toFixed(1).padStart(6)} µs`);
  return perSecond;
}

const w = world();
const claims = incomeCertificate();
const signed = signDocument(claims, w.rev);
if (!signed.ok) throw new Error(signed.message);
const url = verifyUrl(signed.payload, 'https://mitra.ap.gov.in');
const statusList = newStatusList('REV01', 1 << 20);
setRevoked(statusList, 12345);
const ctx = { trustList: w.trustList, statusList, now: at('2025-07-01T00:00:00Z') };
if (!verifyDocument(url, ctx).valid) throw new Error('the sample does not verify');

console.log(`income certificate: claims ${encodeClaims(claims).length} B, COSE ${signed.cose.length} B, ${signed.compressed ? 'zlib' : 'no zlib'}, bare ${signed.payload.length} chars, URL ${url.length} chars`);
const message = new Uint8Array(signed.cose.length);
const signature = sign(null, message, privateKeyOf(w.rev));
const publicKey = publicKeyOf(w.rev);
const raw = rate('node:crypto Ed25519 verify (reference)', () => verify(null, message, publicKey, signature));
const full = rate('verifyDocument (URL form, status list)', () => verifyDocument(url, ctx));
rate('signDocument', () => signDocument(claims, w.rev));
console.log(`verifyDocument runs at ${Math.round((100 * full) / raw)} % of bare Ed25519 verification`);
