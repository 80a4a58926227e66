// The back office's browser script: a small single-page app in plain JavaScript (no framework, no
// build). It talks only to the JSON API on the same origin, with the session cookie, and sends the
// session's CSRF token on every change:
//   POST/GET/DELETE /api/v1/session     sign in, who am I, sign out
//   GET  /api/v1/dashboard              the figures at the top of the queue
//   GET  /api/v1/cases?…                the queue (filters, sort, limit/offset)
//   GET  /api/v1/cases/:id              one case with its answers, stages, events and actions
//   POST /api/v1/cases/:id/actions      approve, reject, return, reassign, comment
// Screens follow the address (/office, /office?status=…, /office/cases/123), so links, reloads and the
// back button work. Everything the API sends is put in the page as text, never as HTML.
// Written with String.raw: it must not contain a backtick or a dollar-brace.

export const OFFICE_JS = String.raw`
(function () {
  'use strict';
  var DATA = JSON.parse(document.getElementById('office-data').textContent);
  var S = DATA.strings;
  var LANG_KEY = 'mitra.office.lang';
  var STATUSES = ['submitted', 'in_progress', 'returned', 'reopened', 'approved', 'rejected', 'resolved', 'closed'];
  var FINISHED = ['approved', 'rejected', 'closed'];
  var PAGE = 25;
  var ACTIONS = {
    approve: { kind: 'primary', fields: [{ name: 'note', label: 'action.approve.field', optional: true, max: 2000 }], hint: 'action.approve.hint' },
    reject: { kind: 'warning', fields: [{ name: 'reason', label: 'action.reject.field', need: 'action.reject.need', max: 2000 }] },
    'return': { kind: 'secondary', fields: [{ name: 'message', label: 'action.return.field', need: 'action.return.need', max: 1000 }] },
    reassign: { kind: 'secondary', fields: [{ name: 'officerId', label: 'action.reassign.field', need: 'action.reassign.need', number: true }, { name: 'note', label: 'action.reassign.note', optional: true, max: 2000 }] },
    comment: { kind: 'secondary', fields: [{ name: 'note', label: 'action.comment.field', need: 'action.comment.need', max: 4000 }] }
  };

  var state = {
    lang: readLang(),
    officer: null,
    csrf: '',
    screen: { name: 'loading' },
    signin: { username: '', password: '', notice: null, error: null, busy: false },
    seen: { services: {}, districts: {} },
    lastQueue: '/office'
  };
  var seq = 0;

  // ---------- words ----------
  function readLang() {
    try {
      var v = window.localStorage.getItem(LANG_KEY);
      return v === 'en' || v === 'te' ? v : 'te';
    } catch (e) {
      return 'te';
    }
  }
  function t(key, vars) {
    var s = (S[state.lang] && S[state.lang][key]) || S.en[key] || key;
    if (vars) s = s.replace(/\{(\w+)\}/g, function (m, k) { return vars[k] === undefined || vars[k] === null ? m : String(vars[k]); });
    return s;
  }
  function bi(b) {
    if (b === null || b === undefined) return '';
    if (typeof b === 'string') return b;
    return b[state.lang] || b.en || b.te || '';
  }
  function locale() { return state.lang === 'te' ? 'te-IN' : 'en-IN'; }
  function when(iso) {
    if (!iso) return '—';
    var d = new Date(iso);
    if (isNaN(d.getTime())) return String(iso);
    try {
      return new Intl.DateTimeFormat(locale(), { day: 'numeric', month: 'short', year: 'numeric', hour: 'numeric', minute: '2-digit', timeZone: 'Asia/Kolkata' }).format(d);
    } catch (e) {
      return d.toISOString();
    }
  }
  function num(n, digits) {
    try {
      return new Intl.NumberFormat(locale(), { maximumFractionDigits: digits || 0 }).format(n);
    } catch (e) {
      return String(n);
    }
  }
  function days(n) { return n === 1 ? t('days1') : t('days', { n: num(n, 1) }); }
  function span(hours) {
    var d = Math.floor(hours / 24);
    var h = hours % 24;
    var parts = [];
    if (d) parts.push(d + ' ' + t(d === 1 ? 'unit.d1' : 'unit.dn'));
    if (h || !d) parts.push(h + ' ' + t(h === 1 ? 'unit.h1' : 'unit.hn'));
    return parts.join(' ');
  }
  function pretty(slug) {
    return String(slug).split('-').map(function (w) { return w ? w.charAt(0).toUpperCase() + w.slice(1) : w; }).join(' ');
  }
  function districtName(id) {
    if (!id) return '—';
    var d = DATA.districts && DATA.districts[id];
    return d ? bi(d) : pretty(id);
  }
  function officeName(office) {
    if (office === '' || office === null || office === undefined) return t('office.state');
    if (office.indexOf('/') < 0) return districtName(office);
    var m = DATA.mandals && DATA.mandals[office];
    return m ? bi(m) : pretty(office.split('/').pop());
  }
  function deptName(code) {
    if (!code) return '—';
    var d = DATA.departments && DATA.departments[code];
    return d ? bi(d) : code;
  }
  function statusText(s) { return S.en['status.' + s] ? t('status.' + s) : String(s); }
  function actionText(a) { return S.en['action.' + a] ? t('action.' + a) : String(a); }
  function eventText(a) { return S.en['event.' + a] ? t('event.' + a) : String(a); }
  function who(actor) {
    var a = String(actor || '');
    if (a.indexOf('officer:') === 0) {
      var id = a.slice(8);
      return state.officer && String(state.officer.id) === id ? t('who.you') : t('who.officer', { id: id });
    }
    if (a.indexOf('citizen:') === 0) return t('who.citizen');
    if (a === 'system') return t('who.system');
    return a;
  }
  function sla(c) {
    if (c.slaHoursLeft === null || c.slaHoursLeft === undefined) {
      return c.status === 'returned' ? { text: t('sla.waiting'), cls: 'sla-wait' } : { text: '—', cls: '' };
    }
    var left = c.slaHoursLeft;
    if (left < 0) return { text: t('sla.overdue', { t: span(-left) }), cls: 'sla-over', over: true };
    return { text: t('sla.left', { t: span(left) }), cls: left < 24 ? 'sla-soon' : '' };
  }

  // ---------- the DOM, built as nodes (text is never parsed as HTML) ----------
  function h(tag, props) {
    var el = document.createElement(tag);
    if (props) {
      for (var k in props) {
        var v = props[k];
        if (v === null || v === undefined || v === false) continue;
        if (k === 'text') el.textContent = v;
        else if (k === 'class') el.className = v;
        else if (k.slice(0, 2) === 'on') el.addEventListener(k.slice(2), v);
        else if (k === 'value') el.value = v;
        else if (k === 'checked') el.checked = true;
        else el.setAttribute(k, v === true ? '' : String(v));
      }
    }
    for (var i = 2; i < arguments.length; i++) add(el, arguments[i]);
    return el;
  }
  function add(el, c) {
    if (c === null || c === undefined || c === false) return;
    if (Array.isArray(c)) { c.forEach(function (x) { add(el, x); }); return; }
    el.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
  }
  function link(href, text, props) {
    var p = props || {};
    p.href = href;
    p['data-nav'] = '';
    p.text = text;
    return h('a', p);
  }

  // ---------- the API ----------
  function ApiError(status, code, message, extra) {
    this.status = status;
    this.code = code;
    this.message = message;
    this.extra = extra || {};
  }
  function api(method, path, body) {
    var headers = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (method !== 'GET' && state.csrf) headers['x-csrf-token'] = state.csrf;
    return fetch(path, { method: method, headers: headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin', cache: 'no-store' })
      .then(function (res) {
        if (res.status === 204) return null;
        return res.json().catch(function () { return null; }).then(function (payload) {
          if (res.ok) return payload;
          var e = payload && payload.error ? payload.error : {};
          throw new ApiError(res.status, e.code || 'http_' + res.status, e.message || '', e);
        });
      }, function () {
        throw new ApiError(0, 'network', '');
      });
  }
  function errorText(e) {
    if (!(e instanceof ApiError)) return t('error.server');
    if (e.status === 0) return t('error.network');
    if (e.status >= 500) return t('error.server');
    if (e.code === 'csrf') return t('error.csrf');
    return t('error.request', { message: e.message || e.code });
  }
  /** A 401 anywhere: the session is gone; sign in again, then carry on at the same address. */
  function lostSession(e) {
    if (!(e instanceof ApiError) || e.status !== 401) return false;
    state.officer = null;
    state.csrf = '';
    state.signin = { username: state.signin.username, password: '', notice: 'signin.ended', error: null, busy: false };
    state.screen = { name: 'signin' };
    paint(true);
    return true;
  }

  // ---------- where we are ----------
  function parseRoute() {
    var p = location.pathname.replace(/\/+$/, '');
    if (p === '/office') return { name: 'queue' };
    var m = /^\/office\/cases\/([^\/]+)$/.exec(p);
    if (m) return { name: 'case', id: decodeURIComponent(m[1]) };
    return { name: 'missing' };
  }
  function go(url) {
    history.pushState(null, '', url);
    window.scrollTo(0, 0);
    route();
  }
  function route() {
    if (!state.officer) {
      state.screen = { name: 'signin' };
      paint(true);
      return;
    }
    var r = parseRoute();
    if (r.name === 'queue') loadQueue();
    else if (r.name === 'case') loadCase(r.id, null);
    else {
      state.screen = { name: 'missing' };
      paint(true);
    }
  }
  window.addEventListener('popstate', route);
  document.addEventListener('click', function (ev) {
    var a = ev.target && ev.target.closest ? ev.target.closest('a[data-nav]') : null;
    if (!a || ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
    ev.preventDefault();
    go(a.getAttribute('href'));
  });

  function start() {
    state.screen = { name: 'loading' };
    paint(false);
    api('GET', '/api/v1/session').then(function (s) {
      state.officer = s.officer;
      state.csrf = s.csrfToken;
      route();
    }, function (e) {
      if (e instanceof ApiError && e.status === 401) {
        state.screen = { name: 'signin' };
        paint(true);
        return;
      }
      state.screen = { name: 'error', message: errorText(e), retry: start };
      paint(true);
    });
  }

  // ---------- painting ----------
  function paint(focus) {
    document.documentElement.lang = state.lang;
    var active = document.activeElement;
    var langFocus = active && active.getAttribute && active.getAttribute('data-lang');
    renderChrome();
    var main = document.getElementById('main');
    var s = state.screen;
    var view = s.name === 'signin' ? signinView()
      : s.name === 'queue' ? queueView(s)
      : s.name === 'case' ? caseView(s)
      : s.name === 'notfound' ? notFoundView(s)
      : s.name === 'missing' ? missingView()
      : s.name === 'error' ? errorView(s)
      : loadingView();
    main.replaceChildren(view);
    document.title = titleOf(s) + ' · ' + t('app.name');
    if (langFocus) {
      var again = document.querySelector('[data-lang="' + langFocus + '"]');
      if (again) again.focus();
    } else if (focus) {
      var target = main.querySelector('[data-focus]') || main.querySelector('h1');
      if (target) {
        if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
        target.focus({ preventScroll: !target.hasAttribute('data-focus') });
      }
    }
  }
  function titleOf(s) {
    if (s.name === 'signin') return t('signin.title');
    if (s.name === 'queue') return queueTitle();
    if (s.name === 'case') return s.detail ? t('case.title', { reference: s.detail.case.reference }) : t('case.loading');
    if (s.name === 'notfound') return t('notfound.title');
    if (s.name === 'missing') return t('page.notfound');
    if (s.name === 'error') return t('error.title');
    return t('loading');
  }
  function queueTitle() {
    var role = state.officer && state.officer.role;
    return role === 'state_admin' ? t('queue.title.state') : role === 'department_admin' ? t('queue.title.department') : t('queue.title');
  }

  function setLang(v) {
    if (v === state.lang) return;
    state.lang = v;
    try { window.localStorage.setItem(LANG_KEY, v); } catch (e) { /* private mode: the choice lasts this visit */ }
    paint(false);
  }

  function renderChrome() {
    document.getElementById('govbar').textContent = t('app.gov');
    document.querySelector('.skip').textContent = t('app.skip');
    var header = document.getElementById('header');
    var o = state.officer;
    var tools = h('div', { class: 'tools' },
      o ? h('p', { class: 'who', 'data-testid': 'who' },
        h('strong', { text: o.displayName }),
        t('role.' + o.role) + ' · ' + (o.department ? deptName(o.department) + ' · ' : '') + officeName(o.office)) : null,
      h('div', { class: 'lang', role: 'group', 'aria-label': t('lang.label') },
        h('button', { type: 'button', lang: 'te', 'data-lang': 'te', 'data-testid': 'lang-te', 'aria-pressed': state.lang === 'te' ? 'true' : 'false', onclick: function () { setLang('te'); } }, 'తెలుగు'),
        h('button', { type: 'button', lang: 'en', 'data-lang': 'en', 'data-testid': 'lang-en', 'aria-pressed': state.lang === 'en' ? 'true' : 'false', onclick: function () { setLang('en'); } }, 'English')),
      o ? h('button', { type: 'button', class: 'header-btn', 'data-testid': 'signout', onclick: signOut }, t('signout')) : null);
    header.replaceChildren(h('div', { class: 'wrap header-inner' },
      h('a', { class: 'brand', href: '/office', 'data-nav': '' },
        h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, 'మి'),
        h('span', null, h('span', { class: 'brand-name' }, t('app.name')), h('span', { class: 'brand-sub' }, t('app.sub')))),
      tools));
    var foot = document.getElementById('footer');
    foot.replaceChildren(h('p', null, t('app.name') + ' · ' + t('app.gov') + ' · ', h('a', { href: '/api/docs' }, 'API')));
  }

  function loadingView() {
    return h('p', { class: 'muted', role: 'status', 'aria-live': 'polite' }, t('loading'));
  }
  function errorView(s) {
    return h('div', null,
      h('h1', null, t('error.title')),
      h('div', { class: 'notice error', role: 'alert', 'data-testid': 'error' }, h('p', null, s.message)),
      s.retry ? h('button', { type: 'button', class: 'btn', onclick: s.retry }, t('error.retry')) : null);
  }
  function missingView() {
    return h('div', null,
      h('h1', null, t('page.notfound')),
      h('p', null, t('page.notfound.body')),
      link('/office', t('case.back'), { class: 'back' }));
  }
  function notFoundView(s) {
    return h('div', { 'data-testid': 'not-found' },
      link(state.lastQueue, t('case.back'), { class: 'back' }),
      h('h1', null, t('notfound.title')),
      h('p', { class: 'lead' }, t('notfound.body')),
      s.message ? h('p', { class: 'muted small' }, t('notfound.api', { message: s.message })) : null);
  }

  // ---------- sign in ----------
  function signinView() {
    var si = state.signin;
    var err = si.error;
    var userInput = h('input', { class: 'input', id: 'username', name: 'username', type: 'text', autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false', 'data-testid': 'username', value: si.username, 'aria-invalid': err && err.field ? 'true' : null, 'aria-describedby': err ? 'signin-error' : null, oninput: function (e) { si.username = e.target.value; } });
    var passInput = h('input', { class: 'input', id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', 'data-testid': 'password', value: si.password, 'aria-invalid': err && err.field ? 'true' : null, 'aria-describedby': err ? 'signin-error' : null, oninput: function (e) { si.password = e.target.value; } });
    var form = h('form', { novalidate: true, 'data-testid': 'signin-form', onsubmit: function (ev) { ev.preventDefault(); signIn(); } },
      h('div', { class: 'field' }, h('label', { for: 'username' }, t('signin.username')), userInput),
      h('div', { class: 'field' }, h('label', { for: 'password' }, t('signin.password')), passInput),
      h('button', { type: 'submit', class: 'btn', 'data-testid': 'signin-submit', disabled: si.busy }, si.busy ? t('signin.busy') : t('signin.submit')));
    return h('div', { class: 'signin' },
      h('h1', null, t('signin.title')),
      h('p', { class: 'lead' }, t('signin.lead')),
      si.notice && !err ? h('div', { class: 'notice', role: 'status', 'data-testid': 'signin-notice' }, h('p', null, t(si.notice))) : null,
      err ? h('div', { class: 'notice error', role: 'alert', id: 'signin-error', 'data-testid': 'signin-error', tabindex: '-1' }, h('p', null, err.text())) : null,
      form);
  }
  function signIn() {
    var si = state.signin;
    if (si.busy) return;
    if (!si.username.trim() || !si.password) {
      si.error = { field: true, text: function () { return t('signin.empty'); } };
      paint(false);
      document.getElementById(si.username.trim() ? 'password' : 'username').focus();
      return;
    }
    si.busy = true;
    si.error = null;
    paint(false);
    api('POST', '/api/v1/session', { username: si.username.trim(), password: si.password }).then(function (s) {
      state.officer = s.officer;
      state.csrf = s.csrfToken;
      state.signin = { username: '', password: '', notice: null, error: null, busy: false };
      route();
    }, function (e) {
      si.busy = false;
      si.password = '';
      if (e.status === 401) {
        si.error = { field: true, text: function () { return t('signin.wrong'); } };
      } else if (e.status === 429) {
        var secs = Number(e.extra.retryAfterSeconds) || 60;
        var mins = Math.max(1, Math.ceil(secs / 60));
        si.error = { field: false, text: function () { return mins === 1 ? t('signin.locked1') : t('signin.locked', { n: mins }); } };
      } else {
        var text = errorText(e);
        si.error = { field: false, text: function () { return text; } };
      }
      paint(false);
      var p = document.getElementById('password');
      if (p) p.focus();
    });
  }
  function signOut() {
    api('DELETE', '/api/v1/session').catch(function () { return null; }).then(function () {
      state.officer = null;
      state.csrf = '';
      state.signin = { username: '', password: '', notice: 'signin.out', error: null, busy: false };
      history.pushState(null, '', '/office');
      state.screen = { name: 'signin' };
      paint(true);
    });
  }

  // ---------- the queue ----------
  function queryFromUrl() {
    var p = new URLSearchParams(location.search);
    var int = function (v, d, min, max) { var n = parseInt(v || '', 10); return isNaN(n) ? d : Math.min(Math.max(n, min), max); };
    var sort = p.get('sort');
    var status = p.get('status');
    return {
      service: p.get('service') || '',
      status: STATUSES.indexOf(status) >= 0 ? status : '',
      district: p.get('district') || '',
      overdue: p.get('overdue') === 'true',
      all: p.get('all') === 'true',
      sort: sort === 'newest' || sort === 'oldest' ? sort : 'sla',
      limit: int(p.get('limit'), PAGE, 1, 200),
      offset: int(p.get('offset'), 0, 0, 1000000)
    };
  }
  function queueUrl(q, offset) {
    var p = new URLSearchParams();
    if (q.service) p.set('service', q.service);
    if (q.status) p.set('status', q.status);
    if (q.district) p.set('district', q.district);
    if (q.overdue) p.set('overdue', 'true');
    if (q.all) p.set('all', 'true');
    if (q.sort !== 'sla') p.set('sort', q.sort);
    if (q.limit !== PAGE) p.set('limit', String(q.limit));
    if (offset) p.set('offset', String(offset));
    var s = p.toString();
    return '/office' + (s ? '?' + s : '');
  }
  function apiQuery(q) {
    var p = new URLSearchParams();
    if (q.service) p.set('service', q.service);
    if (q.status) p.set('status', q.status);
    if (q.district) p.set('district', q.district);
    if (q.overdue) p.set('overdue', 'true');
    if (q.all || FINISHED.indexOf(q.status) >= 0) p.set('all', 'true');
    p.set('sort', q.sort);
    p.set('limit', String(q.limit));
    p.set('offset', String(q.offset));
    return p.toString();
  }
  function remember(cases) {
    cases.forEach(function (c) {
      state.seen.services[c.service.id] = c.service.name;
      if (c.district) state.seen.districts[c.district] = true;
    });
  }
  function loadQueue() {
    var q = queryFromUrl();
    var mine = ++seq;
    state.lastQueue = location.pathname + location.search;
    var before = state.screen;
    state.screen = { name: 'queue', query: q, loading: true, cases: before.name === 'queue' ? before.cases : null, dash: before.name === 'queue' ? before.dash : null };
    paint(before.name !== 'queue');
    Promise.all([api('GET', '/api/v1/cases?' + apiQuery(q)), api('GET', '/api/v1/dashboard')]).then(function (r) {
      if (mine !== seq) return;
      remember(r[0].cases);
      state.screen = { name: 'queue', query: q, cases: r[0].cases, dash: r[1] };
      paint(false);
    }, function (e) {
      if (mine !== seq || lostSession(e)) return;
      state.screen = { name: 'queue', query: q, error: errorText(e), cases: null, dash: null };
      paint(false);
    });
  }
  function figure(key, value, opts) {
    var o = opts || {};
    return h('li', { class: 'figure' + (o.alert ? ' alert' : ''), 'data-testid': 'dash-' + key },
      h('span', { class: 'n' + (o.alert ? ' alert' : o.none ? ' none' : '') }, value),
      h('span', { class: 'what' }, t('dash.' + key)),
      o.note ? h('span', { class: 'note' }, o.note) : null);
  }
  function dashboardView(d) {
    if (!d) return null;
    var none = d.averageDaysToResolve === null || d.averageDaysToResolve === undefined;
    var avg = none ? '—' : days(Math.round(d.averageDaysToResolve * 10) / 10);
    return h('section', { 'aria-labelledby': 'dash-title', 'data-testid': 'dashboard' },
      h('h2', { id: 'dash-title', class: 'visually-hidden' }, t('dash.title')),
      h('ul', { class: 'figures' },
        figure('open', num(d.open)),
        figure('overdue', num(d.overdue), { alert: d.overdue > 0 }),
        figure('resolved', num(d.resolvedThisWeek)),
        figure('average', avg, { none: none, note: none ? t('dash.none') : t('dash.average.note') }),
        figure('escalated', num(d.escalated), { alert: d.escalated > 0 }),
        figure('unstaffed', num(d.unstaffed), { alert: d.unstaffed > 0 })));
  }
  function option(value, text, selected) {
    return h('option', { value: value, selected: selected ? 'selected' : null }, text);
  }
  function serviceOptions(current) {
    var dept = state.officer && state.officer.department;
    var list = (DATA.services || []).filter(function (s) { return !dept || s.department === dept; });
    var known = {};
    var opts = [option('', t('filter.service.any'), !current)];
    var byDept = {};
    list.forEach(function (s) { known[s.id] = true; (byDept[s.department] = byDept[s.department] || []).push(s); });
    Object.keys(state.seen.services).forEach(function (id) {
      if (!known[id]) { known[id] = true; (byDept['?'] = byDept['?'] || []).push({ id: id, name: state.seen.services[id] }); }
    });
    if (current && !known[current]) (byDept['?'] = byDept['?'] || []).push({ id: current, name: current });
    var depts = Object.keys(byDept);
    var sortByName = function (a, b) { return bi(a.name).localeCompare(bi(b.name), locale()); };
    depts.forEach(function (code) {
      var items = byDept[code].sort(sortByName).map(function (s) { return option(s.id, bi(s.name), s.id === current); });
      if (depts.length > 1 && code !== '?') opts.push(h('optgroup', { label: deptName(code) }, items));
      else opts.push(items);
    });
    return opts;
  }
  function districtOptions(current) {
    var ids = Object.keys(DATA.districts || {});
    Object.keys(state.seen.districts).forEach(function (id) { if (ids.indexOf(id) < 0) ids.push(id); });
    if (current && ids.indexOf(current) < 0) ids.push(current);
    ids.sort(function (a, b) { return districtName(a).localeCompare(districtName(b), locale()); });
    return [option('', t('filter.district.any'), !current)].concat(ids.map(function (id) { return option(id, districtName(id), id === current); }));
  }
  function filtersView(q) {
    var active = (q.service ? 1 : 0) + (q.status ? 1 : 0) + (q.district ? 1 : 0) + (q.overdue ? 1 : 0) + (q.all ? 1 : 0);
    // Open on a desk, folded on a phone (unless a filter is on); the officer's own choice sticks.
    if (state.filtersOpen === undefined) state.filtersOpen = active > 0 || !window.matchMedia || window.matchMedia('(min-width: 761px)').matches;
    var form = h('form', { role: 'search', 'aria-labelledby': 'filters-title', 'data-testid': 'filters', onsubmit: function (ev) {
      ev.preventDefault();
      var f = ev.target;
      go(queueUrl({
        service: f.elements.service.value,
        status: f.elements.status.value,
        district: f.elements.district.value,
        overdue: f.elements.overdue.checked,
        all: f.elements.all.checked,
        sort: f.elements.sort.value,
        limit: q.limit
      }, 0));
    } },
      h('div', { class: 'filter-grid' },
        h('div', { class: 'field' }, h('label', { for: 'f-service' }, t('filter.service')),
          h('select', { class: 'select', id: 'f-service', name: 'service', 'data-testid': 'filter-service' }, serviceOptions(q.service))),
        h('div', { class: 'field' }, h('label', { for: 'f-status' }, t('filter.status')),
          h('select', { class: 'select', id: 'f-status', name: 'status', 'data-testid': 'filter-status' },
            [option('', t('filter.status.any'), !q.status)].concat(STATUSES.map(function (s) { return option(s, statusText(s), s === q.status); })))),
        h('div', { class: 'field' }, h('label', { for: 'f-district' }, t('filter.district')),
          h('select', { class: 'select', id: 'f-district', name: 'district', 'data-testid': 'filter-district' }, districtOptions(q.district))),
        h('div', { class: 'field' }, h('label', { for: 'f-sort' }, t('filter.sort')),
          h('select', { class: 'select', id: 'f-sort', name: 'sort', 'data-testid': 'sort' },
            option('sla', t('sort.sla'), q.sort === 'sla'), option('newest', t('sort.newest'), q.sort === 'newest'), option('oldest', t('sort.oldest'), q.sort === 'oldest')))),
      h('div', { class: 'filter-actions' },
        h('div', { class: 'check' }, h('input', { type: 'checkbox', id: 'f-overdue', name: 'overdue', 'data-testid': 'filter-overdue', checked: q.overdue }), h('label', { for: 'f-overdue' }, t('filter.overdue'))),
        h('div', { class: 'check' }, h('input', { type: 'checkbox', id: 'f-all', name: 'all', 'data-testid': 'filter-all', checked: q.all }), h('label', { for: 'f-all' }, t('filter.all'))),
        h('button', { type: 'submit', class: 'btn', 'data-testid': 'filter-apply' }, t('filter.apply')),
        link(queueUrl({ service: '', status: '', district: '', overdue: false, all: false, sort: 'sla', limit: q.limit }, 0), t('filter.clear'))));
    return h('details', { class: 'filters', open: state.filtersOpen || active > 0, ontoggle: function (ev) { state.filtersOpen = ev.target.open; } },
      h('summary', { 'data-testid': 'filters-toggle' }, h('span', { id: 'filters-title' }, t('filter.title')), active ? h('span', { class: 'count' }, ' (' + active + ')') : null),
      form);
  }
  function statusTag(s) {
    return h('span', { class: 'tag s-' + s, 'data-testid': 'status', 'data-status': s }, statusText(s));
  }
  function escalationBadge(c) {
    if (!c.escalation) return null;
    return h('span', { class: 'badge escalated', 'data-testid': 'badge-escalated' }, c.escalation === 1 ? t('badge.escalated') : t('badge.escalatedN', { n: c.escalation }));
  }
  function unstaffedBadge(c) {
    return c.unstaffed ? h('span', { class: 'badge unstaffed', 'data-testid': 'badge-unstaffed' }, t('badge.unstaffed')) : null;
  }
  function casesTable(s) {
    var q = s.query;
    var state_ = state.officer && state.officer.role === 'state_admin';
    var cols = ['reference', 'service'].concat(state_ ? ['department'] : []).concat(['status', 'stage', 'office', 'district', 'sla']);
    var head = h('tr', null, cols.map(function (c) {
      return h('th', { scope: 'col', 'aria-sort': c === 'sla' && q.sort === 'sla' ? 'ascending' : null }, t('col.' + c));
    }));
    var rows = s.cases.map(function (c) {
      var left = sla(c);
      var cells = {
        reference: h('td', null, link('/office/cases/' + c.id, c.reference, { class: 'ref', 'data-testid': 'case-link' })),
        service: h('td', null, bi(c.service.name)),
        department: h('td', null, deptName(c.department), h('span', { class: 'sub' }, c.department)),
        status: h('td', null, statusTag(c.status)),
        stage: h('td', null, c.stage ? [bi(c.stage.name), h('span', { class: 'sub', 'data-testid': 'stage-role' }, c.stage.role)] : '—'),
        office: h('td', null, officeName(c.office), c.unstaffed ? h('span', { class: 'badges' }, unstaffedBadge(c)) : null),
        district: h('td', null, districtName(c.district)),
        sla: h('td', null, h('span', { class: 'sla ' + left.cls, 'data-testid': 'sla' }, left.text), c.escalation ? h('span', { class: 'badges' }, escalationBadge(c)) : null)
      };
      return h('tr', { 'data-testid': 'case-row', 'data-id': c.id, 'data-reference': c.reference, class: left.over ? 'over' : null },
        cols.map(function (col) {
          // One box per cell, so on a phone the cell is two columns: its label, then its content.
          var td = cells[col];
          var box = h('div', { class: 'cell' });
          while (td.firstChild) box.appendChild(td.firstChild);
          td.appendChild(box);
          td.setAttribute('data-label', t('col.' + col));
          return td;
        }));
    });
    return h('div', { class: 'table-wrap' },
      h('table', { class: 'cases', 'data-testid': 'queue' },
        h('caption', null, t('queue.caption')),
        h('thead', null, head),
        h('tbody', null, rows)));
  }
  function pager(s) {
    var q = s.query;
    var n = s.cases.length;
    var more = n === q.limit;
    var prev = q.offset > 0;
    if (!prev && !more) return n ? h('p', { class: 'muted', 'data-testid': 'showing' }, t('queue.showing', { from: q.offset + 1, to: q.offset + n })) : null;
    return h('nav', { class: 'pager', 'aria-label': t('page.nav') },
      h('p', { class: 'muted', 'data-testid': 'showing' }, n ? t('queue.showing', { from: q.offset + 1, to: q.offset + n }) : ''),
      h('div', { class: 'links' },
        prev ? link(queueUrl(q, Math.max(0, q.offset - q.limit)), '‹ ' + t('page.prev'), { rel: 'prev', 'data-testid': 'page-prev' }) : h('span', { class: 'off' }, '‹ ' + t('page.prev')),
        more ? link(queueUrl(q, q.offset + q.limit), t('page.next') + ' ›', { rel: 'next', 'data-testid': 'page-next' }) : h('span', { class: 'off' }, t('page.next') + ' ›')));
  }
  function queueView(s) {
    var o = state.officer;
    var scope = o.role === 'state_admin' ? t('office.state') : deptName(o.department) + ' · ' + officeName(o.office);
    return h('div', { 'aria-busy': s.loading ? 'true' : 'false' },
      h('div', { class: 'page-head' },
        h('div', null, h('p', { class: 'caption' }, scope), h('h1', null, queueTitle()))),
      dashboardView(s.dash),
      filtersView(s.query),
      s.error ? h('div', { class: 'notice error', role: 'alert', 'data-testid': 'error' }, h('p', null, s.error), h('button', { type: 'button', class: 'btn secondary', onclick: loadQueue }, t('error.retry'))) : null,
      s.cases === null && !s.error ? loadingView() : null,
      s.cases && s.cases.length ? casesTable(s) : null,
      s.cases && !s.cases.length ? h('p', { class: 'empty', 'data-testid': 'queue-empty' }, t('queue.empty')) : null,
      s.cases ? pager(s) : null,
      s.loading && s.cases ? h('p', { class: 'visually-hidden', role: 'status' }, t('loading')) : null);
  }

  // ---------- one case ----------
  function loadCase(id, flash) {
    var mine = ++seq;
    var before = state.screen;
    if (before.name === 'case' && before.id === id && before.detail) {
      // Reloading the case on screen (after an action): keep it in view until the new one arrives.
      before.loading = true;
    } else {
      state.screen = { name: 'case', id: id, loading: true };
      paint(true);
    }
    api('GET', '/api/v1/cases/' + encodeURIComponent(id)).then(function (d) {
      if (mine !== seq) return;
      remember([d.case]);
      state.screen = { name: 'case', id: id, detail: d, flash: flash, form: null };
      paint(true);
    }, function (e) {
      if (mine !== seq || lostSession(e)) return;
      state.screen = e.status === 404 ? { name: 'notfound', message: e.message } : { name: 'error', message: errorText(e), retry: function () { loadCase(id, null); } };
      paint(true);
    });
  }
  function flashView(f, detail) {
    if (!f) return null;
    if (f.kind === 'conflict') {
      return h('div', { class: 'notice warn', role: 'alert', 'data-testid': 'flash', 'data-kind': 'conflict', 'data-focus': '', tabindex: '-1' }, h('p', null, t('action.conflict', { message: f.message })));
    }
    var c = detail.case;
    var text = c.stage
      ? t('action.done.stage', { action: eventText(f.action), status: statusText(c.status), stage: bi(c.stage.name) })
      : t('action.done', { action: eventText(f.action), status: statusText(c.status) });
    return h('div', { class: 'notice ok', role: 'status', 'data-testid': 'flash', 'data-kind': 'ok', 'data-focus': '', tabindex: '-1' }, h('p', null, text));
  }
  function row(label, value, testid) {
    return h('div', { class: 'row', 'data-testid': testid || null }, h('dt', null, label), h('dd', null, value));
  }
  function answersView(answers) {
    if (!answers || !answers.length) return h('p', { class: 'muted' }, t('case.answers.none'));
    return h('dl', { class: 'summary', 'data-testid': 'answers' }, answers.map(function (a) {
      var value;
      if (a.media) {
        value = h('span', { class: 'media', 'data-testid': 'media' },
          h('span', { class: 'tag' }, a.media.mimeType),
          h('span', { class: 'id' }, t('case.media.id') + ' ', h('code', { class: 'mono' }, a.media.mediaId)));
      } else if (a.location) {
        value = h('span', null, a.text);
      } else {
        value = a.text;
      }
      var r = row(bi(a.label), value);
      r.setAttribute('data-field', a.field);
      return r;
    }));
  }
  function stagesView(d) {
    var c = d.case;
    if (!d.stages || !d.stages.length) return null;
    var current = c.stage ? d.stages.findIndex(function (s) { return s.id === c.stage.id; }) : -1;
    var allDone = !c.stage && (c.status === 'approved' || c.status === 'resolved' || c.status === 'closed');
    return h('section', { class: 'panel', 'aria-labelledby': 'stages-title' },
      h('h2', { id: 'stages-title' }, t('case.stages')),
      h('ol', { class: 'stages', 'data-testid': 'stages' }, d.stages.map(function (s, i) {
        var isCurrent = i === current;
        var done = allDone || (current >= 0 && i < current);
        return h('li', { class: isCurrent ? 'current' : done ? 'done' : null, 'aria-current': isCurrent ? 'step' : null, 'data-testid': 'stage', 'data-stage': s.id },
          h('span', { class: 'name' }, bi(s.name)),
          h('span', { class: 'meta' }, t('case.stage.by', { role: s.role, level: S.en['level.' + s.level] ? t('level.' + s.level) : s.level, days: days(s.slaDays) })),
          isCurrent ? h('span', { class: 'mark' }, t('case.stage.current')) : done ? h('span', { class: 'mark' }, '✓ ' + t('case.stage.done')) : null);
      })));
  }
  function stageName(d, id) {
    var s = (d.stages || []).find(function (x) { return x.id === id; });
    return s ? bi(s.name) : String(id);
  }
  function eventView(d, e) {
    var data = e.data || {};
    var extra = [];
    if (e.fromStatus && e.toStatus && e.fromStatus !== e.toStatus) extra.push(statusText(e.fromStatus) + ' → ' + statusText(e.toStatus));
    if (e.action === 'approve' && data.from && data.to) extra.push(t('event.moved', { from: stageName(d, data.from), to: stageName(d, data.to) }));
    if (e.action === 'escalated' && typeof data.office === 'string') extra.push(t('event.escalatedTo', { office: officeName(data.office) }));
    if (e.action === 'reassign' && data.to) extra.push(t('event.reassignedTo', { id: data.to.officer, office: officeName(data.to.office) }));
    if (e.action === 'rate' && data.stars) extra.push(t('event.stars', { n: data.stars }));
    if (data.media) extra.push(t('event.media', { type: data.media.mimeType, id: data.media.mediaId }));
    return h('li', { 'data-testid': 'event', 'data-action': e.action },
      h('span', { class: 'what' }, eventText(e.action)),
      h('span', { class: 'meta' }, t('event.by', { who: who(e.actor) }) + ' · ', h('time', { datetime: e.at }, when(e.at))),
      extra.map(function (x) { return h('span', { class: 'change' }, x); }),
      e.note ? h('blockquote', { 'data-testid': 'event-note' }, e.note) : null);
  }
  function historyView(d) {
    var events = (d.events || []).slice().reverse();
    return h('section', { class: 'panel', 'aria-labelledby': 'history-title' },
      h('h2', { id: 'history-title' }, t('case.history')),
      events.length ? h('ol', { class: 'history', 'data-testid': 'history', reversed: true }, events.map(function (e) { return eventView(d, e); })) : h('p', { class: 'muted' }, t('case.history.none')));
  }
  function detailsView(d) {
    var c = d.case;
    return h('section', { class: 'panel', 'aria-labelledby': 'details-title' },
      h('h2', { id: 'details-title' }, t('case.details')),
      h('dl', { class: 'summary' },
        row(t('case.department'), deptName(c.department)),
        row(t('case.office'), [officeName(c.office), c.unstaffed ? h('span', { class: 'badges' }, unstaffedBadge(c)) : null]),
        row(t('case.district'), districtName(c.district)),
        c.mandal ? row(t('case.mandal'), officeName(c.mandal)) : null,
        row(t('case.submitted'), h('time', { datetime: c.submittedAt }, when(c.submittedAt))),
        c.stageDueAt ? row(t('case.due'), h('time', { datetime: c.stageDueAt }, when(c.stageDueAt))) : null,
        c.escalatedOffice !== null && c.escalatedOffice !== undefined ? row(t('case.escalatedTo'), officeName(c.escalatedOffice)) : null,
        c.rating ? row(t('case.rating'), t('event.stars', { n: c.rating })) : null,
        row(t('case.language'), c.language === 'en' ? t('case.language.en') : t('case.language.te'))));
  }
  function actionsView(s) {
    var d = s.detail;
    var known = (d.actions || []).filter(function (a) { return ACTIONS[a]; });
    var f = s.form;
    return h('section', { class: 'panel actions', 'aria-labelledby': 'actions-title', 'data-testid': 'actions' },
      h('h2', { id: 'actions-title' }, t('actions.title')),
      known.length ? h('div', { class: 'action-buttons' }, known.map(function (a) {
        var kind = ACTIONS[a].kind;
        return h('button', {
          type: 'button',
          class: 'btn' + (kind === 'primary' ? '' : ' ' + kind),
          'data-testid': 'action-' + a,
          'aria-expanded': f && f.action === a ? 'true' : 'false',
          'aria-controls': 'action-form',
          onclick: function () { openForm(a); }
        }, actionText(a));
      })) : h('p', { class: 'muted', 'data-testid': 'no-actions' }, t('actions.none')),
      f ? actionForm(s, f) : null);
  }
  function openForm(a) {
    var s = state.screen;
    s.form = { action: a, values: {}, error: null, busy: false };
    s.flash = null;
    paint(false);
    var first = document.querySelector('#action-form .input, #action-form .textarea');
    if (first) first.focus();
  }
  function actionForm(s, f) {
    var spec = ACTIONS[f.action];
    var fields = spec.fields.map(function (fl, i) {
      var id = 'af-' + fl.name;
      var invalid = f.error && f.error.field === fl.name;
      var props = {
        id: id,
        name: fl.name,
        'data-testid': i === 0 ? 'action-input' : 'action-input-' + fl.name,
        'aria-invalid': invalid ? 'true' : null,
        'aria-describedby': invalid ? 'action-error' : null,
        value: f.values[fl.name] || '',
        oninput: function (ev) { f.values[fl.name] = ev.target.value; }
      };
      var input = fl.number
        ? h('input', Object.assign(props, { class: 'input short', type: 'text', inputmode: 'numeric', autocomplete: 'off', pattern: '[0-9]*' }))
        : h('textarea', Object.assign(props, { class: 'textarea', rows: '3', maxlength: String(fl.max) }));
      return h('div', { class: 'field' }, h('label', { for: id }, t(fl.label)), input);
    });
    return h('form', { id: 'action-form', class: 'action-form', novalidate: true, 'data-testid': 'action-form', 'data-action': f.action, onsubmit: function (ev) { ev.preventDefault(); submitAction(s, f); } },
      h('h3', null, actionText(f.action)),
      spec.hint ? h('p', { class: 'hint' }, t(spec.hint)) : null,
      f.error ? h('div', { class: 'notice error', role: 'alert', id: 'action-error', 'data-testid': 'action-error' }, h('p', null, f.error.text())) : null,
      fields,
      h('div', { class: 'btn-row' },
        h('button', { type: 'submit', class: 'btn' + (spec.kind === 'warning' ? ' warning' : ''), 'data-testid': 'action-submit', disabled: f.busy }, f.busy ? t('action.busy') : actionText(f.action)),
        h('button', { type: 'button', class: 'btn secondary', 'data-testid': 'action-cancel', onclick: function () { s.form = null; paint(false); } }, t('action.cancel'))));
  }
  function submitAction(s, f) {
    if (f.busy) return;
    var spec = ACTIONS[f.action];
    var body = { action: f.action };
    for (var i = 0; i < spec.fields.length; i++) {
      var fl = spec.fields[i];
      var v = String(f.values[fl.name] || '').trim();
      if (fl.number) {
        if (!/^[0-9]{1,9}$/.test(v) || Number(v) < 1) { return fieldError(f, fl); }
        body[fl.name] = Number(v);
      } else if (v) {
        body[fl.name] = v;
      } else if (!fl.optional) {
        return fieldError(f, fl);
      }
    }
    f.busy = true;
    f.error = null;
    paint(false);
    api('POST', '/api/v1/cases/' + encodeURIComponent(s.id) + '/actions', body).then(function () {
      loadCase(s.id, { kind: 'ok', action: f.action });
    }, function (e) {
      if (lostSession(e)) return;
      if (e.status === 409) { loadCase(s.id, { kind: 'conflict', message: e.message }); return; }
      if (e.status === 404) { state.screen = { name: 'notfound', message: e.message }; paint(true); return; }
      f.busy = false;
      var text = errorText(e);
      f.error = { field: null, text: function () { return text; } };
      paint(false);
      var err = document.getElementById('action-error');
      if (err) { err.setAttribute('tabindex', '-1'); err.focus(); }
    });
  }
  function fieldError(f, fl) {
    f.error = { field: fl.name, text: function () { return t(fl.need); } };
    paint(false);
    var el = document.getElementById('af-' + fl.name);
    if (el) el.focus();
  }
  function certificateView(s) {
    var cert = s.detail.certificate;
    if (!cert) return null;
    var r = s.revoke;
    var day = function (iso) { return iso ? new Date(iso).toLocaleDateString(state.lang === 'te' ? 'te-IN' : 'en-IN', { timeZone: 'Asia/Kolkata', day: 'numeric', month: 'long', year: 'numeric' }) : '—'; };
    return h('section', { class: 'panel', 'aria-labelledby': 'cert-title', 'data-testid': 'certificate', 'data-state': cert.revokedAt ? 'revoked' : cert.state },
      h('h2', { id: 'cert-title' }, t('cert.title')),
      cert.revokedAt
        ? h('div', { class: 'notice warn', 'data-testid': 'cert-revoked' }, h('p', null, t('cert.revokedOn', { date: day(cert.revokedAt) })), cert.revokedReason ? h('blockquote', null, cert.revokedReason) : null)
        : h('p', { class: 'muted' }, t('cert.state.' + cert.state)),
      h('dl', { class: 'summary' },
        row(t('cert.number'), cert.number, 'cert-number'),
        row(t('cert.issued'), day(cert.issuedAt)),
        row(t('cert.valid'), cert.expiresAt ? day(cert.expiresAt) : t('cert.permanent'))),
      cert.link ? h('p', null, h('a', { href: cert.link, target: '_blank', rel: 'noopener', 'data-testid': 'cert-open' }, t('cert.open'))) : null,
      cert.revokedAt ? null : r
        ? h('form', { class: 'action-form', novalidate: true, 'data-testid': 'cert-revoke-form', onsubmit: function (ev) { ev.preventDefault(); revokeCertificate(s); } },
            h('p', { class: 'hint' }, t('cert.revoke.hint')),
            r.error ? h('div', { class: 'notice error', role: 'alert', id: 'cert-error', 'data-testid': 'cert-error' }, h('p', null, r.error)) : null,
            h('div', { class: 'field' }, h('label', { for: 'cert-reason' }, t('cert.revoke.reason')),
              h('textarea', { id: 'cert-reason', class: 'textarea', rows: '3', maxlength: '1000', 'data-testid': 'cert-reason', value: r.reason, oninput: function (ev) { r.reason = ev.target.value; } })),
            h('div', { class: 'btn-row' },
              h('button', { type: 'submit', class: 'btn warning', 'data-testid': 'cert-revoke-submit', disabled: r.busy }, r.busy ? t('action.busy') : t('cert.revoke')),
              h('button', { type: 'button', class: 'btn secondary', onclick: function () { s.revoke = null; paint(false); } }, t('action.cancel'))))
        : h('button', { type: 'button', class: 'btn warning', 'data-testid': 'cert-revoke', onclick: function () { s.revoke = { reason: '', error: null, busy: false }; paint(false); } }, t('cert.revoke')));
  }
  function revokeCertificate(s) {
    var r = s.revoke;
    if (r.busy) return;
    if (!String(r.reason || '').trim()) { r.error = t('cert.revoke.need'); paint(false); return; }
    r.busy = true;
    r.error = null;
    paint(false);
    api('POST', '/api/v1/cases/' + encodeURIComponent(s.id) + '/certificate/revoke', { reason: r.reason.trim() }).then(function () {
      s.revoke = null;
      loadCase(s.id, { kind: 'ok', action: 'certificate_revoked' });
    }, function (e) {
      if (lostSession(e)) return;
      r.busy = false;
      r.error = errorText(e);
      paint(false);
    });
  }
  function caseView(s) {
    if (!s.detail) {
      return h('div', null, link(state.lastQueue, t('case.back'), { class: 'back' }), h('p', { class: 'muted', role: 'status' }, t('case.loading')));
    }
    var d = s.detail;
    var c = d.case;
    var left = sla(c);
    return h('div', { 'data-testid': 'case', 'data-id': c.id },
      link(state.lastQueue, t('case.back'), { class: 'back', 'data-testid': 'back' }),
      h('div', { class: 'case-head' },
        h('p', { class: 'caption' }, deptName(c.department)),
        h('h1', { 'data-testid': 'case-reference' }, c.reference),
        h('p', { class: 'service', 'data-testid': 'case-service' }, bi(c.service.name)),
        h('div', { class: 'facts' },
          statusTag(c.status),
          c.stage ? h('span', { 'data-testid': 'case-stage' }, bi(c.stage.name), h('span', { class: 'muted' }, ' · ' + c.stage.role)) : null,
          left.text !== '—' ? h('span', { class: 'sla ' + left.cls, 'data-testid': 'sla' }, t('col.sla') + ': ' + left.text) : null,
          escalationBadge(c),
          unstaffedBadge(c))),
      flashView(s.flash, d),
      h('div', { class: 'case-grid' },
        h('div', null,
          h('section', { class: 'panel', 'aria-labelledby': 'answers-title' }, h('h2', { id: 'answers-title' }, t('case.answers')), answersView(c.answers)),
          historyView(d)),
        h('aside', null, actionsView(s), certificateView(s), stagesView(d), detailsView(d))));
  }

  document.querySelector('.skip').addEventListener('click', function (ev) {
    ev.preventDefault();
    var main = document.getElementById('main');
    main.focus();
  });
  start();
})();
`;
