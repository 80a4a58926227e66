// The back office's web pages: one self-contained HTML document (inline CSS and JS, no fonts, scripts
// or images from anywhere) served at /office and every /office/* address. The script is a small
// single-page app over the JSON API (see office-script.ts); the words are in strings.ts.
import { createHash } from 'node:crypto';
import type { Catalog } from '../../catalog/index.ts';
import { OFFICE_JS } from './office-script.ts';
import { OFFICE_CSS } from './office-style.ts';
import { STRINGS } from './strings.ts';

export interface OfficePageOptions {
  /** With the catalogue, filters list every service and district, and offices show their names. */
  catalog?: Catalog;
}

type Names = { te: string; en: string };

/** What the page needs besides the API: its words, and names for codes the API returns. */
export function officePageData(catalog?: Catalog) {
  const departments: Record<string, Names> = {};
  const services: { id: string; department: string; name: Names }[] = [];
  const districts: Record<string, Names> = {};
  const mandals: Record<string, Names | string> = {};
  if (catalog) {
    for (const d of catalog.departments) {
      departments[d.code] = d.name;
      for (const s of d.services) {
        // Information services never become cases.
        if (s.kind === 'information') continue;
        services.push({ id: s.id, department: d.code, name: s.name });
      }
    }
    for (const e of catalog.lists.get('ap-districts') ?? []) districts[e.id] = { te: e.te, en: e.en };
    for (const e of catalog.lists.get('ap-mandals') ?? []) mandals[e.id] = e.te === e.en ? e.en : { te: e.te, en: e.en };
  }
  return { strings: STRINGS, departments, services, districts, mandals };
}

const sha256 = (s: string) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;

/**
 * The page and the Content-Security-Policy that goes with it: only 'self', the inline style and
 * script allowed by their hashes, no frames, no other origin.
 */
export function officeDocument(opts: OfficePageOptions = {}): { html: string; csp: string } {
  // A JSON data block is never executed; `<` is escaped so no text in it can close the element.
  const data = JSON.stringify(officePageData(opts.catalog)).replace(/</g, '\\u003c');
  const html = `<!doctype html>
<html lang="te">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<meta name="theme-color" content="#0b3c7d">
<title>మన మిత్ర · అధికారుల పోర్టల్</title>
<link rel="icon" href="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'%3E%3Ccircle cx='16' cy='16' r='15' fill='%230b3c7d'/%3E%3Ccircle cx='16' cy='16' r='9' fill='none' stroke='%23fff' stroke-width='3'/%3E%3C/svg%3E">
<style>${OFFICE_CSS}</style>
</head>
<body>
<a class="skip" href="#main">ముఖ్య విషయానికి వెళ్ళండి</a>
<div class="govbar"><div class="wrap" id="govbar">ఆంధ్రప్రదేశ్ ప్రభుత్వం</div></div>
<header class="site-header" id="header"></header>
<main id="main" class="wrap" tabindex="-1"><noscript><p>ఈ పేజీకి జావాస్క్రిప్ట్ అవసరం. This page needs JavaScript.</p></noscript></main>
<footer class="site-footer"><div class="wrap" id="footer"></div></footer>
<script type="application/json" id="office-data">${data}</script>
<script>${OFFICE_JS}</script>
</body>
</html>
`;
  const csp = [
    "default-src 'self'",
    `script-src ${sha256(OFFICE_JS)}`,
    `style-src ${sha256(OFFICE_CSS)}`,
    "img-src 'self' data:",
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
  return { html, csp };
}

/** The whole HTML of the back office's single-page app. */
export function officePage(opts: OfficePageOptions = {}): string {
  return officeDocument(opts).html;
}
