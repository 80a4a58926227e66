import { createHash } from 'node:crypto';
import type { CheckedCertificate } from './check.ts';
import { SETUP_ID, type PageSetup } from './in-browser/setup.ts';
import { both, verdictHtml } from './verdict-card.ts';

// The public verify page: the QR code's own link opens it on any phone. Server-rendered, so it works
// without JavaScript. Its script (/verify/app.js) adds scanning with the camera, and checks in the
// browser with the lists it keeps, so the page keeps working with the network off once it has been
// opened. Telugu first, English beside it.

const STYLE = `
*{box-sizing:border-box}body{margin:0;font:16px/1.5 "Noto Sans Telugu","Noto Sans",system-ui,sans-serif;color:#1a1a1a;background:#f4f6f9}
header{background:#0b3c7d;color:#fff;padding:12px 16px}header b{display:block;font-size:18px}header small{opacity:.85}
main{max-width:640px;margin:0 auto;padding:16px}
.verdict{border-radius:12px;padding:16px 18px;margin:0 0 16px;color:#fff}.verdict h1{margin:0 0 6px;font-size:22px;line-height:1.35}
.verdict p{margin:0}.verdict .asof{margin-top:10px;padding-top:8px;border-top:1px solid #fff5;font-size:.9em}
.ok{background:#11743a}.bad{background:#b3261e}.warn{background:#8a5a00}
.en{display:block;font-size:.92em;opacity:.9}
table{width:100%;border-collapse:collapse;background:#fff;border-radius:12px;overflow:hidden;box-shadow:0 1px 2px #0002}
th,td{text-align:left;vertical-align:top;padding:9px 12px;border-bottom:1px solid #e3e7ee;overflow-wrap:anywhere}th{width:42%;font-weight:600;color:#38475c;font-size:.94em}
th .en{font-weight:400}section{margin-top:22px;background:#fff;border-radius:12px;padding:14px 16px;box-shadow:0 1px 2px #0002}
h2{font-size:17px;margin:0 0 8px}textarea{width:100%;min-height:84px;font:14px monospace;padding:8px;border:1px solid #9aa7b8;border-radius:8px}
button{font:inherit;padding:10px 16px;border-radius:8px;border:0;background:#0b3c7d;color:#fff;margin:8px 8px 0 0;cursor:pointer}
video{width:100%;border-radius:8px;margin-top:8px;display:none}.note{color:#4a5668;font-size:.9em}.warn-note{color:#8a5a00}`;

/**
 * The page's Content-Security-Policy: its own scripts only (the setup is a JSON data block, not a
 * script), its one style block by hash, requests to this origin only.
 */
export const VERIFY_PAGE_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "connect-src 'self'",
  "img-src 'self' data:",
  "media-src 'self' blob: mediastream:",
  "worker-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** JSON inside a <script> element: `<` escaped, so no text in it can close the element. */
const scriptJson = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c');

/**
 * The page for one checked payload, or (checked undefined) the page that asks for one. `setup` holds
 * the root key(s) the browser pins for checking offline; without it, checks go to the server.
 */
export function verifyPage(checked?: CheckedCertificate, setup?: PageSetup): string {
  const body = checked
    ? `${verdictHtml(checked)}${
        checked.ledger
          ? `<p class="note" data-testid="ledger">📒 ${both({ te: `పబ్లిక్ లెడ్జర్‌లో నమోదు #${checked.ledger.index} (మొత్తం ${checked.ledger.size})`, en: `Recorded in the public ledger as entry #${checked.ledger.index} (of ${checked.ledger.size})` })} <a href="/ledger?q=${encodeURIComponent(checked.shown?.number ?? '')}">/ledger</a></p>`
          : ''
      }`
    : `<p>${both({ te: 'ధ్రువీకరణ పత్రంపై ఉన్న క్యూఆర్ కోడ్‌ను స్కాన్ చేయండి లేదా దాని పాఠ్యాన్ని అతికించండి.', en: 'Scan the QR code on the certificate, or paste its text.' })}</p>`;
  return `<!doctype html>
<html lang="te"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><link rel="icon" href="data:,"><title>మన మిత్ర · ధ్రువీకరణ పత్రం తనిఖీ · Certificate check</title><style>${STYLE}</style>
${setup ? `<script type="application/json" id="${SETUP_ID}">${scriptJson(setup)}</script>` : ''}</head>
<body><header><b>మన మిత్ర · ధ్రువీకరణ పత్రం తనిఖీ</b><small>Mana Mitra · Certificate check · ఆంధ్రప్రదేశ్ ప్రభుత్వం / Government of Andhra Pradesh</small></header>
<main><div id="result" aria-live="polite"${checked ? ' data-checked-by="server"' : ''}>${body}</div>
<section><h2 id="another">${both(checked ? { te: 'మరొకటి తనిఖీ చేయండి', en: 'Check another' } : { te: 'పత్రాన్ని తనిఖీ చేయండి', en: 'Check a certificate' })}</h2>
<button id="scan" type="button">📷 ${both({ te: 'కెమెరాతో స్కాన్ చేయండి', en: 'Scan with camera' })}</button><span id="scanmsg" class="note"></span>
<video id="video" playsinline muted></video>
<form id="paste" method="get" action="/verify"><p class="note">${both({ te: 'లేదా కోడ్ పాఠ్యాన్ని ఇక్కడ అతికించండి:', en: 'Or paste the code\'s text here:' })}</p>
<textarea id="payload" name="payload" placeholder="HTTPS://…/V/MT1:…" aria-label="payload"></textarea><br><button type="submit">${both({ te: 'తనిఖీ', en: 'Check' })}</button></form></section>
<p class="note">${both({ te: 'ఈ తనిఖీ శాఖ డిజిటల్ సంతకాన్ని, రద్దు జాబితాను సరిచూస్తుంది. మీ వివరాలు ఎక్కడా నిల్వ చేయబడవు.', en: 'This check verifies the department\'s digital signature and its revocation list. Nothing you check is stored.' })}</p>
<p class="note" id="offline" data-testid="offline"></p>
</main><script src="/verify/app.js" defer></script></body></html>`;
}
