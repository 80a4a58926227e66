-- Officer accounts and their sessions for the back office (issue 5).

create table officers (
  id             bigserial primary key,
  -- Always stored lowercased: login matches it case-insensitively.
  username       text not null unique check (username = lower(username)),
  display_name   text not null,
  -- scrypt$N$r$p$salt$hash (see src/officers/password.ts); never the password.
  password_hash  text not null,
  -- A department code such as REV01; null only for a state admin, who sees every department.
  department     text,
  role           text not null check (role in ('officer', 'supervisor', 'department_admin', 'state_admin')),
  -- Jurisdiction: '' the whole state, a district id ('guntur') or a mandal id ('guntur/tenali'),
  -- as in the catalogue's lists ap-districts and ap-mandals.
  office         text not null default '',
  -- The post held, matching a workflow stage's role (Tahsildar, VRO…); null when none.
  designation    text,
  -- Consecutive failed logins (attempts in flight included); reset by a success or a lockout.
  failed_logins  int not null default 0,
  locked_until   timestamptz,
  disabled       boolean not null default false,
  created_at     timestamptz not null default now(),
  check (department is not null or role = 'state_admin')
);

-- One row per signed-in browser. The id is the sha256 (hex) of the session token: the token itself
-- lives only in the officer's cookie, so a copy of this table signs nobody in.
create table officer_sessions (
  id            text primary key,
  officer_id    bigint not null references officers (id) on delete cascade,
  csrf_token    text not null,
  created_at    timestamptz not null,
  expires_at    timestamptz not null,
  last_seen_at  timestamptz not null
);
create index officer_sessions_by_officer on officer_sessions (officer_id);
create index officer_sessions_by_expiry on officer_sessions (expires_at);
