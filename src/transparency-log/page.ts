import type { Bilingual } from '../certificates/index.ts';
import { leafHash, openCheckpoint, readNote, verifyInclusion, type NoteVerifier } from '../ledger/index.ts';
import type { Queryable } from '../platform/index.ts';
import type { EntryKind } from './entries.ts';
import { inclusionProofOf, latestCheckpoint } from './read.ts';

// The public ledger page: what anyone can see without tools. The same log is served as tlog-tiles
// for auditors and witnesses; this page reads it for people.

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const both = (b: Bilingual) => `<span lang="te">${esc(b.te)}</span> <span class="en" lang="en">${esc(b.en)}</span>`;

const KIND_WORDS: Record<EntryKind, Bilingual> = {
  certificate_issued: { te: 'ధ్రువీకరణ పత్రం జారీ', en: 'Certificate issued' },
  certificate_revoked: { te: 'ధ్రువీకరణ పత్రం రద్దు', en: 'Certificate revoked' },
  key_added: { te: 'సంతకం కీ చేర్చారు', en: 'Signing key added' },
  key_retired: { te: 'సంతకం కీ విరమణ', en: 'Signing key retired' },
  key_revoked: { te: 'సంతకం కీ రద్దు', en: 'Signing key revoked' },
  case_decision: { te: 'కేసు నిర్ణయం', en: 'Case decision' },
};

export interface LedgerView {
  origin: string;
  size: number;
  root: string;
  checkpoint: string;
  witnesses: string[];
  days: { day: string; kind: EntryKind; count: number }[];
  search?: { query: string; found: { index: number; kind: EntryKind; department: string; at: string; included: boolean }[] };
}

/** What the page shows, read from the log and checked as a visitor's tool would check it. */
export async function ledgerView(db: Queryable, verifier: NoteVerifier, query?: string): Promise<LedgerView> {
  const { size, note } = await latestCheckpoint(db);
  const opened = openCheckpoint(note, [verifier]);
  const read = readNote(note);
  const witnesses = read.ok ? [...new Set(read.signatures.map((s) => s.name).filter((n) => n !== verifier.name))] : [];
  const days = await db.query<{ day: string; kind: EntryKind; count: number }>(
    `select to_char(sequenced_at at time zone 'Asia/Kolkata', 'YYYY-MM-DD') as day, kind, count(*)::int as count
     from ledger_entries where sequenced_at > now() - interval '14 days' group by 1, 2 order by 1 desc, 2`,
  );
  const view: LedgerView = { origin: opened.ok ? opened.checkpoint.origin : '', size, root: opened.ok ? Buffer.from(opened.checkpoint.rootHash).toString('base64') : '', checkpoint: note, witnesses, days };
  const q = query?.trim().toUpperCase();
  if (q && opened.ok) {
    const rows = await db.query<{ idx: string | number; kind: EntryKind; department: string; body: Uint8Array; sequenced_at: Date }>(
      `select idx, kind, department, body, sequenced_at from ledger_entries where subject = $1 and idx < $2 order by idx limit 50`,
      [q, size],
    );
    const found = [];
    for (const r of rows) {
      const index = Number(r.idx);
      const proof = await inclusionProofOf(db, index, size);
      found.push({ index, kind: r.kind, department: r.department, at: new Date(r.sequenced_at).toISOString(), included: verifyInclusion(leafHash(new Uint8Array(r.body)), index, size, proof, opened.checkpoint.rootHash).ok });
    }
    view.search = { query: q, found };
  }
  return view;
}

const STYLE = `*{box-sizing:border-box}body{margin:0;font:16px/1.5 "Noto Sans Telugu","Noto Sans",system-ui,sans-serif;color:#1a1a1a;background:#f4f6f9}
header{background:#0b3c7d;color:#fff;padding:12px 16px}header b{display:block;font-size:18px}main{max-width:860px;margin:0 auto;padding:16px}
section{background:#fff;border-radius:12px;padding:14px 16px;margin:0 0 16px;box-shadow:0 1px 2px #0002}h2{font-size:17px;margin:0 0 8px}.en{display:block;font-size:.9em;color:#4a5668}
pre{white-space:pre-wrap;word-break:break-all;background:#f0f2f5;padding:10px;border-radius:8px;font-size:13px}table{width:100%;border-collapse:collapse}th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #e3e7ee;vertical-align:top}
.big{font-size:28px;font-weight:700}button .en{color:#dfe6f0}input{font:inherit;padding:8px;border:1px solid #9aa7b8;border-radius:8px;width:60%}button{font:inherit;padding:8px 14px;border:0;border-radius:8px;background:#0b3c7d;color:#fff}.ok{color:#11743a;font-weight:600}.bad{color:#b3261e;font-weight:600}`;

