// Back-office bench: a PostgreSQL schema seeded with many cases across every department, district
// and mandal of the catalogue, then what officers and the SLA sweeper do to it, timed:
//   1. an officer's queue page: officerQueue(db, officer, {}, now), per role (mandal officer, district
//      supervisor, department admin, and the one state admin), and the same page through HTTP
//      (GET /api/v1/cases with a session cookie) against Mitra's app in a child process;
//   2. a case action: actOnCase in a transaction (approve, comment or return on an open case in the
//      officer's scope), and the same through HTTP (POST /api/v1/cases/{id}/actions);
//   3. one SLA sweep: sweepCases over every open case, its notices written to the outbox as app.ts
//      wires them (createProactive + noticeMessage), and a second sweep with nothing due.
//
//   node --import tsx bench/cases.ts [--cases N] [--samples N] [--actions N] [--http-samples N]
//        [--http-concurrency C] [--no-http] [--seed N] [--pg-url URL] [--wait-idle S] [--keep] [--smoke]
//        [--sweeps N] [--sweepers N] [--extra-sql SQL]
//
// Beside each figure, a ceiling measured in the same run: `select 1` through the same pool for a
// direct query, an empty transaction for a direct action, a bare node:http server
// (bench/servers/bare.ts) for an HTTP request, and the same rows written by plain statements for the
// sweep. --smoke seeds 20,000 cases, takes few samples and exits non-zero if any operation fails.
// --extra-sql runs after the migrations (diagnostics: an index under trial, measured with everything
// else unchanged). See bench/README.md.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, userInfo } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { actOnCase, officerQueue, scopeOf, stagesOf, sweepCases, type ActInput, type CaseDeps, type Notify, type Officer } from '../src/cases/index.ts';
import { loadCatalog, type Catalog } from '../src/catalog/index.ts';
import { createProactive } from '../src/channel/index.ts';
import { createDirectory, noticeMessage } from '../src/conversation/index.ts';
import { hashPassword, TEST_COST } from '../src/officers/index.ts';
import { migrate, openPostgres, type Clock, type Db, type Queryable } from '../src/platform/index.ts';
import { fail, fmt, freePort, machineTicks, num, outDir, percentile, postgresTicks, procTicks, root, sleep, startChild, TICK, type Child } from './harness.ts';

// ---------------------------------------------------------------------------------------------------
// Options

const { values: args } = parseArgs({
  options: {
    cases: { type: 'string' },
    samples: { type: 'string' },
    actions: { type: 'string' },
    'http-samples': { type: 'string' },
    'http-concurrency': { type: 'string' },
    'no-http': { type: 'boolean', default: false },
    seed: { type: 'string' },
    'pg-url': { type: 'string' },
    'wait-idle': { type: 'string' },
    'extra-sql': { type: 'string' },
    sweeps: { type: 'string' },
    sweepers: { type: 'string' },
    keep: { type: 'boolean', default: false },
    smoke: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (args.help) {
  console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(0, 20).join('\n'));
  process.exit(0);
}

const smoke = args.smoke;
const opts = {
  cases: num(args.cases, smoke ? 20_000 : 1_000_000),
  /** Queue pages measured per role (the state admin gets a tenth of it: there is one). */
  samples: num(args.samples, smoke ? 30 : 500),
  actions: num(args.actions, smoke ? 40 : 1000),
  httpSamples: num(args['http-samples'], smoke ? 20 : 300),
  httpConcurrency: num(args['http-concurrency'], 1),
  http: !args['no-http'],
  seed: num(args.seed, 1),
  pgUrl: args['pg-url'] ?? process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  keep: args.keep,
  /** Before each measured phase, wait up to this many seconds for the machine to be idle (others' work shows as CPU rest). */
  waitIdle: num(args['wait-idle'], 0),
  /** Diagnostics: SQL run after the migrations, before seeding (e.g. an index under trial). */
  extraSql: args['extra-sql'],
  /** SLA sweeps measured: the first at the seeding clock, the others later (as many cases due each time). */
  sweeps: num(args.sweeps, 1),
  /** If > 1, one more sweep after those, run by this many sweepCases at once. */
  sweepers: num(args.sweepers, 1),
};
if (!(Number.isInteger(opts.cases) && opts.cases >= 1000)) fail('--cases must be an integer of at least 1000');
if (!(opts.samples > 0 && opts.actions > 0 && opts.httpSamples > 0 && opts.httpConcurrency > 0)) fail('--samples, --actions, --http-samples and --http-concurrency must be positive');

// node-postgres takes the user from $USER when the URL names none; a bare container may not set it.
process.env.PGUSER ??= process.env.USER ?? userInfo().username;

// The instant the data is seeded against: every clock in the run (queue, actions, sweep, the HTTP
// app) reads this, so "overdue" means the same everywhere however long the run takes.
const NOW = new Date(Math.floor(Date.now() / 1000) * 1000);
const clock: Clock = { now: () => new Date(NOW) };

/** Share of cases open (submitted, in progress, returned, reopened), and of those past their stage's SLA. */
const OPEN_SHARE = 0.4;
const OVERDUE_SHARE = 0.05;
const REOPEN_WINDOW_DAYS = 7;
const PASSWORD = 'bench-cases-password';
const ROLES = ['officer', 'supervisor', 'department_admin', 'state_admin'] as const;
type BenchRole = (typeof ROLES)[number];
const ROLE_LABEL: Record<BenchRole, string> = { officer: 'mandal officer', supervisor: 'district supervisor', department_admin: 'department admin', state_admin: 'state admin' };

// A small seeded PRNG (mulberry32): the same --seed picks the same officers, cases and actions.
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = prng(opts.seed);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

// ---------------------------------------------------------------------------------------------------
// Measuring

interface CpuShare {
  /** This process: the bench, the driver, and (direct) Mitra's own code. */
  bench: number;
  /** The HTTP server child, when there is one. */
  server: number;
  postgres: number;
  /** Everything else busy on the machine meanwhile (other processes, interrupts). */
  other: number;
}

/** CPU as a share of one core over the wall time since the meter started. */
function cpuMeter(serverPid?: number): (wallMs: number) => CpuShare {
  const before = { self: process.cpuUsage(), server: serverPid ? procTicks(serverPid) : 0, pg: postgresTicks(), machine: machineTicks() };
  return (wallMs) => {
    const wall = wallMs / 1000;
    const self = process.cpuUsage(before.self);
    const bench = (self.user + self.system) / 1e6 / wall;
    const server = serverPid ? (procTicks(serverPid) - before.server) / TICK / wall : 0;
    const postgres = (postgresTicks() - before.pg) / TICK / wall;
    const machine = (machineTicks() - before.machine) / TICK / wall;
    return { bench, server, postgres, other: Math.max(0, machine - bench - server - postgres) };
  };
}

interface Figure {
  group: 'queue' | 'action' | 'sweep';
  name: string;
  via: 'direct' | 'http' | 'ceiling';
  samples: number;
  failures: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
  /** Requests (or calls) per second over the measured window. */
  rate: number;
  wallMs: number;
  cpu: CpuShare;
  /** Mean rows per page, for queue pages. */
  rows?: number;
  /** The ceiling measured beside it (p99 ms), and what it is. */
  ceiling?: { p99: number; what: string };
  target?: { p99Ms: number };
  notes?: string[];
}

function summarise(group: Figure['group'], name: string, via: Figure['via'], lat: number[], failures: number, wallMs: number, cpu: CpuShare, extra: Partial<Figure> = {}): Figure {
  const s = [...lat].sort((a, b) => a - b);
  return {
    group,
    name,
    via,
    samples: lat.length,
    failures,
    p50: percentile(s, 50),
    p95: percentile(s, 95),
    p99: percentile(s, 99),
    max: s[s.length - 1] ?? NaN,
    mean: s.reduce((a, b) => a + b, 0) / (s.length || 1),
    rate: (lat.length / wallMs) * 1000,
    wallMs,
    cpu,
    ...extra,
  };
}

/** Runs `call` n times, `concurrency` at a time, each timed; a throw or a false result counts as a failure. */
async function timed(n: number, concurrency: number, call: (i: number) => Promise<boolean | number>, serverPid?: number) {
  const lat: number[] = [];
  const rows: number[] = [];
  const errors: string[] = [];
  let failures = 0;
  let next = 0;
  const meter = cpuMeter(serverPid);
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, n) }, async () => {
      for (;;) {
        const i = next++;
        if (i >= n) return;
        const s = performance.now();
        try {
          const r = await call(i);
          lat.push(performance.now() - s);
          if (r === false) failures++;
          else if (typeof r === 'number') rows.push(r);
        } catch (err) {
          lat.push(performance.now() - s);
          failures++;
          if (errors.length < 5) errors.push((err as Error).message);
        }
      }
    }),
  );
  const wallMs = performance.now() - t0;
  return { lat, rows, failures, errors, wallMs, cpu: meter(wallMs) };
}

