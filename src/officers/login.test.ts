import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { testDb } from '../../test/support.ts';
import { TEST_COST, addOfficer, login, logout, officerForSession, purgeExpiredSessions, sessionFor, sessionId, type LoginOptions } from './index.ts';

let db: Awaited<ReturnType<typeof testDb>>;
before(async () => {
  db = await testDb();
  for (const username of ['ravi', 'lakshmi', 'suresh', 'padma', 'anil', 'kiran']) {
    const r = await addOfficer(db, { username, password: `${username}-secret-2026`, department: 'REV01', role: 'officer', office: 'guntur' }, ctx);
    assert.ok(r.ok);
  }
});
after(() => db.dispose());

const ctx = { departments: new Set(['REV01']), offices: new Set(['guntur']), cost: TEST_COST };
const opts: LoginOptions = { cost: TEST_COST };
const MIN = 60_000;

/** A clock the test moves by hand. */
function fakeClock(start = '2026-11-25T04:30:00Z') {
  let t = new Date(start).getTime();
  return { now: () => new Date(t), advance: (ms: number) => void (t += ms) };
}

test('the right password opens a session kept only as the sha256 of its token', async () => {
  const clock = fakeClock();
  const r = await login(db, clock, { username: ' RAVI ', password: 'ravi-secret-2026' }, opts);
  assert.ok(r.ok);
  assert.match(r.token, /^[A-Za-z0-9_-]{43}$/);
  assert.match(r.csrfToken, /^[A-Za-z0-9_-]{43}$/);
  assert.notEqual(r.token, r.csrfToken);
  assert.equal(r.officer.username, 'ravi');
  assert.equal(r.expiresAt.toISOString(), '2026-11-25T16:30:00.000Z');
  const rows = await db.query<{ id: string }>('select id from officer_sessions where officer_id = $1', [r.officer.id]);
  assert.deepEqual(rows.map((x) => x.id), [sessionId(r.token)]);
  assert.match(rows[0]!.id, /^[0-9a-f]{64}$/);
  assert.equal((await officerForSession(db, clock, r.token))?.username, 'ravi');
  assert.equal((await sessionFor(db, clock, r.token))?.csrfToken, r.csrfToken);
});

test('a wrong password and an unknown username get the same answer', async () => {
  const clock = fakeClock();
  assert.deepEqual(await login(db, clock, { username: 'lakshmi', password: 'not-her-password' }, opts), { ok: false, code: 'invalid_credentials' });
  assert.deepEqual(await login(db, clock, { username: 'nobody', password: 'lakshmi-secret-2026' }, opts), { ok: false, code: 'invalid_credentials' });
  assert.deepEqual(await login(db, clock, { username: '', password: '' }, opts), { ok: false, code: 'invalid_credentials' });
});