export function ledgerPage(v: LedgerView): string {
  const search = v.search
    ? v.search.found.length
      ? `<table data-testid="found"><tr><th>${both({ te: 'స్థానం', en: 'Index' })}</th><th>${both({ te: 'ఏమిటి', en: 'What' })}</th><th>${both({ te: 'శాఖ', en: 'Department' })}</th><th>${both({ te: 'ఎప్పుడు', en: 'When' })}</th><th>${both({ te: 'చేర్చబడింది', en: 'Included' })}</th></tr>${v.search.found
          .map((f) => `<tr data-index="${f.index}"><td>${f.index}</td><td>${both(KIND_WORDS[f.kind])}</td><td>${esc(f.department)}</td><td>${esc(f.at.slice(0, 19).replace('T', ' '))} UTC</td><td class="${f.included ? 'ok' : 'bad'}">${f.included ? '✔' : '✖'}</td></tr>`)
          .join('')}</table>`
      : `<p data-testid="not-found">${both({ te: `${v.search.query} లెడ్జర్‌లో లేదు.`, en: `${v.search.query} is not in the ledger.` })}</p>`
    : '';
  return `<!doctype html><html lang="te"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>మన మిత్ర · పబ్లిక్ లెడ్జర్ · Public ledger</title><style>${STYLE}</style></head>
<body><header><b>మన మిత్ర · పబ్లిక్ లెడ్జర్</b><small>Mana Mitra · Public ledger · ఆంధ్రప్రదేశ్ ప్రభుత్వం / Government of Andhra Pradesh</small></header><main>
<section><h2>${both({ te: 'ఇది ఏమిటి', en: 'What this is' })}</h2><p>${both({ te: 'జారీ చేసిన, రద్దు చేసిన ప్రతి ధ్రువీకరణ పత్రం, ప్రతి సంతకం కీ, ప్రతి కేసు నిర్ణయపు హాష్ ఇక్కడ ఒక్కసారి చేరుతుంది; తర్వాత మార్చలేము, తొలగించలేము. ఎవరైనా దీనిని సరిచూడవచ్చు.', en: 'Every certificate issued or revoked, every signing key, and the hash of every case decision is added here once and can never be changed or removed afterwards. Anyone can check it.' })}</p></section>
<section data-testid="checkpoint"><h2>${both({ te: 'తాజా చెక్‌పాయింట్', en: 'Latest checkpoint' })}</h2><p class="big" data-testid="size">${v.size.toLocaleString('en-IN')}</p><p>${both({ te: 'నమోదులు', en: 'entries' })}</p><pre>${esc(v.checkpoint)}</pre>
<h2>${both({ te: 'సాక్షులు', en: 'Witnesses' })}</h2><p data-testid="witnesses">${v.witnesses.length ? v.witnesses.map(esc).join(', ') : '—'}</p>
<p>${both({ te: 'మీరే తనిఖీ చేయండి:', en: 'Audit it yourself:' })}</p><pre>npx mitra ledger audit https://${esc(v.origin)}</pre></section>
<section><h2>${both({ te: 'పత్రం సంఖ్యతో వెతకండి', en: 'Search by document number' })}</h2><form method="get" action="/ledger"><input name="q" value="${esc(v.search?.query ?? '')}" placeholder="REV01/2026/0000001" aria-label="document number"> <button type="submit">${both({ te: 'వెతకండి', en: 'Search' })}</button></form>${search}</section>
<section><h2>${both({ te: 'రోజువారీ నమోదులు (14 రోజులు)', en: 'Entries per day (14 days)' })}</h2><table data-testid="days">${v.days.map((d) => `<tr><td>${d.day}</td><td>${both(KIND_WORDS[d.kind])}</td><td>${d.count}</td></tr>`).join('') || '<tr><td>—</td></tr>'}</table></section>
</main></body></html>`;
}
