import type { Db, Logger, Metrics } from '../platform/index.ts';
import type { StoredMessage } from './read-receipts.ts';
import type { ParsedWebhook, ReceivedStatus } from './whatsapp/payload.ts';

export interface Accepted {
  stored: number;
  duplicates: number;
}

/**
 * Commits what a webhook carried: new messages into the inbox (deduplicated by wamid), statuses onto
 * their outbound messages, unreadable parts into webhook_rejects. Concurrent requests share one
 * transaction (group commit): while one commit is in flight the next requests gather, so a burst of
 * webhooks costs a few commits instead of one each. `accept` resolves only after the commit, and
 * `onStored` hears of the messages new to the inbox (not redeliveries) once they are committed.
 */
export function createInbox(deps: { db: Db; log: Logger; metrics: Metrics; onStored: (messages: StoredMessage[]) => void }) {
  type Waiting = { parsed: ParsedWebhook; resolve: (a: Accepted) => void; reject: (e: unknown) => void };
  let queue: Waiting[] = [];
  let flushing = false;

  async function flush(): Promise<void> {
    flushing = true;
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      try {
        const { results, stored } = await commit(batch.map((w) => w.parsed));
        batch.forEach((w, i) => w.resolve(results[i]!));
        if (stored.length > 0) deps.onStored(stored);
      } catch (err) {
        for (const w of batch) w.reject(err);
      }
    }
    flushing = false;
  }

  async function commit(parts: ParsedWebhook[]): Promise<{ results: Accepted[]; stored: StoredMessage[] }> {
    const messages = parts.flatMap((p, part) =>
      p.messages.map((m) => ({
        part,
        wamid: m.message.id,
        phone_number_id: m.phoneNumberId,
        wa_id: m.message.from,
        profile_name: m.profileName ?? null,
        type: m.message.content.kind,
        message: m.message,
        raw: m.raw,
        sent_at: m.message.at.toISOString(),
      })),
    );
    const statuses = parts.flatMap((p) => p.statuses);
    const rejections = parts.flatMap((p) => p.rejections);
    let storedIds = new Set<string>();
    if (messages.length > 0 || statuses.length > 0 || rejections.length > 0) {
      // Everything the batch carried in one statement, committed as one transaction: a single round
      // trip, which is most of the time a webhook waits for its 200.
      const params: string[] = [];
      const ctes: string[] = [];
      if (messages.length > 0) {
        params.push(JSON.stringify(messages));
        ctes.push(INSERT_MESSAGES(params.length));
      }
      if (statuses.length > 0) {
        params.push(JSON.stringify(statusRows(statuses)));
        ctes.push(...UPDATE_STATUSES(params.length));
      }
      if (rejections.length > 0) {
        params.push(JSON.stringify(rejections));
        ctes.push(INSERT_REJECTS(params.length));
      }
      const sql = `with ${ctes.join(',\n')}\n${messages.length > 0 ? 'select wamid from stored' : 'select null::text as wamid where false'}`;
      const db = deps.db;
      const rows = db.atomic ? await db.atomic<{ wamid: string }>(sql, params) : await db.transaction((tx) => tx.query<{ wamid: string }>(sql, params));
      storedIds = new Set(rows.map((r) => r.wamid));
    }
    // One webhook may repeat a wamid within itself; only the first occurrence counts as stored.
    const seen = new Set<string>();
    const fresh: StoredMessage[] = [];
    const results = parts.map((_, part) => {
      let stored = 0;
      let duplicates = 0;
      for (const m of messages) {
        if (m.part !== part) continue;
        if (storedIds.has(m.wamid) && !seen.has(m.wamid)) {
          seen.add(m.wamid);
          fresh.push({ wamid: m.wamid, kind: m.type });
          stored++;
        } else duplicates++;
      }
      deps.metrics.received.inc(stored);
      deps.metrics.deduplicated.inc(duplicates);
      return { stored, duplicates };
    });
    return { results, stored: fresh };
  }

  return {
    accept(parsed: ParsedWebhook): Promise<Accepted> {
      return new Promise((resolve, reject) => {
        queue.push({ parsed, resolve, reject });
        if (!flushing) {
          // Start on the next turn of the event loop, so every webhook read in this one joins the
          // batch. With PGlite, which runs in this thread, a flush started at once would commit
          // each webhook on its own.
          flushing = true;
          setImmediate(() => void flush());
        }
      });
    },
  };
}