test('an unknown username costs about as long as a real one (a dummy hash is checked)', async () => {
  const clock = fakeClock();
  // A cost where a hash clearly outweighs the queries (TEST_COST would hide the difference).
  const cost = { N: 2 ** 13, r: 8, p: 1 };
  await addOfficer(db, { username: 'timed', password: 'timed-secret-2026', department: 'REV01', role: 'officer' }, { ...ctx, cost });
  await login(db, clock, { username: 'nobody', password: 'x' }, { cost }); // the dummy hash is made once
  const time = async (username: string) => {
    const t = process.hrtime.bigint();
    await login(db, clock, { username, password: 'wrong-password-1' }, { cost, maxFailures: 100 });
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  const known: number[] = [];
  const unknown: number[] = [];
  for (let i = 0; i < 5; i++) known.push(await time('timed')), unknown.push(await time(`nobody-${i}`));
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[2]!;
  assert.ok(median(unknown) > median(known) / 2, `unknown ${unknown.join(' ')} ms vs known ${known.join(' ')} ms`);
  await db.query(`update officers set failed_logins = 0 where username = 'timed'`);
});

test('five wrong passwords in a row lock the account for 15 minutes, even for the right password', async () => {
  const clock = fakeClock();
  for (let i = 1; i <= 4; i++) assert.deepEqual(await login(db, clock, { username: 'suresh', password: `guess-number-${i}` }, opts), { ok: false, code: 'invalid_credentials' });
  assert.deepEqual(await login(db, clock, { username: 'suresh', password: 'guess-number-5' }, opts), { ok: false, code: 'locked', retryAfterSeconds: 900 });
  clock.advance(5 * MIN);
  assert.deepEqual(await login(db, clock, { username: 'suresh', password: 'suresh-secret-2026' }, opts), { ok: false, code: 'locked', retryAfterSeconds: 600 });
  clock.advance(10 * MIN - 1000);
  assert.deepEqual(await login(db, clock, { username: 'suresh', password: 'suresh-secret-2026' }, opts), { ok: false, code: 'locked', retryAfterSeconds: 1 });
  clock.advance(1000);
  const r = await login(db, clock, { username: 'suresh', password: 'suresh-secret-2026' }, opts);
  assert.ok(r.ok, 'unlocked after the period');
  const [row] = await db.query<{ failed_logins: number; locked_until: Date | null }>(`select failed_logins, locked_until from officers where username = 'suresh'`);
  assert.deepEqual(row, { failed_logins: 0, locked_until: null });
});

test('a success resets the count: failures must be consecutive; lockout settings are options', async () => {
  const clock = fakeClock();
  for (let i = 0; i < 4; i++) assert.equal((await login(db, clock, { username: 'padma', password: 'wrong-password-x' }, opts)).ok, false);
  assert.ok((await login(db, clock, { username: 'padma', password: 'padma-secret-2026' }, opts)).ok);
  for (let i = 0; i < 4; i++) assert.deepEqual(await login(db, clock, { username: 'padma', password: 'wrong-password-y' }, opts), { ok: false, code: 'invalid_credentials' });
  assert.ok((await login(db, clock, { username: 'padma', password: 'padma-secret-2026' }, opts)).ok, 'the fifth try may be right');

  const strict = { ...opts, maxFailures: 2, lockoutMs: 60_000 };
  assert.equal((await login(db, clock, { username: 'padma', password: 'wrong-password-z' }, strict)).ok, false);
  assert.deepEqual(await login(db, clock, { username: 'padma', password: 'wrong-password-z' }, strict), { ok: false, code: 'locked', retryAfterSeconds: 60 });
});

test('guesses sent all at once get no more than five tries past the lockout', async () => {
  const clock = fakeClock();
  const results = await Promise.all(
    Array.from({ length: 12 }, (_, i) => login(db, clock, { username: 'anil', password: i === 11 ? 'anil-secret-2026' : `parallel-guess-${i}` }, opts)),
  );
  // At most five passwords were checked: four answered invalid_credentials (or one ok), the fifth locked.
  assert.ok(results.filter((r) => r.ok || r.code === 'invalid_credentials').length <= 5, JSON.stringify(results));
  assert.ok(results.filter((r) => !r.ok && r.code === 'locked').length >= 7);
  const [row] = await db.query<{ locked_until: Date | null }>(`select locked_until from officers where username = 'anil'`);
  if (!results.some((r) => r.ok)) assert.ok(row!.locked_until, 'locked');
});

test('a disabled officer cannot sign in, and their sessions stop working', async () => {
  const clock = fakeClock();
  const r = await login(db, clock, { username: 'kiran', password: 'kiran-secret-2026' }, opts);
  assert.ok(r.ok);
  await db.query(`update officers set disabled = true where username = 'kiran'`);
  assert.equal(await officerForSession(db, clock, r.token), undefined);
  assert.deepEqual(await login(db, clock, { username: 'kiran', password: 'kiran-secret-2026' }, opts), { ok: false, code: 'invalid_credentials' });
});

test('a session slides 12 hours past its last use, then ends; logout ends it at once', async () => {
  const clock = fakeClock();
  const r = await login(db, clock, { username: 'lakshmi', password: 'lakshmi-secret-2026' }, opts);
  assert.ok(r.ok);
  const lastSeen = async () => (await db.query<{ last_seen_at: Date }>('select last_seen_at from officer_sessions where id = $1', [sessionId(r.token)]))[0]?.last_seen_at.toISOString();

  clock.advance(30_000);
  assert.ok(await officerForSession(db, clock, r.token));
  assert.equal(await lastSeen(), '2026-11-25T04:30:00.000Z', 'not written more than once a minute');
  clock.advance(11 * 60 * MIN);
  assert.ok(await officerForSession(db, clock, r.token), 'used within 12 h');
  assert.equal(await lastSeen(), '2026-11-25T15:30:30.000Z');
  clock.advance(12 * 60 * MIN - 1000);
  assert.ok(await officerForSession(db, clock, r.token), 'still within 12 h of the last use');
  clock.advance(12 * 60 * MIN);
  assert.equal(await officerForSession(db, clock, r.token), undefined, 'expired');
  assert.equal(await lastSeen(), undefined, 'an expired session is deleted');

  const short = await login(db, clock, { username: 'lakshmi', password: 'lakshmi-secret-2026' }, { ...opts, sessionMs: 10 * MIN });
  assert.ok(short.ok);
  clock.advance(10 * MIN);
  assert.equal(await officerForSession(db, clock, short.token, { sessionMs: 10 * MIN }), undefined);

  const again = await login(db, clock, { username: 'lakshmi', password: 'lakshmi-secret-2026' }, opts);
  assert.ok(again.ok);
  assert.equal(await logout(db, again.token), true);
  assert.equal(await officerForSession(db, clock, again.token), undefined);
  assert.equal(await logout(db, again.token), false);
  for (const junk of [undefined, '', 'x', 'a'.repeat(500), "'; drop table officers; --"]) assert.equal(await officerForSession(db, clock, junk), undefined);

  const stale = await login(db, clock, { username: 'lakshmi', password: 'lakshmi-secret-2026' }, opts);
  assert.ok(stale.ok);
  clock.advance(13 * 60 * MIN);
  assert.ok((await purgeExpiredSessions(db, clock)) >= 1);
  assert.equal((await db.query('select 1 from officer_sessions where id = $1', [sessionId(stale.token)])).length, 0);
});

test('a hash made at an older cost is upgraded at the next successful login', async () => {
  const clock = fakeClock();
  const cost = { ...TEST_COST, N: 2 ** 11 };
  const before = (await db.query<{ h: string }>(`select password_hash as h from officers where username = 'ravi'`))[0]!.h;
  assert.equal((await login(db, clock, { username: 'ravi', password: 'wrong-password-q' }, { cost })).ok, false);
  assert.equal((await db.query<{ h: string }>(`select password_hash as h from officers where username = 'ravi'`))[0]!.h, before, 'not on a failure');
  assert.ok((await login(db, clock, { username: 'ravi', password: 'ravi-secret-2026' }, { cost })).ok);
  assert.match((await db.query<{ h: string }>(`select password_hash as h from officers where username = 'ravi'`))[0]!.h, /^scrypt\$2048\$8\$1\$/);
  assert.ok((await login(db, clock, { username: 'ravi', password: 'ravi-secret-2026' }, { cost })).ok);
});
