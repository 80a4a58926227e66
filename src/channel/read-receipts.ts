import type { Logger, Metrics } from '../platform/index.ts';
import type { GraphClient } from './whatsapp/graph.ts';
import { readReceipt } from './whatsapp/render.ts';

/** A message just stored, as the read receipt needs it. */
export interface StoredMessage {
  wamid: string;
  /** The content's kind: a reaction is marked read but gets no "typing…", as no reply follows it. */
  kind: string;
}

export interface ReadReceiptOptions {
  graph: GraphClient;
  log: Logger;
  metrics: Metrics;
  /** Receipts on the wire at once. */
  maxInFlight?: number;
  /** Receipts waiting beyond those; under a flood the oldest are dropped (a late blue tick means little). */
  maxWaiting?: number;
}

/**
 * Blue ticks and "typing…" the moment a citizen's message is stored, before its turn runs, so the
 * citizen sees it was received while the queue works through a busy hour. Sent from memory after the
 * inbox commit, never inside it, and best effort: a receipt lost to a crash or an error is not worth
 * a retry or a row in the outbox (the reply follows anyway, and marking a later message read marks
 * the earlier ones too).
 */
export function createReadReceipts(o: ReadReceiptOptions) {
  const maxInFlight = o.maxInFlight ?? 64;
  const maxWaiting = o.maxWaiting ?? 10_000;
  let waiting: StoredMessage[] = [];
  let inFlight = 0;
  let settled: (() => void) | undefined;

  function pump() {
    while (inFlight < maxInFlight && waiting.length > 0) {
      const batch = waiting.splice(0, maxInFlight - inFlight);
      for (const m of batch) {
        inFlight++;
        void send(m).finally(() => {
          inFlight--;
          if (waiting.length > 0) pump();
          else if (inFlight === 0) settled?.();
        });
      }
    }
  }

  async function send(m: StoredMessage) {
    const res = await o.graph.send(readReceipt(m.wamid, m.kind !== 'reaction'));
    if (res.ok) o.metrics.sent.inc({ kind: 'read' });
    else {
      o.metrics.failed.inc({ code: String(res.error.code) });
      o.log.warn({ wamid: m.wamid, code: res.error.code, title: res.error.title }, 'read receipt not sent');
    }
  }

  return {
    /** Marks these messages read, in the order given, without waiting. */
    send(messages: StoredMessage[]) {
      if (messages.length === 0) return;
      waiting.push(...messages);
      pump();
      if (waiting.length > maxWaiting) {
        const dropped = waiting.length - maxWaiting;
        waiting = waiting.slice(dropped);
        o.log.warn({ dropped }, 'read receipts dropped: more waiting than WhatsApp can take now');
      }
    },
    /** Resolves once every receipt asked for has been answered (for shutdown and tests). */
    idle(): Promise<void> {
      if (inFlight === 0 && waiting.length === 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const before = settled;
        settled = () => {
          settled = before;
          before?.();
          resolve();
        };
      });
    },
  };
}

export type ReadReceipts = ReturnType<typeof createReadReceipts>;