/** Waits until the machine has been nearly idle (< 30% of one core busy) for 3 s, or `seconds` have passed. */
async function waitIdle(seconds: number): Promise<void> {
  if (seconds <= 0) return;
  const until = Date.now() + seconds * 1000;
  let calm = 0;
  while (Date.now() < until) {
    const before = machineTicks();
    await sleep(1000);
    calm = (machineTicks() - before) / TICK < 0.3 ? calm + 1 : 0;
    if (calm >= 3) return;
  }
  process.stderr.write(`  (machine still busy after ${seconds} s)\n`);
}

// ---------------------------------------------------------------------------------------------------
// The catalogue as the seed needs it

interface SeedService {
  i: number;
  id: string;
  dept: string;
  prefix: string;
  kind: string;
  sla: number | null;
  dist_field: string | null;
  mandal_field: string | null;
  nst: number;
  st_ids: string[];
  st_levels: string[];
  st_sla: number[];
  weight: number;
}

function seedServices(catalog: Catalog): SeedService[] {
  const out: SeedService[] = [];
  for (const d of catalog.departments) {
    for (const s of d.services) {
      // Every kind but information files a case (src/conversation/form.ts).
      if (s.kind === 'information') continue;
      const stages = stagesOf(s);
      out.push({
        i: out.length + 1,
        id: s.id,
        dept: d.code,
        prefix: d.prefix,
        kind: s.kind,
        sla: s.sla_days,
        dist_field: s.fields.find((f) => f.list === 'ap-districts')?.id ?? null,
        mandal_field: s.fields.find((f) => f.list === 'ap-mandals')?.id ?? null,
        nst: stages.length,
        st_ids: stages.map((x) => x.id),
        st_levels: stages.map((x) => x.level),
        st_sla: stages.map((x) => x.sla_days),
        // Applications and complaints are most of what citizens file; lookups, bookings, payments less.
        weight: s.kind === 'application' || s.kind === 'grievance' ? 3 : 1,
      });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Seeding: set-based, in one session of its own

interface BenchOfficer extends Officer {
  username: string;
  role: BenchRole;
}

const CASES_SQL = `
insert into cases (reference, wa_id, service_id, department, kind, status, language, answers, submitted_at, due_at, updated_at,
                   district, mandal, stage, office, stage_due_at, stage_sla_days, escalation, escalated_office, unstaffed,
                   resolved_at, closed_at, rating, reopened)
with r as materialized (
  select g, ($3::int[])[1 + floor(random() * cardinality($3::int[]))::int] as si,
         random() as r_status, random() as r_state, random() as r_stage, random() as r_due, random() as r_place,
         random() as r_lang, random() as r_wa, random() as r_esc, random() as r_time, random() as r_sub
  from generate_series(1, $2::int) g
), a as (
  select r.*, s.id as service_id, s.dept, s.prefix, s.kind, s.sla, s.dist_field, s.mandal_field, s.nst, s.st_ids, s.st_levels, s.st_sla,
    case when s.mandal_field is not null then ($4::text[])[1 + floor(r.r_place * cardinality($4::text[]))::int] end as mandal,
    case when s.mandal_field is not null then ($5::text[])[1 + floor(r.r_place * cardinality($5::text[]))::int]
         when s.dist_field is not null then ($6::text[])[1 + floor(r.r_place * cardinality($6::text[]))::int] end as district,
    case
      when r.r_status < $8 then
        case when r.r_state < 0.35 then 'submitted' when r.r_state < 0.85 then 'in_progress' when r.r_state < 0.95 then 'returned'
             when s.kind = 'grievance' then 'reopened' else 'in_progress' end
      when s.kind = 'grievance' then case when r.r_state < 0.15 then 'resolved' when r.r_state < 0.25 then 'rejected' else 'closed' end
      else case when r.r_state < 0.8 then 'approved' else 'rejected' end
    end as status
  from r join seed_svc s on s.i = r.si
), b as (
  select a.*,
    case when status in ('submitted', 'reopened') then 1 when status in ('approved', 'resolved', 'closed') then nst
         else 1 + floor(r_stage * nst)::int end as k,
    status in ('submitted', 'in_progress', 'returned', 'reopened') as open
  from a
), c as (
  select b.*, st_levels[k] as level, st_sla[k] as stage_sla, greatest(st_sla[k], 0.5) * interval '1 day' as sla_iv
  from b
), d as (
  -- The office per the stage's level (officeFor), and for open cases a stage clock of which a share
  -- ($9) has run out at $1, overdue by up to one SLA; the rest are due within one SLA.
  select c.*,
    case level when 'state' then '' when 'district' then coalesce(district, '') else coalesce(mandal, district, '') end as office,
    case when open then
      case when r_due < $9 then $1::timestamptz - (r_due / $9) * sla_iv else $1::timestamptz + ((r_due - $9) / (1 - $9)) * sla_iv end
    end as stage_due_at
  from c
), e as (
  select d.*,
    case when open then stage_due_at - sla_iv - (k - 1) * r_sub * interval '5 days'
         when status = 'resolved' then $1::timestamptz - r_time * ($10::float8 * 1.05) * interval '1 day' - r_sub * interval '15 days'
         else $1::timestamptz - interval '2 days' - r_sub * interval '363 days' end as submitted_at
  from d
), f as (
  select e.*,
    case when status in ('approved', 'rejected', 'closed') then least($1::timestamptz, submitted_at + r_time * coalesce(nullif(sla, 0), 15) * interval '1 day') end as closed_at
  from e
), g as (
  -- A resolved grievance waits for the citizen's rating for the reopen window ($10 days): about 5% of
  -- them are past it at $1, for the sweep to close.
  select f.*,
    case when status = 'resolved' then $1::timestamptz - r_time * ($10::float8 * 1.05) * interval '1 day'
         when status = 'closed' then greatest(submitted_at, closed_at - r_sub * interval '7 days') end as resolved_at
  from f
)
select g.prefix || '-' || to_char(g.submitted_at at time zone 'UTC', 'YY') || '-' ||
         lpad((row_number() over (partition by g.prefix, to_char(g.submitted_at at time zone 'UTC', 'YY') order by g.submitted_at, g.g))::text, 6, '0'),
       '91' || (9000000000 + floor(g.r_wa * $7))::bigint,
       g.service_id, g.dept, g.kind, g.status, case when g.r_lang < 0.7 then 'te' else 'en' end,
       jsonb_build_object('applicant_name', 'Citizen ' || g.g, 'mobile', '9' || lpad((g.g % 1000000000)::text, 9, '0'),
                          'aadhaar', jsonb_build_object('hash', md5(g.g::text), 'last4', lpad((g.g % 10000)::text, 4, '0')),
                          'purpose', 'Needed for a scholarship application')
         || case when g.dist_field is not null and g.district is not null then jsonb_build_object(g.dist_field, g.district) else '{}'::jsonb end
         || case when g.mandal_field is not null and g.mandal is not null then jsonb_build_object(g.mandal_field, g.mandal) else '{}'::jsonb end,
       g.submitted_at,
       case when g.sla > 0 then g.submitted_at + g.sla * interval '1 day' end,
       coalesce(g.closed_at, g.resolved_at, case when g.open then g.stage_due_at - g.sla_iv end, g.submitted_at),
       g.district, g.mandal,
       case when g.open then g.st_ids[g.k] end,
       g.office, g.stage_due_at, g.stage_sla,
       case when g.open and g.r_esc < 0.03 then 1 else 0 end,
       case when g.open and g.r_esc < 0.03 then case when strpos(g.office, '/') > 0 then split_part(g.office, '/', 1) else '' end end,
       st.department is null,
       g.resolved_at, g.closed_at,
       case when g.status = 'closed' then 1 + floor(g.r_sub * 5)::int end,
       case when g.status = 'reopened' then 1 else 0 end
from g
left join (select distinct department, office from officers where not disabled) st on st.department = g.dept and st.office = g.office
order by g.submitted_at, g.g`;

const EVENTS_SQL = [
  // Every case was filed: the event fileCase writes.
  `insert into case_events (case_id, at, actor, action, to_status, stage, data)
   select c.id, c.submitted_at, 'citizen:' || c.wa_id, 'submitted', 'submitted', s.st_ids[1], jsonb_build_object('office', c.office, 'unstaffed', c.unstaffed)
   from cases c join seed_svc s on s.id = c.service_id order by c.id`,
  // Every case past 'submitted' got there by one more action (an officer's, or the citizen's rating or reopening).
  `insert into case_events (case_id, at, actor, action, from_status, to_status, stage, note)
   select c.id, c.updated_at,
          case when c.status in ('reopened', 'closed') then 'citizen:' || c.wa_id else 'officer:' || coalesce(o.id::text, '0') end,
          case c.status when 'in_progress' then 'approve' when 'returned' then 'return' when 'reopened' then 'reopen' when 'approved' then 'approve'
                        when 'rejected' then 'reject' when 'resolved' then 'approve' else 'rate' end,
          case when c.status in ('reopened', 'closed') then 'resolved' else 'in_progress' end,
          c.status, c.stage,
          case c.status when 'returned' then 'Please send a clearer photo of the ration card' when 'rejected' then 'Income above the limit for this certificate' end
   from cases c left join officers o on o.department = c.department and o.role = 'department_admin'
   where c.status <> 'submitted' order by c.id`,
  // Cases already seen one level up once.
  `insert into case_events (case_id, at, actor, action, from_status, to_status, stage, data)
   select c.id, c.updated_at, 'system', 'escalated', c.status, c.status, c.stage, jsonb_build_object('office', c.escalated_office, 'level', c.escalation)
   from cases c where c.escalation > 0 order by c.id`,
];

const CITIZENS_SQL = `
insert into citizens (wa_id, first_seen_at, last_inbound_at)
select wa_id, min(submitted_at),
       -- A fifth wrote within the last day (free-form notices); the rest get the template.
       case when random() < 0.2 then $1::timestamptz - random() * interval '20 hours'
            else least(max(submitted_at), $1::timestamptz - interval '25 hours') end
from cases group by wa_id`;

interface Seeded {
  officers: BenchOfficer[];
  seconds: Record<string, number>;
  counts: Record<string, number>;
  sizes: { relation: string; rows: number; heapMb: number; indexesMb: number; totalMb: number }[];
}

async function seed(schemaUrl: string, catalog: Catalog, services: SeedService[]): Promise<Seeded> {
  const seconds: Record<string, number> = {};
  const step = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const r = await fn();
    seconds[name] = (performance.now() - t0) / 1000;
    process.stderr.write(`  ${name}: ${seconds[name]!.toFixed(1)} s\n`);
    return r;
  };
  const c = new pg.Client({ connectionString: schemaUrl });
  await c.connect();
  try {
    await c.query(`set work_mem = '256MB'`);
    await c.query(`set maintenance_work_mem = '512MB'`);
    await c.query('select setseed($1)', [((opts.seed % 1000) / 1000) * 2 - 1]);

    // Officers: in every department three at mandals, a district supervisor and the department admin;
    // one state admin. All with one password hash (TEST_COST: sign-in is not what is measured).
    const hash = await hashPassword(PASSWORD, TEST_COST);
    const districts = catalog.lists.get('ap-districts')!;
    const mandals = catalog.lists.get('ap-mandals')!;
    type Row = { username: string; department: string | null; role: BenchRole; office: string };
    const rows: Row[] = [];
    for (const d of catalog.departments) {
      const p = d.prefix.toLowerCase();
      const at = new Set<string>();
      while (at.size < 3) at.add(pick(mandals).id);
      [...at].forEach((office, i) => rows.push({ username: `${p}-mandal-${i + 1}`, department: d.code, role: 'officer', office }));
      rows.push({ username: `${p}-district`, department: d.code, role: 'supervisor', office: pick(districts).id });
      rows.push({ username: `${p}-admin`, department: d.code, role: 'department_admin', office: '' });
    }
    rows.push({ username: 'state-admin', department: null, role: 'state_admin', office: '' });
    const officers = await step('officers', async () => {
      const res = await c.query<{ id: string; username: string; department: string | null; role: BenchRole; office: string }>(
        `insert into officers (username, display_name, password_hash, department, role, office)
         select u, u, $2, d, r, o from unnest($1::text[], $3::text[], $4::text[], $5::text[]) as x(u, d, r, o)
         returning id, username, department, role, office`,
        [rows.map((r) => r.username), hash, rows.map((r) => r.department), rows.map((r) => r.role), rows.map((r) => r.office)],
      );
      return res.rows.map((r) => ({ id: Number(r.id), username: r.username, department: r.department, role: r.role, office: r.office }));
    });

    await c.query(`create temp table seed_svc (i int primary key, id text, dept text, prefix text, kind text, sla numeric, dist_field text, mandal_field text,
                   nst int, st_ids text[], st_levels text[], st_sla numeric[])`);
    await c.query(
      `insert into seed_svc select i, id, dept, prefix, kind, sla, dist_field, mandal_field, nst, st_ids, st_levels, st_sla
       from jsonb_to_recordset($1::jsonb) as x(i int, id text, dept text, prefix text, kind text, sla numeric, dist_field text, mandal_field text,
                                               nst int, st_ids text[], st_levels text[], st_sla numeric[])`,
      [JSON.stringify(services)],
    );
    await c.query('create index on seed_svc (id)');
    await c.query('analyze seed_svc');
    const pickArray = services.flatMap((s) => Array<number>(s.weight).fill(s.i));
    const citizens = Math.max(1000, Math.round(opts.cases * 0.6));
    await step('cases', () =>
      c.query(CASES_SQL, [NOW, opts.cases, pickArray, mandals.map((m) => m.id), mandals.map((m) => m.parent), districts.map((d) => d.id), citizens, OPEN_SHARE, OVERDUE_SHARE, REOPEN_WINDOW_DAYS]),
    );
    await step('reference_counters', () =>
      c.query(`insert into reference_counters (prefix, year, last)
               select split_part(reference, '-', 1), 2000 + split_part(reference, '-', 2)::int, max(split_part(reference, '-', 3)::int) from cases group by 1, 2`),
    );
    await step('case_events', async () => {
      for (const sql of EVENTS_SQL) await c.query(sql);
    });
    await step('citizens', () => c.query(CITIZENS_SQL, [NOW]));
    // What autovacuum does to a table this size soon after a bulk load; ANALYZE is what the planner needs.
    await step('vacuum analyze', () => c.query('vacuum (analyze) cases, case_events, citizens, officers, reference_counters, outbox'));

    const [counts] = (
      await c.query<Record<string, string>>(
        `select (select count(*) from cases) as cases,
                (select count(*) from cases where status in ('submitted', 'in_progress', 'returned', 'reopened')) as open,
                (select count(*) from cases where closed_at is null and status <> 'returned' and stage is not null and stage_due_at <= $1) as overdue,
                (select count(*) from cases where status = 'resolved') as resolved,
                (select count(*) from cases where status = 'resolved' and resolved_at <= $1::timestamptz - make_interval(days => $2)) as "resolvedPastWindow",
                (select count(*) from cases where escalation > 0) as escalated,
                (select count(*) from cases where closed_at is null and unstaffed) as unstaffed,
                (select count(distinct department) from cases) as departments,
                (select count(distinct district) from cases) as districts,
                (select count(distinct mandal) from cases) as mandals,
                (select count(*) from case_events) as events,
                (select count(*) from citizens) as citizens,
                (select count(*) from officers) as officers`,
        [NOW, REOPEN_WINDOW_DAYS],
      )
    ).rows;
    const sizes = (
      await c.query<{ relation: string; rows: string; heap: string; indexes: string; total: string }>(
        `select c.relname as relation, c.reltuples::bigint as rows, pg_relation_size(c.oid) as heap, pg_indexes_size(c.oid) as indexes, pg_total_relation_size(c.oid) as total
         from pg_class c where c.relnamespace = current_schema()::regnamespace and c.relkind = 'r' and c.relname in ('cases', 'case_events', 'citizens', 'officers', 'outbox')
         order by pg_total_relation_size(c.oid) desc`,
      )
    ).rows.map((r) => ({ relation: r.relation, rows: Number(r.rows), heapMb: Number(r.heap) / 2 ** 20, indexesMb: Number(r.indexes) / 2 ** 20, totalMb: Number(r.total) / 2 ** 20 }));
    return { officers, seconds, counts: Object.fromEntries(Object.entries(counts!).map(([k, v]) => [k, Number(v)])), sizes };
  } finally {
    await c.end();
  }
}

// ---------------------------------------------------------------------------------------------------
// HTTP: a keep-alive node:http client (undici's fetch costs several times its CPU, see src/channel/simulator/webhook-post.ts)

function httpClient(port: number, sockets: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: sockets });
  const call = (method: 'GET' | 'POST', path: string, headers: Record<string, string>, body?: string) =>
    new Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, method, agent, headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  return { call, close: () => agent.destroy() };
}

