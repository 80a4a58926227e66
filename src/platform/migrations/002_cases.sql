-- What citizens file: applications, complaints, requests. The back office (issue 5) works them.

-- One counter per reference prefix and year: REV-26-000123 is the 123rd REV case filed in 2026.
create table reference_counters (
  prefix  text not null,
  year    int  not null,
  last    int  not null,
  primary key (prefix, year)
);

create table cases (
  id            bigserial primary key,
  reference     text not null unique,
  wa_id         text not null,
  service_id    text not null,
  department    text not null,
  kind          text not null,
  status        text not null default 'submitted',
  language      text not null,
  -- The citizen's answers as the form kept them: an Aadhaar number only as its salted hash and last 4.
  answers       jsonb not null,
  submitted_at  timestamptz not null,
  due_at        timestamptz,
  updated_at    timestamptz not null
);
create index cases_by_citizen on cases (wa_id, submitted_at desc);

-- Append-only: who did what to a case, when and why.
create table case_events (
  id          bigserial primary key,
  case_id     bigint not null references cases (id),
  at          timestamptz not null,
  actor       text not null,
  action      text not null,
  to_status   text,
  note        text
);
create index case_events_by_case on case_events (case_id, id);
