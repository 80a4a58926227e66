import { z } from 'zod';
import type { InboundContent, InboundMessage } from '../types.ts';

// Meta's webhook body, as documented for the Cloud API `messages` field. Unknown keys pass through:
// Meta adds fields often and an old Mitra must keep working.

const media = z.object({
  id: z.string().min(1),
  mime_type: z.string().default('application/octet-stream'),
  sha256: z.string().optional(),
  caption: z.string().optional(),
  filename: z.string().optional(),
  voice: z.boolean().optional(),
});

const message = z.object({
  from: z.string().min(1),
  id: z.string().min(1),
  timestamp: z.string().regex(/^\d+$/),
  type: z.string().min(1),
  context: z.object({ id: z.string().optional() }).optional(),
  text: z.object({ body: z.string() }).optional(),
  interactive: z
    .object({
      type: z.string(),
      button_reply: z.object({ id: z.string(), title: z.string() }).optional(),
      list_reply: z.object({ id: z.string(), title: z.string(), description: z.string().optional() }).optional(),
    })
    .optional(),
  button: z.object({ text: z.string(), payload: z.string().optional() }).optional(),
  image: media.optional(),
  document: media.optional(),
  audio: media.optional(),
  video: media.optional(),
  sticker: media.optional(),
  location: z
    .object({ latitude: z.number(), longitude: z.number(), name: z.string().optional(), address: z.string().optional() })
    .optional(),
  contacts: z
    .array(
      z.object({
        name: z.object({ formatted_name: z.string().optional(), first_name: z.string().optional() }).optional(),
        phones: z.array(z.object({ phone: z.string().optional(), wa_id: z.string().optional() })).optional(),
      }),
    )
    .optional(),
  reaction: z.object({ message_id: z.string(), emoji: z.string().optional() }).optional(),
});

const status = z.object({
  id: z.string().min(1),
  status: z.enum(['sent', 'delivered', 'read', 'failed']),
  timestamp: z.string().regex(/^\d+$/),
  recipient_id: z.string().optional(),
  biz_opaque_callback_data: z.string().optional(),
  errors: z
    .array(
      z.object({
        code: z.number(),
        title: z.string().optional(),
        message: z.string().optional(),
        error_data: z.object({ details: z.string().optional() }).optional(),
      }),
    )
    .optional(),
});

const envelope = z.object({
  object: z.literal('whatsapp_business_account'),
  entry: z.array(
    z.object({
      id: z.string().optional(),
      changes: z.array(
        z.object({
          field: z.string(),
          value: z
            .object({
              metadata: z.object({ phone_number_id: z.string() }).optional(),
              contacts: z.array(z.object({ wa_id: z.string().optional(), profile: z.object({ name: z.string().optional() }).optional() })).optional(),
              messages: z.array(z.unknown()).optional(),
              statuses: z.array(z.unknown()).optional(),
            })
            .passthrough(),
        }),
      ),
    }),
  ),
});

export interface ReceivedMessage {
  phoneNumberId: string;
  profileName?: string;
  message: InboundMessage;
  raw: unknown;
}

export interface ReceivedStatus {
  wamid: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  at: Date;
  /** Our outbox id, echoed back by Meta from biz_opaque_callback_data. */
  outboxId?: number;
  error?: { code: number; title: string; detail?: string };
}

export interface Rejection {
  reason: string;
  body: string;
}

export interface ParsedWebhook {
  messages: ReceivedMessage[];
  statuses: ReceivedStatus[];
  /** Parts we could not read; parked for operators, never crashing the rest. */
  rejections: Rejection[];
  /** Fields other than `messages` (template and account updates) we do not act on yet. */
  ignoredFields: string[];
}

const OUTBOX_TAG = /^mitra:(\d+)$/;
export const outboxTag = (id: number) => `mitra:${id}`;

