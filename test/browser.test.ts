// The citizen's two windows into the simulator: the WhatsApp-like chat page in a real browser
// (Debian's chromium through playwright-core) and `mitra chat` in a terminal, both against a
// running Mitra with its built-in simulator.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { join } from 'node:path';
import { loadCatalog } from '../src/catalog/index.ts';
import { validateSend } from '../src/channel/simulator/validate.ts';
import { createConversation } from '../src/conversation/index.ts';
import { eventually, testApp } from './support.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SHOTS = new URL('../.tmp/', import.meta.url);
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let browser: Browser | undefined;
async function openBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    assert.fail(`${CHROMIUM} not found. The browser tests need Debian's chromium: run \`apt-get install -y chromium\` (CI installs it in .ci/run). They fail rather than skip, so a missing browser is never mistaken for a pass.`);
  }
  browser ??= await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  return browser;
}
after(async () => {
  await browser?.close();
});

async function phone(b: Browser): Promise<{ page: Page; errors: string[] }> {
  const page = await b.newPage({ viewport: { width: 412, height: 880 }, deviceScaleFactor: 2, locale: 'te-IN' });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.setDefaultTimeout(10_000);
  return { page, errors };
}

const fromMitra = (page: Page, kind?: string) => page.locator(`[data-testid=message][data-direction=out]${kind ? `[data-type="${kind}"]` : ''}`);
const fromCitizen = (page: Page) => page.locator('[data-testid=message][data-direction=in]');
const sheetRows = (page: Page) => page.locator('[data-testid=list-sheet] [data-testid=list-row]');

async function say(page: Page, text: string) {
  await page.getByTestId('composer').fill(text);
  await page.getByTestId('composer').press('Enter');
}

/** Sends the simulator refused (a limit broken), to say why an expected message never came. */
function refusals(app: Awaited<ReturnType<typeof testApp>>): string {
  const found = app.simulator!.graphLog.flatMap((g) => {
    const r = validateSend(g.body);
    return r ? [`${r.code} ${r.details} in ${JSON.stringify(g.body).slice(0, 300)}…`] : [];
  });
  return found.length ? `; the simulator refused ${found.length} send(s): ${found.join(' | ')}` : '';
}

/** On failure, keeps a screenshot of the page as it was, next to the others. */
async function shotOnFailure(page: Page, name: string, err: unknown): Promise<never> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: fileURLToPath(new URL(name, SHOTS)), animations: 'disabled' }).catch(() => undefined);
  throw err;
}

async function textOf(l: Locator): Promise<string> {
  return (await l.innerText()).replace(/\s+/g, ' ');
}

