// The back office's web pages in a real browser (Debian's chromium through playwright-core), against a
// running Mitra: a Revenue officer signs in (a wrong password first), works the queue (dashboard,
// filters, paging), returns one case to the citizen and approves another, meets a 409 from a change
// made elsewhere, switches language, and cannot open another department's case by its address.
// A locked account and the state admin's view of every department come last.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { actOnCase, fileCase } from '../src/cases/index.ts';
import { loadCatalog } from '../src/catalog/index.ts';
import { createConversation } from '../src/conversation/index.ts';
import { TEST_COST, addOfficer, knownOffices } from '../src/officers/index.ts';
import { officePages } from '../src/portal/index.ts';
import { testApp, testDb } from './support.ts';

const SHOTS = new URL('../.tmp/', import.meta.url);
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const PASSWORD = 'a-long-test-password';

const loaded = loadCatalog('catalog');
if (!loaded.ok) throw new Error('catalogue');
const catalog = loaded.catalog;
const clock = { at: new Date('2026-11-25T06:30:00Z'), now: () => clock.at };
const HOUR = 3_600_000;

let app: Awaited<ReturnType<typeof testApp>>;
let front: ServerType | undefined;
/** Where the browser goes: Mitra itself, or (until src/app.ts mounts the pages) a front beside it. */
let base = '';
let browser: Browser | undefined;
const cases: Record<'returned' | 'approved' | 'energy' | 'unstaffed', { id: number; reference: string }> = {} as never;
const officerIds: Record<string, number> = {};

async function openBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    assert.fail(`${CHROMIUM} not found. The browser tests need Debian's chromium: run \`apt-get install -y chromium\` (CI installs it in .ci/run). They fail rather than skip, so a missing browser is never mistaken for a pass.`);
  }
  browser ??= await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  return browser;
}

