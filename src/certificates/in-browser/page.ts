import { verifyDocumentWeb } from '../../documents/web-verify.ts';
import type { CheckedCertificate } from '../check.ts';
import type { Bilingual } from '../contents.ts';
import { shownOf, type DocumentLabels } from '../shown.ts';
import { both, moment, verdictHtml } from '../verdict-card.ts';
import { gatherLists, type Keeping, type Lists } from './lists.ts';
import { LISTS_CACHE, SETUP_ID, type PageSetup } from './setup.ts';

// The verify page's script (served as /verify/app.js, bundled by esbuild). It checks certificates in
// the browser with lists it keeps, so once the page has been opened with the network on, scanning or
// pasting gives the verdict with the network off. A service worker (worker.ts) keeps the page itself.
// Without this script the page still works: the server renders every verdict.

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T | null;
const root = document.documentElement;
const result = $<HTMLDivElement>('result');
const offlineLine = $<HTMLParagraphElement>('offline');
const setup = readSetup();
let labels: DocumentLabels = { departments: {}, documents: {} };
let lists: Lists | undefined;
let gatheredAt = 0;
/** Lists older than this are fetched again before a check, when the network allows. */
const REFRESH_MS = 5 * 60_000;

function readSetup(): PageSetup | undefined {
  try {
    const s = JSON.parse($(SETUP_ID)?.textContent ?? 'null') as PageSetup | null;
    return s && Array.isArray(s.rootKeys) && s.rootKeys.length ? s : undefined;
  } catch {
    return undefined;
  }
}

async function download(url: string, ms = 8000): Promise<unknown> {
  try {
    const res = await fetch(url, { cache: 'no-cache', signal: AbortSignal.timeout(ms) });
    return res.ok ? await res.json() : undefined;
  } catch {
    return undefined;
  }
}

const SERIAL_KEY = 'mitra-verify:trust-list-serial';
/** Accepted lists in Cache Storage (the service worker answers from it offline), the serial in localStorage. */
const keeping: Keeping = {
  async kept(url) {
    try {
      const res = await (await caches.open(LISTS_CACHE)).match(url);
      return res ? await res.json() : undefined;
    } catch {
      return undefined;
    }
  },
  async keep(url, json) {
    try {
      await (await caches.open(LISTS_CACHE)).put(url, new Response(JSON.stringify(json), { headers: { 'content-type': 'application/json' } }));
    } catch {
      // No Cache Storage (a private window, or not a secure origin): the lists last as long as the page.
    }
  },
  seenSerial: () => Number(safeStorage()?.getItem(SERIAL_KEY)) || 0,
  sawSerial(serial) {
    if (serial > keeping.seenSerial()) safeStorage()?.setItem(SERIAL_KEY, String(serial));
  },
};
function safeStorage(): Storage | undefined {
  try {
    return localStorage;
  } catch {
    return undefined;
  }
}

async function refresh(ms?: number): Promise<void> {
  if (!setup) return;
  const got = await gatherLists({ rootKeys: setup.rootKeys, download: (url) => download(url, ms), keeping });
  if ('trustList' in got) {
    lists = got;
    gatheredAt = Date.now();
  }
  if (got.refused.length) console.info('verify lists:', got.refused.join('; '));
}

async function check(text: string): Promise<CheckedCertificate | undefined> {
  if (lists && Date.now() - gatheredAt > REFRESH_MS && navigator.onLine) await refresh(3000);
  if (!lists) return undefined;
  const verdict = await verifyDocumentWeb(text, { trustList: lists.trustList, statusList: lists.statusLists, now: new Date() });
  const claims = verdict.claims;
  const statusList = claims && lists.statusLists.find((l) => l.issuer === claims.issuer);
  return { verdict, ...(claims ? { shown: shownOf(labels, claims) } : {}), ...(statusList ? { statusAsOf: new Date(statusList.issuedAt) } : {}) };
}

function show(html: string) {
  if (!result) return;
  result.innerHTML = html;
  result.dataset.checkedBy = 'browser';
  const heading = $('another');
  if (heading) heading.innerHTML = both({ te: 'మరొకటి తనిఖీ చేయండి', en: 'Check another' });
  result.scrollIntoView({ block: 'start' });
}

const say = (b: Bilingual, cls = 'note') => `<p class="${cls}">${both(b)}</p>`;
const CANNOT = { te: 'ఇంటర్నెట్ లేకుండా ఈ పరికరంలో తనిఖీ చేయలేకపోయాం: ఒకసారి ఇంటర్నెట్‌తో ఈ పేజీని తెరవండి.', en: 'This device cannot check without the internet yet: open this page once with the internet on.' };

/** Checks in the browser and shows the verdict; false when it cannot (no lists yet). */
async function checkAndShow(text: string): Promise<boolean> {
  const checked = await check(text);
  if (!checked) return false;
  show(verdictHtml(checked));
  return true;
}

/** The payload in the address: the QR code's own link (/V/…) or the paste form's query (?payload=…). */
function payloadInAddress(): string | undefined {
  if (location.pathname.toUpperCase().startsWith('/V/')) return location.href;
  return new URLSearchParams(location.search).get('payload') ?? undefined;
}

/** The server's verdict is on the page (it was online): the browser checks too, and says whether it agrees. */
async function confirmServerVerdict(text: string) {
  const card = result?.querySelector<HTMLElement>('[data-verdict]');
  const checked = await check(text);
  if (!card || !checked) return;
  const mine = checked.verdict.valid ? 'valid' : checked.verdict.code;
  card.dataset.clientVerdict = mine;
  if (mine !== card.dataset.verdict) console.warn(`verify: the server says ${card.dataset.verdict}, this browser's lists say ${mine}`);
}