test('chat page: menu, a list longer than one message, free text and a reply button', async () => {
  const b = await openBrowser();
  const app = await testApp();
  const { page, errors } = await phone(b);
  try {
    await page.goto(`${app.url}/simulator/chat?wa=919900000042`);
    assert.equal(await page.title(), 'Mana Mitra · WhatsApp simulator');
    assert.equal(await page.locator('html').getAttribute('lang'), 'te');
    const banner = await textOf(page.getByTestId('sim-banner'));
    assert.match(banner, /సిమ్యులేటర్/);
    assert.match(banner, /Simulator, not real WhatsApp/);
    assert.equal(await page.getByTestId('citizen-number').inputValue(), '919900000042');
    await page.getByTestId('empty').waitFor();

    // "hi" brings the menu: a list message whose button opens the sheet of services.
    await say(page, 'hi');
    await fromCitizen(page).filter({ hasText: 'hi' }).first().waitFor();
    const menus = fromMitra(page, 'interactive/list').filter({ hasText: 'Which service do you need?' });
    await menus.first().waitFor();
    const menuText = await textOf(menus.first());
    assert.match(menuText, /మన మిత్ర · Mana Mitra/);
    assert.match(menuText, /మీకు ఏ సేవ కావాలి\? కింద ఎంచుకోండి\./);
    assert.match(menuText, /సేవలు \/ Services/);
    assert.ok(await page.getByTestId('empty').count() === 0, 'the empty-chat hint goes once there are messages');

    await menus.first().getByTestId('list-open').click();
    await page.getByTestId('list-sheet').waitFor();
    assert.equal(await sheetRows(page).count(), 3);
    const districtsRow = sheetRows(page).and(page.locator('[data-id="districts"]'));
    assert.match(await textOf(districtsRow), /జిల్లాలు \/ Districts A list longer than one WhatsApp message/);
    await districtsRow.click();
    assert.equal(await page.getByTestId('list-sheet').isHidden(), true, 'tapping a row closes the sheet');
    await fromCitizen(page).filter({ hasText: 'జిల్లాలు / Districts' }).first().waitFor();

    // 26 districts do not fit one list (10 rows): the first page ends with "More".
    const pages = fromMitra(page, 'interactive/list').filter({ hasText: 'Choose your district.' });
    await pages.first().waitFor();
    assert.match(await textOf(pages.first()), /మీ జిల్లాను ఎంచుకోండి\./);
    await pages.first().getByTestId('list-open').click();
    assert.equal(await sheetRows(page).count(), 10);
    assert.match(await textOf(sheetRows(page).first()), /అల్లూరి సీతారామరాజు Alluri Sitharama Raju/);
    const more = page.locator('[data-testid=list-sheet] [data-testid=list-row][data-id^="~p:"]');
    assert.equal(await more.count(), 1);
    assert.match(await textOf(more), /More/);
    await more.click();

    // The next page arrives as a new list message.
    await eventually(async () => (await pages.count()) === 2, 10_000, 'the second page of districts').catch((err: Error) => {
      throw new Error(err.message + refusals(app));
    });
    await pages.nth(1).getByTestId('list-open').click();
    const secondPage = await textOf(page.locator('[data-testid=list-sheet] .sheet-body'));
    assert.match(secondPage, /కాకినాడ Kakinada/);
    assert.doesNotMatch(secondPage, /Alluri Sitharama Raju/);
    await page.getByTestId('list-close').click();

    // Free text is echoed with two reply buttons; "Menu" brings the menu back.
    await say(page, 'నమస్కారం, my ration card?');
    const echo = fromMitra(page, 'interactive/button').filter({ hasText: 'You wrote: «నమస్కారం, my ration card?»' });
    await echo.waitFor();
    assert.match(await textOf(echo), /మీరు రాశారు: «నమస్కారం, my ration card\?»/);
    assert.deepEqual(await echo.getByTestId('reply-button').allInnerTexts(), ['మెనూ / Menu', 'సహాయం / Help']);
    await echo.locator('[data-testid=reply-button][data-id=menu]').click();
    await eventually(async () => (await menus.count()) === 2, 10_000, 'the menu again after tapping Menu');
    // The tap shows as the citizen's reply, quoting the message it answers.
    const tapped = fromCitizen(page).filter({ hasText: 'మెనూ / Menu' }).last();
    assert.match(await textOf(tapped.getByTestId('quote')), /You wrote/);

    // Ticks: Mitra's messages were read by the (simulated) phone, and Mitra marks the citizen's read.
    assert.equal(await menus.last().getByTestId('ticks').getAttribute('data-status'), 'read');
    await page.locator('[data-direction=in] [data-testid=ticks][data-status=read]').first().waitFor();

    // Layout: citizen right, Mitra left, nothing wider than the screen.
    const mine = (await tapped.getByTestId('bubble').boundingBox())!;
    const theirs = (await menus.last().getByTestId('bubble').boundingBox())!;
    assert.ok(mine.x + mine.width > theirs.x + theirs.width + 40, 'citizen bubbles sit to the right');
    assert.ok(theirs.x < 40, 'Mitra bubbles sit on the left');
    const overflow = await page.getByTestId('chat').evaluate((el) => el.scrollWidth - el.clientWidth);
    assert.equal(overflow, 0, 'the chat does not scroll sideways');

    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: fileURLToPath(new URL('chat-page.png', SHOTS)), animations: 'disabled' });
    await menus.last().getByTestId('list-open').click();
    await page.screenshot({ path: fileURLToPath(new URL('chat-page-list.png', SHOTS)), animations: 'disabled' });
    assert.deepEqual(errors, []);
  } catch (err) {
    await shotOnFailure(page, 'chat-page-failure.png', err);
  } finally {
    await page.close();
    await app.dispose();
  }
});

