import { fileCase } from '../cases/index.ts';
import type { Choice, InboundContent, Reply } from '../channel/index.ts';
import type { Field, ListEntry, Service } from '../catalog/index.ts';
import { choicesOf, readAnswer } from './answers.ts';
import { bi, buttons, formatDate, menuButton, numberedList, say, text, type TurnContext } from './context.ts';
import type { ServiceEntry } from './directory.ts';
import { t, type MessageKey } from './messages.ts';
import { mainMenu, feeText, serviceDetail } from './screens.ts';
import type { Draft } from './session.ts';

// Filling a service's form, one question at a time: a wrong answer is asked again with the reason;
// back, edit, skip and cancel work at every step; a summary to confirm; on confirm, a case.

function current(c: TurnContext): { draft: Draft; entry: ServiceEntry } | undefined {
  const draft = c.session.draft;
  const entry = draft && c.directory.service(draft.service);
  return draft && entry ? { draft, entry } : undefined;
}

/** The entries a shared-list question offers, narrowed by the answer it sits within (mandals of a district). */
function entriesFor(c: TurnContext, field: Field, draft: Draft): ListEntry[] | undefined {
  if (!field.list) return undefined;
  const all = c.directory.list(field.list);
  if (!field.within) return all;
  const parent = draft.answers[field.within]?.value;
  return all.filter((e) => e.parent === parent);
}

const firstUnanswered = (s: Service, d: Draft) => s.fields.find((f) => !(f.id in d.answers));

export function startForm(c: TurnContext, serviceId: string): Reply[] {
  const entry = c.directory.service(serviceId);
  if (!entry || entry.service.kind === 'information') return serviceDetail(c, serviceId);
  if (c.session.draft?.service === serviceId) return resumeForm(c);
  c.session.draft = { service: serviceId, answers: {}, startedAt: c.now.toISOString() };
  return next(c, say(c, 'form.start', { service: bi(c, entry.service.name), count: entry.service.fields.length }));
}

/** The question being asked, again (after help, say), under `lead`. */
export function askAgain(c: TurnContext, lead: string): Reply[] {
  const f = current(c);
  return f?.draft.asking ? ask(c, f.draft.asking, lead) : [text(lead)];
}

export function resumeForm(c: TurnContext, lead?: string): Reply[] {
  const f = current(c);
  if (!f) return mainMenu(c, say(c, 'form.nothing'));
  const intro = `${lead ? `${lead}\n\n` : ''}${say(c, 'form.resume', { service: bi(c, f.entry.service.name) })}`;
  if (!f.draft.asking && !firstUnanswered(f.entry.service, f.draft)) return [text(intro), ...summary(c)];
  return f.draft.asking ? ask(c, f.draft.asking, intro) : next(c, intro);
}

/** Asks the next unanswered question, or shows the summary when none is left. */
function next(c: TurnContext, lead?: string): Reply[] {
  const f = current(c)!;
  const field = firstUnanswered(f.entry.service, f.draft);
  if (!field) {
    f.draft.asking = undefined;
    f.draft.editing = false;
    return lead ? [text(lead), ...summary(c)] : summary(c);
  }
  return ask(c, field.id, lead);
}

/** Asks one question; `lead` goes above it (why it is asked again, or what the form is). */
function ask(c: TurnContext, fieldId: string, lead?: string): Reply[] {
  const { draft, entry } = current(c)!;
  const fields = entry.service.fields;
  const index = fields.findIndex((f) => f.id === fieldId);
  const field = fields[index]!;
  draft.asking = field.id;
  c.session.screen = { name: 'form' };
  c.session.picks = undefined;
  const lines = [
    ...(lead ? [lead, ''] : []),
    say(c, 'form.progress', { n: index + 1, total: fields.length }),
    `*${bi(c, field.label)}*`,
    ...(field.help ? [bi(c, field.help)] : []),
    ...(HINTS[field.type] ? [say(c, HINTS[field.type]!)] : []),
    ...(field.type === 'media' ? [say(c, 'answer.media', { what: field.accept?.includes('document') === false ? 'answer.media_photo' : 'answer.media_document' })] : []),
    ...(field.required ? [] : [say(c, 'form.optional')]),
  ];
  const body = lines.join('\n');
  const footer = say(c, 'form.footer');
  const skip: Choice[] = field.required ? [] : [{ id: 'form:skip', title: say(c, 'form.skip') }];
  switch (field.type) {
      case 'choice': {
        const choices = choicesOf(field, { entries: entriesFor(c, field, draft) }).map((o) => ({ id: `opt:${o.id}`, title: o[c.lang] }));
        if (choices.length + skip.length <= 3) return [buttons(body, [...choices, ...skip], footer)];
        const list = numberedList(c, body, say(c, 'form.choose'), [{ choices: [...choices, ...skip] }]);
        return [{ ...list, footer }];
      }
      case 'yes_no':
        return [buttons(body, [{ id: 'yes_no:yes', title: say(c, 'form.yes') }, { id: 'yes_no:no', title: say(c, 'form.no') }, ...skip], footer)];
      case 'location':
        return [{ kind: 'location_request', text: body }, ...(skip.length ? [buttons(say(c, 'form.optional'), skip)] : [])];
      default:
        return skip.length ? [buttons(body, skip, footer)] : [text(`${body}\n\n_${footer}_`)];
  }
}