// ---------------------------------------------------------------------------------------------------
// Main

const asCaseOfficer = (o: BenchOfficer): Officer => ({ id: o.id, department: o.department, role: o.role, office: o.office });
const OPEN_ACTIONABLE = `c.status in ('submitted', 'in_progress', 'reopened') and c.closed_at is null`;

/** An action for a case, in the mix officers do: most often a decision or a note, sometimes a return. */
function anAction(): ActInput {
  const r = rand();
  if (r < 0.45) return { action: 'approve', note: 'Verified the documents' };
  if (r < 0.8) return { action: 'comment', note: 'Called the citizen; documents on the way' };
  return { action: 'return', message: 'Please send a clearer photo of the ration card' };
}

/** The exact SQL a call sends, captured instead of run (for EXPLAIN). */
function capture(): { q: Queryable; sent: { sql: string; params: unknown[] }[] } {
  const sent: { sql: string; params: unknown[] }[] = [];
  return {
    sent,
    q: {
      async query<T>(sql: string, params?: unknown[]) {
        sent.push({ sql, params: params ?? [] });
        return [] as T[];
      },
      async exec() {},
    },
  };
}

/** A Db whose transactions only capture what they would send (sweepCases' statements, for EXPLAIN). */
function captureDb(): { db: Db; sent: { sql: string; params: unknown[] }[] } {
  const cap = capture();
  return { sent: cap.sent, db: { kind: 'postgres', query: cap.q.query, exec: cap.q.exec, transaction: (fn) => fn(cap.q), close: async () => {} } };
}

