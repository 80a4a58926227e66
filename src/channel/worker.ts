import type { Db, Logger, Metrics, Queryable } from '../platform/index.ts';
import type { InboundMessage, Reply, Turn, TurnHandler } from './types.ts';
import { PAGE_ROW_PREFIX, render, renderPage, type Rendered } from './whatsapp/render.ts';

interface InboxRow {
  id: number;
  wa_id: string;
  phone_number_id: string;
  profile_name: string | null;
  message: InboundMessage & { at: string };
  received_at: Date;
  attempts: number;
}

export interface WorkerOptions {
  db: Db;
  handler: TurnHandler;
  log: Logger;
  metrics: Metrics;
  batch: number;
  concurrency: number;
  /** Called after replies commit, so the sender need not wait for its next poll. */
  onReplies: () => void;
  maxAttempts?: number;
  /** Wait before a failed turn's second attempt; doubles for each further one. */
  retryBaseMs?: number;
  idlePollMs?: number;
}

// The oldest pending message of each citizen whose earlier messages are all done: citizens run in
// parallel, one citizen's messages strictly in order. SKIP LOCKED lets many workers share the queue.
// Each citizen's oldest pending message is found in one pass over the pending rows in (wa_id, id)
// order, not by a lookup per candidate: with statistics taken while the inbox was empty (the usual
// moment) the planner answered such a lookup by walking every pending row again for each candidate,
// exactly when the queue was long; a NOT EXISTS became a nested-loop anti-join over every pending row.
// Candidates are then checked against the heads as an array, not joined to them: the same statistics
// made that join a nested loop over all heads for every pending row.
// The same statement records the citizens it claimed for (one upsert per batch instead of one per
// turn), before any handler runs, so a handler can rely on the citizens row as it always could.
const CLAIM = `
  with heads as materialized (
    select distinct on (wa_id) id from inbox where state = 'pending' order by wa_id, id
  ), claimed as (
    select id, wa_id, phone_number_id, profile_name, message, received_at, attempts
    from inbox
    where id = any(array(select id from heads)) and state = 'pending'
      -- A message waiting to be retried holds back its citizen's later ones: order before speed.
      and (retry_at is null or retry_at <= now())
    order by id
    limit $1
    for update skip locked
  ), seen as (
    insert into citizens (wa_id, profile_name, last_inbound_at)
    select wa_id, (array_agg(profile_name order by id desc) filter (where profile_name is not null))[1], max((message->>'at')::timestamptz)
    from claimed
    group by wa_id
    on conflict (wa_id) do update set profile_name = coalesce(excluded.profile_name, citizens.profile_name),
      last_inbound_at = greatest(citizens.last_inbound_at, excluded.last_inbound_at)
  )
  select * from claimed order by id`;

// A batch's replies into the outbox, in order, and its inbox rows marked done: one statement. It also
// says whether these citizens have later messages waiting (held back behind this batch until it
// commits), so that the loop claims again at once rather than leaving them to the next poll.
const FINISH = `
  with queued as (
    insert into outbox (wa_id, phone_number_id, inbox_id, kind, payload, reply)
    select wa_id, phone_number_id, inbox_id, 'message', payload, reply
    from jsonb_to_recordset($1::jsonb)
      as x(wa_id text, phone_number_id text, inbox_id bigint, payload jsonb, reply jsonb, ord int)
    order by ord
  ), finished as (
    update inbox set state = 'done', done_at = now(), attempts = attempts + 1 where id = any($2::bigint[])
  )
  select exists (select 1 from inbox where wa_id = any($3::text[]) and state = 'pending' and id <> all($2::bigint[])) as more`;

// What a redacted message keeps: its id (still the dedupe key), type and times; not a word of its text.
const REDACT = `update inbox set message = jsonb_set(message, '{content}', '{"kind":"text","text":"[redacted]"}'), raw = '{"redacted":true}' where id = any($1::bigint[])`;

const SORRY = 'క్షమించండి, మీ సందేశాన్ని ఇప్పుడు చదవలేకపోయాము. దయచేసి కొద్దిసేపటి తర్వాత మళ్లీ ప్రయత్నించండి.\n\nSorry, we could not process your message just now. Please try again in a little while.';

/**
 * Turns inbox rows into conversation turns. A claimed batch commits in one transaction: each turn's
 * session change, its replies in the outbox and its inbox row marked done, all or nothing. If the
 * handler throws, the batch rolls back and its messages are retried one by one, so one bad message
 * cannot hold up the others; after `maxAttempts` it is marked failed and the citizen told.
 */
