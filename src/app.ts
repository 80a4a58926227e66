import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { z } from 'zod';
import { Hono } from 'hono';
import {
  createGraphClient,
  createProactive,
  createInbox,
  createReadReceipts,
  createSender,
  createSimulator,
  createWorker,
  RecipientPacing,
  listOutbound,
  whatsappWebhook,
  nodeWebhook,
  type Simulator,
  type TurnHandler,
} from './channel/index.ts';
import { GRAPH_URL_META, createMetrics, ledgerKeySeed, migrate, openDb, signingKeySecret, systemClock, trustRootSeed, type Clock, type Config, type Db, type Logger } from './platform/index.ts';
import { ed25519Signer, ed25519Verifier, formatVerifierKey, SIGNATURE_TYPE } from './ledger/index.ts';
import { keyPairFromSeed } from './documents/index.ts';
import { consistencyProofOf, createSequencer, directoryAnchor, ledgerRoutes, openLedger, recordInLedger, sha256Hex, witnessClient } from './transparency-log/index.ts';
import { certificatePdf, certificateRoutes, createPhotoChecker, ensureDemoKeys, issueCertificate, pinnedRootKey, rootKeyOf, signWaitingCertificates } from './certificates/index.ts';
import { sweepCases, type CaseDeps } from './cases/index.ts';
import type { Catalog } from './catalog/index.ts';
import { createDirectory, noticeMessage, photoCheckReply } from './conversation/index.ts';
import { officerRoutes } from './officers/index.ts';
import { casesApi, docsPage, officePages, openApiDocument } from './portal/index.ts';

export interface App {
  url: string;
  db: Db;
  simulator?: Simulator;
  /** The credentials in force (generated ones when simulated), for tests and the start banner. */
  whatsapp: { appSecret: string; verifyToken: string; accessToken: string; phoneNumberId: string; graphUrl: string };
  metrics: ReturnType<typeof createMetrics>;
  /** What case changes need: the catalogue's services, the clock, and the citizen notices (with a catalogue). */
  cases?: CaseDeps;
  /** One SLA sweep now (it also runs every CASE_SWEEP_SECONDS), and certificates signed that waited for a key. */
  sweep(): Promise<{ escalated: number; closed: number; signed: number }>;
  /** Tells the sender that messages were queued outside a turn. */
  poke(): void;
  stop(): Promise<void>;
}

export interface StartOptions {
  config: Config;
  log: Logger;
  handler: TurnHandler;
  /** Use this database instead of opening one from the config (tests). */
  db?: Db;
  /** Run the webhook only, or the worker and sender only; default both (one process). */
  roles?: { webhook?: boolean; work?: boolean };
  /** The catalogue: with it, cases are swept for SLAs and citizens hear about their cases. */
  catalog?: Catalog;
  clock?: Clock;
}