/** What a sweep's statements are, by what they do. */
function sweepStatement(sql: string): string {
  if (sql.includes('escalation = c.escalation + 1')) return 'escalate (update cases + insert case_events)';
  if (sql.includes("status = 'closed'")) return 'close resolved grievances';
  if (sql.includes('from citizens')) return 'notify: citizens lookup';
  if (sql.includes('insert into outbox')) return 'notify: insert outbox';
  if (/^\s*(begin|commit)/i.test(sql)) return 'begin/commit';
  return 'other';
}

/** `db` with the time of every statement run in its transactions added up by `label`, and of each transaction. */
function timingDb(db: Db, label: (sql: string) => string): { db: Db; totals: Map<string, number>; transactions: number[] } {
  const totals = new Map<string, number>();
  const transactions: number[] = [];
  const add = (k: string, ms: number) => totals.set(k, (totals.get(k) ?? 0) + ms);
  return {
    totals,
    transactions,
    db: {
      ...db,
      async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
        const t0 = performance.now();
        try {
          return await db.transaction((tx) =>
            fn({
              async query<R>(sql: string, params?: unknown[]) {
                const s = performance.now();
                try {
                  return await tx.query<R>(sql, params);
                } finally {
                  add(label(sql), performance.now() - s);
                }
              },
              exec: (sql) => tx.exec(sql),
            }),
          );
        } finally {
          transactions.push(performance.now() - t0);
        }
      },
    },
  };
}