before(async () => {
  const db = await testDb();
  const ctx = { departments: new Set(catalog.departments.map((d) => d.code)), offices: knownOffices(catalog.lists), cost: TEST_COST };
  for (const [username, department, role, office, displayName] of [
    ['vro.tenali', 'REV01', 'officer', 'guntur/tenali', 'K. Ramesh'],
    ['ae.tenali', 'ENE01', 'officer', 'guntur/tenali', 'P. Srinivas'],
    ['locked.tenali', 'REV01', 'officer', 'guntur/tenali', 'Locked Out'],
    ['state.admin', null, 'state_admin', '', 'State IT cell'],
  ] as const) {
    const r = await addOfficer(db, { username, password: PASSWORD, department, role, office, displayName }, ctx);
    assert.ok(r.ok, JSON.stringify(r));
    officerIds[username] = r.officer.id;
  }
  const income = catalog.services.get('income-certificate')!;
  const energy = catalog.services.get('new-domestic-connection')!;
  assert.equal(energy.department, 'ENE01');
  const aadhaar = { aadhaarLast4: '1234', aadhaarHash: 'x' };
  const file = (service: typeof income, department: string, prefix: string, answers: Record<string, unknown>, at: Date, waId: string) =>
    db.transaction((tx) => fileCase(tx, { waId, service, department, prefix, language: 'te', answers, at }));
  const revenue = (name: string, mandal = 'guntur/tenali', district = 'guntur') => ({
    applicant_name: name,
    aadhaar,
    district,
    mandal,
    annual_income: 96000,
    purpose: 'scholarship',
    photo: { mediaId: '2754859441498128', mimeType: 'image/jpeg' },
  });
  // Filed five days ago; its VRO stage ran out, the sweep escalated it with a fresh two days, and
  // those ran out five hours ago: overdue and escalated.
  cases.returned = await file(income, 'REV01', 'REV', revenue('రవి కుమార్'), new Date(clock.at.getTime() - 120 * HOUR), '919000000001');
  cases.approved = await file(income, 'REV01', 'REV', revenue('Lakshmi Devi'), new Date(clock.at.getTime() - 2 * HOUR), '919000000002');
  cases.energy = await file(energy, 'ENE01', 'ENE', {
    applicant_name: 'Suresh Babu',
    aadhaar,
    district: 'guntur',
    mandal: 'guntur/tenali',
    address: '12-3, Bose Road, Tenali',
    load_kw: 2,
    ownership_proof: { mediaId: '5550001', mimeType: 'application/pdf' },
    mobile: '9876543210',
  }, new Date(clock.at.getTime() - 5 * HOUR), '919000000003');
  // No Revenue officer sits in Gudivada: only the state admin (and Revenue's admins) see this one.
  cases.unstaffed = await file(income, 'REV01', 'REV', revenue('Sita', 'krishna/gudivada', 'krishna'), new Date(clock.at.getTime() - 20 * HOUR), '919000000004');

  app = await testApp({ db, catalog, clock, handler: createConversation({ catalog, aadhaarSalt: 'office-browser-test-salt', clock }), env: { CASE_SWEEP_SECONDS: '3600' } });
  const now = clock.at;
  clock.at = new Date(now.getTime() - 53 * HOUR);
  assert.equal((await app.sweep()).escalated, 1, 'the overdue case is escalated');
  clock.at = now;

  base = app.url;
  const mounted = await fetch(`${app.url}/office`);
  if (mounted.status !== 200) {
    // The pages are not mounted in src/app.ts yet: serve them beside Mitra on one origin, the rest
    // passed through untouched (cookies and all), exactly as the mount line will.
    const proxy = new Hono();
    proxy.route('/', officePages({ catalog }));
    proxy.all('*', async (c) => {
      const url = new URL(c.req.url);
      const headers = new Headers(c.req.raw.headers);
      headers.delete('host');
      const res = await fetch(`${app.url}${url.pathname}${url.search}`, {
        method: c.req.method,
        headers,
        body: c.req.method === 'GET' || c.req.method === 'HEAD' ? undefined : await c.req.arrayBuffer(),
        redirect: 'manual',
      });
      return new Response(res.body, { status: res.status, headers: res.headers });
    });
    front = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: proxy.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    base = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
  }
});

after(async () => {
  await browser?.close();
  if (front) await new Promise<void>((r) => front!.close(() => r()));
  await app?.dispose();
});

// Chromium reports every 4xx answer as a console line. The test provokes these on purpose (the
// session probe before sign-in, a wrong password, a locked account, a 409, a case out of reach);
// any other console error, and every script error, fails the test.
const EXPECTED = /^Failed to load resource: the server responded with a status of (401|404|409|429) /;

function watch(page: Page, errors: string[] = []): string[] {
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !EXPECTED.test(m.text())) errors.push(m.text());
  });
  page.setDefaultTimeout(10_000);
  return errors;
}

async function desktop(b: Browser): Promise<{ page: Page; errors: string[] }> {
  const page = await b.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1, locale: 'te-IN', timezoneId: 'Asia/Kolkata' });
  return { page, errors: watch(page) };
}

async function shot(page: Page, name: string, fullPage = true) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: fileURLToPath(new URL(name, SHOTS)), fullPage, animations: 'disabled' });
}

async function shotOnFailure(page: Page, name: string, err: unknown): Promise<never> {
  await shot(page, name).catch(() => undefined);
  throw err;
}

const textOf = async (l: Locator) => (await l.innerText()).replace(/\s+/g, ' ').trim();
const rows = (page: Page) => page.getByTestId('case-row');
const row = (page: Page, reference: string) => page.locator(`[data-testid=case-row][data-reference="${reference}"]`);

async function signIn(page: Page, username: string, password = PASSWORD) {
  await page.getByTestId('username').fill(username);
  await page.getByTestId('password').fill(password);
  await page.getByTestId('signin-submit').click();
}

