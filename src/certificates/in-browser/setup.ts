// What the verify page's server side and its scripts (page.ts, worker.ts) agree on.

/** Set by the server in the page, as JSON in <script type="application/json" id="verify-setup">. */
export interface PageSetup {
  /** The state's root public keys (raw Ed25519, base64url) the trust list must be signed by: the pin. */
  rootKeys: string[];
}
export const SETUP_ID = 'verify-setup';

/** The page and the scripts it needs offline, kept by the service worker. */
export const SHELL = ['/verify', '/verify/app.js', '/verify/jsQR.js', '/verify/labels.json'] as const;
export const SHELL_CACHE = 'mitra-verify-shell';
/** Trust and status lists, written by the page only once it has checked their signatures. */
export const LISTS_CACHE = 'mitra-verify-lists';
export const LISTS_PATH = '/.well-known/mitra/';
export const TRUST_LIST_URL = `${LISTS_PATH}trust-list.json`;
export const statusListUrl = (department: string) => `${LISTS_PATH}status/${encodeURIComponent(department)}.json`;