async function main() {
  const t00 = performance.now();
  const catalogResult = loadCatalog(join(root, 'catalog'));
  if (!catalogResult.ok) fail(`the catalogue does not load: ${catalogResult.problems.length} problems`);
  const catalog = catalogResult.catalog;
  const services = seedServices(catalog);
  const problems: string[] = [];

  console.error(
    `cases bench: ${opts.cases.toLocaleString('en-US')} cases over ${catalog.departments.length} departments, ${services.length} services, ` +
      `${catalog.lists.get('ap-districts')!.length} districts, ${catalog.lists.get('ap-mandals')!.length} mandals; clock ${NOW.toISOString()}; ${cpus().length} cores, node ${process.version}`,
  );

  const schema = `bench_cases_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: opts.pgUrl });
  await admin.connect().catch((err) => fail(`PostgreSQL at ${opts.pgUrl} is not reachable (${(err as Error).message}); start it or pass --pg-url`));
  const [{ version }] = (await admin.query<{ version: string }>(`select current_setting('server_version') as version`)).rows as [{ version: string }];
  const settings = Object.fromEntries(
    (await admin.query<{ name: string; setting: string; unit: string | null }>(`select name, setting, unit from pg_settings where name in ('shared_buffers', 'work_mem', 'synchronous_commit', 'jit', 'random_page_cost', 'effective_cache_size')`)).rows.map((r) => [r.name, r.unit ? `${r.setting} ${r.unit}` : r.setting]),
  );
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const u = new URL(opts.pgUrl);
  u.searchParams.set('options', `-c search_path=${schema}`);
  const schemaUrl = u.toString();

  let db: Db | undefined;
  const children: Child[] = [];
  const figures: Figure[] = [];
  const explains: Record<string, { officer: string; inScope: number; plan: string }> = {};
  let sweep: Record<string, number> | undefined;
  let sweepBreakdown: { transactions: number; seconds: Record<string, number> } | undefined;
  let seeded: Seeded | undefined;
  let scopes: Record<string, { officers: number; empty: number; mean: number; max: number }> = {};
  try {
    db = await openPostgres(schemaUrl, 10);
    await migrate(db);
    if (opts.extraSql) {
      console.error(`extra SQL (not part of Mitra's schema): ${opts.extraSql}`);
      await db.exec(opts.extraSql);
    }

    // ---------------------------------------------------------------- seed
    console.error('seeding…');
    seeded = await seed(schemaUrl, catalog, services);
    const officers = seeded.officers;
    const byRole = Object.fromEntries(ROLES.map((r) => [r, officers.filter((o) => o.role === r)])) as Record<BenchRole, BenchOfficer[]>;
    console.error(`  ${Object.entries(seeded.counts).map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`).join(', ')}`);
    if (seeded.counts.departments !== catalog.departments.length) problems.push(`cases cover ${seeded.counts.departments} of ${catalog.departments.length} departments`);

    // How much each officer's queue draws from: open cases in scope.
    const inScope = new Map<number, number>();
    for (const o of officers) {
      const scope = scopeOf(asCaseOfficer(o), 1);
      const [r] = await db.query<{ n: number }>(`select count(*)::int as n from cases c where ${scope.sql} and c.closed_at is null`, scope.params);
      inScope.set(o.id, r!.n);
    }
    scopes = Object.fromEntries(
      ROLES.map((role) => {
        const ns = byRole[role].map((o) => inScope.get(o.id)!);
        return [role, { officers: ns.length, empty: ns.filter((n) => n === 0).length, mean: ns.reduce((a, b) => a + b, 0) / ns.length, max: Math.max(...ns) }];
      }),
    );

    const directory = createDirectory(catalog);
    const proactive = createProactive({ phoneNumberId: '100200300400500', clock });
    let notifyMs = 0;
    let noticesWritten = 0;
    const notify: Notify = async (tx, notices) => {
      const t0 = performance.now();
      await proactive(tx, notices.map((n) => noticeMessage(directory, n)));
      notifyMs += performance.now() - t0;
      noticesWritten += notices.length;
    };
    const deps: CaseDeps = { service: (id) => directory.service(id)?.service, clock, notify, reopenWindowDays: REOPEN_WINDOW_DAYS };

    // ---------------------------------------------------------------- 1. queue pages, direct
    console.error('queue pages (officerQueue)…');
    // Warm-up: every officer's page once, then the driver and the plans.
    for (const o of officers) await officerQueue(db, asCaseOfficer(o), {}, NOW);
    const ceilingQuery = await timed(opts.samples, 1, async () => {
      await db!.query('select 1');
      return true;
    });
    const selectOne = summarise('queue', '`select 1` (ceiling)', 'ceiling', ceilingQuery.lat, ceilingQuery.failures, ceilingQuery.wallMs, ceilingQuery.cpu);
    figures.push(selectOne);
    await waitIdle(opts.waitIdle);
    for (const role of ROLES) {
      // Officers with something in their queue: an empty queue is a page too, but says little.
      const busy = byRole[role].filter((o) => inScope.get(o.id)! > 0);
      const pool = busy.length ? busy : byRole[role];
      const n = role === 'state_admin' ? Math.max(10, Math.round(opts.samples / 10)) : opts.samples;
      const run = await timed(n, 1, async () => (await officerQueue(db!, asCaseOfficer(pick(pool)), {}, NOW)).length);
      figures.push(
        summarise('queue', `queue page, ${ROLE_LABEL[role]}`, 'direct', run.lat, run.failures, run.wallMs, run.cpu, {
          rows: run.rows.reduce((a, b) => a + b, 0) / (run.rows.length || 1),
          ceiling: { p99: selectOne.p99, what: 'select 1' },
          target: role === 'state_admin' ? undefined : { p99Ms: 50 },
          notes: run.errors,
        }),
      );
    }

    // Where the time goes: the queue query of the officer with the most open cases in scope, per role.
    for (const role of ROLES) {
      const o = [...byRole[role]].sort((a, b) => inScope.get(b.id)! - inScope.get(a.id)!)[0]!;
      const cap = capture();
      await officerQueue(cap.q, asCaseOfficer(o), {}, NOW);
      const { sql, params } = cap.sent[0]!;
      const plan = (await db.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${sql}`, params)).map((r) => r['QUERY PLAN']).join('\n');
      explains[role] = { officer: `${o.username} (${o.department ?? 'all departments'}, office '${o.office}')`, inScope: inScope.get(o.id)!, plan };
    }

    // ---------------------------------------------------------------- 2. case actions, direct
    console.error('case actions (actOnCase)…');
    // Candidates: open cases in the scope of officers of every role, each used once.
    const candidates = async (o: BenchOfficer, limit: number) => {
      const scope = scopeOf(asCaseOfficer(o), 1);
      return (await db!.query<{ id: number }>(`select c.id from cases c where ${scope.sql} and ${OPEN_ACTIONABLE} order by random() limit ${limit}`, scope.params)).map((r) => r.id);
    };
    type Job = { officer: BenchOfficer; caseId: number; input: ActInput };
    const actionJobs = async (n: number, actors: BenchOfficer[]): Promise<Job[]> => {
      // Many officers have a handful of open cases or none: ask each for up to n, use what there is.
      const perOfficer = Math.min(n, 2000);
      const pools = new Map<number, number[]>();
      for (const o of actors) pools.set(o.id, await candidates(o, perOfficer));
      const used = new Set<number>();
      const jobs: Job[] = [];
      const withWork = actors.filter((o) => pools.get(o.id)!.length > 0);
      for (let guard = 0; jobs.length < n && guard < n * 20 && withWork.length; guard++) {
        const o = pick(withWork);
        const id = pools.get(o.id)!.pop();
        if (id === undefined || used.has(id)) continue;
        used.add(id);
        jobs.push({ officer: o, caseId: id, input: anAction() });
      }
      return jobs;
    };
    const actors = officers.filter((o) => o.role !== 'state_admin');
    const jobs = await actionJobs(opts.actions + 20, actors);
    if (jobs.length < opts.actions + 20) problems.push(`only ${jobs.length} open cases found for ${opts.actions + 20} actions`);
    const act = async (j: Job) => {
      const out = await db!.transaction((tx) => actOnCase(tx, deps, { kind: 'officer', officer: asCaseOfficer(j.officer) }, { id: j.caseId }, j.input));
      if (!out.ok) throw new Error(`${j.input.action} on case ${j.caseId} by ${j.officer.username}: ${out.code} ${out.message}`);
      return true;
    };
    for (const j of jobs.slice(0, 20)) await act(j);
    await waitIdle(opts.waitIdle);
    const emptyTx = await timed(Math.min(opts.actions, 500), 1, async () => {
      await db!.transaction((tx) => tx.query('select 1'));
      return true;
    });
    const emptyTxFigure = summarise('action', 'empty transaction (ceiling)', 'ceiling', emptyTx.lat, emptyTx.failures, emptyTx.wallMs, emptyTx.cpu);
    figures.push(emptyTxFigure);
    const measured = jobs.slice(20);
    const byAction = new Map<string, number[]>();
    const actRun = await timed(measured.length, 1, async (i) => {
      const j = measured[i]!;
      const s = performance.now();
      await act(j);
      const list = byAction.get(j.input.action) ?? [];
      list.push(performance.now() - s);
      byAction.set(j.input.action, list);
      return true;
    });
    figures.push(
      summarise('action', 'case action (approve/comment/return mix)', 'direct', actRun.lat, actRun.failures, actRun.wallMs, actRun.cpu, {
        ceiling: { p99: emptyTxFigure.p99, what: 'empty transaction' },
        target: { p99Ms: 50 },
        notes: [...actRun.errors, [...byAction].map(([a, l]) => `${a} ×${l.length} p99 ${fmt(percentile(l.sort((x, y) => x - y), 99), 1)} ms`).join(', ')],
      }),
    );

    // ---------------------------------------------------------------- HTTP: the real app in a child
    if (opts.http) {
      console.error('through HTTP (Mitra app in a child, and a bare server)…');
      const port = await freePort();
      const app = await startChild('cases-app', ['--import', 'tsx', 'bench/cases-server.ts'], { DATABASE_URL: schemaUrl, PORT: String(port), BENCH_NOW: String(NOW.getTime()), LOG_LEVEL: 'warn' }, port);
      children.push(app);
      const http = httpClient(port, opts.httpConcurrency);
      // Sign in a few officers of each role (the first sign-in upgrades their TEST_COST hash: not timed).
      const signedIn: { officer: BenchOfficer; cookie: string; csrf: string }[] = [];
      for (const role of ROLES) {
        const busy = byRole[role].filter((o) => inScope.get(o.id)! > 0);
        const some = [...(busy.length ? busy : byRole[role])].sort(() => rand() - 0.5).slice(0, role === 'state_admin' ? 1 : smoke ? 2 : 8);
        for (const o of some) {
          const res = await http.call('POST', '/api/v1/session', { 'content-type': 'application/json' }, JSON.stringify({ username: o.username, password: PASSWORD }));
          if (res.status !== 200) throw new Error(`sign-in of ${o.username}: ${res.status} ${res.body}`);
          const cookie = String([res.headers['set-cookie']].flat()[0]).split(';')[0]!;
          signedIn.push({ officer: o, cookie, csrf: (JSON.parse(res.body) as { csrfToken: string }).csrfToken });
        }
      }
      const appPid = app.child.pid!;
      const page = async (s: (typeof signedIn)[number]) => {
        const res = await http.call('GET', '/api/v1/cases', { cookie: s.cookie });
        if (res.status !== 200) throw new Error(`GET /api/v1/cases as ${s.officer.username}: ${res.status} ${res.body.slice(0, 200)}`);
        return (JSON.parse(res.body) as { cases: unknown[] }).cases.length;
      };
      for (const s of signedIn) for (let i = 0; i < 3; i++) await page(s);

      // The ceiling: the same requests, the same client, against a server that answers 200 and does nothing.
      const barePort = await freePort();
      const bare = await startChild('cases-ceiling', ['--import', 'tsx', 'bench/servers/bare.ts'], { PORT: String(barePort) }, barePort);
      children.push(bare);
      const bareHttp = httpClient(barePort, opts.httpConcurrency);
      const sample = signedIn[0]!;
      await waitIdle(opts.waitIdle);
      for (let i = 0; i < 50; i++) await bareHttp.call('GET', '/api/v1/cases', { cookie: sample.cookie });
      const bareGet = await timed(opts.httpSamples, opts.httpConcurrency, async () => (await bareHttp.call('GET', '/api/v1/cases', { cookie: sample.cookie })).status === 200, bare.child.pid);
      const bareGetFigure = summarise('queue', 'GET, bare node:http server (ceiling)', 'ceiling', bareGet.lat, bareGet.failures, bareGet.wallMs, bareGet.cpu);
      figures.push(bareGetFigure);
      for (const role of ROLES) {
        const mine = signedIn.filter((s) => s.officer.role === role);
        const n = role === 'state_admin' ? Math.max(10, Math.round(opts.httpSamples / 10)) : opts.httpSamples;
        const run = await timed(n, opts.httpConcurrency, async () => page(pick(mine)), appPid);
        figures.push(
          summarise('queue', `GET /api/v1/cases, ${ROLE_LABEL[role]}`, 'http', run.lat, run.failures, run.wallMs, run.cpu, {
            rows: run.rows.reduce((a, b) => a + b, 0) / (run.rows.length || 1),
            ceiling: { p99: bareGetFigure.p99, what: 'bare server' },
            target: role === 'state_admin' ? undefined : { p99Ms: 50 },
            notes: run.errors,
          }),
        );
      }

      // Actions through HTTP: cases in the scope of the signed-in officers.
      const httpActors = signedIn.filter((s) => s.officer.role !== 'state_admin');
      const httpJobs = await actionJobs(opts.httpSamples, httpActors.map((s) => s.officer));
      const session = new Map(httpActors.map((s) => [s.officer.id, s]));
      const body = JSON.stringify({ action: 'comment', note: 'Called the citizen; documents on the way' });
      for (let i = 0; i < 50; i++) await bareHttp.call('POST', '/api/v1/cases/1/actions', { cookie: sample.cookie, 'content-type': 'application/json', 'x-csrf-token': sample.csrf }, body);
      const barePost = await timed(httpJobs.length, opts.httpConcurrency, async () => (await bareHttp.call('POST', '/api/v1/cases/1/actions', { cookie: sample.cookie, 'content-type': 'application/json', 'x-csrf-token': sample.csrf }, body)).status === 200, bare.child.pid);
      const barePostFigure = summarise('action', 'POST, bare node:http server (ceiling)', 'ceiling', barePost.lat, barePost.failures, barePost.wallMs, barePost.cpu);
      figures.push(barePostFigure);
      const httpAct = await timed(httpJobs.length, opts.httpConcurrency, async (i) => {
        const j = httpJobs[i]!;
        const s = session.get(j.officer.id)!;
        const res = await http.call('POST', `/api/v1/cases/${j.caseId}/actions`, { cookie: s.cookie, 'content-type': 'application/json', 'x-csrf-token': s.csrf }, JSON.stringify(j.input));
        if (res.status !== 200) throw new Error(`${j.input.action} on case ${j.caseId} as ${j.officer.username}: ${res.status} ${res.body.slice(0, 200)}`);
        return true;
      }, appPid);
      figures.push(
        summarise('action', 'POST /api/v1/cases/{id}/actions', 'http', httpAct.lat, httpAct.failures, httpAct.wallMs, httpAct.cpu, {
          ceiling: { p99: barePostFigure.p99, what: 'bare server' },
          target: { p99Ms: 50 },
          notes: httpAct.errors,
        }),
      );
      http.close();
      bareHttp.close();
      for (const ch of children.splice(0)) await ch.stop();
    }

    // ---------------------------------------------------------------- 3. one SLA sweep
    console.error('SLA sweep (sweepCases)…');
    const dueIds = (await db.query<{ id: number }>(`select id from cases where closed_at is null and status <> 'returned' and stage is not null and stage_due_at <= $1`, [NOW])).map((r) => r.id);
    const [before] = await db.query<{ open: number; outbox: number; pastWindow: number }>(
      `select (select count(*) from cases where closed_at is null)::int as open, (select count(*) from outbox)::int as outbox,
              (select count(*) from cases where status = 'resolved' and closed_at is null and resolved_at <= $1::timestamptz - make_interval(days => $2))::int as "pastWindow"`,
      [NOW, REOPEN_WINDOW_DAYS],
    );
    await db.query('checkpoint').catch(() => {}); // start from a clean slate of dirty buffers
    await waitIdle(opts.waitIdle);
    notifyMs = 0;
    noticesWritten = 0;
    const meter = cpuMeter();
    const timing = timingDb(db, sweepStatement);
    const t0 = performance.now();
    const done = await sweepCases(timing.db, { clock, notify, reopenWindowDays: REOPEN_WINDOW_DAYS });
    const sweepMs = performance.now() - t0;
    const sweepCpu = meter(sweepMs);
    const [after] = await db.query<{ outbox: number; stillDue: number }>(
      `select (select count(*) from outbox)::int as outbox,
              (select count(*) from cases where closed_at is null and status <> 'returned' and stage is not null and stage_due_at <= $1)::int as "stillDue"`,
      [NOW],
    );
    if (done.escalated !== dueIds.length) problems.push(`the sweep escalated ${done.escalated} cases, ${dueIds.length} were due`);
    if (done.closed !== before!.pastWindow) problems.push(`the sweep closed ${done.closed} resolved grievances, ${before!.pastWindow} were past the window`);
    if (after!.stillDue !== 0) problems.push(`${after!.stillDue} cases still due after the sweep`);
    // The second sweep right after: nothing is due; what every periodic sweep costs in steady state.
    const t1 = performance.now();
    const idle = await sweepCases(db, { clock, notify, reopenWindowDays: REOPEN_WINDOW_DAYS });
    const idleMs = performance.now() - t1;
    if (idle.escalated || idle.closed) problems.push(`the second sweep still found ${idle.escalated} to escalate and ${idle.closed} to close`);
    // The floor: the same rows written by plain statements in one transaction (rolled back): the
    // cases updated, one event and one outbox row each.
    const floorMs = await (async () => {
      const c = new pg.Client({ connectionString: schemaUrl });
      await c.connect();
      try {
        await c.query('begin');
        const s = performance.now();
        await c.query(`update cases set version = version + 1, updated_at = $2, stage_due_at = stage_due_at + interval '1 day' where id = any($1::bigint[])`, [dueIds, NOW]);
        await c.query(`insert into case_events (case_id, at, actor, action, from_status, to_status) select id, $2, 'system', 'escalated', 'in_progress', 'in_progress' from unnest($1::bigint[]) id`, [dueIds, NOW]);
        await c.query(`insert into outbox (wa_id, phone_number_id, priority, kind, payload) select '919000000000', '100200300400500', 1, 'message', '{"type":"text","text":{"body":"Your case was escalated"}}'::jsonb from unnest($1::bigint[]) id`, [dueIds]);
        const ms = performance.now() - s;
        await c.query('rollback');
        return ms;
      } finally {
        await c.end();
      }
    })();
    // Where the sweep's time goes: its statements (captured from sweepCases itself), EXPLAIN ANALYZE'd
    // on one batch of cases due a little later (rolled back), and the close step as every sweep runs it.
    const cap = captureDb();
    await sweepCases(cap.db, { clock, notify, reopenWindowDays: REOPEN_WINDOW_DAYS, batch: 5000 });
    const escalateSql = cap.sent.find((x) => sweepStatement(x.sql).startsWith('escalate'));
    const closeSql = cap.sent.find((x) => sweepStatement(x.sql).startsWith('close'));
    const [later] = await db.query<{ at: Date | null }>(
      `select stage_due_at as at from cases where closed_at is null and status <> 'returned' and stage is not null order by stage_due_at offset 4999 limit 1`,
    );
    const planOf = async (sql: string, params: unknown[]) => {
      const c = new pg.Client({ connectionString: schemaUrl });
      await c.connect();
      try {
        await c.query('begin');
        const r = await c.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${sql}`, params);
        await c.query('rollback');
        return r.rows.map((x) => x['QUERY PLAN']).join('\n');
      } finally {
        await c.end();
      }
    };
    if (escalateSql && later?.at) explains.sweepEscalate = { officer: `one batch of 5,000 at ${new Date(later.at).toISOString()} (rolled back)`, inScope: 5000, plan: await planOf(escalateSql.sql, [later.at, 5000]) };
    if (closeSql) explains.sweepClose = { officer: 'the close step at the sweep clock, after the sweep (nothing left to close)', inScope: 0, plan: await planOf(closeSql.sql, closeSql.params) };
    const breakdown = Object.fromEntries([...timing.totals].map(([k, v]) => [k, v / 1000]));
    const inTransactions = timing.transactions.reduce((a, b) => a + b, 0);
    breakdown['rendering notices (noticeMessage, createProactive JS)'] = (notifyMs - (timing.totals.get('notify: citizens lookup') ?? 0) - (timing.totals.get('notify: insert outbox') ?? 0)) / 1000;
    breakdown['begin/commit and pool'] = (inTransactions - [...timing.totals.values()].reduce((a, b) => a + b, 0) - breakdown['rendering notices (noticeMessage, createProactive JS)']! * 1000) / 1000;
    sweepBreakdown = { transactions: timing.transactions.length, seconds: breakdown };
    sweep = {
      openCases: before!.open,
      due: dueIds.length,
      dueShareOfOpen: dueIds.length / before!.open,
      escalated: done.escalated,
      closed: done.closed,
      seconds: sweepMs / 1000,
      casesPerSecond: (done.escalated + done.closed) / (sweepMs / 1000),
      notifySeconds: notifyMs / 1000,
      outboxRows: after!.outbox - before!.outbox,
      idleSweepMs: idleMs,
      floorSeconds: floorMs / 1000,
      cpuBench: sweepCpu.bench,
      cpuPostgres: sweepCpu.postgres,
      cpuOther: sweepCpu.other,
    };
    figures.push({
      group: 'sweep',
      name: `SLA sweep: ${done.escalated.toLocaleString('en-US')} escalated, ${done.closed.toLocaleString('en-US')} closed of ${before!.open.toLocaleString('en-US')} open`,
      via: 'direct',
      samples: 1,
      failures: 0,
      p50: sweepMs,
      p95: sweepMs,
      p99: sweepMs,
      max: sweepMs,
      mean: sweepMs,
      rate: (done.escalated + done.closed) / (sweepMs / 1000),
      wallMs: sweepMs,
      cpu: { ...sweepCpu, server: 0 },
      ceiling: { p99: floorMs, what: 'same rows, plain statements' },
      target: { p99Ms: 5000 },
    });

    // More sweeps, each at a later clock at which as many cases are due again as the first found
    // (the escalated ones are due again one SLA later): one measurement of a sweep is a thin basis.
    // With --sweepers N > 1, the last of them runs as N sweepCases at once (as N processes would:
    // SKIP LOCKED keeps them off each other's cases).
    for (let k = 1; k < opts.sweeps + (opts.sweepers > 1 ? 1 : 0); k++) {
      const parallel = k === opts.sweeps ? opts.sweepers : 1;
      const [at] = await db.query<{ at: Date | null }>(
        `select stage_due_at as at from cases where closed_at is null and status <> 'returned' and stage is not null order by stage_due_at offset $1 limit 1`,
        [Math.max(0, dueIds.length - 1)],
      );
      if (!at?.at) break;
      const later = new Date(at.at);
      const [open] = await db.query<{ n: number }>(`select count(*)::int as n from cases where closed_at is null`);
      await db.query('checkpoint').catch(() => {});
      await waitIdle(opts.waitIdle);
      const m = cpuMeter();
      const s0 = performance.now();
      const runs = await Promise.all(Array.from({ length: parallel }, () => sweepCases(db!, { clock: { now: () => new Date(later) }, notify, reopenWindowDays: REOPEN_WINDOW_DAYS })));
      const again = { escalated: runs.reduce((a, r) => a + r.escalated, 0), closed: runs.reduce((a, r) => a + r.closed, 0) };
      const ms = performance.now() - s0;
      figures.push({
        group: 'sweep',
        name: `SLA sweep again${parallel > 1 ? `, ${parallel} sweepers at once` : ''}, clock +${fmt((later.getTime() - NOW.getTime()) / 3600_000, 1)} h: ${again.escalated.toLocaleString('en-US')} escalated, ${again.closed.toLocaleString('en-US')} closed of ${open!.n.toLocaleString('en-US')} open`,
        via: 'direct',
        samples: 1,
        failures: 0,
        p50: ms,
        p95: ms,
        p99: ms,
        max: ms,
        mean: ms,
        rate: (again.escalated + again.closed) / (ms / 1000),
        wallMs: ms,
        cpu: { ...m(ms), server: 0 },
        target: { p99Ms: 5000 },
      });
    }
  } finally {
    for (const ch of children) await ch.stop().catch(() => {});
    await db?.close();
    if (opts.keep) console.error(`  kept schema ${schema} (${schemaUrl})`);
    else {
      const c = new pg.Client({ connectionString: opts.pgUrl });
      await c.connect();
      await c.query(`drop schema ${schema} cascade`);
      await c.end();
    }
  }

  // ---------------------------------------------------------------- report
  const s = seeded!;
  console.log('');
  console.log(`Seeded ${s.counts.cases!.toLocaleString('en-US')} cases in ${fmt(Object.values(s.seconds).reduce((a, b) => a + b, 0), 1)} s (${Object.entries(s.seconds).map(([k, v]) => `${k} ${fmt(v, 1)} s`).join(', ')}):`);
  console.log(
    `${s.counts.open!.toLocaleString('en-US')} open (${fmt((s.counts.open! / s.counts.cases!) * 100, 1)}%), ${s.counts.overdue!.toLocaleString('en-US')} of them due for the sweep (${fmt((s.counts.overdue! / s.counts.open!) * 100, 1)}%), ` +
      `${s.counts.escalated!.toLocaleString('en-US')} escalated once, ${s.counts.resolved!.toLocaleString('en-US')} resolved grievances (${s.counts.resolvedPastWindow!.toLocaleString('en-US')} past the reopen window); ` +
      `${s.counts.departments} departments, ${s.counts.districts} districts, ${s.counts.mandals} mandals; ${s.counts.events!.toLocaleString('en-US')} events, ${s.counts.citizens!.toLocaleString('en-US')} citizens, ${s.counts.officers} officers.`,
  );
  console.log('');
  console.log('| table | rows | heap MB | indexes MB | total MB |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const r of s.sizes) console.log(`| ${r.relation} | ${r.rows.toLocaleString('en-US')} | ${fmt(r.heapMb)} | ${fmt(r.indexesMb)} | ${fmt(r.totalMb)} |`);
  console.log('');
  console.log('Open cases in scope of each officer (what a queue page is drawn from):');
  for (const role of ROLES) {
    const x = scopes[role]!;
    console.log(`- ${ROLE_LABEL[role]}: ${x.officers} officers, mean ${fmt(x.mean)}, max ${fmt(x.max)}${x.empty ? `, ${x.empty} with none (not sampled)` : ''}`);
  }
  console.log('');
  const header = ['measurement', 'via', 'n', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'ceiling p99 ms', 'target', 'met', 'CPU bench/server/pg', 'CPU rest'];
  const rows = figures.map((f) => [
    f.name + (f.rows !== undefined ? ` (${fmt(f.rows, 0)} rows)` : ''),
    f.via,
    String(f.samples),
    f.group === 'sweep' ? '-' : fmt(f.p50, 1),
    f.group === 'sweep' ? '-' : fmt(f.p95, 1),
    f.group === 'sweep' ? `${fmt(f.p99 / 1000, 2)} s` : fmt(f.p99, 1),
    f.group === 'sweep' ? '-' : fmt(f.max, 1),
    f.ceiling ? (f.group === 'sweep' ? `${fmt(f.ceiling.p99 / 1000, 2)} s (${f.ceiling.what})` : `${fmt(f.ceiling.p99, 1)} (${f.ceiling.what})`) : '-',
    f.target ? (f.group === 'sweep' ? `< ${f.target.p99Ms / 1000} s` : `p99 < ${f.target.p99Ms} ms`) : '-',
    f.target ? (f.failures ? 'FAILED' : f.p99 < f.target.p99Ms ? 'yes' : '**no**') : '-',
    `${fmt(f.cpu.bench * 100)}% / ${f.via === 'http' || f.name.includes('bare') ? fmt(f.cpu.server * 100) + '%' : '-'} / ${fmt(f.cpu.postgres * 100)}%`,
    `${fmt(f.cpu.other * 100)}%`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ') + ' |';
  console.log(line(header));
  console.log('| ' + widths.map((w, i) => (i >= 2 && i <= 7 ? '-'.repeat(w - 1) + ':' : '-'.repeat(w))).join(' | ') + ' |');
  for (const r of rows) console.log(line(r));
  console.log('');
  console.log(`CPU: % of one core over each measured window (this machine has ${cpus().length} cores); bench = this process (load generator, driver, and Mitra's code when called directly), server = Mitra's app in its child (or the bare server for a ceiling row), pg = every postgres process on the machine, rest = everything else busy meanwhile: a large rest means other work was running.`);
  if (sweep) {
    console.log(
      `Sweep: ${fmt(sweep.seconds!, 2)} s for ${sweep.escalated!.toLocaleString('en-US')} escalations (${fmt(sweep.dueShareOfOpen! * 100, 1)}% of ${sweep.openCases!.toLocaleString('en-US')} open) and ${sweep.closed!.toLocaleString('en-US')} closings, ` +
        `${fmt(sweep.casesPerSecond!)} cases/s; ${sweep.outboxRows!.toLocaleString('en-US')} outbox rows, of which writing the notices (createProactive) took ${fmt(sweep.notifySeconds!, 2)} s; ` +
        `a second sweep with nothing due: ${fmt(sweep.idleSweepMs!, 0)} ms.`,
    );
    if (sweepBreakdown) {
      console.log(`Sweep time by step (${sweepBreakdown.transactions} transactions): ${Object.entries(sweepBreakdown.seconds).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${fmt(v, 2)} s`).join('; ')}.`);
    }
  }
  for (const f of figures) for (const n of f.notes ?? []) if (n) console.log(`${f.name}: ${n}`);
  console.log('');
  console.log('Where the time goes: EXPLAIN (ANALYZE, BUFFERS) of the queue query, per role, for the officer with the most open cases in scope; then the sweep\'s two statements.');
  for (const key of [...ROLES, 'sweepEscalate', 'sweepClose']) {
    const e = explains[key];
    if (!e) continue;
    console.log('');
    if (key === 'sweepEscalate') console.log(`sweep, escalate step: ${e.officer}`);
    else if (key === 'sweepClose') console.log(`sweep, close step: ${e.officer}`);
    else console.log(`${ROLE_LABEL[key as BenchRole]}: ${e.officer}, ${e.inScope.toLocaleString('en-US')} open cases in scope`);
    console.log('```');
    console.log(e.plan);
    console.log('```');
  }

  const failures = figures.filter((f) => f.failures > 0);
  for (const f of failures) problems.push(`${f.name} (${f.via}): ${f.failures} of ${f.samples} failed`);
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `cases-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    file,
    JSON.stringify({ opts, now: NOW, cores: cpus().length, node: process.version, postgres: { version, settings }, seed: seeded, scopes, figures, sweep, sweepBreakdown, explains, problems, totalSeconds: (performance.now() - t00) / 1000 }, null, 2),
  );
  console.log('');
  console.log(`details: ${file}`);
  if (problems.length) {
    console.error(`bench: FAILED: ${problems.join('; ')}`);
    process.exitCode = 1;
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
