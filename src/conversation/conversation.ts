import type { Catalog } from '../catalog/index.ts';
import type { InboundContent, Reply, Turn, TurnHandler } from '../channel/index.ts';
import { systemClock, type Clock, type Queryable } from '../platform/index.ts';
import { commandOf, type Command } from './commands.ts';
import { buttons, menuButton, say, text, type TurnContext } from './context.ts';
import { askReopenReason, askReply, rate, reopen, sendReply } from './case-actions.ts';
import { createDirectory } from './directory.ts';
import { answer, askAgain, back, cancel, confirm, edit, editField, resumeForm, skip, startForm, summary } from './form.ts';
import type { Lang } from './messages.ts';
import {
  SUGGESTION_SERVICE,
  askReference,
  caseStatus,
  department,
  departments,
  help,
  languagePrompt,
  mainMenu,
  myCases,
  popular,
  searchPrompt,
  searchResults,
  serviceDetail,
} from './screens.ts';
import { loadSession, loadSessions, saveSession, saveSessions, type Session } from './session.ts';
import { normaliseReference } from '../cases/index.ts';

export interface ConversationOptions {
  catalog: Catalog;
  /** Secret salt for Aadhaar hashes (configuration, never in the repo). */
  aadhaarSalt: string;
  clock?: Clock;
  /** Silence after which the conversation starts again from the menu (default 24 h). */
  restartAfterMs?: number;
  /** How long a citizen may reopen a resolved complaint (default 7 days). */
  reopenWindowDays?: number;
  /** Queues a photo for a certificate QR check (in the turn's transaction); without it photos outside a form are only acknowledged. */
  checkPhoto?: (tx: Queryable, request: { waId: string; language: Lang; mediaId: string }) => Promise<void>;
}

const TELUGU = /[\u0C00-\u0C7F]/;
const AADHAAR_LIKE = /(^|\D)\d{4}[\s-]?\d{4}[\s-]?\d{4}(\D|$)/;
const asciiDigits = (s: string) => s.replace(/[\u0C66-\u0C6F]/g, (d) => String(d.charCodeAt(0) - 0x0c66));
const YES = new Set(['yes', 'y', 'ok', 'okay', 'correct', 'avunu', 'sare', 'అవును', 'సరే', 'సరి']);

/** Mitra's conversation: menus, search, service details, forms and cases, in Telugu and English. */
export function createConversation(o: ConversationOptions): TurnHandler {
  const directory = createDirectory(o.catalog);
  const clock = o.clock ?? systemClock;
  const restartAfterMs = o.restartAfterMs ?? 24 * 3600_000;
  const cases = { service: (id: string) => directory.service(id)?.service, clock, reopenWindowDays: o.reopenWindowDays ?? 7 };

  /** One turn on the session as it stood (undefined: a citizen never seen); changes the session it returns. */
  async function step(turn: Turn, tx: Queryable, stored: Session | undefined): Promise<{ replies: Reply[]; session: Session; now: Date }> {
    const now = clock.now();
    const waId = turn.citizen.waId;
    const session: Session = stored ?? { screen: { name: 'language' } };
    const c: TurnContext = { tx, waId, now, lang: session.lang ?? 'te', session, directory, aadhaarSalt: o.aadhaarSalt, cases, ...(o.checkPhoto ? { checkPhoto: o.checkPhoto } : {}) };
    const content = turn.message.content;
    // Whatever the question, a text that holds an Aadhaar-like number is not kept by the channel.
    if (content.kind === 'text' && AADHAAR_LIKE.test(asciiDigits(content.text))) turn.redact?.();

    let replies: Reply[];
    if (!stored) replies = languagePrompt(c, true);
    else if (!session.lang) replies = await chooseLanguage(c, content);
    else if (session.at && now.getTime() - new Date(session.at).getTime() > restartAfterMs) replies = await restart(c, content);
    else replies = await respond(c, content);

    session.at = now.toISOString();
    return { replies, session, now };
  }

  const handler: TurnHandler = async (turn, tx) => {
    const waId = turn.citizen.waId;
    const { replies, session, now } = await step(turn, tx, await loadSession(tx, waId));
    await saveSession(tx, waId, session, now);
    return replies;
  };
  // A batch of turns: every session read in one statement and written back in one.
  handler.many = async (turns, tx) => {
    const sessions = await loadSessions(tx, [...new Set(turns.map((t) => t.citizen.waId))]);
    const changed = new Map<string, { waId: string; session: Session; at: Date }>();
    const out: Reply[][] = [];
    for (const turn of turns) {
      const waId = turn.citizen.waId;
      const { replies, session, now } = await step(turn, tx, sessions.get(waId));
      sessions.set(waId, session);
      changed.set(waId, { waId, session, at: now });
      out.push(replies);
    }
    await saveSessions(tx, [...changed.values()]);
    return out;
  };
  return handler;
}

