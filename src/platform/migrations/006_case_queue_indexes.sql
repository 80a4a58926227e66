-- Queue pages and the SLA sweep at a million cases (bench/cases.ts; the plans are in bench/README.md).
-- A supervisor's reach is `office like 'district/%'`: under a non-C collation only a text_pattern_ops
-- index serves a prefix LIKE. A department admin's and the state admin's queues need an index in SLA
-- order without office in between. The reopen-window close step needs its own small index.
drop index cases_open_by_office;
create index cases_open_by_office on cases (department, office text_pattern_ops, stage_due_at) where closed_at is null;
drop index cases_escalated;
create index cases_escalated on cases (department, escalated_office text_pattern_ops) where closed_at is null and escalated_office is not null;
create index cases_open_by_department on cases (department, stage_due_at, id) where closed_at is null;
create index cases_open_by_due on cases (stage_due_at, id) where closed_at is null;
create index cases_resolved on cases (resolved_at) where status = 'resolved' and closed_at is null;
-- The sweep finds due cases through cases_open_by_due; one index fewer to update per escalation.
drop index cases_overdue;
