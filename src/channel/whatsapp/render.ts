import { randomBytes } from 'node:crypto';
import type { Choice, MediaRef, Reply } from '../types.ts';
import { LIMITS, fit, split } from './limits.ts';

/** One Graph API send, and for a paged list what it takes to draw the other pages later. */
export interface Rendered {
  payload: Record<string, unknown>;
  /** Set on the first page of a list too long for one message. */
  paging?: { key: string; reply: Extract<Reply, { kind: 'choices' }> };
}

export const PAGE_ROW_PREFIX = '~p:';
const DEFAULT_MORE = 'మరిన్ని › More';
const DEFAULT_CHOOSE = 'ఎంచుకోండి / Choose';

const base = (to: string) => ({ messaging_product: 'whatsapp', recipient_type: 'individual', to });
const media = (ref: MediaRef) => ('mediaId' in ref ? { id: ref.mediaId } : { link: ref.link });
const textPart = (to: string, body: string) => ({ ...base(to), type: 'text', text: { preview_url: false, body } });

/** Fits a channel-neutral reply into WhatsApp's limits. Long text splits; long lists page. */
export function render(to: string, reply: Reply): Rendered[] {
  switch (reply.kind) {
    case 'text':
      return split(reply.text, LIMITS.textBody).map((body) => ({ payload: textPart(to, body) }));
    case 'buttons':
      if (reply.buttons.length > LIMITS.buttons) {
        return render(to, { kind: 'choices', text: reply.text, button: DEFAULT_CHOOSE, header: reply.header, footer: reply.footer, sections: [{ choices: reply.buttons }] });
      }
      return withLongBody(to, reply.text, (body) => ({
        ...base(to),
        type: 'interactive',
        interactive: {
          type: 'button',
          ...header(reply.header),
          body: { text: body },
          ...footer(reply.footer),
          action: { buttons: uniqueTitles(reply.buttons, LIMITS.buttonTitle).map((b) => ({ type: 'reply', reply: { id: checkId(b.id, LIMITS.buttonId), title: b.title } })) },
        },
      }));
    case 'choices':
      return renderChoices(to, reply);
    case 'link':
      return withLongBody(to, reply.text, (body) => ({
        ...base(to),
        type: 'interactive',
        interactive: { type: 'cta_url', body: { text: body }, action: { name: 'cta_url', parameters: { display_text: fit(reply.label, LIMITS.ctaDisplayText), url: reply.url } } },
      }));
    case 'document':
      return [{ payload: { ...base(to), type: 'document', document: { ...media(reply.media), filename: reply.filename, ...(reply.caption ? { caption: fit(reply.caption, LIMITS.caption) } : {}) } } }];
    case 'image':
      return [{ payload: { ...base(to), type: 'image', image: { ...media(reply.media), ...(reply.caption ? { caption: fit(reply.caption, LIMITS.caption) } : {}) } } }];
    case 'audio':
      return [{ payload: { ...base(to), type: 'audio', audio: media(reply.media) } }];
    case 'location_request':
      return withLongBody(to, reply.text, (body) => ({
        ...base(to),
        type: 'interactive',
        interactive: { type: 'location_request_message', body: { text: body }, action: { name: 'send_location' } },
      }));
    case 'template':
      return [{
        payload: {
          ...base(to),
          type: 'template',
          template: {
            name: reply.name,
            language: { code: reply.language },
            components: [
              ...(reply.document ? [{ type: 'header', parameters: [{ type: 'document', document: { ...media(reply.document.media), filename: reply.document.filename } }] }] : []),
              ...(reply.params.length ? [{ type: 'body', parameters: reply.params.map((text) => ({ type: 'text', text })) }] : []),
            ],
          },
        },
      }];
  }
}

/** The page `page` (1-based) of a list that was too long for one message. */
export function renderPage(to: string, reply: Extract<Reply, { kind: 'choices' }>, key: string, page: number): Rendered[] {
  const pages = paginate(reply.sections);
  const index = Math.min(Math.max(page, 1), pages.length) - 1;
  return [{ payload: listPayload(to, reply, pages[index]!, index + 1 < pages.length ? { key, next: index + 2 } : undefined, fit(reply.text, LIMITS.interactiveBody)) }];
}

