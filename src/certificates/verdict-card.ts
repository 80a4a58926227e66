import type { CheckedCertificate } from './check.ts';
import type { Bilingual } from './contents.ts';
import type { Shown } from './shown.ts';
import { VERDICT_WORDS } from './verdict-words.ts';

// The verdict card and the claims table, as HTML text. The server renders them into the verify page
// and the browser renders the same functions for what it checks offline (the page's script bundles
// this file), so both read alike. Telugu first, English beside it. Everything shown is escaped.

export const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
export const both = (b: Bilingual) => `<span lang="te">${esc(b.te)}</span> <span class="en" lang="en">${esc(b.en)}</span>`;
const INDIA = { timeZone: 'Asia/Kolkata', day: 'numeric', month: 'long', year: 'numeric' } as const;
const day = (d: Date): Bilingual => ({ te: d.toLocaleDateString('te-IN', INDIA), en: d.toLocaleDateString('en-IN', INDIA) });
const CLOCK = { timeZone: 'Asia/Kolkata', hour: 'numeric', minute: '2-digit' } as const;
/** A date and time in India, e.g. "26 నవంబర్, 2026 8:03 AM" (date and time apart: te-IN's joined form adds a "కి" of its own). */
export const moment = (d: Date): Bilingual => ({
  te: `${d.toLocaleDateString('te-IN', INDIA)} ${d.toLocaleTimeString('te-IN', CLOCK)}`,
  en: `${d.toLocaleDateString('en-IN', INDIA)}, ${d.toLocaleTimeString('en-IN', CLOCK)}`,
});

/** What the verdict says about revocation: as of when the issuer's list was read, or that it could not be. */
function revocationNote(checked: CheckedCertificate): string {
  const v = checked.verdict;
  if (v.valid && !v.statusChecked)
    return `<p class="asof" data-testid="revocation">⚠ ${both({ te: 'ఈ శాఖ రద్దుల జాబితా అందుబాటులో లేదు: ఇది రద్దయిందో లేదో సరిచూడలేకపోయాం.', en: "This department's revocation list is not available: whether it was revoked could not be checked." })}</p>`;
  if (!checked.statusAsOf || !(v.valid || v.code === 'revoked')) return '';
  const at = moment(checked.statusAsOf);
  return `<p class="asof" data-testid="revocation">${both({ te: `రద్దుల జాబితాను ${at.te} నాటికి సరిచూశాం.`, en: `Revocation checked as of ${at.en}.` })}</p>`;
}

export function verdictCard(checked: CheckedCertificate): string {
  const v = checked.verdict;
  const code = v.valid ? 'valid' : v.code;
  const words = VERDICT_WORDS[code];
  const tone = v.valid ? (v.statusChecked ? 'ok' : 'warn') : code === 'expired' || code === 'not_yet_valid' ? 'warn' : 'bad';
  const mark = v.valid ? '✔' : '✖';
  return `<div class="verdict ${tone}" data-verdict="${code}" role="status"><h1>${mark} ${both(words.title)}</h1><p>${both(words.detail)}</p>${revocationNote(checked)}</div>`;
}

export function claimsTable(shown: Shown): string {
  const row = (label: Bilingual, value: string) => `<tr><th>${both(label)}</th><td>${esc(value)}</td></tr>`;
  const issued = day(shown.issuedAt);
  const rows = [
    row({ te: 'పత్రం', en: 'Certificate' }, `${shown.title.te} / ${shown.title.en}`),
    row({ te: 'జారీ చేసిన శాఖ', en: 'Issued by' }, `${shown.department.te} / ${shown.department.en}`),
    row({ te: 'పత్రం సంఖ్య', en: 'Number' }, shown.number),
    row({ te: 'పేరు', en: 'Name' }, shown.holderName),
    row({ te: 'జారీ తేదీ', en: 'Issued on' }, `${issued.te} / ${issued.en}`),
    ...(shown.expiresAt ? [row({ te: 'చెల్లుబాటు గడువు', en: 'Valid until' }, `${day(shown.expiresAt).te} / ${day(shown.expiresAt).en}`)] : []),
    ...shown.fields.map((f) => row(f.label, f.value)),
  ];
  return `<table data-testid="claims">${rows.join('')}</table>`;
}

/** The card and, when the signature holds, the claims: what the result area of the page shows. */
export function verdictHtml(checked: CheckedCertificate): string {
  return `${verdictCard(checked)}${checked.shown ? claimsTable(checked.shown) : ''}`;
}
