import type { CheckedCertificate } from './check.ts';
import type { Bilingual } from './contents.ts';
import { VERDICT_WORDS } from './verdict-words.ts';

// The public verify page: the QR code's own link opens it on any phone. Server-rendered, so it works
// without JavaScript; the script only adds scanning with the camera. Telugu first, English beside it.

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const both = (b: Bilingual) => `<span lang="te">${esc(b.te)}</span> <span class="en" lang="en">${esc(b.en)}</span>`;
const day = (d: Date) => ({
  te: d.toLocaleDateString('te-IN', { timeZone: 'Asia/Kolkata', day: 'numeric', month: 'long', year: 'numeric' }),
  en: d.toLocaleDateString('en-IN', { timeZone: 'Asia/Kolkata', day: 'numeric', month: 'long', year: 'numeric' }),
});

const STYLE = `
*{box-sizing:border-box}body{margin:0;font:16px/1.5 "Noto Sans Telugu","Noto Sans",system-ui,sans-serif;color:#1a1a1a;background:#f4f6f9}
header{background:#0b3c7d;color:#fff;padding:12px 16px}header b{display:block;font-size:18px}header small{opacity:.85}
main{max-width:640px;margin:0 auto;padding:16px}
.verdict{border-radius:12px;padding:16px 18px;margin:0 0 16px;color:#fff}.verdict h1{margin:0 0 6px;font-size:22px;line-height:1.35}
.verdict p{margin:0}.ok{background:#11743a}.bad{background:#b3261e}.warn{background:#8a5a00}
.en{display:block;font-size:.92em;opacity:.9}
table{width:100%;border-collapse:collapse;background:#fff;border-radius:12px;overflow:hidden;box-shadow:0 1px 2px #0002}
th,td{text-align:left;vertical-align:top;padding:9px 12px;border-bottom:1px solid #e3e7ee}th{width:42%;font-weight:600;color:#38475c;font-size:.94em}
th .en{font-weight:400}section{margin-top:22px;background:#fff;border-radius:12px;padding:14px 16px;box-shadow:0 1px 2px #0002}
h2{font-size:17px;margin:0 0 8px}textarea{width:100%;min-height:84px;font:14px monospace;padding:8px;border:1px solid #9aa7b8;border-radius:8px}
button{font:inherit;padding:10px 16px;border-radius:8px;border:0;background:#0b3c7d;color:#fff;margin:8px 8px 0 0;cursor:pointer}
video{width:100%;border-radius:8px;margin-top:8px;display:none}.note{color:#4a5668;font-size:.9em}`;

const SCRIPT = `
(function(){
  var btn=document.getElementById('scan'),video=document.getElementById('video'),msg=document.getElementById('scanmsg');
  if(!btn)return;
  btn.addEventListener('click',function(){
    if(!navigator.mediaDevices||!window.jsQR){msg.textContent='కెమెరా అందుబాటులో లేదు · No camera available';return;}
    navigator.mediaDevices.getUserMedia({video:{facingMode:'environment'}}).then(function(stream){
      video.srcObject=stream;video.style.display='block';video.play();
      var canvas=document.createElement('canvas'),ctx=canvas.getContext('2d',{willReadFrequently:true});
      (function tick(){
        if(video.readyState>=2){canvas.width=video.videoWidth;canvas.height=video.videoHeight;ctx.drawImage(video,0,0);
          var code=window.jsQR(ctx.getImageData(0,0,canvas.width,canvas.height).data,canvas.width,canvas.height);
          if(code&&code.data){stream.getTracks().forEach(function(t){t.stop()});go(code.data);return;}}
        requestAnimationFrame(tick);
      })();
    }).catch(function(){msg.textContent='కెమెరాకు అనుమతి లేదు · Camera permission refused';});
  });
  function go(text){var i=text.toUpperCase().indexOf('/V/');location.href='/V/'+encodeURI(i>=0?text.slice(i+3):text.trim());}
  var form=document.getElementById('paste');
  form.addEventListener('submit',function(e){e.preventDefault();go(document.getElementById('payload').value);});
})();`;

function verdictCard(checked: CheckedCertificate): string {
  const v = checked.verdict;
  const code = v.valid ? 'valid' : v.code;
  const words = VERDICT_WORDS[code];
  const tone = v.valid ? 'ok' : code === 'expired' || code === 'not_yet_valid' ? 'warn' : 'bad';
  const mark = v.valid ? '✔' : '✖';
  return `<div class="verdict ${tone}" data-verdict="${code}" role="status"><h1>${mark} ${both(words.title)}</h1><p>${both(words.detail)}</p></div>`;
}

function claimsTable(shown: NonNullable<CheckedCertificate['shown']>): string {
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

/** The page for one checked payload, or (checked undefined) the page that asks for one. */
export function verifyPage(checked?: CheckedCertificate): string {
  const body = checked
    ? `${verdictCard(checked)}${checked.shown ? claimsTable(checked.shown) : ''}${
        checked.ledger
          ? `<p class="note" data-testid="ledger">📒 ${both({ te: `పబ్లిక్ లెడ్జర్‌లో నమోదు #${checked.ledger.index} (మొత్తం ${checked.ledger.size})`, en: `Recorded in the public ledger as entry #${checked.ledger.index} (of ${checked.ledger.size})` })} <a href="/ledger?q=${encodeURIComponent(checked.shown?.number ?? '')}">/ledger</a></p>`
          : ''
      }`
    : `<p>${both({ te: 'ధ్రువీకరణ పత్రంపై ఉన్న క్యూఆర్ కోడ్‌ను స్కాన్ చేయండి లేదా దాని పాఠ్యాన్ని అతికించండి.', en: 'Scan the QR code on the certificate, or paste its text.' })}</p>`;
  return `<!doctype html>
<html lang="te"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>మన మిత్ర · ధ్రువీకరణ పత్రం తనిఖీ · Certificate check</title><style>${STYLE}</style></head>
<body><header><b>మన మిత్ర · ధ్రువీకరణ పత్రం తనిఖీ</b><small>Mana Mitra · Certificate check · ఆంధ్రప్రదేశ్ ప్రభుత్వం / Government of Andhra Pradesh</small></header>
<main>${body}
<section><h2>${both({ te: 'మరొకటి తనిఖీ చేయండి', en: 'Check another' })}</h2>
<button id="scan" type="button">📷 ${both({ te: 'కెమెరాతో స్కాన్ చేయండి', en: 'Scan with camera' })}</button><span id="scanmsg" class="note"></span>
<video id="video" playsinline muted></video>
<form id="paste" method="get" action="/verify"><p class="note">${both({ te: 'లేదా కోడ్ పాఠ్యాన్ని ఇక్కడ అతికించండి:', en: 'Or paste the code\'s text here:' })}</p>
<textarea id="payload" name="payload" placeholder="HTTPS://…/V/MT1:…" aria-label="payload"></textarea><br><button type="submit">${both({ te: 'తనిఖీ', en: 'Check' })}</button></form></section>
<p class="note">${both({ te: 'ఈ తనిఖీ శాఖ డిజిటల్ సంతకాన్ని, రద్దు జాబితాను సరిచూస్తుంది. మీ వివరాలు ఎక్కడా నిల్వ చేయబడవు.', en: 'This check verifies the department\'s digital signature and its revocation list. Nothing you check is stored.' })}</p>
</main><script src="/verify/jsQR.js"></script><script>${SCRIPT}</script></body></html>`;
}
