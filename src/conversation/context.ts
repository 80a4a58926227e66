import type { CaseDeps } from '../cases/index.ts';
import type { Queryable } from '../platform/index.ts';
import type { Choice, Reply } from '../channel/index.ts';
import type { Directory } from './directory.ts';
import { t, type Lang, type MessageKey } from './messages.ts';
import type { Session } from './session.ts';

/** Everything one turn works with. Handlers change `session` and return what to say. */
export interface TurnContext {
  tx: Queryable;
  waId: string;
  now: Date;
  lang: Lang;
  session: Session;
  directory: Directory;
  aadhaarSalt: string;
  /** What citizens' own actions on their cases need. */
  cases: Omit<CaseDeps, 'notify'>;
  /** Queues a photo for a certificate QR check, when certificates are served. */
  checkPhoto?: (tx: Queryable, request: { waId: string; language: Lang; mediaId: string }) => Promise<void>;
}

export const say = (c: TurnContext, key: MessageKey, params?: Record<string, string | number>) => t(c.lang, key, params);
export const text = (body: string): Reply => ({ kind: 'text', text: body });
export const bi = (c: TurnContext, b: { te: string; en: string }) => b[c.lang];

/** Buttons under a text; at most three, as WhatsApp allows. */
export function buttons(body: string, choices: Choice[], footer?: string): Reply {
  return { kind: 'buttons', text: body, buttons: choices, ...(footer ? { footer } : {}) };
}

/**
 * A list whose rows are numbered, so that a citizen who cannot tap (or prefers typing) writes the
 * number. The channel pages long lists; the numbers run on across pages.
 */
export function numberedList(c: TurnContext, body: string, button: string, sections: { title?: string; choices: Choice[] }[]): Extract<Reply, { kind: 'choices' }> {
  let n = 0;
  const picks: string[] = [];
  const numbered = sections.map((s) => ({
    ...(s.title ? { title: s.title } : {}),
    choices: s.choices.map((ch) => {
      picks.push(ch.id);
      return { ...ch, title: `${++n}. ${ch.title}` };
    }),
  }));
  c.session.picks = picks;
  return { kind: 'choices', text: body, button, sections: numbered, moreLabel: say(c, 'list.more') };
}

export const menuButton = (c: TurnContext): Choice => ({ id: 'cmd:menu', title: say(c, 'button.menu') });

export function formatDate(d: Date): string {
  // India's calendar day, whatever the server's zone.
  const ist = new Date(d.getTime() + 330 * 60_000);
  return `${String(ist.getUTCDate()).padStart(2, '0')}-${String(ist.getUTCMonth() + 1).padStart(2, '0')}-${ist.getUTCFullYear()}`;
}