function describe(err: z.ZodError): string {
  return err.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

/** Reads one webhook body. Never throws: what it cannot read becomes a rejection. */
export function parseWebhook(body: string): ParsedWebhook {
  const out: ParsedWebhook = { messages: [], statuses: [], rejections: [], ignoredFields: [] };
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    out.rejections.push({ reason: 'body is not JSON', body });
    return out;
  }
  const env = envelope.safeParse(json);
  if (!env.success) {
    out.rejections.push({ reason: `not a WhatsApp webhook: ${describe(env.error)}`, body });
    return out;
  }
  for (const entry of env.data.entry) {
    for (const change of entry.changes) {
      if (change.field !== 'messages') {
        out.ignoredFields.push(change.field);
        continue;
      }
      const value = change.value;
      const phoneNumberId = value.metadata?.phone_number_id ?? '';
      const names = new Map((value.contacts ?? []).map((c) => [c.wa_id, c.profile?.name]));
      for (const rawMessage of value.messages ?? []) {
        const m = message.safeParse(rawMessage);
        if (!m.success) {
          out.rejections.push({ reason: `unreadable message: ${describe(m.error)}`, body: JSON.stringify(rawMessage) });
          continue;
        }
        const content = toContent(m.data);
        if (typeof content === 'string') {
          out.rejections.push({ reason: content, body: JSON.stringify(rawMessage) });
          continue;
        }
        out.messages.push({
          phoneNumberId,
          profileName: names.get(m.data.from),
          raw: rawMessage,
          message: {
            id: m.data.id,
            from: m.data.from,
            at: new Date(Number(m.data.timestamp) * 1000),
            inReplyTo: m.data.context?.id,
            content,
          },
        });
      }
      for (const rawStatus of value.statuses ?? []) {
        const s = status.safeParse(rawStatus);
        if (!s.success) {
          out.rejections.push({ reason: `unreadable status: ${describe(s.error)}`, body: JSON.stringify(rawStatus) });
          continue;
        }
        const tag = s.data.biz_opaque_callback_data?.match(OUTBOX_TAG);
        const e = s.data.errors?.[0];
        out.statuses.push({
          wamid: s.data.id,
          status: s.data.status,
          at: new Date(Number(s.data.timestamp) * 1000),
          outboxId: tag ? Number(tag[1]) : undefined,
          error: e ? { code: e.code, title: e.title ?? e.message ?? 'error', detail: e.error_data?.details } : undefined,
        });
      }
    }
  }
  return out;
}

type MetaMessage = z.infer<typeof message>;

/** The channel-neutral content of a message, or the reason it cannot be read. */
function toContent(m: MetaMessage): InboundContent | string {
  switch (m.type) {
    case 'text':
      return m.text ? { kind: 'text', text: m.text.body } : 'text message without text.body';
    case 'interactive': {
      const reply = m.interactive?.button_reply ?? m.interactive?.list_reply;
      if (reply) return { kind: 'choice', id: reply.id, title: reply.title };
      return { kind: 'unsupported', type: `interactive/${m.interactive?.type ?? 'unknown'}` };
    }
    case 'button':
      return m.button ? { kind: 'choice', id: m.button.payload ?? m.button.text, title: m.button.text } : 'button message without button';
    case 'image':
    case 'document':
    case 'audio':
    case 'video':
    case 'sticker': {
      const part = m[m.type];
      if (!part) return `${m.type} message without ${m.type} object`;
      return {
        kind: 'media',
        mediaType: m.type,
        mediaId: part.id,
        mimeType: part.mime_type,
        sha256: part.sha256,
        caption: part.caption,
        filename: part.filename,
        voice: part.voice,
      };
    }
    case 'location':
      return m.location ? { kind: 'location', ...m.location } : 'location message without location';
    case 'contacts':
      return {
        kind: 'contacts',
        contacts: (m.contacts ?? []).map((c) => ({
          name: c.name?.formatted_name ?? c.name?.first_name ?? '',
          phones: (c.phones ?? []).map((p) => p.wa_id ?? p.phone ?? '').filter(Boolean),
        })),
      };
    case 'reaction':
      return m.reaction ? { kind: 'reaction', emoji: m.reaction.emoji || null, toMessageId: m.reaction.message_id } : 'reaction message without reaction';
    default:
      return { kind: 'unsupported', type: m.type };
  }
}
