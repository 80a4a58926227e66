// The simulator's chat page: a WhatsApp-like phone screen for playing the citizen. One
// self-contained HTML document (inline CSS, JS and SVG icons; no fonts, scripts or images fetched
// from anywhere), served at GET /simulator/chat. It talks only to the simulator's citizen API:
//   GET  api/citizens/:waId/messages?after=SEQ   the chat, polled
//   POST api/citizens/:waId/messages             a citizen action (text, taps, media, location…)
//   POST api/media, GET api/media/:id            uploads and downloads
// The page is written with String.raw so the browser script keeps its backslashes; it must not
// contain a backtick or a dollar-brace.

/** The chat page's HTML. */
export function chatPage(): string {
  return PAGE;
}

const PAGE = String.raw`<!doctype html>
<html lang="te">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta name="color-scheme" content="light">
<meta name="theme-color" content="#008069">
<title>Mana Mitra · WhatsApp simulator</title>
<link rel="icon" href="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'%3E%3Ccircle cx='16' cy='16' r='16' fill='%2325d366'/%3E%3Cpath d='M9 23l1.6-4.6A7.5 7.5 0 1 1 13.7 21z' fill='%23fff'/%3E%3C/svg%3E">
<style>
  :root {
    --green: #008069;
    --green-dark: #005c4b;
    --accent: #00a884;
    --wall: #efeae2;
    --mine: #d9fdd3;
    --theirs: #ffffff;
    --ink: #111b21;
    --muted: #667781;
    --hair: #e9edef;
    --link: #027eb5;
    --tick: #8696a0;
    --tick-read: #53bdeb;
    --danger: #d42a2a;
    --font: "Noto Sans Telugu", "Gurajada", "Noto Sans", "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  }
  * { box-sizing: border-box; }
  html, body { height: 100%; margin: 0; }
  body {
    font-family: var(--font);
    font-size: 15px;
    line-height: 1.5;
    color: var(--ink);
    background: #d1d7db;
    -webkit-font-smoothing: antialiased;
    -webkit-text-size-adjust: 100%;
  }
  button, input, textarea { font: inherit; color: inherit; }
  button { cursor: pointer; }
  svg { display: block; }
  [hidden] { display: none !important; }

  .phone {
    position: relative;
    display: flex;
    flex-direction: column;
    height: 100vh;
    height: 100dvh;
    max-width: 480px;
    margin: 0 auto;
    background: var(--wall);
    overflow: hidden;
    box-shadow: 0 0 0 1px rgba(11, 20, 26, .06), 0 6px 24px rgba(11, 20, 26, .18);
  }

  /* ---- top bar ---- */
  .topbar {
    display: flex;
    align-items: center;
    gap: 10px;
    padding: 8px 10px 8px 12px;
    background: var(--green);
    color: #fff;
    flex: none;
  }
  .avatar {
    flex: none;
    width: 40px; height: 40px;
    border-radius: 50%;
    display: grid; place-items: center;
    background: linear-gradient(135deg, #25d366, #128c7e);
    color: #fff;
    font-weight: 700;
    font-size: 16px;
    line-height: 1;
    border: 2px solid rgba(255, 255, 255, .35);
  }
  .who { flex: 1 1 auto; min-width: 0; }
  .who .name {
    font-weight: 600;
    font-size: 16px;
    line-height: 1.45;
    white-space: nowrap;
    overflow: hidden;
    text-overflow: ellipsis;
    display: flex; align-items: center; gap: 4px;
  }
  .who .name .verified { flex: none; width: 15px; height: 15px; color: #25d366; background: #fff; border-radius: 50%; }
  .who .status { font-size: 12.5px; line-height: 1.45; opacity: .9; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
  .who .status.offline { color: #ffd7d7; font-weight: 600; opacity: 1; }
  .number {
    flex: none;
    display: flex; flex-direction: column; align-items: stretch;
    font-size: 11px; line-height: 1.4;
  }
  .number span { opacity: .85; padding-left: 4px; white-space: nowrap; }
  .number input {
    width: 138px;
    padding: 3px 8px;
    border: 1px solid rgba(255, 255, 255, .35);
    border-radius: 8px;
    background: rgba(255, 255, 255, .15);
    color: #fff;
    font-size: 14px;
    letter-spacing: .02em;
    outline: none;
    font-variant-numeric: tabular-nums;
  }
  .number input:focus { background: #fff; color: var(--ink); border-color: #fff; }
  .number input.invalid { border-color: #ffb4b4; background: rgba(212, 42, 42, .35); }

  .banner {
    flex: none;
    padding: 4px 12px;
    background: #fff5c4;
    color: #54483a;
    font-size: 11.5px;
    line-height: 1.55;
    text-align: center;
    border-bottom: 1px solid #eadfa6;
  }
  .offline-bar {
    flex: none;
    padding: 4px 12px;
    background: var(--danger);
    color: #fff;
    font-size: 12.5px;
    text-align: center;
  }

  /* ---- the chat ---- */
  .chat {
    flex: 1 1 auto;
    overflow-y: auto;
    overflow-x: hidden;
    padding: 8px 4% 12px;
    background-color: var(--wall);
    background-image:
      radial-gradient(rgba(0, 0, 0, .035) 1.2px, transparent 1.4px),
      radial-gradient(rgba(0, 0, 0, .025) 1.2px, transparent 1.4px);
    background-size: 26px 26px, 26px 26px;
    background-position: 0 0, 13px 13px;
    overscroll-behavior: contain;
  }
  .day, .system, .empty {
    display: table;
    margin: 10px auto 6px;
    padding: 4px 12px;
    border-radius: 8px;
    background: #fff;
    color: #54656f;
    font-size: 12.5px;
    line-height: 1.5;
    text-align: center;
    box-shadow: 0 1px .5px rgba(11, 20, 26, .13);
    max-width: 90%;
  }
  .system { background: #ffeecd; color: #54483a; }
  .empty { background: #fdf4c5; color: #54483a; margin-top: 24px; }

  .row { display: flex; margin-top: 2px; }
  .row.first { margin-top: 10px; }
  .row[data-direction="in"] { justify-content: flex-end; }
  .stack { display: flex; flex-direction: column; gap: 2px; max-width: min(82%, 360px); min-width: 0; }
  .row[data-direction="in"] .stack { align-items: stretch; }

  .bubble {
    position: relative;
    min-width: 90px;
    padding: 6px 8px 7px 9px;
    border-radius: 8px;
    background: var(--theirs);
    box-shadow: 0 1px .5px rgba(11, 20, 26, .13);
    overflow-wrap: anywhere;
    word-break: normal;
  }
  .row[data-direction="in"] .bubble { background: var(--mine); }
  .row.first .bubble::before {
    content: "";
    position: absolute;
    top: 0;
    width: 9px; height: 13px;
    background: inherit;
  }
  .row.first[data-direction="out"] .bubble { border-top-left-radius: 0; }
  .row.first[data-direction="out"] .bubble::before { left: -8px; clip-path: polygon(0 0, 100% 0, 100% 100%); }
  .row.first[data-direction="in"] .bubble { border-top-right-radius: 0; }
  .row.first[data-direction="in"] .bubble::before { right: -8px; clip-path: polygon(0 0, 100% 0, 0 100%); }
  .row.failed .bubble { box-shadow: 0 0 0 1.5px var(--danger); }

  .hdr { font-weight: 700; margin-bottom: 2px; }
  .text { white-space: pre-wrap; }
  .text code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 13.5px; }
  .text a, .link { color: var(--link); text-decoration: none; }
  .text a:hover { text-decoration: underline; }
  .ftr { color: var(--muted); font-size: 13px; margin-top: 2px; white-space: pre-wrap; }
  .spacer { display: inline-block; width: 74px; height: 1px; }
  .content { position: relative; }
  .meta {
    position: absolute;
    right: -1px; bottom: -4px;
    display: flex; align-items: center; gap: 3px;
    font-size: 11px; line-height: 15px;
    color: var(--muted);
    white-space: nowrap;
    font-family: "Noto Sans", "Segoe UI", Roboto, Arial, sans-serif;
  }
  .meta.over { color: #fff; text-shadow: 0 0 3px rgba(0, 0, 0, .6); bottom: 10px; right: 4px; }
  .ticks { display: inline-flex; color: var(--tick); }
  .ticks svg { width: 16px; height: 11px; }
  .ticks[data-status="read"] { color: var(--tick-read); }
  .ticks[data-status="failed"] { color: var(--danger); }
  .ticks[data-status="failed"] svg { width: 14px; height: 14px; }
  .failed-note {
    display: flex; align-items: flex-start; gap: 5px;
    padding: 2px 4px;
    color: var(--danger);
    font-size: 12.5px;
    line-height: 1.45;
  }
  .failed-note svg { flex: none; width: 15px; height: 15px; margin-top: 1px; fill: currentColor; }
  .row[data-direction="in"] .failed-note { justify-content: flex-end; text-align: right; }

  .quote {
    margin: 0 0 5px;
    padding: 4px 8px 5px;
    border-left: 4px solid #06cf9c;
    border-radius: 6px;
    background: rgba(11, 20, 26, .05);
    font-size: 13px;
    line-height: 1.45;
    color: var(--muted);
    max-height: 4.5em;
    overflow: hidden;
  }
  .quote b { display: block; color: #06a57c; font-size: 12.5px; }

  /* Action inside the bubble: list, link, location request. */
  .action {
    display: flex; align-items: center; justify-content: center; gap: 6px;
    width: calc(100% + 17px);
    margin: 6px -8px -7px -9px;
    padding: 9px 10px;
    border: 0;
    border-top: 1px solid var(--hair);
    border-radius: 0 0 8px 8px;
    background: transparent;
    color: var(--link);
    font-weight: 500;
    line-height: 1.45;
    text-align: center;
    text-decoration: none;
  }
  .action svg { flex: none; width: 18px; height: 18px; fill: currentColor; }
  .action:hover, .reply:hover { background: rgba(11, 20, 26, .03); }
  .action:active, .reply:active { background: rgba(11, 20, 26, .08); }

  /* Quick reply buttons, stacked under the bubble like WhatsApp. */
  .reply {
    display: flex; align-items: center; justify-content: center; gap: 6px;
    padding: 8px 10px;
    border: 0;
    border-radius: 8px;
    background: var(--theirs);
    color: var(--link);
    font-weight: 500;
    line-height: 1.45;
    box-shadow: 0 1px .5px rgba(11, 20, 26, .13);
    text-align: center;
    overflow-wrap: anywhere;
  }
  .reply svg { flex: none; width: 16px; height: 16px; fill: currentColor; }

  .media { display: block; margin: -3px -5px 4px -6px; border-radius: 6px; overflow: hidden; background: #dfe5e7; }
  .media img { display: block; width: 100%; max-height: 320px; object-fit: cover; min-height: 60px; }
  .media video { display: block; width: 100%; max-height: 320px; }
  .sticker img { width: 140px; height: 140px; object-fit: contain; background: transparent; }
  .doc {
    display: flex; align-items: center; gap: 10px;
    margin: -2px -4px 4px -5px;
    padding: 10px;
    border-radius: 6px;
    background: rgba(11, 20, 26, .05);
    min-width: 210px;
  }
  .doc .icon {
    position: relative;
    flex: none;
    width: 34px; height: 42px;
    border-radius: 4px;
    background: #e0443c;
    color: #fff;
    display: grid; place-items: end center;
    padding-bottom: 5px;
    font: 700 9px/1 "Noto Sans", Arial, sans-serif;
    letter-spacing: .03em;
  }
  .doc .icon.other { background: #5f66cd; }
  .doc .name { flex: 1 1 auto; min-width: 0; font-size: 14px; line-height: 1.4; overflow-wrap: anywhere; }
  .doc .sub { display: block; color: var(--muted); font-size: 12px; }
  .doc a.dl {
    flex: none;
    width: 34px; height: 34px;
    border-radius: 50%;
    border: 1.5px solid var(--muted);
    display: grid; place-items: center;
    color: var(--muted);
  }
  .doc a.dl svg { width: 18px; height: 18px; fill: currentColor; }
  audio { display: block; width: 240px; max-width: 100%; height: 40px; margin: 0 0 4px; }
  .place {
    display: flex; gap: 10px; align-items: center;
    margin: -2px -4px 4px -5px;
    padding: 10px;
    border-radius: 6px;
    background: linear-gradient(135deg, #d8ecd3, #cfe3f2);
    min-width: 210px;
  }
  .place svg { flex: none; width: 34px; height: 34px; fill: var(--danger); }
  .place .coords { display: block; color: var(--muted); font-size: 12.5px; font-variant-numeric: tabular-nums; }
  .card {
    display: flex; gap: 10px; align-items: center;
    margin: -2px -4px 4px -5px; padding: 8px 10px;
    border-radius: 6px; background: rgba(11, 20, 26, .05);
  }
  .card svg { flex: none; width: 34px; height: 34px; padding: 6px; border-radius: 50%; background: #cfd7db; fill: #fff; }
  .card .sub { display: block; color: var(--muted); font-size: 12.5px; }
  .tpl-tag {
    display: inline-block;
    margin-bottom: 3px;
    padding: 0 6px;
    border-radius: 4px;
    background: #e7f3ff;
    color: #1c5d99;
    font-size: 11.5px;
    line-height: 1.6;
  }
  .note { color: var(--muted); }
  .note [lang="en"] { font-style: italic; }
  .raw { margin: 0; font: 12px/1.4 ui-monospace, "DejaVu Sans Mono", monospace; white-space: pre-wrap; max-height: 200px; overflow: auto; }
  .reactions {
    position: absolute;
    bottom: -14px;
    display: flex; gap: 1px;
    padding: 1px 5px;
    border-radius: 12px;
    background: #fff;
    box-shadow: 0 1px 3px rgba(11, 20, 26, .25);
    font-size: 14px;
    line-height: 20px;
    z-index: 1;
  }
  .row[data-direction="out"] .reactions { left: 8px; }
  .row[data-direction="in"] .reactions { right: 8px; }
  .row.reacted { margin-bottom: 16px; }

  /* ---- composer ---- */
  .composer {
    position: relative;
    flex: none;
    display: flex; align-items: flex-end; gap: 6px;
    padding: 6px 6px 8px;
    background: transparent;
  }
  .field {
    flex: 1 1 auto;
    display: flex; align-items: flex-end;
    min-width: 0;
    border-radius: 24px;
    background: #fff;
    box-shadow: 0 1px .5px rgba(11, 20, 26, .13);
    padding: 0 4px 0 14px;
  }
  .field textarea {
    flex: 1 1 auto;
    min-width: 0;
    height: 44px;
    max-height: 140px;
    padding: 10px 0;
    border: 0;
    outline: none;
    resize: none;
    background: transparent;
    line-height: 1.5;
    font-size: 15.5px;
  }
  .field textarea::placeholder { color: #8696a0; }
  .icon-btn {
    flex: none;
    width: 40px; height: 44px;
    display: grid; place-items: center;
    border: 0; background: transparent; color: #54656f;
    border-radius: 50%;
  }
  .icon-btn svg { width: 24px; height: 24px; fill: currentColor; }
  .icon-btn[aria-expanded="true"] { color: var(--accent); }
  .send {
    flex: none;
    width: 48px; height: 48px;
    border: 0; border-radius: 50%;
    display: grid; place-items: center;
    background: var(--accent);
    color: #fff;
    box-shadow: 0 1px 2px rgba(11, 20, 26, .2);
  }
  .send svg { width: 22px; height: 22px; fill: currentColor; margin-left: 3px; }
  .send:disabled { opacity: .55; cursor: default; }

  .attach-menu {
    position: absolute;
    left: 8px; right: 62px; bottom: 62px;
    display: grid;
    grid-template-columns: repeat(3, 1fr);
    gap: 14px 6px;
    padding: 16px 8px;
    border-radius: 16px;
    background: #fff;
    box-shadow: 0 4px 16px rgba(11, 20, 26, .2);
    z-index: 5;
  }
  .attach-menu button {
    display: flex; flex-direction: column; align-items: center; gap: 5px;
    border: 0; background: transparent;
    font-size: 12.5px; line-height: 1.4; color: #3b4a54;
    text-align: center;
  }
  .attach-menu .disc { width: 50px; height: 50px; border-radius: 50%; display: grid; place-items: center; color: #fff; }
  .attach-menu .disc svg { width: 24px; height: 24px; fill: currentColor; }

  /* ---- list sheet ---- */
  .sheet-backdrop {
    position: absolute; inset: 0;
    background: rgba(11, 20, 26, .45);
    display: flex; align-items: flex-end;
    z-index: 10;
  }
  .sheet {
    width: 100%;
    max-height: 78%;
    display: flex; flex-direction: column;
    background: #fff;
    border-radius: 16px 16px 0 0;
    box-shadow: 0 -4px 16px rgba(11, 20, 26, .2);
    animation: up .16s ease-out;
  }
  @keyframes up { from { transform: translateY(30px); opacity: .4; } to { transform: none; opacity: 1; } }
  .sheet-head {
    display: flex; align-items: center; gap: 8px;
    padding: 10px 12px 8px;
    border-bottom: 1px solid var(--hair);
  }
  .sheet-head .grab { position: absolute; }
  .sheet-head .close { width: 36px; height: 36px; border: 0; background: transparent; display: grid; place-items: center; color: #54656f; border-radius: 50%; }
  .sheet-head .close svg { width: 22px; height: 22px; fill: currentColor; }
  .sheet-title { flex: 1; text-align: center; font-weight: 600; font-size: 16px; line-height: 1.5; padding-right: 36px; }
  .sheet-body { overflow-y: auto; padding: 4px 0 12px; }
  .sec-title { padding: 12px 20px 4px; color: #008069; font-size: 13.5px; font-weight: 600; line-height: 1.5; }
  .list-row {
    display: flex; align-items: center; gap: 12px;
    width: 100%;
    padding: 9px 20px;
    border: 0; background: transparent;
    text-align: left;
  }
  .list-row:hover { background: #f5f6f6; }
  .list-row:active { background: #e9edef; }
  .list-row .t { display: block; font-size: 15.5px; line-height: 1.5; }
  .list-row .d { display: block; color: var(--muted); font-size: 13px; line-height: 1.45; }
  .list-row .words { flex: 1 1 auto; min-width: 0; overflow-wrap: anywhere; }
  .list-row .radio { flex: none; width: 20px; height: 20px; border-radius: 50%; border: 2px solid #8696a0; }
  .list-row.more .t { color: var(--link); font-weight: 500; }
  .sheet-foot { padding: 6px 20px 12px; color: var(--muted); font-size: 12px; text-align: center; border-top: 1px solid var(--hair); }

  .toast {
    position: absolute;
    left: 50%; bottom: 76px;
    transform: translateX(-50%);
    max-width: 90%;
    padding: 8px 14px;
    border-radius: 8px;
    background: #323739;
    color: #fff;
    font-size: 13px;
    line-height: 1.5;
    z-index: 20;
    box-shadow: 0 2px 8px rgba(0, 0, 0, .3);
  }
  @media (max-width: 400px) {
    .topbar { gap: 8px; padding-left: 8px; }
    .avatar { width: 36px; height: 36px; font-size: 15px; }
    .number input { width: 106px; padding: 3px 6px; font-size: 13px; }
    .who .name { font-size: 15px; }
    .who .name .verified { display: none; }
  }
</style>
</head>
<body>
<div class="phone" id="phone">
  <header class="topbar">
    <div class="avatar" aria-hidden="true">మి</div>
    <div class="who">
      <div class="name"><span>మన మిత్ర · <span lang="en">Mana Mitra</span></span><svg class="verified" viewBox="0 0 24 24" aria-hidden="true"><path fill="currentColor" d="M12 1 9.2 3.2 5.6 3l-.9 3.5L1.6 8.4 3 11.8 1.6 15.2l3.1 1.9.9 3.5 3.6-.2L12 22.6l2.8-2.2 3.6.2.9-3.5 3.1-1.9-1.4-3.4 1.4-3.4-3.1-1.9-.9-3.5-3.6.2zm-1.3 15.2-4-4 1.4-1.4 2.6 2.6 5.6-5.6 1.4 1.4z"/></svg></div>
      <div class="status" id="status" data-testid="status">ఆన్‌లైన్ · <span lang="en">online</span></div>
    </div>
    <label class="number">
      <span>మీ నంబర్ · <span lang="en">Your number</span></span>
      <input id="number" data-testid="citizen-number" type="tel" inputmode="numeric" autocomplete="off" list="numbers" maxlength="15" aria-label="మీ WhatsApp నంబర్ · Your WhatsApp number">
      <datalist id="numbers"></datalist>
    </label>
  </header>
  <div class="banner" data-testid="sim-banner">
    <span>ఇది సిమ్యులేటర్, నిజమైన WhatsApp కాదు</span> · <span lang="en">Simulator, not real WhatsApp</span>
  </div>
  <div class="offline-bar" id="offline" data-testid="offline" hidden>సర్వర్‌కు కనెక్షన్ లేదు, మళ్లీ ప్రయత్నిస్తున్నాం… · <span lang="en">No connection to the server, retrying…</span></div>
  <main class="chat" id="chat" data-testid="chat" aria-live="polite"></main>
  <footer class="composer">
    <div class="attach-menu" id="attach-menu" data-testid="attach-menu" hidden>
      <button type="button" data-testid="attach-photo" data-act="photo"><span class="disc" style="background:#bf59cf"><svg viewBox="0 0 24 24"><path d="M21 19V5c0-1.1-.9-2-2-2H5c-1.1 0-2 .9-2 2v14c0 1.1.9 2 2 2h14c1.1 0 2-.9 2-2zM8.5 13.5l2.5 3.01L14.5 12l4.5 6H5l3.5-4.5z"/></svg></span>ఫోటో<br><span lang="en">Photo</span></button>
      <button type="button" data-testid="attach-document" data-act="document"><span class="disc" style="background:#7f66ff"><svg viewBox="0 0 24 24"><path d="M14 2H6c-1.1 0-2 .9-2 2v16c0 1.1.9 2 2 2h12c1.1 0 2-.9 2-2V8l-6-6zm2 16H8v-2h8v2zm0-4H8v-2h8v2zm-3-5V3.5L18.5 9H13z"/></svg></span>పత్రం<br><span lang="en">Document</span></button>
      <button type="button" data-testid="attach-location" data-act="location"><span class="disc" style="background:#1fa855"><svg viewBox="0 0 24 24"><path d="M12 2C8.13 2 5 5.13 5 9c0 5.25 7 13 7 13s7-7.75 7-13c0-3.87-3.13-7-7-7zm0 9.5a2.5 2.5 0 0 1 0-5 2.5 2.5 0 0 1 0 5z"/></svg></span>స్థానం<br><span lang="en">Location</span></button>
      <button type="button" data-testid="attach-contact" data-act="contact"><span class="disc" style="background:#009de2"><svg viewBox="0 0 24 24"><path d="M12 12c2.21 0 4-1.79 4-4s-1.79-4-4-4-4 1.79-4 4 1.79 4 4 4zm0 2c-2.67 0-8 1.34-8 4v2h16v-2c0-2.66-5.33-4-8-4z"/></svg></span>పరిచయం<br><span lang="en">Contact</span></button>
      <button type="button" data-testid="attach-reaction" data-act="reaction"><span class="disc" style="background:#ffbc38"><svg viewBox="0 0 24 24"><path d="M1 21h4V9H1v12zm22-11c0-1.1-.9-2-2-2h-6.31l.95-4.57.03-.32c0-.41-.17-.79-.44-1.06L14.17 1 7.59 7.59C7.22 7.95 7 8.45 7 9v10c0 1.1.9 2 2 2h9c.83 0 1.54-.5 1.84-1.22l3.02-7.05c.09-.23.14-.47.14-.73v-2z"/></svg></span>స్పందన 👍<br><span lang="en">React</span></button>
      <button type="button" data-testid="attach-unknown" data-act="unknown"><span class="disc" style="background:#8696a0"><svg viewBox="0 0 24 24"><path d="M12 2C6.48 2 2 6.48 2 12s4.48 10 10 10 10-4.48 10-10S17.52 2 12 2zm1 17h-2v-2h2v2zm2.07-7.75-.9.92C13.45 12.9 13 13.5 13 15h-2v-.5c0-1.1.45-2.1 1.17-2.83l1.24-1.26c.37-.36.59-.86.59-1.41 0-1.1-.9-2-2-2s-2 .9-2 2H8c0-2.21 1.79-4 4-4s4 1.79 4 4c0 .88-.36 1.68-.93 2.25z"/></svg></span>మద్దతు లేనిది<br><span lang="en">Unsupported</span></button>
    </div>
    <input type="file" id="file-photo" data-testid="file-photo" accept="image/*" hidden>
    <input type="file" id="file-document" data-testid="file-document" hidden>
    <div class="field">
      <textarea id="composer" data-testid="composer" rows="1" placeholder="సందేశం · Message" aria-label="సందేశం రాయండి · Type a message" enterkeyhint="send"></textarea>
      <button type="button" class="icon-btn" id="attach" data-testid="attach" aria-label="జత చేయి · Attach" aria-expanded="false" aria-controls="attach-menu"><svg viewBox="0 0 24 24"><path d="M16.5 6v11.5a4 4 0 0 1-8 0V5a2.5 2.5 0 0 1 5 0v10.5a1 1 0 0 1-2 0V6H10v9.5a2.5 2.5 0 0 0 5 0V5a4 4 0 0 0-8 0v12.5a5.5 5.5 0 0 0 11 0V6h-1.5z"/></svg></button>
    </div>
    <button type="button" class="send" id="send" data-testid="send" aria-label="పంపు · Send"><svg viewBox="0 0 24 24"><path d="M1.1 21.8 23 12 1.1 2.2 1.1 9.8 16.7 12 1.1 14.2z"/></svg></button>
  </footer>
  <div class="sheet-backdrop" id="sheet" data-testid="list-sheet" hidden>
    <div class="sheet" role="dialog" aria-modal="true" aria-labelledby="sheet-title">
      <div class="sheet-head">
        <button type="button" class="close" id="sheet-close" data-testid="list-close" aria-label="మూసివేయి · Close"><svg viewBox="0 0 24 24"><path d="M19 6.41 17.59 5 12 10.59 6.41 5 5 6.41 10.59 12 5 17.59 6.41 19 12 13.41 17.59 19 19 17.59 13.41 12z"/></svg></button>
        <div class="sheet-title" id="sheet-title"></div>
      </div>
      <div class="sheet-body" id="sheet-body"></div>
      <div class="sheet-foot">ఒకదాన్ని నొక్కితే పంపబడుతుంది · <span lang="en">Tap one to send it</span></div>
    </div>
  </div>
  <div class="toast" id="toast" data-testid="toast" role="alert" hidden></div>
</div>
<script>
(function () {
  'use strict';

  var BASE = location.pathname.replace(/\/chat\/?$/, '');
  var DEFAULT_NUMBER = '919900000001';
  var POLL_MS = 400;
  var DEMO_LOCATION = { type: 'location', latitude: 16.5131, longitude: 80.5165, name: 'అమరావతి · Amaravati', address: 'Amaravati, Andhra Pradesh 522020' };
  var DEMO_CONTACT = { type: 'contacts', name: 'Lakshmi Devi', phone: '919900000077' };

  var SVG = {
    check: '<svg viewBox="0 0 16 11" aria-hidden="true"><path d="M1.2 5.9l3.1 3.1L11 1.6" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linecap="round" stroke-linejoin="round"/></svg>',
    checks: '<svg viewBox="0 0 16 11" aria-hidden="true"><path d="M.8 5.9l3.1 3.1L10.4 1.6M7 8.6l.4.4L14.1 1.6" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linecap="round" stroke-linejoin="round"/></svg>',
    error: '<svg viewBox="0 0 24 24" aria-hidden="true"><path fill="currentColor" d="M12 2C6.48 2 2 6.48 2 12s4.48 10 10 10 10-4.48 10-10S17.52 2 12 2zm1 15h-2v-2h2v2zm0-4h-2V7h2v6z"/></svg>',
    list: '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M3 13h2v-2H3v2zm0 4h2v-2H3v2zm0-8h2V7H3v2zm4 4h14v-2H7v2zm0 4h14v-2H7v2zM7 7v2h14V7H7z"/></svg>',
    reply: '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M10 9V5l-7 7 7 7v-4.1c5 0 8.5 1.6 11 5.1-1-5-4-10-11-11z"/></svg>',
    open: '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M19 19H5V5h7V3H5a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h14c1.1 0 2-.9 2-2v-7h-2v7zM14 3v2h3.59l-9.83 9.83 1.41 1.41L19 6.41V10h2V3h-7z"/></svg>',
    pin: '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M12 2C8.13 2 5 5.13 5 9c0 5.25 7 13 7 13s7-7.75 7-13c0-3.87-3.13-7-7-7zm0 9.5a2.5 2.5 0 0 1 0-5 2.5 2.5 0 0 1 0 5z"/></svg>',
    download: '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M19 9h-4V3H9v6H5l7 7 7-7zM5 18v2h14v-2H5z"/></svg>',
    person: '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M12 12c2.21 0 4-1.79 4-4s-1.79-4-4-4-4 1.79-4 4 1.79 4 4 4zm0 2c-2.67 0-8 1.34-8 4v2h16v-2c0-2.66-5.33-4-8-4z"/></svg>',
    template: '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M20 2H4c-1.1 0-2 .9-2 2v18l4-4h14c1.1 0 2-.9 2-2V4c0-1.1-.9-2-2-2zM6 9h12v2H6V9zm8 5H6v-2h8v2zm4-6H6V6h12v2z"/></svg>'
  };

  var $ = function (id) { return document.getElementById(id); };
  var chatEl = $('chat');
  var numberEl = $('number');
  var composer = $('composer');

  var state;
  function reset(wa) {
    state = {
      wa: wa,
      gen: (state ? state.gen : 0) + 1,
      lastSeq: 0,
      entries: new Map(),   // seq -> { entry, row }
      byWamid: new Map(),   // wamid -> { entry, row }
      unread: new Map(),    // seq of a citizen message not yet read -> when we first saw it
      lastDir: null,
      lastDay: null,
      lastBot: null
    };
  }

  // ---- small DOM helpers ----
  function h(tag, attrs) {
    var el = document.createElement(tag);
    if (attrs) for (var k in attrs) {
      var v = attrs[k];
      if (v === undefined || v === null || v === false) continue;
      if (k === 'text') el.textContent = v;
      else if (k === 'html') el.innerHTML = v;
      else if (k === 'class') el.className = v;
      else if (k.slice(0, 2) === 'on') el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? '' : String(v));
    }
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c === undefined || c === null || c === false) continue;
      el.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    }
    return el;
  }
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]; });
  }
  // WhatsApp's own markup: *bold*, _italic_, ~strike~ and triple-backtick mono; links become tappable.
  var URL_RE = /\bhttps?:\/\/[^\s<>"]*[^\s<>".,;:!?)\]'»]/g;
  function styled(s) {
    return esc(s)
      .replace(/(^|[^\w*])\*(?=\S)([^*\n]*?\S)\*(?!\w)/g, '$1<b>$2</b>')
      .replace(/(^|[^\w])_(?=\S)([^_\n]*?\S)_(?!\w)/g, '$1<i>$2</i>')
      .replace(/(^|[^\w~])~(?=\S)([^~\n]*?\S)~(?!\w)/g, '$1<s>$2</s>');
  }
  function fmt(s) {
    s = String(s == null ? '' : s);
    var out = '', last = 0, m;
    var parts = s.split(/(\x60\x60\x60[\s\S]*?\x60\x60\x60)/);
    for (var p = 0; p < parts.length; p++) {
      var part = parts[p];
      if (/^\x60\x60\x60[\s\S]*\x60\x60\x60$/.test(part) && part.length >= 6) { out += '<code>' + esc(part.slice(3, -3)) + '</code>'; continue; }
      URL_RE.lastIndex = 0; last = 0;
      while ((m = URL_RE.exec(part))) {
        out += styled(part.slice(last, m.index)) + '<a href="' + esc(m[0]) + '" target="_blank" rel="noopener">' + esc(m[0]) + '</a>';
        last = m.index + m[0].length;
      }
      out += styled(part.slice(last));
    }
    return out;
  }
  // Only web links are followed; anything else (javascript:, data:) is shown, not linked.
  function safeUrl(u) { return /^https?:\/\//i.test(String(u || '')) ? String(u) : undefined; }
  function mediaUrl(ref) {
    if (!ref) return '';
    if (ref.link) return safeUrl(ref.link) || '';
    if (ref.id) return BASE + '/api/media/' + encodeURIComponent(ref.id);
    return '';
  }
  function time(at) {
    try { return new Date(at).toLocaleTimeString('en-IN', { hour: 'numeric', minute: '2-digit' }); } catch (e) { return ''; }
  }
  function dayKey(at) { var d = new Date(at); return d.getFullYear() + '-' + d.getMonth() + '-' + d.getDate(); }
  function dayLabel(at) {
    var d = new Date(at), today = new Date(), y = new Date(Date.now() - 864e5);
    if (dayKey(d) === dayKey(today)) return 'ఈరోజు · Today';
    if (dayKey(d) === dayKey(y)) return 'నిన్న · Yesterday';
    return d.toLocaleDateString('en-IN', { day: 'numeric', month: 'long', year: 'numeric' });
  }

  // ---- toasts and connection state ----
  var toastTimer;
  function toast(msg) {
    var t = $('toast');
    t.textContent = msg;
    t.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(function () { t.hidden = true; }, 4000);
  }
  var online = true, typing = false;
  function setOnline(ok) {
    if (ok === online) return;
    online = ok;
    $('offline').hidden = ok;
    showStatus();
  }
  function setTyping(t) {
    if (t === typing) return;
    typing = t;
    showStatus();
  }
  function showStatus() {
    var s = $('status');
    s.classList.toggle('offline', !online);
    s.setAttribute('data-typing', String(online && typing));
    s.innerHTML = !online ? 'కనెక్షన్ లేదు · <span lang="en">offline</span>'
      : typing ? 'టైప్ చేస్తున్నారు… · <span lang="en">typing…</span>' : 'ఆన్‌లైన్ · <span lang="en">online</span>';
  }

  // ---- sending ----
  function send(action) {
    var wa = state.wa;
    return fetch(BASE + '/api/citizens/' + encodeURIComponent(wa) + '/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(action)
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (j) {
        if (!r.ok) throw new Error((j && j.error && j.error.message) || ('HTTP ' + r.status));
        return j;
      });
    }).then(function (j) { remember(wa); pollSoon(); return j; }, function (err) {
      toast('పంపలేకపోయాం · Could not send: ' + err.message);
      throw err;
    });
  }
  function upload(file) {
    return fetch(BASE + '/api/media', { method: 'POST', headers: { 'content-type': file.type || 'application/octet-stream' }, body: file })
      .then(function (r) { return r.json().then(function (j) { if (!r.ok || !j.id) throw new Error((j.error && j.error.message) || ('HTTP ' + r.status)); return j.id; }); })
      .catch(function (err) { toast('అప్‌లోడ్ కాలేదు · Upload failed: ' + err.message); throw err; });
  }
  function sendText() {
    var text = composer.value;
    if (!text.trim()) { composer.focus(); return; }
    composer.value = '';
    grow();
    stick = true;
    send({ type: 'text', text: text }).catch(function () { if (!composer.value) { composer.value = text; grow(); } });
    composer.focus();
  }
  function tap(kind, entry, choice) {
    return send({ type: kind, id: choice.id, title: choice.title, context: entry.wamid }).catch(function () {});
  }

  // ---- rendering one chat entry ----
  function ticks(entry) {
    var st = entry.status || 'sent';
    var html = st === 'failed' ? SVG.error : st === 'sent' ? SVG.check : SVG.checks;
    var label = { sent: 'పంపబడింది · sent', delivered: 'చేరింది · delivered', read: 'చదివారు · read', failed: 'విఫలం · failed' }[st] || st;
    return h('span', { class: 'ticks', 'data-testid': 'ticks', 'data-status': st, title: label, 'aria-label': label, html: html });
  }
  function meta(entry, over) {
    return h('span', { class: 'meta' + (over ? ' over' : '') }, h('time', { datetime: new Date(entry.at).toISOString(), text: time(entry.at) }), ticks(entry));
  }
  function textBlock(s, cls) {
    return h('div', { class: cls || 'text', 'data-testid': 'bubble-text', html: fmt(s) + '<span class="spacer"></span>' });
  }
  function summary(entry) {
    var m = entry.message || {};
    var i = m.interactive;
    if (m.type === 'text') return m.text && m.text.body;
    if (m.type === 'interactive' && i) {
      if (i.button_reply) return i.button_reply.title;
      if (i.list_reply) return i.list_reply.title;
      return (i.header && i.header.text ? i.header.text + '\n' : '') + (i.body ? i.body.text : '');
    }
    if (m.type === 'template') return 'Template: ' + (m.template && m.template.name);
    var media = m[m.type];
    if (media && (media.caption || media.filename)) return media.caption || media.filename;
    return m.type;
  }

  function render(entry) {
    var m = entry.message || {};
    var mine = entry.direction === 'in';
    var bubble = h('div', { class: 'bubble', 'data-testid': 'bubble' });
    var content = h('div', { class: 'content' });
    var action = null;
    bubble.appendChild(content);
    var below = [];
    var metaOver = false;
    var ctx = m.context && m.context.id && state.byWamid.get(m.context.id);
    if (ctx) {
      content.appendChild(h('div', { class: 'quote', 'data-testid': 'quote' },
        h('b', { text: ctx.entry.direction === 'out' ? 'మన మిత్ర · Mana Mitra' : 'మీరు · You' }),
        String(summary(ctx.entry) || '').split('\n').filter(Boolean).slice(0, 2).join(' · ')));
    }
    var type = m.type;
    var i = m.interactive;
    if (type === 'text') {
      content.appendChild(textBlock(m.text && m.text.body));
    } else if (type === 'interactive' && i && (i.button_reply || i.list_reply)) {
      var r = i.button_reply || i.list_reply;
      content.appendChild(textBlock(r.title));
    } else if (type === 'interactive' && i) {
      type = 'interactive/' + i.type;
      if (i.header) {
        if (i.header.type === 'text') content.appendChild(h('div', { class: 'hdr', 'data-testid': 'bubble-header', text: i.header.text }));
        else if (i.header.type === 'image') content.appendChild(h('div', { class: 'media' }, h('img', { src: mediaUrl(i.header.image), alt: '' })));
        else if (i.header.type === 'document') content.appendChild(docCard(i.header.document));
      }
      content.appendChild(textBlock(i.body && i.body.text));
      if (i.footer && i.footer.text) content.appendChild(h('div', { class: 'ftr', text: i.footer.text }));
      var a = i.action || {};
      if (i.type === 'button') {
        (a.buttons || []).forEach(function (b) {
          var choice = b.reply || {};
          below.push(h('button', { type: 'button', class: 'reply', 'data-testid': 'reply-button', 'data-id': choice.id, onclick: function () { tap('button_reply', entry, choice); } },
            h('span', { html: SVG.reply }), h('span', { text: choice.title })));
        });
      } else if (i.type === 'list') {
        action = (h('button', { type: 'button', class: 'action', 'data-testid': 'list-open', onclick: function () { openSheet(entry); } },
          h('span', { html: SVG.list }), h('span', { text: a.button || 'ఎంచుకోండి / Choose' })));
      } else if (i.type === 'cta_url') {
        var p = a.parameters || {};
        action = (h('a', { class: 'action', 'data-testid': 'cta-link', href: safeUrl(p.url), target: '_blank', rel: 'noopener', title: p.url },
          h('span', { html: SVG.open }), h('span', { text: p.display_text || p.url })));
      } else if (i.type === 'location_request_message') {
        action = (h('button', { type: 'button', class: 'action', 'data-testid': 'send-location', onclick: function () { send(DEMO_LOCATION).catch(function () {}); } },
          h('span', { html: SVG.pin }), h('span', null, 'స్థానాన్ని పంపండి · ', h('span', { lang: 'en', text: 'Send location' }))));
      } else {
        content.appendChild(h('div', { class: 'note', text: '(' + i.type + ' — ఈ సిమ్యులేటర్ చూపలేదు · not shown by this simulator)' }));
      }
    } else if (type === 'image' || type === 'sticker' || type === 'video') {
      var ref = m[type] || {};
      var url = mediaUrl(ref);
      var box = h('div', { class: 'media' + (type === 'sticker' ? ' sticker' : ''), 'data-testid': type });
      if (type === 'video') box.appendChild(h('video', { src: url, controls: true, preload: 'metadata' }));
      else box.appendChild(h('a', { href: url, target: '_blank', rel: 'noopener' }, h('img', { src: url, alt: ref.caption || '', loading: 'lazy', onload: keepBottom })));
      content.appendChild(box);
      if (ref.caption) content.appendChild(textBlock(ref.caption));
      else metaOver = true;
    } else if (type === 'document') {
      var d = m.document || {};
      content.appendChild(docCard(d));
      if (d.caption) content.appendChild(textBlock(d.caption));
      else content.appendChild(h('div', { class: 'text' }, h('span', { class: 'spacer' })));
    } else if (type === 'audio') {
      var au = m.audio || {};
      content.appendChild(h('audio', { controls: true, preload: 'none', src: mediaUrl(au), 'data-testid': 'audio' }));
      content.appendChild(h('div', { class: 'text' }, h('span', { class: 'ftr', text: au.voice ? 'వాయిస్ సందేశం · voice note' : 'ఆడియో · audio' }), h('span', { class: 'spacer' })));
    } else if (type === 'template') {
      var t = m.template || {};
      var params = [];
      (t.components || []).forEach(function (c) { (c.parameters || []).forEach(function (p) { params.push(p.text != null ? p.text : JSON.stringify(p)); }); });
      content.appendChild(h('div', { class: 'card', 'data-testid': 'template' },
        h('span', { html: SVG.template }),
        h('span', null, h('b', { text: t.name }), h('span', { class: 'sub', text: 'టెంప్లేట్ · Template · ' + (t.language && t.language.code || '') }))));
      if (params.length) content.appendChild(textBlock(params.map(function (p, n) { return '{{' + (n + 1) + '}} ' + p; }).join('\n')));
      else content.appendChild(h('div', { class: 'text' }, h('span', { class: 'spacer' })));
    } else if (type === 'location') {
      var l = m.location || {};
      content.appendChild(h('div', { class: 'place', 'data-testid': 'location' }, h('span', { html: SVG.pin }),
        h('span', null, h('b', { text: l.name || 'స్థానం · Location' }), l.address ? h('span', { class: 'coords', text: l.address }) : null,
          h('span', { class: 'coords', text: Number(l.latitude).toFixed(4) + ', ' + Number(l.longitude).toFixed(4) }))));
      content.appendChild(h('div', { class: 'text' }, h('span', { class: 'spacer' })));
    } else if (type === 'contacts') {
      (m.contacts || []).forEach(function (c) {
        var name = (c.name && (c.name.formatted_name || c.name.first_name)) || '';
        var phone = (c.phones && c.phones[0] && c.phones[0].phone) || '';
        content.appendChild(h('div', { class: 'card', 'data-testid': 'contact' }, h('span', { html: SVG.person }), h('span', null, h('b', { text: name }), h('span', { class: 'sub', text: phone }))));
      });
      content.appendChild(h('div', { class: 'text' }, h('span', { class: 'spacer' })));
    } else if (type === 'unknown' || type === 'unsupported') {
      content.appendChild(h('div', { class: 'text note', 'data-testid': 'bubble-text', html: 'ఈ రకమైన సందేశానికి మద్దతు లేదు · <span lang="en">Unsupported message type</span><span class="spacer"></span>' }));
    } else {
      content.appendChild(h('pre', { class: 'raw', text: JSON.stringify(m, null, 1) }));
      content.appendChild(h('div', { class: 'text' }, h('span', { class: 'spacer' })));
    }
    content.appendChild(meta(entry, metaOver));
    if (action) bubble.appendChild(action);

    var stack = h('div', { class: 'stack' }, bubble);
    below.forEach(function (b) { stack.appendChild(b); });
    var row = h('div', {
      class: 'row',
      'data-testid': 'message',
      'data-direction': entry.direction,
      'data-from': mine ? 'citizen' : 'mitra',
      'data-type': type,
      'data-seq': entry.seq,
      'data-wamid': entry.wamid,
      lang: 'te'
    }, stack);
    return row;
  }
  function docCard(d) {
    d = d || {};
    var url = mediaUrl(d);
    var name = d.filename || (d.link ? String(d.link).split('/').pop().split('?')[0] : '') || 'document';
    var ext = (name.match(/\.([a-z0-9]{1,4})$/i) || [])[1];
    return h('div', { class: 'doc', 'data-testid': 'document' },
      h('span', { class: 'icon' + (ext && ext.toLowerCase() === 'pdf' ? '' : ' other'), text: (ext || 'FILE').toUpperCase() }),
      h('span', { class: 'name' }, h('span', { 'data-testid': 'document-name', text: name }), h('span', { class: 'sub', text: 'పత్రం · ' + (d.mime_type || (ext ? ext.toUpperCase() : 'file')) })),
      h('a', { class: 'dl', href: url, download: name, target: '_blank', rel: 'noopener', 'data-testid': 'document-download', title: 'డౌన్‌లోడ్ · Download', 'aria-label': 'డౌన్‌లోడ్ · Download ' + name, html: SVG.download }));
  }
  function failure(entry) {
    var e = entry.error || {};
    return h('div', { class: 'failed-note', 'data-testid': 'failed' }, h('span', { html: SVG.error }),
      h('span', null, 'పంపడం విఫలమైంది · ', h('span', { lang: 'en', text: 'Not delivered' }), h('br'),
        h('span', { lang: 'en', text: (e.code ? e.code + ' ' : '') + (e.title || '') })));
  }
  function react(entry) {
    var m = entry.message;
    var target = state.byWamid.get(m.reaction && m.reaction.message_id);
    if (!target) {
      addNode(h('div', { class: 'system', 'data-testid': 'reaction', text: (m.reaction && m.reaction.emoji || '∅') + ' (స్పందన · reaction)' }));
      return;
    }
    var bubble = target.row.querySelector('.bubble');
    var badge = bubble.querySelector('.reactions');
    if (!badge) { badge = h('span', { class: 'reactions', 'data-testid': 'reaction' }); bubble.appendChild(badge); }
    badge.textContent = (m.reaction && m.reaction.emoji) || '';
    badge.hidden = !badge.textContent;
    target.row.classList.toggle('reacted', !badge.hidden);
  }

  // ---- the chat list ----
  function nearBottom() { return chatEl.scrollHeight - chatEl.scrollTop - chatEl.clientHeight < 140; }
  function toBottom() { chatEl.scrollTop = chatEl.scrollHeight; }
  function keepBottom() { if (stick) toBottom(); }
  var stick = true;
  chatEl.addEventListener('scroll', function () { stick = nearBottom(); });
  function addNode(node) {
    var empty = chatEl.querySelector('.empty');
    if (empty) empty.remove();
    chatEl.appendChild(node);
  }
  function showEmpty() {
    chatEl.appendChild(h('div', { class: 'empty', 'data-testid': 'empty' }, '“hi” అని పంపి మొదలుపెట్టండి · ', h('span', { lang: 'en', text: 'Send “hi” to start' })));
  }

  function ingest(entry) {
    var known = state.entries.get(entry.seq);
    if (known) {
      if (known.entry.status !== entry.status) {
        known.entry.status = entry.status;
        known.entry.error = entry.error;
        if (known.row) {
          var old = known.row.querySelector('.ticks');
          if (old) old.replaceWith(ticks(entry));
          if (entry.status === 'failed' && !known.row.querySelector('.failed-note')) { known.row.classList.add('failed'); known.row.querySelector('.stack').appendChild(failure(entry)); }
        }
      }
      if (entry.status === 'read') state.unread.delete(entry.seq);
      return;
    }
    state.lastSeq = Math.max(state.lastSeq, entry.seq);
    var rec = { entry: entry, row: null };
    state.entries.set(entry.seq, rec);
    state.byWamid.set(entry.wamid, rec);
    if (entry.direction === 'in' && entry.status !== 'read') state.unread.set(entry.seq, Date.now());
    if (entry.message && entry.message.type === 'reaction') { react(entry); return; }

    var k = dayKey(entry.at);
    if (k !== state.lastDay) {
      addNode(h('div', { class: 'day', 'data-testid': 'day', text: dayLabel(entry.at) }));
      state.lastDay = k;
      state.lastDir = null;
    }
    var row = render(entry);
    if (state.lastDir !== entry.direction) row.classList.add('first');
    state.lastDir = entry.direction;
    if (entry.status === 'failed') { row.classList.add('failed'); row.querySelector('.stack').appendChild(failure(entry)); }
    rec.row = row;
    if (entry.direction === 'out') state.lastBot = entry;
    addNode(row);
  }

  // ---- polling ----
  var timer = null, inFlight = false, again = false;
  function pollSoon() {
    if (inFlight) { again = true; return; }
    clearTimeout(timer);
    timer = setTimeout(poll, 30);
  }
  function poll() {
    clearTimeout(timer);
    inFlight = true;
    again = false;
    var gen = state.gen;
    // Re-read from the oldest citizen message not yet read (for two minutes), so its ticks turn blue.
    var after = state.lastSeq;
    var now = Date.now();
    state.unread.forEach(function (seen, seq) {
      if (now - seen > 120000) state.unread.delete(seq);
      else after = Math.min(after, seq - 1);
    });
    fetch(BASE + '/api/citizens/' + encodeURIComponent(state.wa) + '/messages?after=' + after, { cache: 'no-store' })
      .then(function (r) { if (!r.ok) throw new Error('HTTP ' + r.status); return r.json(); })
      .then(function (j) {
        if (gen !== state.gen) return;
        setOnline(true);
        setTyping(j.typing === true);
        var first = state.entries.size === 0;
        var stuck = stick || nearBottom();
        var before = state.lastSeq;
        (j.messages || []).forEach(ingest);
        if (first && !state.entries.size && !chatEl.querySelector('.empty')) showEmpty();
        if (state.lastSeq !== before && (first || stuck)) { toBottom(); stick = true; }
      })
      .catch(function () { if (gen === state.gen) setOnline(false); })
      .then(function () {
        inFlight = false;
        timer = setTimeout(poll, again ? 30 : POLL_MS);
      });
  }

  // ---- the list sheet ----
  var sheetFor = null;
  function openSheet(entry) {
    var a = (entry.message.interactive && entry.message.interactive.action) || {};
    sheetFor = entry;
    $('sheet-title').textContent = a.button || '';
    var body = $('sheet-body');
    body.textContent = '';
    (a.sections || []).forEach(function (s) {
      if (s.title) body.appendChild(h('div', { class: 'sec-title', 'data-testid': 'list-section', text: s.title }));
      (s.rows || []).forEach(function (row) {
        var more = String(row.id).indexOf('~p:') === 0;
        body.appendChild(h('button', {
          type: 'button', class: 'list-row' + (more ? ' more' : ''), 'data-testid': 'list-row', 'data-id': row.id,
          onclick: function () { closeSheet(); tap('list_reply', entry, { id: row.id, title: row.title }); }
        }, h('span', { class: 'words' }, h('span', { class: 't', text: row.title }), row.description ? h('span', { class: 'd', text: row.description }) : null), h('span', { class: 'radio' })));
      });
    });
    $('sheet').hidden = false;
    var firstRow = body.querySelector('button');
    if (firstRow) firstRow.focus({ preventScroll: true });
  }
  function closeSheet() { $('sheet').hidden = true; sheetFor = null; }
  $('sheet-close').addEventListener('click', closeSheet);
  $('sheet').addEventListener('click', function (e) { if (e.target === $('sheet')) closeSheet(); });

  // ---- composer ----
  function grow() {
    composer.style.height = '44px';
    composer.style.height = Math.min(composer.scrollHeight, 140) + 'px';
  }
  composer.addEventListener('input', grow);
  composer.addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); sendText(); }
  });
  $('send').addEventListener('click', sendText);

  // ---- attachments and the other things a citizen can send ----
  var menu = $('attach-menu');
  function toggleMenu(open) {
    menu.hidden = !open;
    $('attach').setAttribute('aria-expanded', String(open));
  }
  $('attach').addEventListener('click', function () { toggleMenu(menu.hidden); });
  document.addEventListener('click', function (e) {
    if (!menu.hidden && !menu.contains(e.target) && !$('attach').contains(e.target)) toggleMenu(false);
  });
  document.addEventListener('keydown', function (e) {
    if (e.key === 'Escape') { toggleMenu(false); closeSheet(); }
  });
  menu.addEventListener('click', function (e) {
    var b = e.target.closest('button[data-act]');
    if (!b) return;
    toggleMenu(false);
    var act = b.getAttribute('data-act');
    if (act === 'photo') $('file-photo').click();
    else if (act === 'document') $('file-document').click();
    else if (act === 'location') send(DEMO_LOCATION).catch(function () {});
    else if (act === 'contact') send(DEMO_CONTACT).catch(function () {});
    else if (act === 'unknown') send({ type: 'unknown' }).catch(function () {});
    else if (act === 'reaction') {
      if (!state.lastBot) { toast('స్పందించడానికి మిత్ర సందేశం లేదు · No message from Mitra to react to'); return; }
      send({ type: 'reaction', messageId: state.lastBot.wamid, emoji: '👍' }).catch(function () {});
    }
  });
  function attachFile(input, type) {
    input.addEventListener('change', function () {
      var file = input.files && input.files[0];
      input.value = '';
      if (!file) return;
      var caption = composer.value.trim();
      upload(file).then(function (id) {
        var action = { type: type, mediaId: id };
        if (type === 'document') action.filename = file.name;
        if (caption) { action.caption = caption; composer.value = ''; grow(); }
        return send(action);
      }).catch(function () {});
    });
  }
  attachFile($('file-photo'), 'image');
  attachFile($('file-document'), 'document');

  // ---- which citizen we are ----
  function recent() {
    try { return JSON.parse(localStorage.getItem('mitra.numbers') || '[]'); } catch (e) { return []; }
  }
  function remember(wa) {
    var list = [wa].concat(recent().filter(function (n) { return n !== wa; })).slice(0, 8);
    try { localStorage.setItem('mitra.numbers', JSON.stringify(list)); } catch (e) { /* private mode */ }
    fillNumbers(list);
  }
  function fillNumbers(list) {
    var dl = $('numbers');
    dl.textContent = '';
    list.forEach(function (n) { dl.appendChild(h('option', { value: n })); });
  }
  function switchTo(wa) {
    if (!/^\d{6,15}$/.test(wa)) {
      numberEl.classList.add('invalid');
      toast('నంబర్‌లో 6 నుండి 15 అంకెలు ఉండాలి · A number has 6 to 15 digits');
      return;
    }
    numberEl.classList.remove('invalid');
    if (state && wa === state.wa) return;
    reset(wa);
    closeSheet();
    chatEl.textContent = '';
    stick = true;
    numberEl.value = wa;
    var u = new URL(location.href);
    u.searchParams.set('wa', wa);
    history.replaceState(null, '', u.pathname + u.search + u.hash);
    pollSoon();
  }
  numberEl.addEventListener('change', function () { switchTo(numberEl.value.replace(/[^\d]/g, '')); });
  numberEl.addEventListener('keydown', function (e) { if (e.key === 'Enter') { e.preventDefault(); numberEl.blur(); switchTo(numberEl.value.replace(/[^\d]/g, '')); } });

  fillNumbers(recent());
  var start = (new URLSearchParams(location.search).get('wa') || '').replace(/[^\d]/g, '');
  switchTo(/^\d{6,15}$/.test(start) ? start : DEFAULT_NUMBER);
  composer.focus();
})();
</script>
</body>
</html>
`;
