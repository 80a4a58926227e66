import { findCitizenCase, listCitizenCases } from '../cases/index.ts';
import type { Choice, Reply } from '../channel/index.ts';
import type { Service } from '../catalog/index.ts';
import { bi, buttons, formatDate, menuButton, numberedList, say, text, type TurnContext } from './context.ts';
import type { ServiceEntry } from './directory.ts';
import { MESSAGES, type MessageKey } from './messages.ts';

/** The service behind "Requests and suggestions" in the main menu, when the catalogue has it. */
export const SUGGESTION_SERVICE = 'request-or-suggestion';

export function languagePrompt(c: TurnContext, first: boolean): Reply[] {
  c.session.screen = { name: 'language' };
  c.session.picks = ['lang:te', 'lang:en'];
  const body = first ? `${MESSAGES.te['welcome.first']}\n\n${MESSAGES.en['welcome.first']}` : `${MESSAGES.te['language.ask']}\n${MESSAGES.en['language.ask']}`;
  return [buttons(body, [{ id: 'lang:te', title: 'తెలుగు' }, { id: 'lang:en', title: 'English' }])];
}

export function mainMenu(c: TurnContext, lead?: string): Reply[] {
  c.session.screen = { name: 'menu' };
  const d = c.directory;
  const yours: Choice[] = [];
  const resume: Choice[] = [];
  const draft = c.session.draft && d.service(c.session.draft.service);
  if (draft && c.session.draft) {
    const total = draft.service.fields.length;
    resume.push({ id: 'menu:resume', title: bi(c, draft.service.name), description: say(c, 'menu.resume', { answered: Object.keys(c.session.draft.answers).length, total }) });
  }
  yours.push({ id: 'menu:mine', title: say(c, 'menu.mine'), description: say(c, 'menu.mine_desc') });
  if (d.service(SUGGESTION_SERVICE)) yours.push({ id: 'menu:suggest', title: say(c, 'menu.suggest'), description: say(c, 'menu.suggest_desc') });
  const services: Choice[] = [
    ...(d.popular.length ? [{ id: 'menu:popular', title: say(c, 'menu.popular'), description: say(c, 'menu.popular_desc') }] : []),
    { id: 'menu:departments', title: say(c, 'menu.departments'), description: say(c, 'menu.departments_desc', { count: d.departments.length, services: d.serviceCount }) },
    { id: 'menu:search', title: say(c, 'menu.search'), description: say(c, 'menu.search_desc') },
  ];
  const other: Choice[] = [
    { id: 'menu:help', title: say(c, 'menu.help'), description: say(c, 'menu.help_desc') },
    { id: 'menu:language', title: say(c, 'menu.language') },
    ...(c.checkPhoto ? [{ id: 'menu:verify', title: say(c, 'menu.verify'), description: say(c, 'menu.verify_desc') }] : []),
  ];
  const body = lead ? `${lead}\n\n${say(c, 'menu.text')}` : say(c, 'menu.text');
  return [{ ...numberedList(c, body, say(c, 'menu.button'), [...(resume.length ? [{ title: say(c, 'menu.section_unfinished'), choices: resume }] : []), { title: say(c, 'menu.section_services'), choices: services }, { title: say(c, 'menu.section_yours'), choices: [...yours, ...other] }]), header: say(c, 'menu.header') }];
}

const serviceRow = (c: TurnContext, e: ServiceEntry): Choice => ({ id: `svc:${e.service.id}`, title: bi(c, e.service.name), description: bi(c, e.service.summary) });

export function popular(c: TurnContext): Reply[] {
  c.session.screen = { name: 'menu' };
  return [numberedList(c, say(c, 'popular.text'), say(c, 'list.services'), [{ choices: c.directory.popular.map((e) => serviceRow(c, e)) }])];
}

export function departments(c: TurnContext): Reply[] {
  c.session.screen = { name: 'menu' };
  const rows = c.directory.departments.map((d) => ({ id: `dept:${d.code}`, title: bi(c, d.name), description: `${d.services.length} · ${d.services.slice(0, 3).map((s) => bi(c, s.name)).join(', ')}` }));
  return [numberedList(c, say(c, 'departments.text', { count: rows.length }), say(c, 'departments.button'), [{ choices: rows }])];
}

export function department(c: TurnContext, code: string): Reply[] {
  const d = c.directory.departments.find((x) => x.code === code);
  if (!d) return mainMenu(c, say(c, 'fallback.choice'));
  c.session.screen = { name: 'menu' };
  return [numberedList(c, say(c, 'department.text', { department: bi(c, d.name), count: d.services.length }), say(c, 'list.services'), [{ choices: d.services.map((service) => serviceRow(c, { service, department: d })) }])];
}

export function slaText(c: TurnContext, s: Service): string {
  if (s.sla_days === null) return say(c, 'service.sla_none');
  return s.sla_days === 0 ? say(c, 'service.sla_same_day') : say(c, 'service.sla_days', { days: s.sla_days });
}

export const feeText = (c: TurnContext, s: Service) => (s.fee.amount > 0 ? `₹${s.fee.amount.toLocaleString('en-IN')}${s.fee.note ? ` (${bi(c, s.fee.note)})` : ''}` : say(c, 'service.free'));