const HINTS: Partial<Record<Field['type'], MessageKey>> = {
  person_name: 'hint.person_name',
  date: 'hint.date',
  mobile: 'hint.mobile',
  aadhaar: 'hint.aadhaar',
  money: 'hint.money',
  pin_code: 'hint.pin_code',
  email: 'hint.email',
  location: 'hint.location',
};

/** The citizen's answer to the question being asked. */
export function answer(c: TurnContext, input: InboundContent): Reply[] {
  const f = current(c);
  if (!f || !f.draft.asking) return f ? summary(c) : mainMenu(c, say(c, 'form.nothing'));
  const field = f.entry.service.fields.find((x) => x.id === f.draft.asking)!;
  // A tapped option carries our row id; the answer reader knows the option's own id.
  const content = input.kind === 'choice' && input.id.startsWith('opt:') ? { ...input, id: input.id.slice(4) } : input;
  const read = readAnswer(field, content, { entries: entriesFor(c, field, f.draft), aadhaarSalt: c.aadhaarSalt, today: c.now });
  if (!read.ok) return ask(c, field.id, `⚠️ ${say(c, read.problem, read.params)}`);
  const before = f.draft.answers[field.id]?.value;
  f.draft.answers[field.id] = { value: read.value, shown: read.shown };
  // A new district makes the mandal chosen within it meaningless: ask it again.
  if (before !== undefined && before !== read.value) clearDependants(f.entry.service, f.draft, field.id);
  return afterAnswer(c);
}

function afterAnswer(c: TurnContext): Reply[] {
  const f = current(c)!;
  if (f.draft.editing && !firstUnanswered(f.entry.service, f.draft)) {
    f.draft.asking = undefined;
    f.draft.editing = false;
    return summary(c);
  }
  return next(c);
}

function clearDependants(s: Service, d: Draft, fieldId: string) {
  for (const f of s.fields) {
    if (f.within === fieldId && f.id in d.answers) {
      delete d.answers[f.id];
      clearDependants(s, d, f.id);
    }
  }
}

export function skip(c: TurnContext): Reply[] {
  const f = current(c);
  if (!f || !f.draft.asking) return f ? summary(c) : mainMenu(c, say(c, 'form.nothing'));
  const field = f.entry.service.fields.find((x) => x.id === f.draft.asking)!;
  if (field.required) return ask(c, field.id, `⚠️ ${say(c, 'form.required')}`);
  f.draft.answers[field.id] = { value: null, shown: { te: t('te', 'form.skipped'), en: t('en', 'form.skipped') } };
  return afterAnswer(c);
}

/** The question before the one being asked (or the last one, from the summary), asked again. */
export function back(c: TurnContext): Reply[] {
  const f = current(c);
  if (!f || c.session.screen.name === 'menu' || c.session.screen.name === 'service') return f ? resumeForm(c) : mainMenu(c);
  const fields = f.entry.service.fields;
  const at = f.draft.asking ? fields.findIndex((x) => x.id === f.draft.asking) : fields.length;
  if (at <= 0) return ask(c, fields[0]!.id, say(c, 'form.first_question'));
  const previous = fields[at - 1]!;
  f.draft.editing = false;
  delete f.draft.answers[previous.id];
  return ask(c, previous.id);
}

export function cancel(c: TurnContext): Reply[] {
  if (!c.session.draft) return mainMenu(c, say(c, 'form.nothing'));
  c.session.draft = undefined;
  return mainMenu(c, say(c, 'form.cancelled'));
}

