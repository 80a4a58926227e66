import { LISTS_CACHE, LISTS_PATH, SHELL, SHELL_CACHE } from './setup.ts';

// The verify page's service worker (served as /verify/sw.js, registered for /verify and for /V/).
// It keeps the page and its scripts so they open with the network off, and answers list requests
// from what the page has kept. Network first, always: online, a QR link gets the server's own verdict
// and the page is the latest; the copies are only for when the network fails. Verdict pages (/V/…)
// are never stored: they carry someone's certificate.

interface ExtendableEvent extends Event {
  waitUntil(p: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  request: Request;
  respondWith(r: Promise<Response>): void;
}
const worker = self as unknown as {
  addEventListener(type: 'install' | 'activate', listener: (e: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (e: FetchEvent) => void): void;
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void> };
  location: Location;
};
const shellPaths: readonly string[] = SHELL;

worker.addEventListener('install', (e) => {
  e.waitUntil(caches.open(SHELL_CACHE).then((c) => c.addAll([...SHELL])).then(() => worker.skipWaiting()));
});
// Take the open page at once: the first visit is then ready for offline without a reload.
worker.addEventListener('activate', (e) => e.waitUntil(worker.clients.claim()));

worker.addEventListener('fetch', (e) => {
  const request = e.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== worker.location.origin) return;
  const path = url.pathname;
  if (request.mode === 'navigate' && (path === '/verify' || path.toUpperCase().startsWith('/V/'))) {
    // The bare page is kept from /verify itself; a QR link offline gets it too, and its script checks the link.
    e.respondWith(networkFirst(request, path === '/verify' && !url.search ? '/verify' : undefined, '/verify', SHELL_CACHE));
  } else if (shellPaths.includes(path)) {
    e.respondWith(networkFirst(request, path, path, SHELL_CACHE));
  } else if (path.startsWith(LISTS_PATH)) {
    // Kept by the page, not here: only it checks a list's signature and age before keeping it.
    e.respondWith(networkFirst(request, undefined, path, LISTS_CACHE));
  }
});

async function networkFirst(request: Request, keepAs: string | undefined, fallback: string, cacheName: string): Promise<Response> {
  try {
    const res = await fetch(request);
    if (keepAs && res.ok) {
      const copy = res.clone();
      void caches.open(cacheName).then((c) => c.put(keepAs, copy));
    }
    return res;
  } catch {
    return (await caches.open(cacheName).then((c) => c.match(fallback))) ?? Response.error();
  }
}