function wirePaste() {
  const form = $<HTMLFormElement>('paste');
  const box = $<HTMLTextAreaElement>('payload');
  form?.addEventListener('submit', (e) => {
    const text = box?.value.trim();
    // Without lists the form goes to the server (GET /verify?payload=…), as it does without JavaScript.
    if (!text || !lists) return;
    e.preventDefault();
    void checkAndShow(text);
  });
}

function wireScan() {
  const button = $<HTMLButtonElement>('scan');
  const video = $<HTMLVideoElement>('video');
  const message = $<HTMLSpanElement>('scanmsg');
  if (!button || !video || !message) return;
  button.addEventListener('click', async () => {
    const tell = (b: Bilingual) => (message.innerHTML = both(b));
    if (!navigator.mediaDevices?.getUserMedia) return tell({ te: 'కెమెరా అందుబాటులో లేదు', en: 'No camera available' });
    const jsQR = await loadJsQR();
    if (!jsQR) return tell({ te: 'స్కానర్ లోడ్ కాలేదు', en: 'The scanner could not be loaded' });
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
    } catch {
      return tell({ te: 'కెమెరాకు అనుమతి లేదు', en: 'Camera permission refused' });
    }
    message.textContent = '';
    video.srcObject = stream;
    video.style.display = 'block';
    void video.play();
    const canvas = document.createElement('canvas');
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    const tick = () => {
      if (ctx && video.readyState >= 2) {
        canvas.width = video.videoWidth;
        canvas.height = video.videoHeight;
        ctx.drawImage(video, 0, 0);
        const code = jsQR(ctx.getImageData(0, 0, canvas.width, canvas.height).data, canvas.width, canvas.height);
        if (code?.data) {
          for (const t of stream.getTracks()) t.stop();
          video.style.display = 'none';
          void checkAndShow(code.data).then((done) => {
            if (!done) location.href = toServer(code.data);
          });
          return;
        }
      }
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

type JsQR = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;

/** jsQR (250 KB) is fetched only when the camera is used; the service worker keeps it for offline use. */
function loadJsQR(): Promise<JsQR | undefined> {
  const have = () => (window as unknown as { jsQR?: JsQR }).jsQR;
  if (have()) return Promise.resolve(have());
  return new Promise((resolve) => {
    const s = document.createElement('script');
    s.src = '/verify/jsQR.js';
    s.onload = () => resolve(have());
    s.onerror = () => resolve(undefined);
    document.head.append(s);
  });
}

function toServer(text: string): string {
  const i = text.toUpperCase().indexOf('/V/');
  return '/V/' + encodeURI(i >= 0 ? text.slice(i + 3) : text.trim());
}

/** Both registrations (the page at /verify and the QR links under /V/), once active. */
async function registerWorkers(): Promise<boolean> {
  if (!('serviceWorker' in navigator)) return false;
  try {
    const registrations = await Promise.all(['/verify', '/V/'].map((scope) => navigator.serviceWorker.register('/verify/sw.js', { scope })));
    await Promise.all(registrations.map(activated));
    return true;
  } catch {
    return false;
  }
}

function activated(r: ServiceWorkerRegistration): Promise<void> {
  const worker = r.installing ?? r.waiting;
  if (!worker) return Promise.resolve();
  return new Promise((resolve, reject) => {
    worker.addEventListener('statechange', () => {
      if (worker.state === 'activated') resolve();
      if (worker.state === 'redundant') reject(new Error('service worker redundant'));
    });
  });
}

function showOfflineState(workers: boolean) {
  const ready = workers && !!lists;
  root.dataset.offline = ready ? 'ready' : 'unavailable';
  if (!offlineLine) return;
  if (!ready || !lists) {
    offlineLine.innerHTML = setup ? `⚠ ${both({ te: 'ఈ బ్రౌజర్‌లో ఇంటర్నెట్ లేకుండా తనిఖీ కుదరదు; తనిఖీకి ఇంటర్నెట్ కావాలి.', en: 'This browser cannot check without the internet; checks need the internet.' })}` : '';
    return;
  }
  const oldest = lists.statusLists.map((l) => l.issuedAt).sort()[0];
  const asOf = oldest ? moment(new Date(oldest)) : undefined;
  offlineLine.innerHTML = `✓ ${both({
    te: `ఇంటర్నెట్ లేకున్నా ఈ పేజీ తనిఖీ చేస్తుంది${asOf ? ` (రద్దుల జాబితాలు ${asOf.te} నాటివి)` : ''}.`,
    en: `This page checks without the internet too${asOf ? ` (revocation lists as of ${asOf.en})` : ''}.`,
  })}`;
}

async function start() {
  wirePaste();
  wireScan();
  const address = payloadInAddress();
  const serverVerdict = !!result?.querySelector('[data-verdict]');
  // Opened offline on a QR link, the worker served the bare page: say so while the lists load.
  if (address && !serverVerdict) show(say({ te: 'తనిఖీ చేస్తున్నాం…', en: 'Checking…' }));
  const labelsLoaded = download('/verify/labels.json').then((l) => {
    if (l && typeof l === 'object') labels = l as DocumentLabels;
  });
  const [workers] = await Promise.all([registerWorkers(), refresh(), labelsLoaded]);
  showOfflineState(workers);
  if (address && serverVerdict) await confirmServerVerdict(address);
  else if (address && !(await checkAndShow(address))) show(say(CANNOT, 'note warn-note'));
  addEventListener('online', () => void refresh().then(() => showOfflineState(workers)));
}

void start();
