-- A turn that failed waits before its next attempt, longer each time, instead of five tries at once.
alter table inbox add column retry_at timestamptz;