export function createWorker(o: WorkerOptions) {
  const maxAttempts = o.maxAttempts ?? 5;
  let running = false;
  const wakers = new Set<() => void>();
  const loops: Promise<void>[] = [];

  /**
   * Claims and runs up to `limit` turns. `again`: claim once more at once, for something may be waiting
   * that this batch's claim could not take (a full batch, a citizen's later message, a poke meanwhile).
   */
  async function runBatch(limit: number): Promise<{ n: number; again: boolean }> {
    let claimed: InboxRow[] = [];
    try {
      const done = await o.db.transaction(async (tx) => {
        claimed = await tx.query<InboxRow>(CLAIM, [limit]);
        return claimed.length === 0 ? undefined : await processRows(tx, claimed);
      });
      if (!done) return { n: 0, again: false };
      // A message stored after the finish statement looked, and claimed by another loop before this
      // commit, was held back behind this batch: its poke came meanwhile.
      return { n: claimed.length, again: claimed.length >= limit || done.more || pokes !== done.pokes };
    } catch (err) {
      if (claimed.length === 0) throw err;
      if (claimed.length > 1) {
        // Isolate the message that broke the batch: redo this batch's share one message at a time.
        let n = 0;
        for (let i = 0; i < limit; i++) {
          const done = await runBatch(1);
          if (done.n === 0) break;
          n += done.n;
        }
        return { n, again: true };
      }
      await recordFailure(claimed[0]!.id, err);
      return { n: 1, again: true };
    }
  }

  /**
   * Runs the claimed turns and finishes them. `more`: these citizens have later messages waiting;
   * `pokes`: the count of pokes when the finish statement was sent.
   */
  async function processRows(tx: Queryable, rows: InboxRow[]): Promise<{ more: boolean; pokes: number }> {
    const redacted: number[] = [];
    const answers: Rendered[][] = new Array(rows.length);
    const turns: { i: number; turn: Turn }[] = [];
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      const message: InboundMessage = { ...row.message, at: new Date(row.message.at) };
      const paged = await pageOf(tx, row, message);
      if (paged) answers[i] = paged;
      else turns.push({ i, turn: { citizen: { waId: row.wa_id, name: row.profile_name ?? undefined }, message, receivedAt: new Date(row.received_at), redact: () => redacted.push(row.id) } });
    }
    if (turns.length > 0) {
      // The whole batch at once when the handler can (fewer statements), else turn by turn, in order.
      let replies: Reply[][];
      if (o.handler.many) {
        replies = await o.handler.many(turns.map((t) => t.turn), tx);
        if (replies.length !== turns.length) throw new Error(`the handler answered ${replies.length} of ${turns.length} turns`);
      } else {
        replies = [];
        for (const t of turns) replies.push(await o.handler(t.turn, tx));
      }
      turns.forEach((t, k) => (answers[t.i] = replies[k]!.flatMap((r) => render(rows[t.i]!.wa_id, r))));
    }
    const outgoing: OutboxInsert[] = rows.flatMap((row, i) => answers[i]!.map((r) => ({ row, payload: r.payload, paging: r.paging })));
    const pokesAtFinish = pokes;
    const [finished] = await tx.query<{ more: boolean }>(FINISH, [outboxJson(outgoing), rows.map((r) => r.id), [...new Set(rows.map((r) => r.wa_id))]]);
    if (redacted.length) await tx.query(REDACT, [redacted]);
    const now = Date.now();
    for (const row of rows) o.metrics.turnLatency.observe((now - new Date(row.received_at).getTime()) / 1000);
    o.metrics.processed.inc({ outcome: 'done' }, rows.length);
    return { more: finished?.more === true, pokes: pokesAtFinish };
  }

  /** "More" on a long list is the channel's own business; the conversation never sees it. */
  async function pageOf(tx: Queryable, row: InboxRow, message: InboundMessage): Promise<Rendered[] | undefined> {
    const c = message.content;
    if (c.kind !== 'choice' || !c.id.startsWith(PAGE_ROW_PREFIX)) return undefined;
    const [key, page] = c.id.slice(PAGE_ROW_PREFIX.length).split(':');
    const found = await tx.query<{ reply: { paging: { key: string; reply: Extract<Reply, { kind: 'choices' }> } } }>(
      `select reply from outbox where wa_id = $1 and reply->'paging'->>'key' = $2 limit 1`,
      [row.wa_id, key],
    );
    const paging = found[0]?.reply.paging;
    return paging ? renderPage(row.wa_id, paging.reply, paging.key, Number(page)) : undefined;
  }

  async function recordFailure(id: number, err: unknown) {
    // The one message that keeps failing: count the attempt; past the limit, give up and say so.
    await o.db.transaction(async (tx) => {
      const rows = await tx.query<InboxRow & { waiting: boolean }>(`select *, coalesce(retry_at > now(), false) as waiting from inbox where id = $1 and state = 'pending' for update`, [id]);
      const row = rows[0];
      // Another loop took the same failing batch meanwhile and already counted this attempt.
      if (!row || row.waiting) return;
      const attempts = row.attempts + 1;
      const error = err instanceof Error ? err.message : String(err);
      if (attempts < maxAttempts) {
        const wait = (o.retryBaseMs ?? 2000) * 2 ** (attempts - 1);
        await tx.query(`update inbox set attempts = $2, error = $3, retry_at = now() + $4 * interval '1 millisecond' where id = $1`, [row.id, attempts, error, wait]);
        return;
      }
      await tx.query(`update inbox set state = 'failed', attempts = $2, error = $3, done_at = now() where id = $1`, [row.id, attempts, error]);
      await insertOutbox(tx, render(row.wa_id, { kind: 'text', text: SORRY }).map((r) => ({ row, payload: r.payload })));
      o.metrics.processed.inc({ outcome: 'failed' });
    });
    o.log.error({ err }, 'turn failed');
  }

  /** A poke that found no loop idle: the next loop to run out of work looks once more first. */
  let missed = false;
  /** Pokes so far: a loop that finished a batch claims again at once only if something came meanwhile. */
  let pokes = 0;
  function wakeOne() {
    const [w] = wakers;
    if (w) w();
    else missed = true;
  }

  async function loop() {
    while (running) {
      // Claim on the next turn of the event loop, after the webhooks read in this one are stored.
      await new Promise<void>((r) => setImmediate(r));
      let n = 0;
      let again = false;
      missed = false;
      try {
        ({ n, again } = await runBatch(o.batch));
        if (n > 0) o.onReplies();
        // A full batch suggests more is waiting: get an idle loop going on it too.
        if (n >= o.batch) wakeOne();
      } catch (err) {
        o.log.error({ err }, 'worker cannot reach the database');
        await sleep(1000);
      }
      // Claiming again right after every batch found nothing most of the time (another loop, poked,
      // had taken what came meanwhile): three statements for nothing. Wait for a poke instead.
      if (!again && running && !missed) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, o.idlePollMs ?? 250);
          function done() {
            clearTimeout(timer);
            wakers.delete(done);
            resolve();
          }
          wakers.add(done);
        });
      }
    }
  }

  return {
    start() {
      running = true;
      for (let i = 0; i < o.concurrency; i++) loops.push(loop());
    },
    /** New inbox rows are committed: look now rather than at the next poll. */
    poke() {
      // One idle loop is enough to look; it wakes another if it finds a full batch.
      pokes++;
      wakeOne();
    },
    async stop() {
      running = false;
      for (const w of [...wakers]) w();
      await Promise.all(loops);
    },
    /** Runs turns until the inbox is empty; for tests and the CLI. */
    async drain() {
      while ((await runBatch(o.batch)).n > 0) o.onReplies();
    },
  };
}

interface OutboxInsert {
  row: { id: number; wa_id: string; phone_number_id: string };
  payload: Record<string, unknown>;
  paging?: Rendered['paging'];
}

function outboxJson(items: OutboxInsert[]): string {
  return JSON.stringify(items.map((i, ord) => ({ wa_id: i.row.wa_id, phone_number_id: i.row.phone_number_id, inbox_id: i.row.id, payload: i.payload, reply: i.paging ? { paging: i.paging } : null, ord })));
}

async function insertOutbox(tx: Queryable, items: OutboxInsert[]) {
  if (items.length === 0) return;
  await tx.query(
    `insert into outbox (wa_id, phone_number_id, inbox_id, kind, payload, reply)
     select wa_id, phone_number_id, inbox_id, 'message', payload, reply
     from jsonb_to_recordset($1::jsonb)
       as x(wa_id text, phone_number_id text, inbox_id bigint, payload jsonb, reply jsonb, ord int)
     order by ord`,
    [outboxJson(items)],
  );
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