/** What a service is, who may use it, what it needs, what it costs and how long it takes; then "apply". */
export function serviceDetail(c: TurnContext, id: string): Reply[] {
  const e = c.directory.service(id);
  if (!e) return mainMenu(c, say(c, 'fallback.choice'));
  const s = e.service;
  c.session.screen = { name: 'service', service: s.id };
  c.session.picks = undefined;
  const lines = [`*${bi(c, s.name)}*`, bi(c, s.summary), '', say(c, 'service.department', { department: bi(c, e.department.name) })];
  if (s.kind === 'information') {
    lines.push('', bi(c, s.information!));
    return [buttons(lines.join('\n'), [menuButton(c), { id: 'menu:search', title: say(c, 'button.search') }])];
  }
  if (s.eligibility) lines.push(say(c, 'service.eligibility', { text: bi(c, s.eligibility) }));
  if (s.documents.length) lines.push(say(c, 'service.documents', { list: s.documents.map((d) => bi(c, d)).join(', ') }));
  lines.push(say(c, 'service.fee', { fee: feeText(c, s) }), say(c, 'service.sla', { sla: slaText(c, s) }));
  if (s.fields.length) lines.push(say(c, 'service.questions', { count: s.fields.length }));
  return [buttons(lines.join('\n'), [{ id: `start:${s.id}`, title: say(c, `service.start.${s.kind}` as MessageKey) }, menuButton(c)])];
}

export function searchPrompt(c: TurnContext): Reply[] {
  c.session.screen = { name: 'search' };
  return [text(say(c, 'search.prompt'))];
}

/** Services matching what the citizen wrote, best first; never a dead end when nothing matches. */
export function searchResults(c: TurnContext, query: string): Reply[] {
  const shown = query.length > 60 ? `${query.slice(0, 57)}…` : query;
  const hits = c.directory.search.search(query, 5).map((h) => c.directory.service(h.id)).filter((e): e is ServiceEntry => !!e);
  c.session.screen = { name: 'menu' };
  if (hits.length === 0) {
    c.session.picks = undefined;
    return [buttons(say(c, 'search.none', { query: shown }), [{ id: 'menu:departments', title: say(c, 'button.departments') }, menuButton(c), { id: 'menu:help', title: say(c, 'button.help') }])];
  }
  const rows = [...hits.map((e) => serviceRow(c, e)), { id: 'menu:departments', title: say(c, 'search.browse'), description: say(c, 'search.browse_desc') }];
  return [numberedList(c, say(c, 'search.results', { query: shown }), say(c, 'search.button'), [{ choices: rows }])];
}

export function help(c: TurnContext): Reply[] {
  return [buttons(say(c, 'help.text'), [menuButton(c), { id: 'menu:mine', title: say(c, 'button.mine') }])];
}

const statusKey = (status: string): MessageKey => (`status.${status}` in MESSAGES.en ? `status.${status}` : 'status.in_progress') as MessageKey;

export async function caseStatus(c: TurnContext, reference: string): Promise<Reply[]> {
  c.session.screen = { name: 'menu' };
  const found = await findCitizenCase(c.tx, c.waId, reference);
  const mine = { id: 'menu:mine', title: say(c, 'button.mine') };
  if (!found) return [buttons(say(c, 'status.not_found', { reference }), [mine, menuButton(c)])];
  const e = c.directory.service(found.serviceId);
  const lines = [say(c, 'status.text', { reference: found.reference, service: e ? bi(c, e.service.name) : found.serviceId, filed: formatDate(found.submittedAt), status: say(c, statusKey(found.status)) })];
  const open = !['approved', 'rejected', 'resolved', 'closed'].includes(found.status);
  if (found.dueAt && open) lines.push(say(c, 'status.expected', { date: formatDate(found.dueAt) }));
  const reply = found.status === 'returned' ? [{ id: `casereply:${found.reference}`, title: say(c, 'notice.reply') }] : [];
  return [buttons(lines.join('\n'), [...reply, mine, menuButton(c)])];
}

export function askReference(c: TurnContext): Reply[] {
  c.session.screen = { name: 'status' };
  return [buttons(say(c, 'status.ask'), [{ id: 'menu:mine', title: say(c, 'button.mine') }, menuButton(c)])];
}

export async function myCases(c: TurnContext): Promise<Reply[]> {
  c.session.screen = { name: 'menu' };
  const cases = await listCitizenCases(c.tx, c.waId);
  if (cases.length === 0) return [buttons(say(c, 'mine.none'), [menuButton(c), { id: 'menu:popular', title: say(c, 'menu.popular') }].slice(0, c.directory.popular.length ? 2 : 1))];
  const rows = cases.map((k) => {
    const e = c.directory.service(k.serviceId);
    return { id: `case:${k.reference}`, title: k.reference, description: `${e ? bi(c, e.service.name) : k.serviceId} · ${say(c, statusKey(k.status))}` };
  });
  return [numberedList(c, say(c, 'mine.text'), say(c, 'mine.button'), [{ choices: rows }])];
}
