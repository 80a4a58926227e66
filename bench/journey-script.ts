// The journey bench/journey.ts drives: one citizen applies for an income certificate, from "hi" to
// the status of the application, through Mitra's real conversation. Each step says what the citizen
// sends, how many messages Mitra answers it with (read receipt aside), and what those must hold.
//
// Replies per step: the conversation answers each of these steps with exactly one Reply, and each
// renders to one Graph API message: no body is over WhatsApp's 1,024 characters for interactive
// messages, and the long lists (26 districts, the mandals of Guntur) go as their first page of nine
// rows plus a "More" row, later pages only on request. A step that ever answers with more or fewer
// messages fails its check (`--smoke` proves the counts on every run), so the end of a turn, the
// arrival of its last expected message, stays exact.
import type { CitizenAction } from '../src/channel/index.ts';
import { t, type Lang } from '../src/conversation/messages.ts';
import { verhoeffDigit } from '../src/conversation/verhoeff.ts';

export type { Lang };

/** One citizen's journey: who they are, and what they learn on the way. */
export interface Journey {
  index: number;
  waId: string;
  lang: Lang;
  /** A valid (Verhoeff) Aadhaar number, different for each journey. */
  aadhaar: string;
  /** The simulator's id of the photo the citizen attaches. */
  mediaId: string;
  /** The number of the income certificate row in the search results. */
  pick?: number;
  /** The reference the confirmation gave. */
  reference?: string;
}

/** A Graph API message body as Mitra posts it. */
export type Sent = Record<string, any>;

export interface Step {
  name: string;
  /** Graph API messages Mitra sends in answer (the read receipt is not counted). */
  replies: number;
  send(j: Journey): CitizenAction;
  /** What is wrong with the replies, or undefined. May note what the journey learns (pick, reference). */
  check(replies: Sent[], j: Journey): string | undefined;
}

export const SERVICE = { id: 'income-certificate', name: { en: 'Income Certificate', te: 'ఆదాయ ధ్రువీకరణ పత్రం' } } as const;
export const REFERENCE = /\b([A-Z]{2,5}-\d{2}-\d{6,})\b/;

const textOf = (m: Sent): string => m.text?.body ?? m.interactive?.body?.text ?? '';
const allText = (ms: Sent[]) => ms.map(textOf).join('\n');
const rowsOf = (ms: Sent[]): { id: string; title: string }[] => ms.flatMap((m) => m.interactive?.action?.sections?.flatMap((s: any) => s.rows) ?? []);
const buttonIds = (ms: Sent[]): string[] => ms.flatMap((m) => m.interactive?.action?.buttons?.map((b: any) => b.reply.id) ?? []);
const progress = (j: Journey, n: number) => t(j.lang, 'form.progress', { n, total: 7 });
const short = (s: string) => JSON.stringify(s.length > 160 ? `${s.slice(0, 157)}…` : s);

/** Problems of a question step: its progress line, and optionally more. */
function question(n: number, more?: (replies: Sent[], j: Journey) => string | undefined) {
  return (replies: Sent[], j: Journey) => {
    const body = allText(replies);
    if (!body.includes(progress(j, n))) return `expected "${progress(j, n)}" in ${short(body)}`;
    return more?.(replies, j);
  };
}

const say = (text: string): CitizenAction => ({ type: 'text', text });
const press = (id: string, title: string): CitizenAction => ({ type: 'button_reply', id, title });
const tap = (id: string, title: string): CitizenAction => ({ type: 'list_reply', id, title });

