import assert from 'node:assert/strict';
import { Hono } from 'hono';
import { after, before, test } from 'node:test';
import { testDb } from '../../test/support.ts';
import { TEST_COST, addOfficer, officerOpenApiComponents, officerRoutes, sessionOpenApiPaths } from './index.ts';

let db: Awaited<ReturnType<typeof testDb>>;
let app: Hono;
let secureApp: Hono;
let t = new Date('2026-11-25T04:30:00Z').getTime();
const clock = { now: () => new Date(t) };

before(async () => {
  db = await testDb();
  const r = await addOfficer(db, { username: 'ravi', password: 'ravi-secret-2026', displayName: 'Ravi Kumar', department: 'REV01', role: 'officer', office: 'guntur/tenali', designation: 'Tahsildar' }, { departments: new Set(['REV01']), offices: new Set(['guntur/tenali']), cost: TEST_COST });
  assert.ok(r.ok);
  // Mounted as src/app.ts would, with a guarded route of another module beside it.
  const build = (secureCookies: boolean) => {
    const http = new Hono();
    const officers = officerRoutes({ db, clock, secureCookies, login: { cost: TEST_COST } });
    http.route('/', officers.routes);
    http.get('/api/v1/whoami', officers.requireOfficer, (c) => c.json({ username: c.get('officer').username }));
    http.post('/api/v1/cases/:ref/approve', officers.requireOfficer, (c) => c.json({ approvedBy: c.get('officer').username }));
    http.onError((_err, c) => c.json({ error: { code: 'internal', message: 'something went wrong on our side' } }, 500));
    return http;
  };
  app = build(false);
  secureApp = build(true);
});
after(() => db.dispose());

const signIn = (body: unknown, target = app, contentType = 'application/json') =>
  target.request('/api/v1/session', { method: 'POST', headers: { 'content-type': contentType }, body: typeof body === 'string' ? body : JSON.stringify(body) });

async function session() {
  const res = await signIn({ username: 'ravi', password: 'ravi-secret-2026' });
  assert.equal(res.status, 200);
  const cookie = res.headers.get('set-cookie')!;
  const body = (await res.json()) as { csrfToken: string };
  return { cookie: cookie.split(';')[0]!, csrfToken: body.csrfToken };
}