/** Wires the parts: database, webhook, worker, sender, and the simulator when no number is set. */
export async function startApp(opts: StartOptions): Promise<App> {
  const { config, log } = opts;
  const db = opts.db ?? (await openDb({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, poolSize: config.WORKER_CONCURRENCY + 8 }));
  const applied = await migrate(db);
  if (applied.length) log.info({ applied }, 'database migrated');
  const metrics = createMetrics();
  const roles = { webhook: true, work: true, ...opts.roles };

  const http = new Hono();
  const honoListener = getRequestListener(http.fetch);
  // The webhook's POST, four of them a turn, is answered straight on Node's request; the rest by Hono.
  let fastWebhook: ((req: IncomingMessage, res: ServerResponse) => boolean) | undefined;
  const server: Server = createServer((req, res) => {
    if (fastWebhook?.(req, res)) return;
    void honoListener(req, res);
  });
  await new Promise<void>((resolve) => server.listen(config.PORT, config.HOST, () => resolve()));
  const port = (server.address() as AddressInfo).port;
  const url = config.PUBLIC_URL ?? `http://127.0.0.1:${port}`;

  const whatsapp = config.simulated
    ? { appSecret: randomBytes(24).toString('hex'), verifyToken: randomBytes(12).toString('hex'), accessToken: randomBytes(24).toString('hex'), phoneNumberId: '100200300400500', graphUrl: config.WHATSAPP_GRAPH_URL ?? `${url}/simulator/graph` }
    : { appSecret: config.WHATSAPP_APP_SECRET!, verifyToken: config.WHATSAPP_VERIFY_TOKEN!, accessToken: config.WHATSAPP_ACCESS_TOKEN!, phoneNumberId: config.WHATSAPP_PHONE_NUMBER_ID!, graphUrl: config.WHATSAPP_GRAPH_URL ?? GRAPH_URL_META };

  let simulator: Simulator | undefined;
  if (config.simulated) {
    simulator = createSimulator({ ...whatsapp, webhookUrl: `${url}/webhooks/whatsapp`, publicUrl: `${url}/simulator`, statuses: config.SIMULATOR_STATUSES });
    http.route('/simulator', simulator.app);
  }

  // A Graph call must give up well before its lease ends, or a slow one could be taken and sent again.
  const graph = createGraphClient({ baseUrl: whatsapp.graphUrl, version: config.WHATSAPP_GRAPH_VERSION, accessToken: whatsapp.accessToken, phoneNumberId: whatsapp.phoneNumberId, timeoutMs: Math.min(10_000, config.SENDER_LEASE_MS / 2) });
  const sender = createSender({ db, graph, log, metrics, rate: config.WHATSAPP_RATE, concurrency: config.SENDER_CONCURRENCY, leaseMs: config.SENDER_LEASE_MS, recoveryGraceMs: config.SENDER_RECOVERY_GRACE_MS, maxAttempts: config.SENDER_MAX_ATTEMPTS, pacing: new RecipientPacing(1 / 6, config.WHATSAPP_PAIR_BURST) });
  let photoChecker: ReturnType<typeof createPhotoChecker> | undefined;
  const worker = createWorker({ db, handler: opts.handler, log, metrics, batch: config.WORKER_BATCH, concurrency: config.WORKER_CONCURRENCY, retryBaseMs: config.WORKER_RETRY_MS, onReplies: () => { sender.poke(); photoChecker?.poke(); } });
  const receipts = config.WHATSAPP_MARK_READ ? createReadReceipts({ graph, log, metrics }) : undefined;
  const inbox = createInbox({
    db,
    log,
    metrics,
    onStored: (messages) => {
      worker.poke();
      receipts?.send(messages);
    },
  });

  if (roles.webhook) {
    const webhookOptions = { appSecret: whatsapp.appSecret, verifyToken: whatsapp.verifyToken, inbox, log, metrics, maxAgeMs: config.INBOX_RETENTION_DAYS * 86_400_000 };
    http.route('/webhooks/whatsapp', whatsappWebhook(webhookOptions));
    fastWebhook = nodeWebhook(webhookOptions, '/webhooks/whatsapp');
  }
  http.get('/healthz', async (c) => {
    try {
      await db.query('select 1');
      return c.json({ status: 'ok', database: db.kind });
    } catch {
      return c.json({ status: 'unavailable', database: db.kind }, 503);
    }
  });
  http.get('/metrics', async (c) => {
    const [depth] = await db.query<{ inbox: number; outbox: number }>(
      `select (select count(*) from inbox where state = 'pending')::int as inbox,
              (select count(*) from outbox where open)::int as outbox`,
    );
    metrics.inboxDepth.set(depth?.inbox ?? 0);
    metrics.outboxDepth.set(depth?.outbox ?? 0);
    return c.text(await metrics.registry.metrics(), 200, { 'content-type': metrics.registry.contentType });
  });
  // Operators' view of outbound messages. Loopback only until officer accounts exist (cases issue).
  const outboundQuery = z.object({
    state: z.enum(['queued', 'sending', 'sent', 'delivered', 'read', 'failed']).optional(),
    wa_id: z.string().regex(/^\d{6,15}$/).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  });
  http.get('/api/v1/outbound', async (c) => {
    const address = getConnInfo(c).remote.address ?? '';
    if (!['127.0.0.1', '::1', '::ffff:127.0.0.1'].includes(address)) {
      return c.json({ error: { code: 'forbidden', message: 'this endpoint answers on loopback only' } }, 403);
    }
    const q = outboundQuery.safeParse(c.req.query());
    if (!q.success) return c.json({ error: { code: 'bad_query', message: q.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') } }, 400);
    return c.json({ messages: await listOutbound(db, { state: q.data.state, waId: q.data.wa_id, limit: q.data.limit }) });
  });
  http.get('/', (c) => c.redirect(config.simulated ? '/simulator/chat' : '/healthz'));
  http.notFound((c) => c.json({ error: { code: 'not_found', message: `no route for ${c.req.method} ${c.req.path}` } }, 404));
  http.onError((err, c) => {
    log.error({ err }, 'request failed');
    return c.json({ error: { code: 'internal', message: 'something went wrong on our side' } }, 500);
  });

  const clock = opts.clock ?? systemClock;
  const signingSecret = signingKeySecret(config);
  let cases: CaseDeps | undefined;
  if (opts.catalog) {
    const catalog = opts.catalog;
    const directory = createDirectory(catalog);
    const proactive = createProactive({ phoneNumberId: whatsapp.phoneNumberId, clock });
    cases = {
      service: (id) => directory.service(id)?.service,
      clock,
      reopenWindowDays: config.GRIEVANCE_REOPEN_DAYS,
      notify: (tx, notices) => proactive(tx, notices.map((n) => noticeMessage(directory, n))),
      decided: (tx, c, d) =>
        recordInLedger(tx, [{ kind: 'case_decision', department: c.department, subject: c.reference, sha256: sha256Hex(JSON.stringify({ reference: c.reference, status: c.status, actor: d.actor, note: d.note ?? null, at: d.at.toISOString() })), at: d.at.toISOString() }], d.at),
      issue: async (tx, c, service, approval) => {
        const [officer] = approval.officerId ? await tx.query<{ display_name: string }>(`select display_name from officers where id = $1`, [approval.officerId]) : [];
        const designation = approval.stage?.name ?? { te: 'అధికారి', en: 'Officer' };
        return issueCertificate(tx, { catalog, clock, secret: signingSecret, publicUrl: url }, c, service, { name: officer?.display_name ?? '', designation });
      },
    };
    photoChecker = createPhotoChecker({
      db,
      catalog,
      clock,
      log,
      download: async (mediaId) => {
        const got = await graph.download(mediaId);
        if (got.ok) return { ok: true, bytes: got.bytes };
        return { ok: false, retry: got.error.retryable, message: got.error.title };
      },
      answer: (tx, to, outcome) => proactive(tx, [{ waId: to.waId, replies: photoCheckReply(outcome, to.language), template: { kind: 'template', name: 'certificate_check', language: to.language, params: [] } }]),
      onAnswered: () => sender.poke(),
    });
    const root = trustRootSeed(config);
    if (config.simulated && root) {
      const issuing = catalog.departments.filter((d) => d.services.some((s) => s.issues)).map((d) => d.code);
      const added = await ensureDemoKeys(db, signingSecret, rootKeyOf(root), issuing, clock.now());
      if (added.length) log.info({ departments: added.length }, 'demo signing keys made');
    }
  }
  if (opts.catalog && cases) {
    const officers = officerRoutes({ db, clock, secureCookies: url.startsWith('https:') });
    http.route('/', officers.routes);
    const notify = cases.notify;
    http.route('/', certificateRoutes({ db, catalog: opts.catalog, clock, secret: signingSecret, origin: new URL(url).origin, rootPublicKey: pinnedRootKey(config), renderPdf: certificatePdf, requireOfficer: officers.requireOfficer, notify, onNotices: () => sender.poke() }));
    http.route('/', officePages({ catalog: opts.catalog }));
    http.route('/', casesApi({ db, catalog: opts.catalog, cases, requireOfficer: officers.requireOfficer, onNotices: () => sender.poke(), publicUrl: url }));
    const doc = openApiDocument(url);
    http.get('/api/openapi.json', (c) => c.json(doc));
    http.get('/api/docs', (c) => c.html(docsPage(doc)));
  }
  // The public ledger: sequenced here when this Mitra holds its key (the simulator always does).
  const ledgerSeed = ledgerKeySeed(config);
  let sequencer: ReturnType<typeof createSequencer> | undefined;
  if (ledgerSeed) {
    const origin = config.LEDGER_ORIGIN ?? `${new URL(url).host.replace(/:\d+$/, '')}/ledger`;
    const pair = keyPairFromSeed(Buffer.from(ledgerSeed, 'base64url'));
    const id = { origin, signer: ed25519Signer(origin, pair) };
    await openLedger(db, id);
    const anchor = config.LEDGER_ANCHOR_DIR ? directoryAnchor(config.LEDGER_ANCHOR_DIR) : undefined;
    const witnesses = (config.LEDGER_WITNESSES ?? []).map(([url, vkey]) => ({ url, vkey }));
    const cosigner = witnessClient();
    sequencer = createSequencer({
      db,
      id,
      clock,
      log,
      windowMs: config.LEDGER_BATCH_MS,
      after: async (s) => {
        if (witnesses.length) {
          const asked = await cosigner.cosign(witnesses, s.checkpoint, (from) => consistencyProofOf(db, from, s.size));
          for (const o of asked.outcomes) if (!o.ok) log.warn({ witness: o.url, code: o.code, size: s.size }, o.message);
          if (asked.lines.length) await db.query(`update ledger_checkpoints set cosignatures = cosignatures || $2 where size = $1`, [s.size, asked.lines.join('')]);
        }
        const anchored = await anchor?.anchor({ size: s.size, note: s.checkpoint });
        if (anchored && !anchored.ok) log.warn({ anchor: anchor!.name, size: s.size, message: anchored.message }, 'checkpoint not anchored');
      },
    });
    const publicKey = Buffer.from(pair.publicKey, 'base64url');
    http.route('/', ledgerRoutes({ db, verifierKey: formatVerifierKey(origin, SIGNATURE_TYPE.ed25519, publicKey), verifier: ed25519Verifier(origin, publicKey) }));
  } else log.warn('LEDGER_KEY is not set: the public ledger is not sequenced by this process');

  const sweep = async () => {
    if (!cases) return { escalated: 0, closed: 0, signed: 0 };
    const done = await sweepCases(db, cases);
    const signed = await signWaiting();
    if (done.escalated || signed) sender.poke();
    return { ...done, signed };
  };
  // Certificates approved while their department had no signing key: signed and sent once it has one.
  const signWaiting = async () => {
    if (!cases) return 0;
    const notify = cases.notify;
    return db.transaction(async (tx) => {
      const signed = await signWaitingCertificates(tx, { secret: signingSecret, clock, publicUrl: url });
      if (signed.length) await notify(tx, signed);
      return signed.length;
    });
  };
  const sweeper = setInterval(() => {
    if (roles.work) void sweep().catch((err) => log.warn({ err }, 'case sweep failed'));
  }, config.CASE_SWEEP_SECONDS * 1000);
  sweeper.unref();

  if (roles.work) {
    worker.start();
    sender.start();
    photoChecker?.start();
    sequencer?.start();
  }
  const purge = setInterval(() => {
    void db
      .query(`delete from inbox where state <> 'pending' and done_at < now() - $1 * interval '1 day'`, [config.INBOX_RETENTION_DAYS])
      .catch((err) => log.warn({ err }, 'inbox purge failed'));
  }, 3_600_000);
  purge.unref();

  return {
    url,
    db,
    simulator,
    whatsapp,
    metrics,
    cases,
    sweep,
    poke: () => sender.poke(),
    async stop() {
      clearInterval(purge);
      clearInterval(sweeper);
      await worker.stop();
      await photoChecker?.stop();
      await sequencer?.stop();
      await sender.stop();
      await receipts?.idle();
      graph.close();
      await simulator?.close();
      await new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      });
      if (!opts.db) await db.close();
    },
  };
}