export function summary(c: TurnContext): Reply[] {
  const { draft, entry } = current(c)!;
  const s = entry.service;
  c.session.screen = { name: 'summary' };
  c.session.picks = undefined;
  const lines = [say(c, 'form.summary', { service: bi(c, s.name) }), ''];
  s.fields.forEach((f, i) => lines.push(`${i + 1}. ${bi(c, f.label)}: *${draft.answers[f.id]?.shown[c.lang] ?? '-'}*`));
  if (s.fee.amount > 0) lines.push('', say(c, 'service.fee', { fee: feeText(c, s) }));
  lines.push('', say(c, 'form.summary_question'));
  return [
    buttons(lines.join('\n'), [
      { id: 'form:confirm', title: say(c, 'form.confirm') },
      { id: 'form:edit', title: say(c, 'form.edit') },
      { id: 'form:cancel', title: say(c, 'form.cancel') },
    ], say(c, 'form.summary_hint')),
  ];
}

/** "edit" alone lists the answers; "edit 3" or "edit mobile" goes straight to that question. */
export function edit(c: TurnContext, what?: string): Reply[] {
  const f = current(c);
  if (!f) return mainMenu(c, say(c, 'form.nothing'));
  const fields = f.entry.service.fields;
  if (what) {
    const n = Number(what.replace(/[\u0C66-\u0C6F]/g, (d) => String(d.charCodeAt(0) - 0x0c66)));
    const fold = (s: string) => s.toLowerCase().normalize('NFC').replace(/[^\p{L}\p{M}\p{N}]+/gu, '');
    const w = fold(what);
    const field = Number.isInteger(n) && n >= 1 ? fields[n - 1] : fields.find((x) => fold(x.label.en).startsWith(w) || fold(x.label.te).startsWith(w) || x.id === what);
    if (!field) return [text(say(c, 'form.edit_unknown', { what })), ...editList(c)];
    return editField(c, field.id);
  }
  return editList(c);
}

function editList(c: TurnContext): Reply[] {
  const { draft, entry } = current(c)!;
  const rows = entry.service.fields.map((f) => ({ id: `field:${f.id}`, title: bi(c, f.label), description: draft.answers[f.id]?.shown[c.lang] ?? '-' }));
  const list = numberedList(c, say(c, 'form.edit_which'), say(c, 'form.edit'), [{ choices: rows }]);
  c.session.screen = { name: 'edit' };
  return [list];
}

export function editField(c: TurnContext, fieldId: string): Reply[] {
  const f = current(c);
  if (!f) return mainMenu(c, say(c, 'form.nothing'));
  if (!f.entry.service.fields.some((x) => x.id === fieldId)) return editList(c);
  // Answering it again returns to the summary, unless earlier questions are still open.
  f.draft.editing = !firstUnanswered(f.entry.service, f.draft) || f.draft.editing === true;
  return ask(c, fieldId);
}

/** Files the confirmed form as a case and gives the citizen its reference. */
export async function confirm(c: TurnContext): Promise<Reply[]> {
  const f = current(c);
  if (!f) return mainMenu(c, say(c, 'form.nothing'));
  if (firstUnanswered(f.entry.service, f.draft)) return next(c);
  const { service, department } = f.entry;
  const answers = Object.fromEntries(Object.entries(f.draft.answers).map(([k, v]) => [k, v.value]));
  const filed = await fileCase(c.tx, { waId: c.waId, service, department: department.code, prefix: department.prefix, language: c.lang, answers, at: c.now });
  c.session.draft = undefined;
  c.session.screen = { name: 'menu' };
  const lines = [say(c, `submitted.${service.kind}` as MessageKey), say(c, 'submitted.reference', { reference: filed.reference }), bi(c, service.name)];
  if (filed.dueAt) lines.push(say(c, 'submitted.due', { date: formatDate(filed.dueAt) }));
  if (THEN[service.kind]) lines.push(say(c, THEN[service.kind]!));
  lines.push('', say(c, 'submitted.next', { reference: filed.reference }));
  return [buttons(lines.join('\n'), [menuButton(c), { id: 'menu:mine', title: say(c, 'button.mine') }])];
}

const THEN: Partial<Record<Service['kind'], MessageKey>> = { payment: 'submitted.then_payment', booking: 'submitted.then_booking', lookup: 'submitted.then_lookup' };
