import type { Db, Logger, Metrics } from '../platform/index.ts';
import { rank } from './inbox.ts';
import { Bucket, RecipientPacing, backoffMs } from './pacing.ts';
import type { GraphClient, GraphError, SendResult } from './whatsapp/graph.ts';
import { outboxTag } from './whatsapp/payload.ts';

export interface SenderOptions {
  db: Db;
  graph: GraphClient;
  log: Logger;
  metrics: Metrics;
  /** Messages per second for this phone number (Meta: 80 by default, 1,000 after upgrade). */
  rate: number;
  concurrency: number;
  leaseMs: number;
  /**
   * How long a send abandoned in flight (its process died) waits after its lease before it is sent
   * again. Meta may well have it: its status webhook, retried by Meta, then marks it sent instead.
   */
  recoveryGraceMs: number;
  maxAttempts: number;
  idlePollMs?: number;
  pacing?: RecipientPacing;
}

interface OutboxRow {
  id: number;
  wa_id: string;
  kind: 'message' | 'read';
  payload: Record<string, unknown>;
  attempts: number;
}

// The oldest open row of each citizen (their messages go out in order), replies before bulk. Read
// receipts no longer pass through the outbox (read-receipts.ts); a `read` row an older version left
// goes out in its citizen's turn.
// A row left in 'sending' by a process that died is taken again once its lease runs out, unless a
// status webhook has meanwhile shown that Meta got it. Each citizen's oldest rows are found in one pass
// over the open rows, not by a lookup per candidate: for such a lookup the planner, holding statistics
// from a moment the outbox was drained (the usual moment), walked every open row again for each
// candidate, exactly when the queue was long (see the worker's claim). Candidates are then checked
// against the heads as an array, not joined to them: the same statistics made that join a nested loop
// over all heads for every open row.
const CLAIM = `
  with heads as materialized (
    select distinct on (wa_id) id from outbox where open order by wa_id, id
  )
  update outbox set state = 'sending', attempts = attempts + 1, lease_until = now() + $2 * interval '1 millisecond'
  where id in (
    select id from outbox o
    where open and ((state = 'queued' and not_before <= now()) or (state = 'sending' and lease_until < now() - $3 * interval '1 millisecond'))
      and id = any(array(select id from heads))
    order by priority, id
    limit $1
    for update skip locked)
  returning id, wa_id, kind, payload, attempts`;

type Outcome =
  | { id: number; kind: 'sent'; wamid: string | null; what: 'message' | 'read' }
  | { id: number; kind: 'retry'; delayMs: number; error: GraphError | { code: number; title: string; detail?: string } }
  | { id: number; kind: 'failed'; error: { code: number; title: string; detail?: string } };

/**
 * Delivers the outbox to the Graph API after commit: a global rate per number, Meta's per-citizen
 * pacing, retries with backoff and jitter for what clears up by itself, and a recorded, visible
 * failure for what does not (the 24-hour window closed, a number not on WhatsApp).
 */
