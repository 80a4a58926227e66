import { createHash, randomBytes } from 'node:crypto';
import { Hono, type Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { sign } from '../whatsapp/signature.ts';
import { validateSend } from './validate.ts';
import { chatPage } from './chat-page.ts';
import { createWebhookPoster, type DeliveryTiming } from './webhook-post.ts';

/** What a citizen can do in the simulated WhatsApp app. */
export type CitizenAction =
  | { type: 'text'; text: string }
  | { type: 'button_reply' | 'list_reply'; id: string; title: string; context?: string }
  | { type: 'image' | 'document' | 'audio' | 'video' | 'sticker'; mediaId: string; caption?: string; filename?: string; voice?: boolean }
  | { type: 'location'; latitude: number; longitude: number; name?: string; address?: string }
  | { type: 'contacts'; name: string; phone: string }
  | { type: 'reaction'; messageId: string; emoji: string }
  /** A message type WhatsApp has and the Cloud API does not deliver (polls, calls…). */
  | { type: 'unknown' };

export interface ChatEntry {
  seq: number;
  direction: 'in' | 'out';
  wamid: string;
  at: number;
  /** Inbound: the Meta message object; outbound: the Graph API body. */
  message: Record<string, any>;
  status?: 'sent' | 'delivered' | 'read' | 'failed';
  error?: { code: number; title: string };
}

export interface SimulatorOptions {
  /** Where Mitra's webhook listens, e.g. http://127.0.0.1:3000/webhooks/whatsapp */
  webhookUrl: string;
  /** This simulator's own base URL, used in media download URLs. */
  publicUrl: string;
  appSecret: string;
  accessToken: string;
  phoneNumberId: string;
  displayNumber?: string;
  /** 'each' posts one webhook per status like Meta; 'batched' packs statuses into one post; 'off' sends none. */
  statuses?: 'each' | 'batched' | 'off';
  retryBaseMs?: number;
  /** Connections the webhooks share (Meta delivers over a bounded set too). */
  connections?: number;
  /** Called for each webhook answered: for load tests that watch where time goes. */
  onDelivery?: (t: DeliveryTiming) => void;
  now?: () => number;
}

const WINDOW_MS = 24 * 3600 * 1000;
const TYPING_MS = 25_000;

/** What the Graph API answers: an HTTP status and a JSON body. */
export interface GraphAnswer {
  status: number;
  json: unknown;
}

const answer = (c: Context, a: GraphAnswer) => c.json(a.json as object, a.status as ContentfulStatusCode);

/**
 * A local Meta: the Graph API endpoints Mitra's sender calls, and signed webhooks (messages and
 * statuses) delivered like Meta delivers them, retried until answered 200.
 */
export function createSimulator(o: SimulatorOptions) {
  const now = o.now ?? Date.now;
  const chats = new Map<string, ChatEntry[]>();
  const byWamid = new Map<string, { waId: string; entry: ChatEntry }>();
  const media = new Map<string, { bytes: Buffer; mimeType: string; sha256: string }>();
  const lastInbound = new Map<string, number>();
  /** Until when the business shows as "typing…" to a citizen: its reply or 25 s ends it, as on WhatsApp. */
  const typingUntil = new Map<string, number>();
  const typing = (waId: string) => (typingUntil.get(waId) ?? 0) > now();
  const graphLog: { path: string; body: any; at: number }[] = [];
  const listeners = new Set<() => void>();
  let seq = 0;
  let closed = false;
  let statusBatch: any[] = [];
  let statusTimer: NodeJS.Timeout | undefined;
  const pending = new Set<Promise<void>>();
  const stats = { webhooksPosted: 0, webhookRetries: 0, inboundAccepted: 0 };
  // Meta gives up on a webhook that does not answer in time and sends it again later; so does this.
  const poster = createWebhookPoster(o.webhookUrl, { timeoutMs: 10_000, connections: o.connections ?? 256, onTiming: o.onDelivery });

  const wamid = () => 'wamid.' + randomBytes(18).toString('base64url');
  const chat = (waId: string) => chats.get(waId) ?? (chats.set(waId, []), chats.get(waId)!);
  const changed = () => { for (const l of listeners) l(); };

  function envelope(value: Record<string, unknown>) {
    return {
      object: 'whatsapp_business_account',
      entry: [{ id: '100000000000001', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: o.displayNumber ?? '919000000000', phone_number_id: o.phoneNumberId }, ...value } }] }],
    };
  }

  /** POSTs a signed webhook, retrying with backoff until Mitra answers 200 (Meta retries for 7 days). */
  function deliver(body: unknown): Promise<void> {
    const text = JSON.stringify(body);
    const signature = sign(text, o.appSecret);
    const p = (async () => {
      for (let attempt = 0; !closed; attempt++) {
        try {
          const status = await poster.post(text, signature);
          stats.webhooksPosted++;
          if (status === 200) return;
        } catch {
          /* Mitra is down: keep trying */
        }
        stats.webhookRetries++;
        await new Promise((r) => setTimeout(r, Math.min(5000, (o.retryBaseMs ?? 200) * 2 ** Math.min(attempt, 5))));
      }
    })();
    pending.add(p);
    void p.finally(() => pending.delete(p));
    return p;
  }

  function queueStatus(status: Record<string, unknown>) {
    if (o.statuses === 'off') return;
    if (o.statuses !== 'batched') {
      void deliver(envelope({ statuses: [status] }));
      return;
    }
    statusBatch.push(status);
    statusTimer ??= setTimeout(() => {
      const batch = statusBatch;
      statusBatch = [];
      statusTimer = undefined;
      void deliver(envelope({ statuses: batch }));
    }, 20);
  }

  function statusFor(id: string, waId: string, status: string, callback: string | undefined, errors?: unknown[]) {
    return { id, status, timestamp: String(Math.floor(now() / 1000)), recipient_id: waId, ...(callback ? { biz_opaque_callback_data: callback } : {}), ...(errors ? { errors } : {}) };
  }

  /** The citizen sends something: it lands in their chat and Mitra gets the webhook. */
  function citizenSends(waId: string, action: CitizenAction, profileName = 'Citizen ' + waId.slice(-4)): { wamid: string; delivered: Promise<void> } {
    const id = wamid();
    const m: Record<string, any> = { from: waId, id, timestamp: String(Math.floor(now() / 1000)), type: action.type };
    switch (action.type) {
      case 'text': m.text = { body: action.text }; break;
      case 'button_reply':
      case 'list_reply':
        m.type = 'interactive';
        m.interactive = { type: action.type, [action.type]: { id: action.id, title: action.title } };
        if (action.context) m.context = { from: o.displayNumber ?? '919000000000', id: action.context };
        break;
      case 'image':
      case 'document':
      case 'audio':
      case 'video':
      case 'sticker': {
        const stored = media.get(action.mediaId);
        m[action.type] = {
          id: action.mediaId,
          mime_type: stored?.mimeType ?? 'application/octet-stream',
          sha256: stored?.sha256,
          ...(action.caption ? { caption: action.caption } : {}),
          ...(action.filename ? { filename: action.filename } : {}),
          ...(action.type === 'audio' ? { voice: action.voice ?? true } : {}),
        };
        break;
      }
      case 'location': m.location = { latitude: action.latitude, longitude: action.longitude, ...(action.name ? { name: action.name } : {}), ...(action.address ? { address: action.address } : {}) }; break;
      case 'contacts': m.contacts = [{ name: { formatted_name: action.name, first_name: action.name }, phones: [{ phone: '+' + action.phone, wa_id: action.phone, type: 'CELL' }] }]; break;
      case 'reaction': m.reaction = { message_id: action.messageId, emoji: action.emoji }; break;
      case 'unknown': m.errors = [{ code: 131051, title: 'Message type unknown', message: 'Message type unknown', error_data: { details: 'Message type is currently not supported.' } }]; break;
    }
    const entry: ChatEntry = { seq: ++seq, direction: 'in', wamid: id, at: now(), message: m };
    chat(waId).push(entry);
    byWamid.set(id, { waId, entry });
    lastInbound.set(waId, now());
    stats.inboundAccepted++;
    changed();
    return { wamid: id, delivered: deliver(envelope({ contacts: [{ profile: { name: profileName }, wa_id: waId }], messages: [m] })) };
  }

  function storeMedia(bytes: Buffer, mimeType: string): string {
    const id = String(1_000_000_000_000 + media.size + Math.floor(Math.random() * 1e9));
    media.set(id, { bytes, mimeType, sha256: createHash('sha256').update(bytes).digest('hex') });
    return id;
  }

  const graphError = (status: number, code: number, message: string, details: string): GraphAnswer => ({
    status,
    json: { error: { message, type: 'OAuthException', code, error_data: { messaging_product: 'whatsapp', details }, fbtrace_id: randomBytes(8).toString('hex') } },
  });

  /**
   * POST /{version}/{phone}/messages, as Meta answers it: a message, or a read receipt. Plain values in
   * and out, so a load test can serve it from a bare node:http server; the Hono route below is its
   * adapter for everyone else.
   */
  function sendMessage(phone: string, authorization: string | undefined, body: any): GraphAnswer {
    if (authorization !== `Bearer ${o.accessToken}`) return graphError(401, 190, 'Error validating access token', 'The access token is invalid.');
    if (phone !== o.phoneNumberId) return graphError(400, 100, 'Unsupported post request', 'Unknown phone number id');
    if (body === undefined) return graphError(400, 100, 'Invalid parameter', 'body is not JSON');
    graphLog.push({ path: `/${phone}/messages`, body, at: now() });
    const refusal = validateSend(body);
    if (refusal) return graphError(refusal.status, refusal.code, refusal.message, refusal.details);
    if (body.status === 'read') {
      const found = byWamid.get(body.message_id);
      if (found) {
        for (const e of chat(found.waId)) if (e.direction === 'in' && e.seq <= found.entry.seq) e.status = 'read';
        if (body.typing_indicator) typingUntil.set(found.waId, now() + TYPING_MS);
        changed();
      }
      return { status: 200, json: { success: true } };
    }
    const waId = String(body.to).replace(/^\+/, '');
    typingUntil.delete(waId);
    const id = wamid();
    const entry: ChatEntry = { seq: ++seq, direction: 'out', wamid: id, at: now(), message: body, status: 'sent' };
    chat(waId).push(entry);
    byWamid.set(id, { waId, entry });
    const callback: string | undefined = body.biz_opaque_callback_data;
    const inWindow = now() - (lastInbound.get(waId) ?? -Infinity) < WINDOW_MS;
    if (body.type !== 'template' && !inWindow) {
      // Like Meta: accepted now, failed later on the status webhook.
      entry.status = 'failed';
      entry.error = { code: 131047, title: 'Re-engagement message' };
      queueStatus(statusFor(id, waId, 'failed', callback, [{ code: 131047, title: 'Re-engagement message', message: 'Re-engagement message', error_data: { details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.' } }]));
    } else {
      // The simulated phone is always online and its owner always reading: all three ticks.
      entry.status = 'read';
      for (const s of ['sent', 'delivered', 'read']) queueStatus(statusFor(id, waId, s, callback));
    }
    changed();
    return { status: 200, json: { messaging_product: 'whatsapp', contacts: [{ input: body.to, wa_id: waId }], messages: [{ id }] } };
  }

  const app = new Hono();

  // ---- Graph API, as Mitra's sender calls it ----
  const graph = new Hono();
  graph.use('*', async (c, next) => {
    if (c.req.header('authorization') !== `Bearer ${o.accessToken}`) return answer(c, graphError(401, 190, 'Error validating access token', 'The access token is invalid.'));
    await next();
  });
  graph.post('/:version/:phone/messages', async (c) =>
    answer(c, sendMessage(c.req.param('phone'), c.req.header('authorization'), await c.req.json().catch(() => undefined))),
  );
  graph.post('/:version/:phone/media', async (c) => {
    const form = await c.req.formData().catch(() => undefined);
    const file = form?.get('file');
    if (!form || form.get('messaging_product') !== 'whatsapp' || !(file instanceof Blob)) return answer(c, graphError(400, 100, 'Invalid parameter', 'multipart body with messaging_product and file is required'));
    const type = String(form.get('type') ?? file.type);
    return c.json({ id: storeMedia(Buffer.from(await file.arrayBuffer()), type) });
  });
  graph.get('/:version/:mediaId', (c) => {
    const id = c.req.param('mediaId');
    const m = media.get(id);
    if (!m) return answer(c, graphError(404, 100, 'Unsupported get request', `Object with ID '${id}' does not exist`));
    return c.json({ messaging_product: 'whatsapp', url: `${o.publicUrl}/media/${id}/download`, mime_type: m.mimeType, sha256: m.sha256, file_size: m.bytes.length, id });
  });
  graph.delete('/:version/:mediaId', (c) => c.json({ success: media.delete(c.req.param('mediaId')) }));
  app.route('/graph', graph);

  app.get('/media/:id/download', (c) => {
    const m = media.get(c.req.param('id'));
    // Meta's lookaside URLs need the same bearer token.
    if (c.req.header('authorization') !== `Bearer ${o.accessToken}` || !m) return c.text('not found', 404);
    return c.body(new Uint8Array(m.bytes), 200, { 'content-type': m.mimeType });
  });

  // ---- The citizen's side: the chat page and `mitra chat` ----
  app.get('/chat', (c) => c.html(chatPage()));
  app.get('/api/citizens/:waId/messages', (c) => {
    const after = Number(c.req.query('after') ?? 0);
    const waId = c.req.param('waId');
    return c.json({ messages: chat(waId).filter((e) => e.seq > after), typing: typing(waId) });
  });
  app.post('/api/citizens/:waId/messages', async (c) => {
    const waId = c.req.param('waId');
    if (!/^\d{6,15}$/.test(waId)) return c.json({ error: { code: 'bad_number', message: 'a WhatsApp id is 6 to 15 digits' } }, 400);
    const action = (await c.req.json().catch(() => undefined)) as CitizenAction | undefined;
    if (!action || typeof action.type !== 'string') return c.json({ error: { code: 'bad_action', message: 'body must be a citizen action with a type' } }, 400);
    const { wamid: id } = citizenSends(waId, action);
    return c.json({ wamid: id });
  });
  app.post('/api/media', async (c) => {
    const bytes = Buffer.from(await c.req.arrayBuffer());
    if (bytes.length === 0) return c.json({ error: { code: 'empty', message: 'no file' } }, 400);
    return c.json({ id: storeMedia(bytes, c.req.header('content-type') ?? 'application/octet-stream') });
  });
  app.get('/api/media/:id', (c) => {
    const m = media.get(c.req.param('id'));
    return m ? c.body(new Uint8Array(m.bytes), 200, { 'content-type': m.mimeType }) : c.text('not found', 404);
  });

  return {
    app,
    sendMessage,
    graphLog,
    stats,
    citizenSends,
    storeMedia,
    chat: (waId: string) => chat(waId).slice(),
    /** Whether the business shows as "typing…" to this citizen now. */
    typing,
    citizens: () => [...chats.keys()],
    /** Resolves after the next change to any chat, or after `ms`. */
    changed(ms = 1000): Promise<void> {
      return new Promise((resolve) => {
        const done = () => { listeners.delete(done); clearTimeout(t); resolve(); };
        const t = setTimeout(done, ms);
        listeners.add(done);
      });
    },
    async close() {
      closed = true;
      if (statusTimer) clearTimeout(statusTimer);
      await Promise.allSettled([...pending]);
      poster.close();
    },
  };
}

export type Simulator = ReturnType<typeof createSimulator>;