/** First contact: the language buttons. Anything else written there chooses by its script and is answered. */
async function chooseLanguage(c: TurnContext, content: InboundContent): Promise<Reply[]> {
  const picked = content.kind === 'choice' && content.id.startsWith('lang:') ? content.id.slice(5) : content.kind === 'text' ? ({ '1': 'te', '2': 'en' } as Record<string, string>)[content.text.trim()] ?? languageOf(content.text) : undefined;
  if (picked === 'te' || picked === 'en') return setLanguage(c, picked);
  if (content.kind !== 'text') return languagePrompt(c, false);
  c.lang = c.session.lang = TELUGU.test(content.text) ? 'te' : 'en';
  c.session.screen = { name: 'menu' };
  return respond(c, content);
}

function languageOf(text: string): Lang | undefined {
  const cmd = commandOf(text);
  return cmd?.name === 'language' ? cmd.lang : undefined;
}

function setLanguage(c: TurnContext, lang: Lang): Reply[] {
  c.lang = c.session.lang = lang;
  const done = say(c, 'language.set');
  if (c.session.draft?.asking && c.session.screen.name === 'form') return resumeForm(c, done);
  return mainMenu(c, done);
}

/** After a long silence: a welcome back and the menu. A tap on an old message is still honoured. */
async function restart(c: TurnContext, content: InboundContent): Promise<Reply[]> {
  c.session.screen = { name: 'menu' };
  c.session.picks = undefined;
  const draft = c.session.draft && c.directory.service(c.session.draft.service);
  const lead = say(c, 'welcome.back') + (draft ? `\n${say(c, 'welcome.back_draft', { service: draft.service.name[c.lang] })}` : '');
  if (content.kind === 'choice') return [text(lead), ...(await respond(c, content))];
  return mainMenu(c, lead);
}

async function respond(c: TurnContext, content: InboundContent): Promise<Reply[]> {
  switch (content.kind) {
    case 'choice':
      return choose(c, content.id, content);
    case 'text':
      return write(c, content.text, content);
    case 'media':
    case 'location':
      if (c.session.screen.name === 'form') return answer(c, content);
      if (c.session.screen.name === 'case_reply' && content.kind === 'media') return sendReply(c, c.session.screen.reference, content);
      if (content.kind === 'location') return mainMenu(c);
      // A photo on its own is most often a certificate's QR code someone wants checked.
      if (content.mediaType === 'image' && c.checkPhoto) {
        await c.checkPhoto(c.tx, { waId: c.waId, language: c.lang, mediaId: content.mediaId });
        return [text(say(c, 'check.started'))];
      }
      return mainMenu(c, say(c, 'fallback.media', { what: content.mediaType === 'image' ? 'answer.media_photo' : 'answer.media_document' }));
    case 'reaction':
      return [];
    case 'contacts':
    case 'unsupported':
      if (c.session.screen.name === 'form') return answer(c, content);
      return mainMenu(c, say(c, 'fallback.unsupported'));
  }
}

/** A tapped row or button. Ids carry their meaning, so a tap on an older message still works. */
async function choose(c: TurnContext, id: string, content: InboundContent): Promise<Reply[]> {
  const [kind, value = ''] = splitId(id);
  switch (kind) {
    case 'lang':
      return value === 'te' || value === 'en' ? setLanguage(c, value) : languagePrompt(c, false);
    case 'menu':
      return menuItem(c, value);
    case 'cmd':
      return command(c, commandOf(value) ?? { name: 'menu' });
    case 'dept':
      return department(c, value);
    case 'svc':
      return serviceDetail(c, value);
    case 'start':
      return startForm(c, value);
    case 'opt':
    case 'yes_no':
      return c.session.screen.name === 'form' ? answer(c, content) : c.session.draft ? resumeForm(c) : mainMenu(c, say(c, 'fallback.choice'));
    case 'form':
      return formAction(c, value);
    case 'field':
      return editField(c, value);
    case 'case':
      return caseStatus(c, value);
    case 'casereply':
      return askReply(c, value);
    case 'rate': {
      const i = value.lastIndexOf(':');
      return rate(c, value.slice(0, i), Number(value.slice(i + 1)));
    }
    case 'reopen':
      return askReopenReason(c, value);
  }
  return mainMenu(c, say(c, 'fallback.choice'));
}