/** The page's width never exceeds the window: nothing sticks out sideways. */
async function assertNoOverflow(page: Page, what: string) {
  const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  assert.ok(scroll <= client, `${what}: the page is ${scroll} px wide in a ${client} px window`);
}

test('the pages are served with a strict policy at /office and every deep link under it', async () => {
  for (const path of ['/office', '/office/cases/123', '/office/anything/else']) {
    const res = await fetch(`${base}${path}`);
    assert.equal(res.status, 200, path);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'sha256-[A-Za-z0-9+/=]+'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /https?:|\*|unsafe-inline|unsafe-eval/, 'no other origin, nothing inline without its hash');
    assert.equal(res.headers.get('x-frame-options'), 'DENY');
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const html = await res.text();
    assert.doesNotMatch(html, /<(script|link|img)[^>]+(src|href)="https?:/, 'no external assets');
  }
});

test('a Revenue officer works the queue and two cases, in Telugu and English; another department\'s case stays out of reach', async () => {
  const b = await openBrowser();
  const { page, errors } = await desktop(b);
  try {
    // Sign-in: Telugu by default, a wrong password says so plainly.
    await page.goto(`${base}/office`);
    await page.getByTestId('signin-form').waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'te');
    assert.equal(await textOf(page.locator('h1')), 'సైన్ ఇన్ చేయండి');
    await signIn(page, 'vro.tenali', 'not-the-password');
    const wrong = page.getByTestId('signin-error');
    await wrong.waitFor();
    assert.match(await textOf(wrong), /వినియోగదారు పేరు లేదా పాస్‌వర్డ్ తప్పు/);
    assert.equal(await page.getByTestId('password').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.getByTestId('password').inputValue(), '', 'the wrong password is cleared');
    await shot(page, 'office-signin.png');

    await page.getByTestId('password').fill(PASSWORD);
    await page.getByTestId('signin-submit').click();
    await page.getByTestId('queue').waitFor();
    assert.match(await textOf(page.getByTestId('who')), /^K\. Ramesh అధికారి · .+ · తెనాలి$/);

    // The queue: the two Tenali Revenue cases, least time left first; never the Energy case, never Gudivada's.
    assert.deepEqual(await rows(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-reference'))), [cases.returned.reference, cases.approved.reference]);
    assert.equal(await page.getByText(cases.energy.reference).count(), 0);
    assert.equal(await page.getByText(cases.unstaffed.reference).count(), 0);
    const overdue = row(page, cases.returned.reference);
    assert.equal(await textOf(overdue.getByTestId('sla')), 'గడువు దాటి 5 గంటలు');
    assert.match((await overdue.getByTestId('sla').getAttribute('class'))!, /sla-over/);
    assert.equal(await textOf(overdue.getByTestId('badge-escalated')), 'పై స్థాయికి చేరింది');
    assert.equal(await textOf(row(page, cases.approved.reference).getByTestId('sla')), '1 రోజు 22 గంటలు');
    assert.match(await textOf(overdue), /ఆదాయ ధ్రువీకరణ పత్రం/);
    assert.match(await textOf(overdue), /వీఆర్వో పరిశీలన VRO/);
    assert.match(await textOf(overdue), /తెనాలి/);
    assert.match(await textOf(overdue), /గుంటూరు/);
    assert.equal(await textOf(page.getByTestId('dash-open').locator('.n')), '2');
    assert.equal(await textOf(page.getByTestId('dash-overdue').locator('.n')), '1');
    assert.equal(await textOf(page.getByTestId('dash-escalated').locator('.n')), '1');
    await shot(page, 'office-queue.png');

    // Sorting and paging go through the address, so they survive a reload.
    await page.getByTestId('sort').selectOption('newest');
    await page.getByTestId('filter-apply').click();
    await page.waitForURL(/sort=newest/);
    await page.waitForFunction(() => document.querySelector('[data-testid=case-row]')?.getAttribute('data-reference')?.endsWith('000002'));
    await page.goto(`${base}/office?limit=1`);
    await page.getByTestId('queue').waitFor();
    assert.equal(await rows(page).count(), 1);
    assert.equal(await rows(page).first().getAttribute('data-reference'), cases.returned.reference);
    await page.getByTestId('page-next').click();
    await page.waitForURL(/offset=1/);
    await row(page, cases.approved.reference).waitFor();
    assert.equal(await rows(page).count(), 1);

    // Open the overdue case: the citizen's answers, the stages, and what this officer may do.
    await page.goto(`${base}/office`);
    await row(page, cases.returned.reference).getByTestId('case-link').click();
    await page.waitForURL(`${base}/office/cases/${cases.returned.id}`);
    await page.getByTestId('case').waitFor();
    assert.equal(await textOf(page.getByTestId('case-reference')), cases.returned.reference);
    const answers = page.getByTestId('answers');
    assert.match(await textOf(answers.locator('[data-field=applicant_name]')), /దరఖాస్తుదారుని పేరు రవి కుమార్/);
    assert.match(await textOf(answers.locator('[data-field=aadhaar]')), /XXXX XXXX 1234/);
    assert.match(await textOf(answers.locator('[data-field=annual_income]')), /₹96,000/);
    assert.match(await textOf(answers.locator('[data-field=photo]')), /మీ ఫోటో image\/jpeg మీడియా ఐడీ 2754859441498128/);
    assert.equal(await page.locator('[data-testid=stage][aria-current=step]').getAttribute('data-stage'), 'verification');
    assert.deepEqual(await page.getByTestId('actions').locator('button').evaluateAll((bs) => bs.map((b) => b.getAttribute('data-testid'))), ['action-approve', 'action-reject', 'action-return', 'action-reassign', 'action-comment']);

    // Return it to the citizen: the message is required, then sent; the case reloads as returned.
    await page.getByTestId('action-return').click();
    await page.getByTestId('action-submit').click();
    assert.match(await textOf(page.getByTestId('action-error')), /పౌరుడు ఏమి పంపాలో రాయండి/);
    await page.getByTestId('action-input').fill('దయచేసి మీ రేషన్ కార్డు ఫోటో పంపండి.');
    await page.getByTestId('action-submit').click();
    await page.locator('[data-testid=flash][data-kind=ok]').waitFor();
    assert.equal(await page.getByTestId('case').getByTestId('status').first().getAttribute('data-status'), 'returned');
    assert.match(await textOf(page.getByTestId('flash')), /పౌరునికి తిరిగి పంపారు/);
    const latest = page.getByTestId('event').first();
    assert.equal(await latest.getAttribute('data-action'), 'return');
    assert.match(await textOf(latest), /మీరు/);
    assert.equal(await textOf(latest.getByTestId('event-note')), 'దయచేసి మీ రేషన్ కార్డు ఫోటో పంపండి.');
    assert.deepEqual(await page.getByTestId('actions').locator('button').evaluateAll((bs) => bs.map((b) => b.getAttribute('data-testid'))), ['action-reject', 'action-reassign', 'action-comment'], 'waiting on the citizen: no approve');

    // Back in the queue it waits on the citizen; the status filter finds it alone.
    await page.getByTestId('back').click();
    await row(page, cases.returned.reference).waitFor();
    assert.equal(await textOf(row(page, cases.returned.reference).getByTestId('sla')), 'పౌరుని స్పందన కోసం');
    await page.getByTestId('filter-status').selectOption('returned');
    await page.getByTestId('filter-apply').click();
    await page.waitForURL(/status=returned/);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=case-row]').length === 1);
    assert.equal(await rows(page).first().getAttribute('data-reference'), cases.returned.reference);

    // Approve the other: it moves on to the RI's inspection.
    await page.goto(`${base}/office/cases/${cases.approved.id}`);
    await page.getByTestId('case').waitFor();
    await page.getByTestId('action-approve').click();
    await page.getByTestId('action-input').fill('Documents verified at the village.');
    await page.getByTestId('action-submit').click();
    await page.locator('[data-testid=flash][data-kind=ok]').waitFor();
    assert.match(await textOf(page.getByTestId('flash')), /ఆర్ఐ తనిఖీ/);
    assert.equal(await page.locator('[data-testid=stage][aria-current=step]').getAttribute('data-stage'), 'inspection');
    assert.match((await page.locator('[data-testid=stage][data-stage=verification]').getAttribute('class'))!, /done/);
    assert.match(await textOf(page.getByTestId('event').first()), /“వీఆర్వో పరిశీలన” నుంచి “ఆర్ఐ తనిఖీ” దశకు/);
    await shot(page, 'office-case.png');

    // English and back: every word follows, the choice is remembered across a reload.
    await page.getByTestId('lang-en').click();
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    assert.equal(await page.getByTestId('lang-en').getAttribute('aria-pressed'), 'true');
    assert.match(await textOf(page.getByTestId('case-service')), /^Income Certificate$/);
    assert.match(await textOf(page.locator('#actions-title')), /^Actions$/);
    await page.reload();
    await page.getByTestId('case').waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    assert.match(await textOf(page.getByTestId('case-stage')), /Inspection by RI/);

    // Someone else (another tab, the same officer) returns it meanwhile: approving now is a 409,
    // shown in the API's words, and the case is shown as it now stands.
    const login = await fetch(`${base}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'vro.tenali', password: PASSWORD }) });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const elsewhere = await fetch(`${base}/api/v1/cases/${cases.approved.id}/actions`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' }, body: JSON.stringify({ action: 'return', message: 'Please send the rice card too.' }) });
    assert.equal(elsewhere.status, 200);
    await page.getByTestId('action-approve').click();
    await page.getByTestId('action-submit').click();
    const conflict = page.locator('[data-testid=flash][data-kind=conflict]');
    await conflict.waitFor();
    assert.match(await textOf(conflict), /This cannot be done now: approve is not possible on a case that is returned/);
    assert.equal(await page.getByTestId('case').getByTestId('status').first().getAttribute('data-status'), 'returned');

    // The queue in English, then back to Telugu for the screenshots.
    await page.getByTestId('back').click();
    await page.getByTestId('queue').waitFor();
    await page.getByTestId('filter-status').selectOption('');
    await page.getByTestId('filter-apply').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=case-row]').length === 2);
    assert.equal(await textOf(page.locator('h1')), 'My queue');
    assert.equal(await textOf(row(page, cases.returned.reference).getByTestId('status')), 'Returned to the citizen');
    assert.equal(await textOf(page.locator('label[for=f-sort]')), 'Sort by');
    await shot(page, 'office-queue-en.png');
    await page.getByTestId('lang-te').click();
    assert.equal(await page.locator('html').getAttribute('lang'), 'te');
    assert.equal(await textOf(page.locator('h1')), 'నా కేసుల జాబితా');
    assert.equal(await page.evaluate(() => localStorage.getItem('mitra.office.lang')), 'te');

    // A phone 390 px wide, in the same session: nothing overflows sideways; the table becomes cards.
    const handset = await b.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, locale: 'te-IN', timezoneId: 'Asia/Kolkata', isMobile: true, hasTouch: true });
    try {
      await handset.addCookies(await page.context().cookies());
      const small = await handset.newPage();
      watch(small, errors);
      await small.goto(`${base}/office`);
      await small.getByTestId('queue').waitFor();
      assert.equal(await rows(small).count(), 2);
      await assertNoOverflow(small, 'the queue at 390 px');
      assert.equal(await small.locator('table.cases thead').evaluate((el) => el.getBoundingClientRect().height <= 1), true, 'column heads give way to labels in each card');
      await shot(small, 'office-queue-mobile.png');
      await row(small, cases.returned.reference).getByTestId('case-link').click();
      await small.getByTestId('case').waitFor();
      await assertNoOverflow(small, 'a case at 390 px');
      const actionsTop = await small.getByTestId('actions').evaluate((el) => el.getBoundingClientRect().top);
      const answersTop = await small.getByTestId('answers').evaluate((el) => el.getBoundingClientRect().top);
      assert.ok(actionsTop < answersTop, 'on a phone the actions come before the answers');
      await shot(small, 'office-case-mobile.png');
    } finally {
      await handset.close();
    }

    // Another department's case, by its address: the API says 404, so the page says not found.
    await page.goto(`${base}/office/cases/${cases.energy.id}`);
    const missing = page.getByTestId('not-found');
    await missing.waitFor();
    assert.match(await textOf(missing), /కేసు కనబడలేదు/);
    assert.match(await textOf(missing), /no such case/);
    assert.equal(await page.getByTestId('case').count(), 0);
    assert.doesNotMatch(await page.locator('body').innerText(), new RegExp(cases.energy.reference));
    assert.doesNotMatch(await page.locator('body').innerText(), /Suresh Babu/);

    // Sign out: back to the sign-in form, and the API no longer answers this browser.
    await page.getByTestId('signout').click();
    await page.getByTestId('signin-notice').waitFor();
    assert.match(await textOf(page.getByTestId('signin-notice')), /సైన్ అవుట్ అయ్యారు/);
    assert.equal((await page.evaluate(async () => (await fetch('/api/v1/cases')).status)), 401);
    assert.deepEqual(errors, []);
  } catch (err) {
    await shotOnFailure(page, 'office-failure.png', err);
  } finally {
    await page.close();
  }
});

test('a locked account is told how long to wait; the state admin sees every department', async () => {
  const b = await openBrowser();
  const { page, errors } = await desktop(b);
  try {
    // Wrong passwords until the account locks (the fifth does it).
    const statuses: number[] = [];
    while (statuses.at(-1) !== 429 && statuses.length < 10) {
      const res = await fetch(`${base}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'locked.tenali', password: 'wrong-password-here' }) });
      statuses.push(res.status);
    }
    assert.deepEqual(statuses, [401, 401, 401, 401, 429]);
    await page.goto(`${base}/office`);
    await page.getByTestId('signin-form').waitFor();
    await signIn(page, 'locked.tenali');
    const locked = page.getByTestId('signin-error');
    await locked.waitFor();
    assert.match(await textOf(locked), /ఖాతా లాక్ అయింది\. 15 నిమిషాల తర్వాత మళ్ళీ ప్రయత్నించండి/);
    await page.getByTestId('lang-en').click();
    assert.match(await textOf(locked), /this account is locked\. Try again in 15 minutes\./);
    await page.getByTestId('lang-te').click();

    await signIn(page, 'state.admin');
    await page.getByTestId('queue').waitFor();
    assert.equal(await textOf(page.locator('h1')), 'రాష్ట్ర స్థాయి: అన్ని శాఖలు');
    assert.ok((await page.locator('table.cases th').allInnerTexts()).includes('శాఖ'), 'a department column');
    const energy = row(page, cases.energy.reference);
    await energy.waitFor();
    assert.match(await textOf(energy), /ఇంధన శాఖ ENE01/);
    assert.match(await textOf(row(page, cases.unstaffed.reference).getByTestId('badge-unstaffed')), /ఈ కార్యాలయంలో అధికారి లేరు/);
    assert.equal(await textOf(page.getByTestId('dash-unstaffed').locator('.n')), '1');
    assert.equal(await page.getByTestId('filter-service').locator('optgroup').count() > 10, true, 'services grouped by department');
    await shot(page, 'office-state.png');

    // A state admin may only comment.
    await energy.getByTestId('case-link').click();
    await page.getByTestId('case').waitFor();
    assert.deepEqual(await page.getByTestId('actions').locator('button').evaluateAll((bs) => bs.map((b) => b.getAttribute('data-testid'))), ['action-comment']);
    await page.getByTestId('action-comment').click();
    await page.getByTestId('action-input').fill('Checked from the state cell.');
    await page.getByTestId('action-submit').click();
    await page.locator('[data-testid=flash][data-kind=ok]').waitFor();
    assert.equal(await textOf(page.getByTestId('event').first().getByTestId('event-note')), 'Checked from the state cell.');
    assert.match(await textOf(page.getByTestId('answers').locator('[data-field=ownership_proof]')), /application\/pdf మీడియా ఐడీ 5550001/);
    assert.deepEqual(errors, []);
  } catch (err) {
    await shotOnFailure(page, 'office-state-failure.png', err);
  } finally {
    await page.close();
  }
});

