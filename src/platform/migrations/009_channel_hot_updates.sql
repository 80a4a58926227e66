-- Every turn writes an inbox row once more, an outbox row up to four times more (sending, sent,
-- delivered, read) and its citizen's and session's rows once. Make those writes cheap.
--
-- The outbox's partial indexes now say `open` instead of naming `state`: PostgreSQL can update a row in
-- place (HOT: no new entry in any index) only when no column an index refers to changes, predicates
-- included. With `state` in the predicates every status was a new entry in every index; with `open`
-- (which only changes when a message leaves the queue), claiming, delivered and read are HOT updates.
alter table outbox add column open boolean generated always as (state in ('queued', 'sending')) stored;
drop index outbox_open;
create index outbox_open on outbox (priority, id) where open;
drop index outbox_open_by_citizen;
create index outbox_open_by_citizen on outbox (wa_id, id) where open;
drop index outbox_failed;
create index outbox_failed on outbox (failed_at) where failed_at is not null;

-- A citizen's oldest pending message is found through (wa_id, id). With the (id) index beside it the
-- planner, holding the statistics of an empty inbox, walked every pending row in id order for each
-- candidate instead; and one index fewer is one entry fewer for every message stored.
drop index inbox_pending;

-- Room on each page for the updated row, so the update can stay on the page (a HOT update needs it).
alter table outbox set (fillfactor = 80);
alter table citizens set (fillfactor = 80);
alter table conversation_sessions set (fillfactor = 80);
