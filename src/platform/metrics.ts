import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The figures an operator watches. One registry per running app, so tests can run several. */
export function createMetrics() {
  const registry = new Registry();
  const m = {
    registry,
    received: new Counter({ name: 'mitra_messages_received_total', help: 'Inbound WhatsApp messages accepted by the webhook (after dedupe)', registers: [registry] }),
    deduplicated: new Counter({ name: 'mitra_messages_deduplicated_total', help: 'Inbound messages dropped as redeliveries of a message already stored', registers: [registry] }),
    rejected: new Counter({ name: 'mitra_webhook_rejected_total', help: 'Webhook requests refused or parked', labelNames: ['reason'], registers: [registry] }),
    statuses: new Counter({ name: 'mitra_statuses_received_total', help: 'Status updates received for outbound messages', labelNames: ['status'], registers: [registry] }),
    processed: new Counter({ name: 'mitra_turns_processed_total', help: 'Inbound messages turned into a committed conversation turn', labelNames: ['outcome'], registers: [registry] }),
    sent: new Counter({ name: 'mitra_messages_sent_total', help: 'Outbound messages accepted by the Graph API', labelNames: ['kind'], registers: [registry] }),
    failed: new Counter({ name: 'mitra_messages_failed_total', help: 'Outbound messages that failed for good', labelNames: ['code'], registers: [registry] }),
    retried: new Counter({ name: 'mitra_send_retries_total', help: 'Send attempts that will be retried', labelNames: ['reason'], registers: [registry] }),
    inboxDepth: new Gauge({ name: 'mitra_inbox_pending', help: 'Inbound messages waiting for their turn', registers: [registry] }),
    outboxDepth: new Gauge({ name: 'mitra_outbox_pending', help: 'Outbound messages waiting to be sent', registers: [registry] }),
    turnLatency: new Histogram({
      name: 'mitra_turn_latency_seconds',
      help: 'From webhook receipt to the committed turn (replies queued)',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
  };
  return m;
}

export type Metrics = ReturnType<typeof createMetrics>;
