-- The WhatsApp channel: every inbound message, every outbound message, every citizen we talk to.

create table citizens (
  wa_id            text primary key,
  profile_name     text,
  first_seen_at    timestamptz not null default now(),
  -- Meta allows free-form replies only within 24 h of the citizen's last message.
  last_inbound_at  timestamptz not null
);

-- Inbound messages, committed before the webhook answers 200. The unique wamid is the dedupe key;
-- rows are kept at least 7 days because Meta redelivers for up to 7 days.
create table inbox (
  id               bigint generated always as identity primary key,
  wamid            text not null unique,
  phone_number_id  text not null,
  wa_id            text not null,
  profile_name     text,
  type             text not null,
  message          jsonb not null,
  raw              jsonb not null,
  sent_at          timestamptz not null,
  received_at      timestamptz not null default now(),
  state            text not null default 'pending' check (state in ('pending', 'done', 'failed')),
  attempts         int not null default 0,
  error            text,
  done_at          timestamptz
);
create index inbox_pending on inbox (id) where state = 'pending';
create index inbox_pending_by_citizen on inbox (wa_id, id) where state = 'pending';
create index inbox_done_at on inbox (done_at) where state <> 'pending';

-- Outbound messages (transactional outbox). Written in the same transaction as the turn that
-- produced them; the sender delivers them after commit. `state` only moves forward:
-- queued -> sending -> sent -> delivered -> read, or failed.
create table outbox (
  id               bigint generated always as identity primary key,
  wa_id            text not null,
  phone_number_id  text not null,
  inbox_id         bigint,
  priority         smallint not null default 0,
  kind             text not null check (kind in ('message', 'read')),
  payload          jsonb not null,
  reply            jsonb,
  state            text not null default 'queued'
                   check (state in ('queued', 'sending', 'sent', 'delivered', 'read', 'failed')),
  attempts         int not null default 0,
  not_before       timestamptz not null default now(),
  lease_until      timestamptz,
  wamid            text unique,
  error_code       int,
  error_title      text,
  error_detail     text,
  created_at       timestamptz not null default now(),
  sent_at          timestamptz,
  delivered_at     timestamptz,
  read_at          timestamptz,
  failed_at        timestamptz
);
create index outbox_open on outbox (priority, id) where state in ('queued', 'sending');
create index outbox_open_by_citizen on outbox (wa_id, id) where state in ('queued', 'sending');
create index outbox_failed on outbox (failed_at) where state = 'failed';

-- Signed webhook bodies we could not read. Kept so nothing Meta sent is lost, and visible to operators.
create table webhook_rejects (
  id               bigint generated always as identity primary key,
  received_at      timestamptz not null default now(),
  reason           text not null,
  body             text not null
);

-- Where the conversation stands for each citizen; owned by the conversation handler.
create table conversation_sessions (
  wa_id            text primary key,
  state            jsonb not null default '{}',
  updated_at       timestamptz not null default now()
);
