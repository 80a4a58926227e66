import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { z } from 'zod';
import type { Notify } from '../cases/index.ts';
import type { Catalog } from '../catalog/index.ts';
import { kidOf, VERIFY_PATH, verifyUrl } from '../documents/index.ts';
import type { OfficerEnv } from '../officers/index.ts';
import type { Clock, Db } from '../platform/index.ts';
import { checkCertificate, documentLabels } from './check.ts';
import { certificateLedgerProof } from './ledger-proof.ts';
import { latestTrustList } from './keystore.ts';
import { certificateByToken, type CertificateRecord } from './records.ts';
import { revokeCertificate } from './revoke.ts';
import { signedStatusListOf } from './status.ts';
import type { PageSetup } from './in-browser/setup.ts';
import { VERIFY_PAGE_POLICY, verifyPage } from './verify-page.ts';
import { representationFor, served, verifyScripts, type Served } from './verify-scripts.ts';

export interface CertificateRoutesOptions {
  db: Db;
  catalog: Catalog;
  clock: Clock;
  /** SIGNING_KEY_SECRET: status lists are signed with the department's key. */
  secret: string;
  /** Mitra's public origin: the host QR codes link to. */
  origin: string;
  /**
   * The state's root public key (raw Ed25519, base64url) the trust list is signed with. The verify
   * page carries it, so browsers check the lists themselves and work offline; unset, they ask the server.
   */
  rootPublicKey?: string;
  /** Draws a certificate's PDF with its QR code (the verify link). */
  renderPdf(record: CertificateRecord, qr: string, language: 'te' | 'en', ledgerProof?: string): Promise<Uint8Array>;
  requireOfficer: MiddlewareHandler<OfficerEnv>;
  notify: Notify;
  onNotices(): void;
}

const problem = (c: Context, status: 400 | 404 | 409 | 415 | 503, code: string, message: string) => c.json({ error: { code, message } }, status);
const DEPARTMENT = /^[A-Za-z0-9_.-]{1,32}$/;
const RevokeBody = z.object({ reason: z.string().trim().min(1, 'say why, in words the citizen can read').max(1000) });
const jsQR = () => readFileSync(createRequire(import.meta.url).resolve('jsqr/dist/jsQR.js'), 'utf8');

/**
 * Certificates on the web: the verify page the QR code opens, the trust and status lists verifiers
 * download, the PDF by its unguessable link, and revocation in the officers' API.
 */
