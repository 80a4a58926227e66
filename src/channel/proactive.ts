import type { Clock, Queryable } from '../platform/index.ts';
import type { Reply } from './types.ts';
import { render } from './whatsapp/render.ts';

/** A message Mitra starts (a case update), not an answer to what the citizen just wrote. */
export interface ProactiveMessage {
  waId: string;
  /** What to say while WhatsApp's 24-hour window is open. */
  replies: Reply[];
  /** The pre-approved template that says it once the window has closed. */
  template: Extract<Reply, { kind: 'template' }>;
}

const WINDOW_MS = 24 * 3600_000;
/** Below the replies to what citizens write (priority 0): a burst of updates never delays a conversation. */
const PRIORITY = 1;

/**
 * Queues messages Mitra starts, in the caller's transaction: free-form inside the citizen's 24-hour
 * window, the template outside it (the only thing WhatsApp delivers then). Sending happens after commit.
 */
export function createProactive(o: { phoneNumberId: string; clock: Clock }) {
  return async function queue(tx: Queryable, messages: ProactiveMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const ids = [...new Set(messages.map((m) => m.waId))];
    const seen = await tx.query<{ wa_id: string; last_inbound_at: Date }>(`select wa_id, last_inbound_at from citizens where wa_id = any($1::text[])`, [ids]);
    const last = new Map(seen.map((r) => [r.wa_id, new Date(r.last_inbound_at).getTime()]));
    const now = o.clock.now().getTime();
    const rows = messages.flatMap((m) => {
      const open = now - (last.get(m.waId) ?? 0) < WINDOW_MS;
      return (open ? m.replies : [m.template]).flatMap((r) => render(m.waId, r)).map((r) => ({ wa_id: m.waId, payload: r.payload, reply: r.paging ? { paging: r.paging } : null }));
    }).map((r, ord) => ({ ...r, ord }));
    await tx.query(
      `insert into outbox (wa_id, phone_number_id, priority, kind, payload, reply)
       select wa_id, $2, $3, 'message', payload, reply
       from jsonb_to_recordset($1::jsonb) as x(wa_id text, payload jsonb, reply jsonb, ord int)
       order by ord`,
      [JSON.stringify(rows), o.phoneNumberId, PRIORITY],
    );
  };
}