// A 24×16 PNG (a green rectangle), for uploads and image messages.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAABgAAAAQCAIAAACDRijCAAAAGUlEQVR4nGNgWNFCHTRq0KhBowaNGkQZAgAKrsIQ7mHMSwAAAABJRU5ErkJggg==',
  'base64',
);

test('chat page: every kind of message Mitra sends, failures, and everything a citizen can send', async () => {
  const b = await openBrowser();
  const app = await testApp();
  const { page, errors } = await phone(b);
  const sim = app.simulator!;
  const graph = async (body: Record<string, unknown>) => {
    const res = await fetch(`${app.whatsapp.graphUrl}/v21.0/${app.whatsapp.phoneNumberId}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${app.whatsapp.accessToken}` },
      body: JSON.stringify({ messaging_product: 'whatsapp', recipient_type: 'individual', ...body }),
    });
    assert.equal(res.status, 200, await res.clone().text());
    return res.json();
  };
  try {
    const wa = '919900000043';
    sim.citizenSends(wa, { type: 'text', text: 'hi' });
    await eventually(() => sim.chat(wa).some((e) => e.direction === 'out'), 10_000, 'the menu');
    const imageId = sim.storeMedia(PNG, 'image/png');
    const pdfId = sim.storeMedia(Buffer.from('%PDF-1.4\n% certificate\n'), 'application/pdf');
    await graph({ to: wa, type: 'text', text: { preview_url: false, body: 'మీ దరఖాస్తు *ఆమోదించబడింది*.\n_Your application is approved._\nDetails: https://example.gov.in/status?id=42' } });
    await graph({ to: wa, type: 'image', image: { id: imageId, caption: 'మీ కార్డు · Your card' } });
    await graph({ to: wa, type: 'document', document: { id: pdfId, filename: 'కుల-ధృవీకరణ-పత్రం-caste-certificate.pdf', caption: 'సర్టిఫికెట్ · Certificate' } });
    await graph({ to: wa, type: 'document', document: { link: `${app.url}/simulator/api/media/${pdfId}`, filename: 'receipt.pdf' } });
    await graph({ to: wa, type: 'audio', audio: { id: imageId } });
    await graph({ to: wa, type: 'interactive', interactive: { type: 'cta_url', body: { text: 'స్థితిని చూడండి · Check the status' }, action: { name: 'cta_url', parameters: { display_text: 'తెరవండి / Open', url: 'https://example.gov.in/status' } } } });
    await graph({ to: wa, type: 'template', template: { name: 'appointment_reminder', language: { code: 'te' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'రవి' }, { type: 'text', text: '12 మార్చి' }] }] } });
    await graph({ to: wa, type: 'interactive', interactive: { type: 'location_request_message', body: { text: 'మీ స్థానాన్ని పంపండి. · Please share your location.' }, action: { name: 'send_location' } } });

    await page.goto(`${app.url}/simulator/chat?wa=${wa}`);
    const text = fromMitra(page, 'text').filter({ hasText: 'Your application is approved.' });
    await text.waitFor();
    assert.equal(await text.locator('b').innerText(), 'ఆమోదించబడింది');
    assert.equal(await text.locator('i').innerText(), 'Your application is approved.');
    assert.equal(await text.locator('a').getAttribute('href'), 'https://example.gov.in/status?id=42');

    const image = fromMitra(page, 'image').locator('img');
    await eventually(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth === 24), 5000, 'the image to load');
    const docs = fromMitra(page, 'document');
    assert.equal(await docs.count(), 2);
    assert.equal(await docs.first().getByTestId('document-name').innerText(), 'కుల-ధృవీకరణ-పత్రం-caste-certificate.pdf');
    const href = await docs.first().getByTestId('document-download').getAttribute('href');
    assert.equal(href, `/simulator/api/media/${pdfId}`);
    assert.match(await (await fetch(app.url + href)).text(), /certificate/);
    assert.equal(await docs.nth(1).getByTestId('document-download').getAttribute('href'), `${app.url}/simulator/api/media/${pdfId}`);
    assert.equal(await fromMitra(page, 'audio').locator('audio').count(), 1);
    assert.equal(await fromMitra(page, 'interactive/cta_url').getByTestId('cta-link').getAttribute('href'), 'https://example.gov.in/status');
    assert.match(await textOf(fromMitra(page, 'template')), /appointment_reminder .*\{\{1\}\} రవి \{\{2\}\} 12 మార్చి/);

    // The location request's button shares the demo location (Amaravati).
    await fromMitra(page, 'interactive/location_request_message').getByTestId('send-location').click();
    await fromMitra(page).filter({ hasText: 'Got your location: 16.5131, 80.5165' }).waitFor();
    assert.match(await textOf(fromCitizen(page).last()), /అమరావతి · Amaravati/);

    // The attach menu: a photo, a contact, a reaction, an unsupported message.
    await page.getByTestId('attach').click();
    const chooser = page.waitForEvent('filechooser');
    await page.getByTestId('attach-photo').click();
    await (await chooser).setFiles({ name: 'ration-card.png', mimeType: 'image/png', buffer: PNG });
    await fromMitra(page).filter({ hasText: 'Got your photo (image/png).' }).waitFor();
    assert.equal(await fromCitizen(page).and(page.locator('[data-type=image]')).count(), 1);

    await page.getByTestId('attach').click();
    await page.getByTestId('attach-contact').click();
    await fromMitra(page).filter({ hasText: 'Got the contact: Lakshmi Devi' }).waitFor();

    await page.getByTestId('attach').click();
    await page.getByTestId('attach-reaction').click();
    await fromMitra(page).filter({ hasText: 'Thank you for your reaction 👍' }).waitFor();
    assert.equal(await page.getByTestId('reaction').innerText(), '👍');

    await page.getByTestId('attach').click();
    await page.getByTestId('attach-unknown').click();
    await fromMitra(page).filter({ hasText: 'We cannot read this kind of message yet.' }).waitFor();
    assert.match(await textOf(fromCitizen(page).last()), /Unsupported message type/);
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: fileURLToPath(new URL('chat-page-kinds.png', SHOTS)), animations: 'disabled' });

    // Another number, never heard from: free-form text fails (24-hour window), a template goes.
    const silent = '919900000099';
    await graph({ to: silent, type: 'text', text: { body: 'Reminder: your certificate is ready.' } });
    await graph({ to: silent, type: 'template', template: { name: 'certificate_ready', language: { code: 'en' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'CERT-42' }] }] } });
    await page.getByTestId('citizen-number').fill(silent);
    await page.getByTestId('citizen-number').press('Enter');
    await page.getByTestId('failed').waitFor();
    assert.match(new URL(page.url()).search, /wa=919900000099/);
    assert.match(await textOf(page.getByTestId('failed')), /Not delivered 131047 Re-engagement message/);
    assert.equal(await fromMitra(page, 'text').getByTestId('ticks').getAttribute('data-status'), 'failed');
    assert.equal(await fromMitra(page, 'template').getByTestId('ticks').getAttribute('data-status'), 'read');
    assert.equal(await fromMitra(page).count(), 2, 'only this number’s messages are shown');
    await page.screenshot({ path: fileURLToPath(new URL('chat-page-failed.png', SHOTS)), animations: 'disabled' });
    assert.deepEqual(errors, []);
  } catch (err) {
    await shotOnFailure(page, 'chat-page-kinds-failure.png', err);
  } finally {
    await page.close();
    await app.dispose();
  }
});