function splitId(id: string): [string, string?] {
  const i = id.indexOf(':');
  return i < 0 ? [id] : [id.slice(0, i), id.slice(i + 1)];
}

async function menuItem(c: TurnContext, item: string): Promise<Reply[]> {
  switch (item) {
    case 'popular':
      return popular(c);
    case 'departments':
      return departments(c);
    case 'search':
      return searchPrompt(c);
    case 'mine':
      return myCases(c);
    case 'suggest':
      return c.session.draft?.service === SUGGESTION_SERVICE ? resumeForm(c) : [text(say(c, 'suggest.intro')), ...startForm(c, SUGGESTION_SERVICE)];
    case 'help':
      return help(c);
    case 'language':
      return languagePrompt(c, false);
    case 'resume':
      return resumeForm(c);
    case 'verify':
      return [buttons(say(c, 'check.ask'), [menuButton(c)])];
  }
  return mainMenu(c);
}

async function formAction(c: TurnContext, action: string): Promise<Reply[]> {
  switch (action) {
    case 'confirm':
      return confirm(c);
    case 'edit':
      return edit(c);
    case 'cancel':
      return cancel(c);
    case 'skip':
      return skip(c);
  }
  return mainMenu(c);
}

async function command(c: TurnContext, cmd: Command): Promise<Reply[]> {
  switch (cmd.name) {
    case 'menu':
      return mainMenu(c);
    case 'help':
      // Inside a form, help explains and the question comes again, so the form does not stall.
      return c.session.screen.name === 'form' ? askAgain(c, say(c, 'help.text')) : help(c);
    case 'language':
      return cmd.lang ? setLanguage(c, cmd.lang) : languagePrompt(c, false);
    case 'back':
      return back(c);
    case 'cancel':
      return cancel(c);
    case 'skip':
      return skip(c);
    case 'edit':
      return edit(c, cmd.what);
    case 'confirm':
      return c.session.screen.name === 'summary' ? confirm(c) : c.session.draft ? resumeForm(c) : mainMenu(c, say(c, 'form.nothing'));
    case 'status':
      if (cmd.reference) return caseStatus(c, cmd.reference);
      return cmd.raw ? caseStatus(c, cmd.raw.toUpperCase()) : askReference(c);
    case 'mine':
      return myCases(c);
    case 'search':
      return searchPrompt(c);
  }
}

/** Free text: a command, a number picking a row, an answer, a reference, or else a search. */
async function write(c: TurnContext, raw: string, content: InboundContent): Promise<Reply[]> {
  const written = raw.trim();
  const screen = c.session.screen.name;
  const cmd = commandOf(written);
  // In a form a greeting is not a command to leave it; the menu offers to continue.
  if (cmd) return command(c, cmd);
  if (screen === 'form') return answer(c, content);
  if (c.session.screen.name === 'case_reply') return sendReply(c, c.session.screen.reference, content);
  if (c.session.screen.name === 'reopen') return reopen(c, c.session.screen.reference, written);
  const digits = asciiDigits(written);
  if (/^\d{1,3}$/.test(digits) && c.session.picks?.length) {
    const id = c.session.picks[Number(digits) - 1];
    if (id) return choose(c, id, { kind: 'choice', id, title: written });
    // The list is just above in the chat; say which numbers it has.
    return [text(say(c, 'answer.number_range', { min: 1, max: c.session.picks.length }))];
  }
  if (screen === 'summary') return YES.has(written.toLowerCase()) ? confirm(c) : summary(c);
  if (screen === 'status') {
    const reference = normaliseReference(written);
    if (reference) return caseStatus(c, reference);
  }
  if (screen === 'edit') return edit(c, written);
  return searchResults(c, written);
}