export function createSender(o: SenderOptions) {
  const global = new Bucket(o.rate, Math.max(1, Math.ceil(o.rate / 10)), Date.now());
  const pacing = o.pacing ?? new RecipientPacing();
  const pairBackoff = new Map<string, number>();
  let running = false;
  /** Rows claimed and not yet recorded: being sent, or sent and waiting for their outcome to commit. */
  let inFlight = 0;
  /** Set by poke(): something may have become due since the last claim. */
  let dirty = false;
  let wake: (() => void) | undefined;
  let claimer: Promise<void> | undefined;
  const sends = new Set<Promise<void>>();
  let outcomes: Outcome[] = [];
  let flushing: Promise<void> | undefined;

  async function sendOne(row: OutboxRow): Promise<Outcome> {
    const now = Date.now();
    const paced = row.kind === 'message' ? pacing.take(row.wa_id, now) : 0;
    if (paced > 0) return { id: row.id, kind: 'retry', delayMs: paced, error: { code: 0, title: 'paced for this recipient' } };
    const body = row.kind === 'message' ? { ...row.payload, biz_opaque_callback_data: outboxTag(row.id) } : row.payload;
    const res: SendResult = await o.graph.send(body);
    if (res.ok) return { id: row.id, kind: 'sent', wamid: res.wamid ?? null, what: row.kind };
    const e = res.error;
    if (row.kind === 'read') return { id: row.id, kind: 'failed', error: e }; // a lost read tick is not worth a retry
    if (!e.retryable) return { id: row.id, kind: 'failed', error: e };
    if (row.attempts >= o.maxAttempts) return { id: row.id, kind: 'failed', error: { ...e, detail: `gave up after ${row.attempts} attempts: ${e.detail ?? e.title}` } };
    // Written but never answered: Meta may have it, and its status webhook would then mark the row
    // sent. Wait as long as for a send abandoned by a crash before trying again, so as not to send it
    // twice.
    if (e.unanswered) return { id: row.id, kind: 'retry', delayMs: Math.max(o.leaseMs + o.recoveryGraceMs, backoffMs(row.attempts)), error: e };
    if (e.pairRateLimited) {
      const x = (pairBackoff.get(row.wa_id) ?? -1) + 1;
      pairBackoff.set(row.wa_id, x);
      return { id: row.id, kind: 'retry', delayMs: 4 ** x * 1000, error: e };
    }
    return { id: row.id, kind: 'retry', delayMs: backoffMs(row.attempts), error: e };
  }

  async function record(outcomes: Outcome[]) {
    if (outcomes.length === 0) return;
    await o.db.query(
      `with x as (select * from jsonb_to_recordset($1::jsonb)
                    as r(id bigint, kind text, wamid text, delay_ms int, code int, title text, detail text)),
            -- Locks in id order, as a status batch does, so the two never deadlock. A send whose status
            -- webhook came first (sent, wamid stored) is already recorded: left alone.
            locked as (
              select o.id from outbox o join x on x.id = o.id
              where o.id = any(array(select id from x))
                and not (x.kind = 'sent' and ${rank('o.state')} >= 2 and o.wamid is not null and o.sent_at is not null and o.lease_until is null)
              order by o.id for update of o)
       update outbox o set
         state = case x.kind
                   when 'sent' then case when ${rank('o.state')} < 2 then 'sent' else o.state end
                   when 'retry' then case when o.state = 'sending' then 'queued' else o.state end
                   else case when ${rank('o.state')} < 2 then 'failed' else o.state end end,
         wamid = coalesce(o.wamid, x.wamid),
         sent_at = case when x.kind = 'sent' then coalesce(o.sent_at, now()) else o.sent_at end,
         failed_at = case when x.kind = 'failed' and ${rank('o.state')} < 2 then now() else o.failed_at end,
         not_before = case when x.kind = 'retry' then now() + x.delay_ms * interval '1 millisecond' else o.not_before end,
         lease_until = null,
         error_code = case when x.kind = 'sent' then o.error_code else x.code end,
         error_title = case when x.kind = 'sent' then o.error_title else x.title end,
         error_detail = case when x.kind = 'sent' then o.error_detail else x.detail end
       from x where o.id = x.id and o.id = any(array(select id from locked))`,
      [
        JSON.stringify(
          outcomes.map((r) =>
            r.kind === 'sent'
              ? { id: r.id, kind: r.kind, wamid: r.wamid }
              : { id: r.id, kind: r.kind, delay_ms: r.kind === 'retry' ? r.delayMs : null, code: r.error.code, title: r.error.title, detail: r.error.detail ?? null },
          ),
        ),
      ],
    );
    for (const r of outcomes) {
      if (r.kind === 'sent') o.metrics.sent.inc({ kind: r.what });
      else if (r.kind === 'failed') {
        o.metrics.failed.inc({ code: String(r.error.code) });
        o.log.warn({ outbox: r.id, code: r.error.code, title: r.error.title }, 'outbound message failed');
      } else if (r.error.code !== 0) o.metrics.retried.inc({ reason: String(r.error.code) });
    }
  }

  /**
   * Claims what the rate and the concurrency allow and starts sending it: 0 when nothing is due, -1
   * when there is no room. Sends do not wait for each other: each outcome joins the next record
   * statement as soon as its Graph call answers (group commit, like the inbox), and its room is free
   * again once that statement commits. One claim runs at a time.
   */
  async function claim(): Promise<number> {
    const free = o.concurrency - inFlight;
    // Busy: wait until a fair share of the room is free rather than claim a few rows at a time. Each
    // claim walks the open rows, so fewer, larger claims cost the database less.
    if (inFlight > 0 && free < Math.ceil(o.concurrency / 4) && free < MIN_CLAIM) return -1;
    const room = Math.min(global.available(Date.now()), free, MAX_CLAIM);
    if (room <= 0) return -1;
    // Reserve before the await, so tokens are never spent twice.
    for (let i = 0; i < room; i++) global.take(Date.now());
    inFlight += room;
    let rows: OutboxRow[] = [];
    try {
      rows = await o.db.query<OutboxRow>(CLAIM, [room, o.leaseMs, o.recoveryGraceMs]);
    } finally {
      global.refund(room - rows.length);
      inFlight -= room - rows.length;
    }
    for (const row of rows) dispatch(row);
    return rows.length;
  }

  function dispatch(row: OutboxRow) {
    const p = sendOne(row)
      .catch((err): Outcome => ({ id: row.id, kind: 'retry', delayMs: backoffMs(row.attempts), error: { code: -1, title: err instanceof Error ? err.message : String(err) } }))
      .then((outcome) => {
        outcomes.push(outcome);
        // From the next turn of the event loop, so the outcomes that arrive together record together.
        flushing ??= nextTurn().then(flush);
      });
    sends.add(p);
    void p.finally(() => sends.delete(p));
  }

  /** Records the outcomes gathered so far in one statement; those arriving meanwhile go in the next. */
  async function flush(): Promise<void> {
    try {
      while (outcomes.length > 0) {
        const batch = outcomes;
        outcomes = [];
        try {
          await record(batch);
        } catch (err) {
          // Not recorded: the rows stay 'sending' and go again when their lease runs out.
          o.log.error({ err }, 'sender cannot record what it sent');
        } finally {
          inFlight -= batch.length;
        }
        // Room is free again, and each citizen's next message may now be due.
        poke();
      }
    } finally {
      flushing = undefined;
    }
  }

  function poke() {
    dirty = true;
    wake?.();
  }

  async function settle() {
    while (sends.size > 0 || flushing) {
      await Promise.allSettled([...sends]);
      await flushing;
    }
  }

  async function run() {
    while (running) {
      await nextTurn();
      dirty = false;
      let n: number;
      try {
        n = await claim();
      } catch (err) {
        o.log.error({ err }, 'sender cannot reach the database');
        await sleep(1000);
        continue;
      }
      if (n > 0 || dirty || !running) continue;
      // No room: wait for a token, or for a record to free some. Nothing due: wait for a poke or a poll.
      const tokenWait = n === -1 ? global.wait(Date.now()) : 0;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, tokenWait > 0 ? tokenWait : (o.idlePollMs ?? 250));
        function done() {
          clearTimeout(timer);
          wake = undefined;
          resolve();
        }
        wake = done;
      });
    }
  }

  return {
    start() {
      running = true;
      claimer = run();
    },
    poke,
    async stop() {
      running = false;
      poke();
      await claimer;
      await settle();
    },
    /** Sends until nothing due is left; for tests and the CLI. */
    async drain() {
      for (;;) {
        const n = await claim();
        await settle();
        if (n === 0) return;
        if (n === -1) await sleep(Math.max(1, global.wait(Date.now())));
      }
    },
  };
}

/** The most rows one claim statement takes, and the fewest it waits for while others are in flight. */
const MAX_CLAIM = 256;
const MIN_CLAIM = 32;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const nextTurn = () => new Promise<void>((r) => setImmediate(r));