test('approving the last stage issues the certificate: the case page shows it, opens its PDF, and revokes it with a reason', async () => {
  // Filed and through its first two stages already; the Tahsildar's approval is the last.
  const filed = await app.db.transaction((tx) =>
    fileCase(tx, { waId: '919000000005', service: catalog.services.get('income-certificate')!, department: 'REV01', prefix: 'REV', language: 'te', at: clock.now(), answers: { applicant_name: 'Padma Rani', aadhaar: { aadhaarLast4: '4321', aadhaarHash: 'y' }, district: 'guntur', mandal: 'guntur/tenali', annual_income: 84000, purpose: 'scheme' } }),
  );
  const [vro] = await app.db.query<{ id: number }>(`select id from officers where username = 'vro.tenali'`);
  for (let i = 0; i < 2; i++) {
    const r = await app.db.transaction((tx) => actOnCase(tx, app.cases!, { kind: 'officer', officer: { id: vro!.id, department: 'REV01', role: 'officer', office: 'guntur/tenali' } }, { id: filed.id }, { action: 'approve' }));
    assert.ok(r.ok);
  }
  const b = await openBrowser();
  const { page, errors } = await desktop(b);
  try {
    await page.goto(`${base}/office/cases/${filed.id}`);
    await page.getByTestId('signin-form').waitFor();
    await signIn(page, 'vro.tenali');
    await page.getByTestId('case').waitFor();
    await page.getByTestId('action-approve').click();
    await page.getByTestId('action-submit').click();
    await page.locator('[data-testid=flash][data-kind=ok]').waitFor();
    const panel = page.locator('[data-testid=certificate][data-state=issued]');
    await panel.waitFor();
    assert.match(await textOf(panel.getByTestId('cert-number')), /REV01\/2026\/\d{7}/);
    const pdf = await fetch((await panel.getByTestId('cert-open').getAttribute('href'))!);
    assert.equal(pdf.headers.get('content-type'), 'application/pdf');

    await panel.getByTestId('cert-revoke').click();
    await page.getByTestId('cert-revoke-submit').click();
    assert.match(await textOf(page.getByTestId('cert-error')), /ఎందుకు రద్దు/);
    await page.getByTestId('cert-reason').fill('ఆదాయం తప్పుగా చూపారు');
    await page.getByTestId('cert-revoke-submit').click();
    const revoked = page.locator('[data-testid=certificate][data-state=revoked]');
    await revoked.waitFor();
    assert.match(await textOf(revoked.getByTestId('cert-revoked')), /రద్దు చేశారు ఆదాయం తప్పుగా చూపారు/);
    assert.equal(await page.getByTestId('event').first().getAttribute('data-action'), 'certificate_revoked');
    await shot(page, 'office-certificate.png');
    assert.deepEqual(errors, []);
  } catch (err) {
    await shotOnFailure(page, 'office-certificate-failure.png', err);
  } finally {
    await page.close();
  }
});