export const JOURNEY: Step[] = [
  {
    name: 'hi',
    replies: 1,
    send: () => say('hi'),
    check: (r) => (buttonIds(r).join(',') === 'lang:te,lang:en' ? undefined : `expected the language buttons, got ${short(allText(r))} [${buttonIds(r)}]`),
  },
  {
    name: 'language',
    replies: 1,
    send: (j) => press(`lang:${j.lang}`, j.lang === 'te' ? 'తెలుగు' : 'English'),
    check: (r, j) => {
      const body = allText(r);
      if (!body.includes(t(j.lang, 'language.set'))) return `expected the language confirmation in ${short(body)}`;
      return rowsOf(r).some((x) => x.id === 'menu:search') ? undefined : 'expected the main menu';
    },
  },
  {
    name: 'search',
    replies: 1,
    send: () => say('income certificate'),
    check: (r, j) => {
      const i = rowsOf(r).findIndex((x) => x.id === `svc:${SERVICE.id}`);
      if (i < 0) return `expected ${SERVICE.id} among the results, got ${rowsOf(r).map((x) => x.id).join(', ') || short(allText(r))}`;
      j.pick = i + 1;
      return undefined;
    },
  },
  {
    name: 'pick by number',
    replies: 1,
    send: (j) => say(String(j.pick ?? 1)),
    check: (r, j) => {
      if (!allText(r).includes(SERVICE.name[j.lang])) return `expected the service detail, got ${short(allText(r))}`;
      return buttonIds(r).includes(`start:${SERVICE.id}`) ? undefined : `expected an Apply button, got [${buttonIds(r)}]`;
    },
  },
  { name: 'apply', replies: 1, send: (j) => press(`start:${SERVICE.id}`, j.lang === 'te' ? 'దరఖాస్తు' : 'Apply'), check: question(1) },
  {
    name: 'name, wrong',
    replies: 1,
    send: () => say('R4vi'),
    check: question(1, (r) => (allText(r).includes('⚠️') ? undefined : `expected the name asked again with a warning, got ${short(allText(r))}`)),
  },
  { name: 'name', replies: 1, send: (j) => say(j.lang === 'te' ? 'రవి కుమార్' : 'Ravi Kumar'), check: question(2) },
  {
    name: 'aadhaar',
    replies: 1,
    send: (j) => say(j.lang === 'te' ? j.aadhaar.replace(/(\d{4})(?=\d)/g, '$1 ') : j.aadhaar),
    check: question(3, (r) => (rowsOf(r).some((x) => x.id.startsWith('opt:')) ? undefined : 'expected the districts as a list')),
  },
  {
    name: 'district by text',
    replies: 1,
    send: () => say('Guntur'),
    check: question(4, (r) => (rowsOf(r).some((x) => x.id.startsWith('opt:guntur/')) ? undefined : 'expected the mandals of Guntur')),
  },
  { name: 'mandal tap', replies: 1, send: (j) => tap('opt:guntur/tenali', j.lang === 'te' ? 'తెనాలి' : 'Tenali'), check: question(5) },
  {
    name: 'income',
    replies: 1,
    send: () => say('1,20,000'),
    check: question(6, (r) => (buttonIds(r).includes('opt:scholarship') ? undefined : `expected the purpose buttons, got [${buttonIds(r)}]`)),
  },
  { name: 'purpose tap', replies: 1, send: (j) => press('opt:scholarship', j.lang === 'te' ? 'ఉపకార వేతనం' : 'Scholarship'), check: question(7) },
  {
    name: 'photo',
    replies: 1,
    send: (j) => ({ type: 'image', mediaId: j.mediaId }),
    check: (r, j) => {
      const body = allText(r);
      if (!buttonIds(r).includes('form:confirm')) return `expected the summary with Confirm, got ${short(body)}`;
      if (!body.includes('₹1,20,000') || !body.includes(`XXXX XXXX ${j.aadhaar.slice(-4)}`)) return `expected the answers in the summary, got ${short(body)}`;
      return undefined;
    },
  },
  {
    name: 'confirm',
    replies: 1,
    send: (j) => press('form:confirm', j.lang === 'te' ? 'నిర్ధారించండి' : 'Confirm'),
    check: (r, j) => {
      const m = REFERENCE.exec(allText(r));
      if (!m || !m[1]!.startsWith('REV-')) return `expected a REV- reference, got ${short(allText(r))}`;
      j.reference = m[1]!;
      return undefined;
    },
  },
  {
    name: 'status',
    replies: 1,
    send: (j) => say(`status ${j.reference ?? 'REV-26-000001'}`),
    check: (r, j) => {
      const body = allText(r);
      return body.includes(j.reference!) && body.includes(SERVICE.name[j.lang]) && !body.includes(t(j.lang, 'status.not_found', { reference: j.reference! }))
        ? undefined
        : `expected the status of ${j.reference}, got ${short(body)}`;
    },
  },
];

/** The journey number `index`: its own number, language (alternating, or as asked) and Aadhaar. */
export function newJourney(index: number, lang: Lang | 'mix', mediaId: string): Journey {
  const base = String(23_000_000_000 + (index % 900_000_000));
  return {
    index,
    waId: String(919_100_000_000 + index),
    lang: lang === 'mix' ? (index % 2 === 0 ? 'en' : 'te') : lang,
    aadhaar: base + verhoeffDigit(base),
    mediaId,
  };
}
