-- The public ledger (issue 7): an append-only Merkle log (RFC 6962/9162), served as C2SP tlog-tiles.

-- What happened, queued in the transaction that made it happen; the sequencer gives it its place.
create table ledger_queue (
  id         bigserial primary key,
  body       bytea not null,
  queued_at  timestamptz not null
);

-- The log itself: entry i is leaf i. Never updated, never deleted.
create table ledger_entries (
  idx           bigint primary key,
  body          bytea not null,
  kind          text not null,
  department    text not null,
  subject       text not null,
  sequenced_at  timestamptz not null
);
create index ledger_entries_by_subject on ledger_entries (subject);

-- Perfect-subtree hashes at the tile levels (tree levels 0, 8, 16, …): what hash tiles are made of.
create table ledger_nodes (
  level  smallint not null,
  idx    bigint not null,
  hash   bytea not null,
  primary key (level, idx)
);

-- One row: the tree as sequenced so far. Its row lock is what keeps several writers to one history.
create table ledger_head (
  id          int primary key check (id = 1),
  size        bigint not null,
  -- The frontier: the roots of the tree's perfect subtrees, largest first, 32 bytes each.
  frontier    bytea not null,
  checkpoint  text not null
);

-- Every checkpoint signed, with the witnesses' cosignature lines as they arrive.
create table ledger_checkpoints (
  size          bigint primary key,
  root          bytea not null,
  note          text not null,
  signed_at     timestamptz not null,
  cosignatures  text not null default ''
);

-- A certificate's place in the log, once its issue entry is sequenced.
alter table certificates add column ledger_index bigint;
