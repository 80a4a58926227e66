import type { Queryable } from '../platform/index.ts';

export interface OutboundMessage {
  id: number;
  waId: string;
  kind: 'message' | 'read';
  type: string;
  state: string;
  attempts: number;
  wamid: string | null;
  error: { code: number | null; title: string | null; detail: string | null } | null;
  createdAt: string;
  sentAt: string | null;
  failedAt: string | null;
}

/** Outbound messages by state, newest first: what operators look at when citizens say "no reply". */
export async function listOutbound(db: Queryable, filter: { state?: string; waId?: string; limit: number }): Promise<OutboundMessage[]> {
  const rows = await db.query<Record<string, any>>(
    `select id, wa_id, kind, payload->>'type' as type, state, attempts, wamid, error_code, error_title, error_detail, created_at, sent_at, failed_at
     from outbox
     where ($1::text is null or state = $1) and ($2::text is null or wa_id = $2)
     order by id desc limit $3`,
    [filter.state ?? null, filter.waId ?? null, filter.limit],
  );
  return rows.map((r) => ({
    id: r.id,
    waId: r.wa_id,
    kind: r.kind,
    type: r.type ?? 'read',
    state: r.state,
    attempts: r.attempts,
    wamid: r.wamid,
    error: r.error_code !== null || r.error_title !== null ? { code: r.error_code, title: r.error_title, detail: r.error_detail } : null,
    createdAt: new Date(r.created_at).toISOString(),
    sentAt: r.sent_at ? new Date(r.sent_at).toISOString() : null,
    failedAt: r.failed_at ? new Date(r.failed_at).toISOString() : null,
  }));
}
