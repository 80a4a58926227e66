import type { IncomingMessage, ServerResponse } from 'node:http';
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

export interface WebhookAnswer {
  status: number;
  /** A JSON body, or none. */
  json?: unknown;
}

const tooLarge: WebhookAnswer = { status: 413, json: { error: { code: 'payload_too_large', message: 'webhook bodies are at most 3 MB' } } };

/**
 * A webhook POST as Meta sends it, whatever the HTTP layer: check the signature over the raw body,
 * read it, and answer 200 only once what it carried is committed.
 */
export function webhookReceiver(o: WebhookOptions) {
  const now = o.now ?? Date.now;
  return async function receive(raw: Buffer, signature: string | undefined): Promise<WebhookAnswer> {
    if (!isSignedByMeta(raw, signature, o.appSecret)) {
      o.metrics.rejected.inc({ reason: 'signature' });
      o.log.warn({ bytes: raw.length, hasSignature: Boolean(signature) }, 'webhook signature rejected');
      return { status: 401, json: { error: { code: 'bad_signature', message: 'X-Hub-Signature-256 is missing or does not match the body' } } };
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
      // Per webhook, so debug only: at info it cost a JSON line per message and per status.
      if (o.log.isLevelEnabled('debug')) {
        o.log.debug(
          { wamids: parsed.messages.map((m) => m.message.id), stored: accepted.stored, duplicates: accepted.duplicates, statuses: parsed.statuses.length },
          'webhook accepted',
        );
      }
      return { status: 200 };
    } catch (err) {
      // Not stored, so not acknowledged: Meta keeps retrying for up to 7 days.
      o.log.error({ err }, 'webhook could not be stored');
      return { status: 503, json: { error: { code: 'unavailable', message: 'could not store the message; retry later' } } };
    }
  };
}

/** `/webhooks/whatsapp` exactly as Meta's Cloud API calls it. */
export function whatsappWebhook(o: WebhookOptions) {
  const app = new Hono();
  const receive = webhookReceiver(o);

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
      return c.json(tooLarge.json, 413);
    }
    const answer = await receive(Buffer.from(await c.req.arrayBuffer()), c.req.header('x-hub-signature-256'));
    return answer.json === undefined ? c.body(null, answer.status as 200) : c.json(answer.json, answer.status as 200);
  });

  return app;
}

/**
 * The same POST straight on Node's request, for the hot path: no web Request, no body stream, no
 * router. Answers and returns true for `POST path` (with or without a query); false for anything
 * else, which the caller passes on to the app.
 */
export function nodeWebhook(o: WebhookOptions, path: string) {
  const receive = webhookReceiver(o);
  const send = (res: ServerResponse, a: WebhookAnswer) => {
    if (a.json === undefined) {
      res.writeHead(a.status, { 'content-length': 0 });
      res.end();
    } else {
      const body = JSON.stringify(a.json);
      res.writeHead(a.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    }
  };
  return function handle(req: IncomingMessage, res: ServerResponse): boolean {
    const url = req.url ?? '';
    if (req.method !== 'POST' || !(url === path || url.startsWith(path + '?') || url === path + '/')) return false;
    const length = Number(req.headers['content-length'] ?? 0);
    if (length > MAX_BODY) {
      o.metrics.rejected.inc({ reason: 'too_large' });
      send(res, tooLarge);
      req.resume();
      return true;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) over = true;
      else chunks.push(c);
    });
    req.on('error', () => res.destroy());
    req.on('end', () => {
      if (over) {
        o.metrics.rejected.inc({ reason: 'too_large' });
        send(res, tooLarge);
        return;
      }
      const signature = req.headers['x-hub-signature-256'];
      receive(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks), Array.isArray(signature) ? signature[0] : signature).then(
        (a) => send(res, a),
        (err) => {
          o.log.error({ err }, 'request failed');
          send(res, { status: 500, json: { error: { code: 'internal', message: 'something went wrong on our side' } } });
        },
      );
    });
    return true;
  };
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