/** Runs `mitra chat` with `input` piped to stdin; resolves with its exit code and output. */
function mitraChat(args: string[], input: string, timeoutMs = 60_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/mitra.js', 'chat', ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`mitra chat did not exit within ${timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input);
  });
}

test('mitra chat: piped lines, numbered list rows, exits 0 when stdin ends', async () => {
  const app = await testApp();
  try {
    const { code, stdout, stderr } = await mitraChat(['--url', app.url, '--number', '919900000044'], 'hi\n1\n');
    assert.equal(code, 0, `exit code\nstdout:\n${stdout}\nstderr:\n${stderr}`);
    // The menu, its rows numbered.
    assert.match(stdout, /Which service do you need\? Choose below\./);
    assert.match(stdout, /మీకు ఏ సేవ కావాలి\?/);
    assert.match(stdout, /\[1\] జిల్లాలు \/ Districts — A list longer than one WhatsApp message/);
    assert.match(stdout, /\[3\] సహాయం \/ Help/);
    // "1" tapped row 1 (Districts): the first page of districts, itself numbered, ending in More.
    assert.match(stdout, /you › \[1\] జిల్లాలు \/ Districts/);
    assert.match(stdout, /Choose your district\./);
    assert.match(stdout, /\[1\] అల్లూరి సీతారామరాజు — Alluri Sitharama Raju/);
    assert.match(stdout, /\[10\] మరిన్ని › More/);
    // And the simulator saw a real list_reply to the menu message.
    const tap = app.simulator!.chat('919900000044').find((e) => e.direction === 'in' && e.message.interactive?.list_reply);
    assert.equal(tap?.message.interactive.list_reply.id, 'districts');
    assert.ok(tap?.message.context?.id, 'the tap answers the menu message');
  } finally {
    await app.dispose();
  }
});

