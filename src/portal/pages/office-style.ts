// The back office's stylesheet: plain, high contrast, clear focus rings (after GOV.UK and India's
// UX4G). System fonts only; Telugu in Noto Sans Telugu with room for its vowel signs and conjuncts.
// Inline in the page and allowed by its hash; nothing is fetched from anywhere.

export const OFFICE_CSS = String.raw`
:root {
  --ink: #0b0c0c;
  --muted: #484f54;
  --line: #b1b4b6;
  --hair: #dcdfe1;
  --soft: #f3f2f1;
  --page: #ffffff;
  --brand: #0b3c7d;
  --brand-dark: #072a59;
  --brand-line: #1d70b8;
  --link: #1a5fa8;
  --focus: #ffdd00;
  --ok: #00703c;
  --ok-dark: #002d18;
  --danger: #b3261e;
  --danger-dark: #5e100b;
  --warn-bg: #fff4e0;
  --font: "Noto Sans Telugu", "Noto Sans", system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0;
  font-family: var(--font);
  font-size: 16px;
  line-height: 1.6;
  color: var(--ink);
  background: var(--page);
  min-height: 100vh;
  display: flex;
  flex-direction: column;
}
[hidden] { display: none !important; }
button, input, select, textarea { font: inherit; color: inherit; }
a { color: var(--link); text-underline-offset: .15em; text-decoration-thickness: 1px; }
a:hover { color: var(--brand-dark); text-decoration-thickness: 3px; }
:focus { outline: none; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 0; box-shadow: 0 0 0 6px var(--ink); }
a:focus-visible { background: var(--focus); color: var(--ink); box-shadow: 0 -2px var(--focus), 0 4px var(--ink); outline: none; text-decoration: none; }
input:focus-visible, select:focus-visible, textarea:focus-visible { outline: 3px solid var(--focus); outline-offset: 0; box-shadow: inset 0 0 0 2px var(--ink); }
h1:focus, [tabindex="-1"]:focus { outline: none; box-shadow: none; }

.wrap { width: 100%; max-width: 1240px; margin: 0 auto; padding-left: 24px; padding-right: 24px; }
.visually-hidden { position: absolute !important; width: 1px; height: 1px; margin: 0; padding: 0; overflow: hidden; clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap; border: 0; }
.skip { position: absolute; left: 8px; top: -60px; padding: 8px 12px; background: var(--focus); color: var(--ink); z-index: 10; font-weight: 700; }
.skip:focus { top: 8px; }

/* ---- header ---- */
.govbar { background: var(--ink); color: #fff; font-size: 14px; line-height: 1.4; padding: 6px 0; }
.site-header { background: var(--brand); color: #fff; border-bottom: 6px solid var(--brand-line); }
.header-inner { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 12px 24px; padding-top: 12px; padding-bottom: 12px; }
.brand { display: flex; align-items: center; gap: 12px; color: #fff; text-decoration: none; }
.brand:hover { color: #fff; }
.brand-mark { display: grid; place-items: center; width: 44px; height: 44px; border: 2px solid #fff; border-radius: 50%; font-weight: 700; font-size: 20px; line-height: 1; flex: none; }
.brand-name { display: block; font-size: 22px; font-weight: 700; line-height: 1.25; }
.brand-sub { display: block; font-size: 15px; line-height: 1.35; opacity: .92; }
.tools { display: flex; flex-wrap: wrap; align-items: center; gap: 10px 16px; }
.who { font-size: 14px; line-height: 1.4; text-align: right; }
.who strong { display: block; font-size: 15px; }
.lang { display: inline-flex; border: 2px solid #fff; border-radius: 4px; overflow: hidden; }
.lang button { border: 0; background: transparent; color: #fff; padding: 4px 12px; min-height: 36px; cursor: pointer; font-size: 15px; }
.lang button[aria-pressed="true"] { background: #fff; color: var(--brand-dark); font-weight: 700; }
.lang button:focus-visible, .header-btn:focus-visible, .brand:focus-visible { background: var(--focus); color: var(--ink); outline: none; box-shadow: inset 0 -4px 0 var(--ink); }
.header-btn { background: transparent; color: #fff; border: 2px solid #fff; border-radius: 4px; padding: 4px 12px; min-height: 40px; cursor: pointer; font-size: 15px; }
.header-btn:hover { background: var(--brand-dark); }

/* ---- page ---- */
main.wrap { flex: 1 0 auto; padding-top: 28px; padding-bottom: 48px; }
h1 { font-size: 30px; line-height: 1.3; margin: 0 0 8px; }
h2 { font-size: 22px; line-height: 1.35; margin: 0 0 12px; }
h3 { font-size: 18px; line-height: 1.4; margin: 0 0 8px; }
p { margin: 0 0 16px; }
.lead { font-size: 18px; color: var(--muted); }
.caption { color: var(--muted); font-size: 16px; margin: 0 0 4px; }
.muted { color: var(--muted); }
.small { font-size: 14px; }
.back { display: inline-block; margin-bottom: 16px; font-size: 15px; }
.back::before { content: "‹ "; font-weight: 700; }
.site-footer { border-top: 1px solid var(--line); background: var(--soft); font-size: 14px; color: var(--muted); padding: 16px 0 20px; }
.site-footer p { margin: 0; }

/* ---- notices ---- */
.notice { border-left: 6px solid var(--brand-line); background: #eef4fa; padding: 12px 16px; margin: 0 0 20px; }
.notice.error { border-color: var(--danger); background: #fdf0ef; }
.notice.ok { border-color: var(--ok); background: #eaf5ef; }
.notice.warn { border-color: #c05600; background: var(--warn-bg); }
.notice p:last-child { margin-bottom: 0; }
.notice strong { display: block; }
.field-error { color: var(--danger); font-weight: 700; margin: 0 0 6px; }

/* ---- forms ---- */
.field { margin: 0 0 18px; }
.field label, .label { display: block; font-weight: 700; margin: 0 0 4px; line-height: 1.4; }
.input, .select, .textarea { display: block; width: 100%; border: 2px solid var(--ink); border-radius: 0; background: #fff; padding: 6px 8px; min-height: 42px; }
.textarea { min-height: 96px; resize: vertical; }
.input[aria-invalid="true"], .textarea[aria-invalid="true"] { border-color: var(--danger); border-width: 3px; }
.input.short { max-width: 14em; }
.check { display: flex; align-items: flex-start; gap: 10px; min-height: 42px; padding-top: 8px; }
.check input { width: 24px; height: 24px; margin: 2px 0 0; accent-color: var(--ink); flex: none; }
.check label { font-weight: 400; margin: 0; }
.btn { display: inline-flex; align-items: center; justify-content: center; gap: 6px; min-height: 42px; padding: 8px 16px; border: 2px solid transparent; border-radius: 0; font-weight: 700; line-height: 1.25; cursor: pointer; text-align: center; text-decoration: none; background: var(--ok); color: #fff; box-shadow: 0 2px 0 var(--ok-dark); }
.btn:hover { background: #005a30; color: #fff; }
.btn.secondary { background: var(--soft); color: var(--ink); box-shadow: 0 2px 0 #929191; }
.btn.secondary:hover { background: #dbdad9; color: var(--ink); }
.btn.warning { background: var(--danger); color: #fff; box-shadow: 0 2px 0 var(--danger-dark); }
.btn.warning:hover { background: #8f1e18; }
.btn:focus-visible, .btn.secondary:focus-visible, .btn.warning:focus-visible { background: var(--focus); color: var(--ink); border-color: var(--focus); outline: 3px solid transparent; box-shadow: inset 0 0 0 1px var(--focus), 0 2px 0 var(--ink); }
.btn[disabled] { opacity: .6; cursor: default; }
.btn-row { display: flex; flex-wrap: wrap; gap: 12px; align-items: center; }
.linkish { background: none; border: 0; padding: 0; color: var(--link); text-decoration: underline; cursor: pointer; }

.signin { max-width: 560px; }
.signin .input { max-width: 24em; }

/* ---- dashboard ---- */
.page-head { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: flex-end; gap: 8px 24px; margin-bottom: 20px; }
.page-head p { margin: 0; }
.figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 12px; margin: 0 0 28px; padding: 0; list-style: none; }
.figure { border-left: 6px solid var(--brand-line); background: var(--soft); padding: 10px 14px 12px; }
.figure.alert { border-color: var(--danger); }
.figure.good { border-color: var(--ok); }
.figure .n { display: block; font-size: 32px; font-weight: 700; line-height: 1.2; font-variant-numeric: tabular-nums; }
.figure .n.alert { color: var(--danger); }
.figure .n.none { color: var(--muted); }
.figure .what { display: block; font-size: 15px; line-height: 1.4; }
.figure .note { display: block; font-size: 13px; color: var(--muted); line-height: 1.35; margin-top: 2px; }

/* ---- filters ---- */
.filters { background: var(--soft); border: 1px solid var(--hair); margin: 0 0 24px; }
.filters summary { cursor: pointer; padding: 12px 18px; font-size: 18px; font-weight: 700; line-height: 1.4; }
.filters summary .count { font-weight: 400; color: var(--muted); font-size: 16px; }
.filters summary:focus-visible { outline: 3px solid var(--focus); box-shadow: inset 0 0 0 2px var(--ink); }
.filters form { padding: 0 18px 6px; }
.filter-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); gap: 0 18px; align-items: end; }
.filter-grid .field { margin-bottom: 14px; }
.filter-actions { display: flex; flex-wrap: wrap; gap: 12px 20px; align-items: center; margin-bottom: 14px; }

/* ---- queue table ---- */
.table-wrap { width: 100%; }
table.cases { width: 100%; border-collapse: collapse; font-size: 15px; line-height: 1.45; }
table.cases caption { text-align: left; font-size: 20px; font-weight: 700; margin-bottom: 8px; }
table.cases th, table.cases td { text-align: left; vertical-align: top; padding: 10px 12px 10px 0; border-bottom: 1px solid var(--line); }
table.cases th { font-weight: 700; border-bottom: 2px solid var(--ink); white-space: nowrap; }
table.cases td:last-child, table.cases th:last-child { padding-right: 0; }
table.cases tbody tr:hover { background: #f8f8f8; }
.ref { font-weight: 700; white-space: nowrap; font-variant-numeric: tabular-nums; }
.sub { display: block; color: var(--muted); font-size: 14px; }
.sla-over { color: var(--danger); font-weight: 700; }
.sla-soon { color: #8a3b00; font-weight: 700; }
.sla-wait { color: var(--muted); font-style: italic; }
.sla { white-space: nowrap; }
.badges { display: flex; flex-wrap: wrap; gap: 4px; margin-top: 4px; }
.badge { display: inline-block; font-size: 13px; font-weight: 700; line-height: 1.35; padding: 1px 7px; border: 2px solid currentColor; border-radius: 2px; white-space: nowrap; }
.badge.escalated { color: #8a3b00; background: var(--warn-bg); }
.badge.unstaffed { color: var(--danger); background: #fdf0ef; white-space: normal; }
.tag { display: inline-block; font-size: 14px; font-weight: 700; line-height: 1.35; padding: 2px 8px; background: #d2e2f1; color: #0c2d4a; }
.tag.s-in_progress { background: #bfe3e0; color: #10403c; }
.tag.s-returned { background: #fcd6c3; color: #6e3619; }
.tag.s-reopened { background: #dbd5e9; color: #3d2375; }
.tag.s-approved, .tag.s-resolved { background: #cce2d8; color: #005a30; }
.tag.s-rejected { background: #f4cdc6; color: #2a0b06; }
.tag.s-closed { background: #e5e6e7; color: #282d30; }
.pager { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: center; gap: 12px; margin-top: 16px; }
.pager .links { display: flex; gap: 20px; }
.pager .off { color: var(--muted); }
.empty { padding: 20px; background: var(--soft); border: 1px solid var(--hair); }

/* ---- case ---- */
.case-head { margin-bottom: 20px; }
.case-head h1 { margin-bottom: 4px; font-variant-numeric: tabular-nums; }
.case-head .service { font-size: 20px; margin: 0 0 10px; }
.case-head .facts { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 16px; }
.case-grid { display: grid; grid-template-columns: minmax(0, 1fr) minmax(300px, 380px); gap: 32px; align-items: start; }
.case-grid > * { min-width: 0; }
.panel { border-top: 4px solid var(--brand-line); padding-top: 12px; margin-bottom: 28px; }
.panel.actions { border: 2px solid var(--ink); border-top-width: 6px; padding: 14px 16px 16px; }
.action-buttons { display: flex; flex-wrap: wrap; gap: 10px; margin-bottom: 4px; }
.action-buttons .btn { flex: 1 1 auto; }
.action-form { margin-top: 16px; padding-top: 14px; border-top: 1px solid var(--line); }
.action-form .hint { color: var(--muted); font-size: 15px; }
dl.summary { margin: 0; }
dl.summary .row { display: grid; grid-template-columns: minmax(8em, 38%) minmax(0, 1fr); gap: 4px 16px; padding: 8px 0; border-bottom: 1px solid var(--hair); }
dl.summary dt { font-weight: 700; margin: 0; }
dl.summary dd { margin: 0; overflow-wrap: anywhere; }
.media { display: flex; flex-wrap: wrap; gap: 4px 10px; align-items: center; }
.media .id { white-space: nowrap; }
.mono { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 14px; background: var(--soft); padding: 1px 5px; overflow-wrap: anywhere; }
ol.stages { list-style: none; margin: 0; padding: 0; counter-reset: stage; }
ol.stages li { position: relative; padding: 4px 0 14px 44px; counter-increment: stage; }
ol.stages li::before { content: counter(stage); position: absolute; left: 0; top: 2px; width: 30px; height: 30px; border-radius: 50%; border: 2px solid var(--line); display: grid; place-items: center; font-weight: 700; font-size: 15px; background: #fff; color: var(--muted); }
ol.stages li:not(:last-child)::after { content: ""; position: absolute; left: 15px; top: 34px; bottom: 0; width: 2px; background: var(--hair); }
ol.stages li.done::before { content: "✓"; background: var(--ok); border-color: var(--ok); color: #fff; }
ol.stages li.current::before { background: var(--brand); border-color: var(--brand); color: #fff; }
ol.stages li.current { font-weight: 700; }
ol.stages .name { display: block; line-height: 1.4; }
ol.stages .meta { display: block; font-weight: 400; color: var(--muted); font-size: 14px; }
ol.stages .mark { display: inline-block; margin-top: 4px; font-size: 13px; font-weight: 700; padding: 0 6px; background: var(--brand); color: #fff; }
ol.stages li.done .mark { background: transparent; color: var(--ok); padding: 0; }
ol.history { list-style: none; margin: 0; padding: 0; }
ol.history li { padding: 12px 0 12px 16px; border-left: 4px solid var(--hair); margin-left: 2px; position: relative; }
ol.history li + li { border-top: 0; }
ol.history li::before { content: ""; position: absolute; left: -9px; top: 18px; width: 14px; height: 14px; border-radius: 50%; background: #fff; border: 3px solid var(--brand-line); }
ol.history .what { font-weight: 700; display: block; }
ol.history .meta { color: var(--muted); font-size: 14px; display: block; }
ol.history .change { font-size: 15px; display: block; margin-top: 2px; }
ol.history blockquote { margin: 8px 0 0; padding: 6px 12px; border-left: 4px solid var(--line); background: var(--soft); white-space: pre-wrap; overflow-wrap: anywhere; }

/* ---- narrow screens: the table becomes a list of cards ---- */
@media (max-width: 900px) {
  .case-grid { grid-template-columns: minmax(0, 1fr); gap: 0; }
  .case-grid aside { order: -1; }
}
@media (max-width: 760px) {
  .wrap { padding-left: 16px; padding-right: 16px; }
  h1 { font-size: 25px; }
  .who { text-align: left; }
  .header-inner { align-items: flex-start; }
  .tools { width: 100%; justify-content: space-between; }
  .who { flex: 1 1 100%; }
  table.cases, table.cases thead, table.cases tbody, table.cases tr, table.cases td { display: block; width: 100%; }
  table.cases caption { display: block; }
  table.cases thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); clip-path: inset(50%); }
  table.cases tr { border: 1px solid var(--line); border-left: 6px solid var(--brand-line); padding: 8px 12px; margin: 0 0 12px; }
  table.cases tr.over { border-left-color: var(--danger); }
  table.cases td { display: grid; grid-template-columns: 7.5em minmax(0, 1fr); gap: 8px; border: 0; padding: 5px 0; }
  table.cases td::before { content: attr(data-label); font-weight: 700; color: var(--muted); font-size: 14px; line-height: 1.6; }
  table.cases td > .cell { min-width: 0; }
  .sla { white-space: normal; }
  dl.summary .row { grid-template-columns: minmax(0, 1fr); gap: 0; }
}
@media print {
  .govbar, .site-header .tools, .filters, .pager, .panel.actions, .skip { display: none !important; }
}
`;
