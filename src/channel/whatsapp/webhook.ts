import { Hono } from 'hono';
import type { Logger, Metrics } from '../../platform/index.ts';
import type { Inbox } from '../inbox.ts';
import { parseWebhook, type ParsedWebhook } from './payload.ts';
import { isSignedByMeta } from './signature.ts';

export interface WebhookOptions {
  appSecret: string;
  verifyToken: string;
  inbox: Inbox;
  log: Logger;
  metrics: Metrics;
  /** Messages older than this cannot be Meta redeliveries (Meta retries 7 days): a replay. */
  maxAgeMs: number;
  now?: () => number;
}

const MAX_BODY = 3 * 1024 * 1024 + 64 * 1024; // Meta's payloads are at most 3 MB

/** `/webhooks/whatsapp` exactly as Meta's Cloud API calls it. */
export function whatsappWebhook(o: WebhookOptions) {
  const app = new Hono();
  const now = o.now ?? Date.now;

  app.get('/', (c) => {
    const mode = c.req.query('hub.mode');
    const token = c.req.query('hub.verify_token');
    const challenge = c.req.query('hub.challenge') ?? '';
    if (mode === 'subscribe' && token === o.verifyToken) return c.text(challenge, 200);
    o.log.warn({ mode }, 'webhook verification refused');
    return c.text('verify token does not match', 403);
  });

  app.post('/', async (c) => {
    const length = Number(c.req.header('content-length') ?? 0);
    if (length > MAX_BODY) {
      o.metrics.rejected.inc({ reason: 'too_large' });
      return c.json({ error: { code: 'payload_too_large', message: 'webhook bodies are at most 3 MB' } }, 413);
    }
    const raw = Buffer.from(await c.req.arrayBuffer());
    if (!isSignedByMeta(raw, c.req.header('x-hub-signature-256'), o.appSecret)) {
      o.metrics.rejected.inc({ reason: 'signature' });
      o.log.warn({ bytes: raw.length, hasSignature: Boolean(c.req.header('x-hub-signature-256')) }, 'webhook signature rejected');
      return c.json({ error: { code: 'bad_signature', message: 'X-Hub-Signature-256 is missing or does not match the body' } }, 401);
    }
    const parsed = dropReplays(parseWebhook(raw.toString('utf8')), now() - o.maxAgeMs);
    for (const r of parsed.rejections) {
      o.metrics.rejected.inc({ reason: 'malformed' });
      o.log.warn({ reason: r.reason }, 'signed webhook part could not be read; parked in webhook_rejects');
    }
    if (parsed.ignoredFields.length) o.log.info({ fields: parsed.ignoredFields }, 'webhook fields not handled yet');
    for (const s of parsed.statuses) o.metrics.statuses.inc({ status: s.status });
    try {
      const accepted = await o.inbox.accept(parsed);
      o.log.info(
        { wamids: parsed.messages.map((m) => m.message.id), stored: accepted.stored, duplicates: accepted.duplicates, statuses: parsed.statuses.length },
        'webhook accepted',
      );
      return c.body(null, 200);
    } catch (err) {
      // Not stored, so not acknowledged: Meta keeps retrying for up to 7 days.
      o.log.error({ err }, 'webhook could not be stored');
      return c.json({ error: { code: 'unavailable', message: 'could not store the message; retry later' } }, 503);
    }
  });

  return app;
}

function dropReplays(parsed: ParsedWebhook, oldest: number): ParsedWebhook {
  const fresh = parsed.messages.filter((m) => m.message.at.getTime() >= oldest);
  if (fresh.length === parsed.messages.length) return parsed;
  const stale = parsed.messages.filter((m) => m.message.at.getTime() < oldest);
  return {
    ...parsed,
    messages: fresh,
    rejections: [
      ...parsed.rejections,
      ...stale.map((m) => ({ reason: 'older than the dedupe window: a replay, not a Meta delivery', body: JSON.stringify(m.raw) })),
    ],
  };
}