test('mitra chat: a clear error and exit 1 when Mitra is not running', async () => {
  const port = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
  const { code, stdout, stderr } = await mitraChat(['--url', `http://127.0.0.1:${port}`], 'hi\n', 20_000);
  assert.equal(code, 1, stdout + stderr);
  assert.match(stderr, /cannot reach Mitra at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
  assert.match(stderr, /npm start/);
});

test('chat page: a Telugu citizen finds a service by its Telugu name and starts its form', async () => {
  const b = await openBrowser();
  const catalog = loadCatalog(join(ROOT, 'catalog'));
  assert.ok(catalog.ok);
  const app = await testApp({ handler: createConversation({ catalog: catalog.catalog, aadhaarSalt: 'browser-test-salt-not-secret' }) });
  const { page, errors } = await phone(b);
  try {
    await page.goto(`${app.url}/simulator/chat?wa=919900000077`);
    await say(page, 'నమస్కారం');
    const welcome = fromMitra(page, 'interactive/button').filter({ hasText: 'మీకు ఏ భాష కావాలి?' });
    await welcome.waitFor();
    await welcome.locator('[data-testid=reply-button][data-id="lang:te"]').click();
    await fromMitra(page, 'interactive/list').filter({ hasText: 'మీకు ఎలా సహాయం చేయగలను?' }).waitFor();

    await say(page, 'ఆదాయ ధృవీకరణ పత్రం');
    const results = fromMitra(page, 'interactive/list').filter({ hasText: 'ఇవి దొరికాయి' });
    await results.waitFor();
    await results.getByTestId('list-open').click();
    const row = sheetRows(page).and(page.locator('[data-id="svc:income-certificate"]'));
    assert.match(await textOf(row), /ఆదాయ ధ్రువీకరణ పత్రం|ఆదాయ ధృవీకరణ పత్రం/);
    await row.click();
    const detail = fromMitra(page, 'interactive/button').filter({ hasText: 'రుసుము: ₹45' });
    await detail.waitFor();
    await detail.locator('[data-testid=reply-button][data-id="start:income-certificate"]').click();
    await fromMitra(page).filter({ hasText: 'ప్రశ్న 1 / 7' }).waitFor();
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: fileURLToPath(new URL('chat-conversation-te.png', SHOTS)), animations: 'disabled' });
    assert.deepEqual(errors, []);
  } catch (err) {
    await shotOnFailure(page, 'chat-conversation-te-failed.png', err);
  } finally {
    await page.close();
    await app.dispose();
  }
});