export function certificateRoutes(o: CertificateRoutesOptions): Hono<OfficerEnv> {
  const app = new Hono<OfficerEnv>();
  const html = (c: Context, body: string) =>
    c.html(body, 200, { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer', 'x-content-type-options': 'nosniff', 'content-security-policy': VERIFY_PAGE_POLICY });
  const setup: PageSetup | undefined = o.rootPublicKey ? { rootKeys: [o.rootPublicKey] } : undefined;

  app.get(`${VERIFY_PATH}:payload{.+}`, async (c) => html(c, verifyPage(await checkCertificate(o.db, o.catalog, c.req.path.slice(VERIFY_PATH.length), o.clock.now()), setup)));
  app.get('/verify', (c) => {
    const pasted = c.req.query('payload')?.trim();
    if (!pasted) return html(c, verifyPage(undefined, setup));
    const at = pasted.toUpperCase().indexOf(VERIFY_PATH);
    return c.redirect(`${VERIFY_PATH}${encodeURI(at >= 0 ? pasted.slice(at + VERIFY_PATH.length) : pasted)}`, 303);
  });
  // The page's script and its service worker: revalidated on every load (no-cache, ETag), so a new
  // release reaches phones at once. The worker may control /verify and /V/, outside its own folder.
  // Each goes compressed to a client that takes it.
  const revalidated = async (c: Context, s: Served, type: string, extra: Record<string, string> = {}) => {
    const r = await representationFor(s, c.req.header('accept-encoding'));
    const headers: Record<string, string> = { 'content-type': type, 'cache-control': 'no-cache', etag: r.etag, vary: 'accept-encoding', 'x-content-type-options': 'nosniff', ...extra };
    if (r.encoding) headers['content-encoding'] = r.encoding;
    if (c.req.header('if-none-match') === r.etag) return c.body(null, 304, headers);
    return c.body(typeof r.body === 'string' ? r.body : (r.body as Uint8Array<ArrayBuffer>), 200, headers);
  };
  const JS = 'text/javascript; charset=utf-8';
  let script: Served | undefined;
  app.get('/verify/jsQR.js', (c) => revalidated(c, (script ??= served(jsQR())), JS, { 'cache-control': 'public, max-age=86400' }));
  app.get('/verify/app.js', async (c) => revalidated(c, (await verifyScripts()).page, JS));
  app.get('/verify/sw.js', async (c) => revalidated(c, (await verifyScripts()).worker, JS, { 'service-worker-allowed': '/' }));
  // The catalogue's titles and field labels, for verdicts the browser reaches itself.
  let labels: Served | undefined;
  app.get('/verify/labels.json', (c) => revalidated(c, (labels ??= served(JSON.stringify(documentLabels(o.catalog)))), 'application/json; charset=utf-8'));

  app.get('/.well-known/mitra/trust-list.json', async (c) => {
    const signed = await latestTrustList(o.db);
    if (!signed) return problem(c, 404, 'not_found', 'no trust list has been published yet (mitra keys publish)');
    return c.json(signed, 200, { 'cache-control': 'public, max-age=300' });
  });
  // The root key this server pins, for verifiers to compare with theirs. Fetched from the same
  // origin it proves nothing about the origin itself (see docs/documents.md, "Verifying").
  app.get('/.well-known/mitra/root-key.json', (c) => {
    if (!o.rootPublicKey) return problem(c, 404, 'not_found', 'this server is not told the root public key (TRUST_ROOT_PUBLIC_KEY)');
    return c.json({ keys: [{ kid: kidOf(Buffer.from(o.rootPublicKey, 'base64url')), publicKey: o.rootPublicKey }] }, 200, { 'cache-control': 'public, max-age=3600' });
  });
  app.get('/.well-known/mitra/status/:file', async (c) => {
    const department = c.req.param('file').replace(/\.json$/, '');
    if (!DEPARTMENT.test(department)) return problem(c, 404, 'not_found', 'no such department');
    const signed = await signedStatusListOf(o.db, o.secret, department, o.clock.now());
    if (!signed.ok) return problem(c, 404, 'not_found', `${department} publishes no status list: it has no signing key`);
    return c.json(signed.signed, 200, { 'cache-control': 'public, max-age=300' });
  });

  app.get('/certificates/:token/:filename', async (c) => {
    const record = await certificateByToken(o.db, c.req.param('token'));
    if (!record) return problem(c, 404, 'not_found', 'no such certificate');
    if (record.state !== 'issued' || !record.payload) return problem(c, 503, 'not_signed_yet', 'this certificate is waiting for its department\'s signing key');
    const pdf = await o.renderPdf(record, verifyUrl(record.payload, o.origin), record.language === 'en' ? 'en' : 'te', await certificateLedgerProof(o.db, record));
    return c.body(pdf as Uint8Array<ArrayBuffer>, 200, {
      'content-type': 'application/pdf',
      'content-disposition': `inline; filename="${c.req.param('filename').replace(/[^\w.-]/g, '_')}"`,
      'cache-control': 'private, no-store',
      'x-robots-tag': 'noindex',
    });
  });

  app.use('/api/v1/cases/:id/certificate/*', o.requireOfficer);
  app.post('/api/v1/cases/:id/certificate/revoke', async (c) => {
    const id = /^\d{1,15}$/.test(c.req.param('id')) ? Number(c.req.param('id')) : 0;
    if (!id) return problem(c, 404, 'not_found', 'no such case');
    if (!/^application\/json\s*(;|$)/i.test(c.req.header('content-type') ?? '')) return problem(c, 415, 'unsupported_media_type', 'send the reason as application/json');
    let raw: unknown;
    try {
      raw = JSON.parse(await c.req.text());
    } catch {
      return problem(c, 400, 'bad_json', 'the body is not valid JSON');
    }
    const body = RevokeBody.safeParse(raw);
    if (!body.success) return problem(c, 400, 'reason_required', body.error.issues.map((i) => i.message).join('; '));
    const done = await o.db.transaction((tx) => revokeCertificate(tx, { clock: o.clock, notify: o.notify }, c.get('officer'), id, body.data.reason));
    if (!done.ok) return problem(c, done.code === 'not_found' ? 404 : done.code === 'already_revoked' ? 409 : 400, done.code, done.message);
    o.onNotices();
    return c.json({ certificate: { number: done.number, revokedAt: done.revokedAt } });
  });
  return app;
}