function renderChoices(to: string, reply: Extract<Reply, { kind: 'choices' }>): Rendered[] {
  const total = reply.sections.reduce((n, s) => n + s.choices.length, 0);
  if (total === 0) return render(to, { kind: 'text', text: reply.text });
  const intro = reply.text.length > LIMITS.interactiveBody ? split(reply.text, LIMITS.textBody) : [];
  const body = intro.length ? DEFAULT_CHOOSE : reply.text;
  const lead = intro.map((t) => ({ payload: textPart(to, t) }));
  if (total <= LIMITS.listRows && reply.sections.length <= LIMITS.listSections) {
    return [...lead, { payload: listPayload(to, reply, reply.sections, undefined, body) }];
  }
  const key = randomBytes(6).toString('base64url');
  const pages = paginate(reply.sections);
  return [...lead, { payload: listPayload(to, reply, pages[0]!, { key, next: 2 }, body), paging: { key, reply: { ...reply, text: body } } }];
}

type Section = { title?: string; choices: Choice[] };

/** Splits sections into pages of at most 9 rows, keeping the tenth row for "More". */
function paginate(sections: Section[]): Section[][] {
  const perPage = LIMITS.listRows - 1;
  const pages: Section[][] = [[]];
  let used = 0;
  for (const section of sections) {
    let rest = section.choices;
    while (rest.length > 0) {
      if (used === perPage || pages.at(-1)!.length === LIMITS.listSections - 1) {
        pages.push([]);
        used = 0;
      }
      const take = rest.slice(0, perPage - used);
      pages.at(-1)!.push({ title: section.title, choices: take });
      used += take.length;
      rest = rest.slice(take.length);
    }
  }
  return pages;
}

function listPayload(to: string, reply: Extract<Reply, { kind: 'choices' }>, sections: Section[], more: { key: string; next: number } | undefined, body: string) {
  const drawn = sections.map((s) => ({ title: s.title, rows: s.choices.map(row) }));
  if (more) {
    const moreRow = { id: `${PAGE_ROW_PREFIX}${more.key}:${more.next}`, title: fit(reply.moreLabel ?? DEFAULT_MORE, LIMITS.rowTitle) };
    drawn.push({ title: undefined, rows: [moreRow] });
  }
  const titled = drawn.length > 1;
  return {
    ...base(to),
    type: 'interactive',
    interactive: {
      type: 'list',
      ...header(reply.header),
      body: { text: body },
      ...footer(reply.footer),
      action: {
        button: fit(reply.button, LIMITS.listButton),
        sections: drawn.map((s, i) => ({
          ...(titled || s.title ? { title: fit(s.title ?? (i === drawn.length - 1 && more ? '…' : '·'), LIMITS.sectionTitle) } : {}),
          rows: s.rows,
        })),
      },
    },
  };
}

function row(c: Choice) {
  const title = fit(c.title, LIMITS.rowTitle);
  // A title cut short keeps its full words in the description, where there is room for them.
  const description = c.description ?? (title !== c.title ? c.title : undefined);
  return { id: checkId(c.id, LIMITS.rowId), title, ...(description ? { description: fit(description, LIMITS.rowDescription) } : {}) };
}

function uniqueTitles(choices: Choice[], max: number): Choice[] {
  const seen = new Set<string>();
  return choices.map((c, i) => {
    let title = fit(c.title, max);
    if (seen.has(title)) title = fit(`${i + 1}. ${c.title}`, max);
    seen.add(title);
    return { ...c, title };
  });
}

function checkId(id: string, max: number): string {
  // Ids are ours, not the citizen's: an overlong one is a bug in the conversation, not bad input.
  if (id.length > max) throw new Error(`choice id longer than ${max}: ${id.slice(0, 40)}…`);
  return id;
}

function withLongBody(to: string, text: string, make: (body: string) => Record<string, unknown>): Rendered[] {
  if (text.length <= LIMITS.interactiveBody) return [{ payload: make(text) }];
  const parts = split(text, LIMITS.interactiveBody);
  return [...parts.slice(0, -1).map((t) => ({ payload: textPart(to, t) })), { payload: make(parts.at(-1)!) }];
}

const header = (text?: string) => (text ? { header: { type: 'text', text: fit(text, LIMITS.header) } } : {});
const footer = (text?: string) => (text ? { footer: { text: fit(text, LIMITS.footer) } } : {});

/** Marks a message read (blue ticks); with `typing`, also shows "typing…" until the reply or 25 s. */
export function readReceipt(wamid: string, typing = false) {
  return { messaging_product: 'whatsapp', status: 'read', message_id: wamid, ...(typing ? { typing_indicator: { type: 'text' } } : {}) };
}