test('signing in sets an HttpOnly, SameSite=Strict session cookie and answers the officer and a CSRF token', async () => {
  const res = await signIn({ username: 'Ravi', password: 'ravi-secret-2026' });
  assert.equal(res.status, 200);
  const cookie = res.headers.get('set-cookie') ?? '';
  assert.match(cookie, /^mitra_session=[A-Za-z0-9_-]{43}; /);
  assert.match(cookie, /; HttpOnly/);
  assert.match(cookie, /; SameSite=Strict/);
  assert.match(cookie, /; Path=\//);
  assert.doesNotMatch(cookie, /Secure/);
  assert.equal(res.headers.get('cache-control'), 'no-store');
  const body = (await res.json()) as { officer: Record<string, unknown>; csrfToken: string };
  assert.match(body.csrfToken, /^[A-Za-z0-9_-]{43}$/);
  assert.deepEqual({ ...body.officer, id: 0 }, { id: 0, username: 'ravi', displayName: 'Ravi Kumar', department: 'REV01', role: 'officer', office: 'guntur/tenali', designation: 'Tahsildar' });

  const secure = await signIn({ username: 'ravi', password: 'ravi-secret-2026' }, secureApp);
  assert.match(secure.headers.get('set-cookie') ?? '', /; Secure/);
});

test('with the cookie, GET /api/v1/session answers the officer; without it, 401', async () => {
  const { cookie, csrfToken } = await session();
  const res = await app.request('/api/v1/session', { headers: { cookie } });
  assert.equal(res.status, 200);
  const body = (await res.json()) as { officer: { username: string }; csrfToken: string };
  assert.equal(body.officer.username, 'ravi');
  assert.equal(body.csrfToken, csrfToken);
  assert.equal((await app.request('/api/v1/whoami', { headers: { cookie } })).status, 200);

  for (const headers of [{}, { cookie: 'mitra_session=forged-token' }, { cookie: `mitra_session=${'A'.repeat(43)}` }] as Record<string, string>[]) {
    const anon = await app.request('/api/v1/session', { headers });
    assert.equal(anon.status, 401);
    assert.deepEqual(((await anon.json()) as { error: { code: string } }).error.code, 'unauthenticated');
  }
});

test('an unsafe request needs the CSRF header: 403 without it or with a wrong one', async () => {
  const { cookie, csrfToken } = await session();
  const post = (headers: Record<string, string>) => app.request('/api/v1/cases/REV-26-000001/approve', { method: 'POST', headers: { cookie, ...headers } });
  const none = await post({});
  assert.equal(none.status, 403);
  assert.deepEqual(((await none.json()) as { error: { code: string } }).error.code, 'csrf');
  assert.equal((await post({ 'x-csrf-token': 'x'.repeat(43) })).status, 403);
  assert.equal((await post({ 'x-csrf-token': '' })).status, 403);
  const ok = await post({ 'x-csrf-token': csrfToken });
  assert.equal(ok.status, 200);
  assert.deepEqual(await ok.json(), { approvedBy: 'ravi' });
  assert.equal((await app.request('/api/v1/cases/REV-26-000001/approve', { method: 'POST', headers: { 'x-csrf-token': csrfToken } })).status, 401, 'no cookie: 401 first');
});

test('bad sign-in bodies get a 4xx JSON error, never a 500', async () => {
  const cases: [unknown, number, string, string?][] = [
    ['{"username": "ravi", "password":', 400, 'bad_json'],
    ['', 400, 'bad_json'],
    ['null', 400, 'bad_request'],
    ['[]', 400, 'bad_request'],
    [{ username: 'ravi' }, 400, 'bad_request'],
    [{ username: 42, password: ['x'] }, 400, 'bad_request'],
    [{ username: 'ravi', password: 'wrong-password-1' }, 401, 'invalid_credentials'],
    [{ username: 'nobody', password: 'ravi-secret-2026' }, 401, 'invalid_credentials'],
    [{ username: 'ravi', password: 'ravi-secret-2026' }, 415, 'unsupported_media_type', 'text/plain'],
    [{ username: 'ravi', password: 'x'.repeat(20_000) }, 413, 'payload_too_large'],
  ];
  for (const [body, status, code, type] of cases) {
    const res = await signIn(body, app, type);
    assert.equal(res.status, status, JSON.stringify(body).slice(0, 80));
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    const json = (await res.json()) as { error: { code: string; message: string } };
    assert.equal(json.error.code, code);
    assert.ok(json.error.message);
    assert.equal(res.headers.get('set-cookie'), null);
  }
});

test('a locked account answers 429 with Retry-After', async () => {
  await addOfficer(db, { username: 'locked.out', password: 'locked-secret-2026', department: 'REV01', role: 'officer' }, { departments: new Set(['REV01']), offices: new Set(), cost: TEST_COST });
  for (let i = 0; i < 4; i++) assert.equal((await signIn({ username: 'locked.out', password: `wrong-password-${i}` })).status, 401);
  const res = await signIn({ username: 'locked.out', password: 'locked-secret-2026x' });
  assert.equal(res.status, 429);
  assert.equal(res.headers.get('retry-after'), '900');
  assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'locked');
  t += 15 * 60_000;
  assert.equal((await signIn({ username: 'locked.out', password: 'locked-secret-2026' })).status, 200);
});

test('DELETE /api/v1/session signs out: 204, the cookie cleared, the session gone', async () => {
  const { cookie, csrfToken } = await session();
  assert.equal((await app.request('/api/v1/session', { method: 'DELETE', headers: { cookie } })).status, 403, 'needs the CSRF header');
  const res = await app.request('/api/v1/session', { method: 'DELETE', headers: { cookie, 'x-csrf-token': csrfToken } });
  assert.equal(res.status, 204);
  assert.match(res.headers.get('set-cookie') ?? '', /^mitra_session=; Max-Age=0; Path=\/; HttpOnly; SameSite=Strict/);
  assert.equal((await app.request('/api/v1/session', { headers: { cookie } })).status, 401);
  assert.equal((await app.request('/api/v1/session', { method: 'DELETE', headers: { cookie, 'x-csrf-token': csrfToken } })).status, 401);
});

test('a session idle for more than 12 hours is over', async () => {
  const { cookie } = await session();
  t += 12 * 3600_000;
  assert.equal((await app.request('/api/v1/session', { headers: { cookie } })).status, 401);
});

test('the OpenAPI path items describe the three session operations', () => {
  const paths = sessionOpenApiPaths();
  const item = paths['/api/v1/session'];
  assert.deepEqual(Object.keys(item).sort(), ['delete', 'get', 'post']);
  assert.deepEqual(Object.keys(item.post.responses).sort(), ['200', '400', '401', '413', '415', '429']);
  const components = officerOpenApiComponents();
  // Every $ref resolves within the components given.
  const refs = JSON.stringify(paths).match(/#\/components\/[^"]+/g) ?? [];
  for (const ref of new Set([...refs, ...(JSON.stringify(components).match(/#\/components\/[^"]+/g) ?? [])])) {
    const [, , kind, name] = ref.split('/');
    assert.ok((components as Record<string, Record<string, unknown>>)[kind!]?.[name!], ref);
  }
  assert.equal(components.securitySchemes.officerSession.name, 'mitra_session');
});