export type Inbox = ReturnType<typeof createInbox>;

/** SQL for how far along an outbound message is; statuses only ever raise it. */
export const rank = (col: string) =>
  `case ${col} when 'queued' then 0 when 'sending' then 1 when 'sent' then 2 when 'delivered' then 3 when 'read' then 4 when 'failed' then 5 end`;

const INSERT_MESSAGES = (p: number) => `stored as (
    insert into inbox (wamid, phone_number_id, wa_id, profile_name, type, message, raw, sent_at)
    select wamid, phone_number_id, wa_id, profile_name, type, message, raw, sent_at
    from jsonb_to_recordset($${p}::jsonb) as x(wamid text, phone_number_id text, wa_id text,
         profile_name text, type text, message jsonb, raw jsonb, sent_at timestamptz)
    on conflict (wamid) do nothing
    returning wamid)`;

const INSERT_REJECTS = (p: number) =>
  `rejected as (insert into webhook_rejects (reason, body) select reason, body from jsonb_to_recordset($${p}::jsonb) as x(reason text, body text))`;

function statusRows(statuses: ReceivedStatus[]) {
  return statuses.map((s) => ({
    outbox_id: s.outboxId ?? null,
    wamid: s.wamid,
    status: s.status,
    at: s.at.toISOString(),
    error_code: s.error?.code ?? null,
    error_title: s.error?.title ?? null,
    error_detail: s.error?.detail ?? null,
  }));
}

/**
 * Moves outbound messages forward by their statuses, in one statement per batch. Meta sends statuses
 * out of order and at least once; a status never moves a message backwards. A status may arrive before
 * the sender has stored the wamid, so Meta echoes our outbox id back (biz_opaque_callback_data).
 * Several statuses for one message in a batch count as the furthest of them. Rows are locked in id
 * order first, as the sender does, so a status batch and the sender never deadlock.
 */
const UPDATE_STATUSES = (p: number) => [
  `st as (
    select distinct on (oid) *
    from (select coalesce(r.outbox_id, (select w.id from outbox w where w.wamid = r.wamid)) as oid,
                 r.wamid, r.status, r.at, r.error_code, r.error_title, r.error_detail
          from jsonb_to_recordset($${p}::jsonb) as r(outbox_id bigint, wamid text, status text, at timestamptz,
               error_code int, error_title text, error_detail text)) r
    where oid is not null
    order by oid, ${rank('r.status')} desc)`,
  // A status that would change nothing (the sender already recorded it sent, with its wamid, or Meta
  // said it twice) is left alone: no lock, no new row version.
  `st_locked as (
    select o.id from outbox o join st x on x.oid = o.id
    where o.id = any(array(select oid from st))
      and not (${rank('x.status')} <= ${rank('o.state')} and o.wamid is not null and o.lease_until is null
               and x.error_code is null and x.error_title is null and x.error_detail is null
               and (x.status = 'failed' or o.sent_at is not null)
               and (x.status not in ('delivered', 'read') or o.delivered_at is not null)
               and (x.status <> 'read' or o.read_at is not null)
               and (x.status <> 'failed' or o.failed_at is not null))
    order by o.id for update of o)`,
  `st_updated as (
    update outbox o set
      state = case when ${rank('x.status')} > ${rank('o.state')} then x.status else o.state end,
      wamid = coalesce(o.wamid, x.wamid),
      lease_until = null,
      sent_at = case when x.status <> 'failed' then coalesce(o.sent_at, x.at) else o.sent_at end,
      delivered_at = case when x.status in ('delivered', 'read') then coalesce(o.delivered_at, x.at) else o.delivered_at end,
      read_at = case when x.status = 'read' then coalesce(o.read_at, x.at) else o.read_at end,
      failed_at = case when x.status = 'failed' then coalesce(o.failed_at, x.at) else o.failed_at end,
      error_code = coalesce(x.error_code, o.error_code),
      error_title = coalesce(x.error_title, o.error_title),
      error_detail = coalesce(x.error_detail, o.error_detail)
    from st x
    where o.id = x.oid and o.id = any(array(select id from st_locked)))`,
];
