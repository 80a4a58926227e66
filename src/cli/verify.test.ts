import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import { generateKeyPair, newStatusList, setRevoked, signDocument, signStatusList, signTrustList, verifyUrl } from '../documents/index.ts';
import { at, incomeCertificate, world } from '../documents/testkit.ts';
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

test('mitra verify: a genuine payload as text, link, text file or PNG of the QR is VALID, with its claims', async () => {
  const r = await run([payload, ...base, '--status-list', statusList]);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /^VALID: income-certificate IC\/2025\/GNT\/TNL\/004217$/m);
  assert.match(r.stdout, /holder +Kondapalli Venkata Lakshmi Narasimha Rao/);
  assert.match(r.stdout, /revocation +not revoked \(REV01 status list of 2025-06-30T00:00:00.000Z\)/);

  const link = verifyUrl(payload, 'https://mitra.ap.gov.in');
  const png = file('qr.png', await QRCode.toBuffer([{ data: link, mode: 'alphanumeric' }], { errorCorrectionLevel: 'M', margin: 4, scale: 4 }));
  for (const input of [link, file('payload.txt', `${payload}\n`), png]) {
    const v = await run([input, ...base, '--status-list', statusList]);
    assert.equal(v.status, 0, `${input.slice(0, 40)}: ${v.stderr}`);
  }
  const white = new PNG({ width: 40, height: 40 });
  white.data.fill(255);
  const blank = file('blank.png', PNG.sync.write(white));
  const none = await run([blank, ...base]);
  assert.equal(none.status, 1);
  assert.match(none.stderr, /no QR code found/);
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

  const pdf = await run([file('certificate.pdf', '%PDF-1.7\n'), ...base]);
  assert.equal(pdf.status, 2);
  assert.match(pdf.stderr, /PDF is not supported yet/);
  assert.equal((await run([payload, '--trust-list', trustList])).status, 2, 'no root key');
  assert.equal((await run([...base])).status, 2, 'no payload');
  assert.equal((await run([payload, ...base, '--bogus'])).status, 2);
  assert.equal((await run([join(dir, 'missing.png'), ...base])).status, 2);
  assert.equal((await run([payload, ...base, '--at', 'yesterday'])).status, 2);
  assert.equal((await run([payload, '--trust-list', join(dir, 'nope.json'), '--root-key', rootKey])).status, 2);
});
