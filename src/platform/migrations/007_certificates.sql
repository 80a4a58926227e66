-- Certificates an approved application issues (issue 6), and the keys that sign them.

-- A department's Ed25519 signing keys. The private half is sealed (AES-256-GCM under
-- SIGNING_KEY_SECRET), never stored in clear. A retired key's documents stay valid; a revoked
-- (compromised) key's do not.
create table signing_keys (
  kid             text primary key,
  department      text not null,
  public_key      text not null,
  sealed_private  text not null,
  not_before      timestamptz not null,
  not_after       timestamptz not null,
  status          text not null check (status in ('active', 'retired', 'revoked')),
  revoked_at      timestamptz,
  revoked_reason  text,
  created_at      timestamptz not null
);
create index signing_keys_by_department on signing_keys (department, not_before);

-- The trust lists published so far, each signed by the state's root key; verifiers take the latest.
create table trust_lists (
  serial     int primary key,
  issued_at  timestamptz not null,
  signed     jsonb not null
);

-- One counter per department: a certificate's index is its bit in the department's status list.
create table certificate_counters (
  department  text primary key,
  last        int not null
);

create table certificates (
  id              bigserial primary key,
  number          text not null unique,
  case_id         bigint not null unique references cases (id),
  department      text not null,
  document_type   text not null,
  status_index    int not null,
  -- 'waiting_for_key' until the department has a signing key, then 'issued'.
  state           text not null check (state in ('waiting_for_key', 'issued')),
  kid             text references signing_keys (kid),
  payload         text,
  -- What the PDF prints beside the signed claims (titles and labels in Telugu and English).
  printed         jsonb not null,
  -- The claims as signed (or to be signed, while waiting for a key).
  claims          jsonb not null,
  issued_at       timestamptz not null,
  expires_at      timestamptz,
  -- The link the PDF is fetched by (WhatsApp fetches it to deliver the document): unguessable.
  download_token  text not null unique,
  revoked_at      timestamptz,
  revoked_reason  text,
  revoked_by      text,
  unique (department, status_index)
);
create index certificates_waiting on certificates (id) where state = 'waiting_for_key';
create index certificates_revoked on certificates (department) where revoked_at is not null;

-- Photos of certificates' QR codes sent on WhatsApp, checked outside the turn (the photo is fetched
-- from the Graph API, which never happens inside a transaction).
create table certificate_checks (
  id             bigserial primary key,
  wa_id          text not null,
  language       text not null,
  media_id       text not null,
  requested_at   timestamptz not null,
  state          text not null default 'pending' check (state in ('pending', 'done', 'failed')),
  attempts       int not null default 0,
  -- A process that took the check holds it until then; after a crash another takes it.
  claimed_until  timestamptz,
  verdict        text,
  done_at        timestamptz
);
create index certificate_checks_pending on certificate_checks (id) where state = 'pending';
