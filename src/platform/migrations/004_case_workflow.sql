-- Cases move through their service's workflow: a stage, the office working it, a clock per stage.

alter table cases
  -- Where the citizen is, from their answers: routes the case to an office.
  add column district         text,
  add column mandal           text,
  -- The stage being worked, from the service's workflow; null once the case is finished.
  add column stage            text,
  -- The office that works the stage: '' the state, a district id, or a mandal id (district/mandal).
  add column office           text not null default '',
  add column stage_due_at     timestamptz,
  -- The stage's SLA, kept on the case so one statement can sweep every overdue case.
  add column stage_sla_days   numeric,
  -- How many times this stage ran past its SLA; each time it is seen one level further up.
  add column escalation       int not null default 0,
  add column escalated_office text,
  -- No active officer of the department sits at the office: flagged, never a black hole.
  add column unstaffed        boolean not null default false,
  add column assigned_officer bigint references officers (id),
  add column resolved_at      timestamptz,
  add column closed_at        timestamptz,
  add column rating           int check (rating between 1 and 5),
  add column reopened         int not null default 0,
  add column version          int not null default 1;

alter table case_events
  add column from_status text,
  add column stage       text,
  add column data        jsonb;

create index cases_open_by_office on cases (department, office, stage_due_at) where closed_at is null;
create index cases_overdue on cases (stage_due_at) where closed_at is null and status <> 'returned';
create index cases_escalated on cases (department, escalated_office) where closed_at is null and escalated_office is not null;
