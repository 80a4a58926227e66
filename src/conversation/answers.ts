import { createHmac } from 'node:crypto';
import type { InboundContent } from '../channel/index.ts';
import type { Field, ListEntry } from '../catalog/index.ts';
import type { MessageKey } from './messages.ts';
import { verhoeffValid } from './verhoeff.ts';

/** What a form keeps for one answer. An Aadhaar number is never kept: only its salted hash and last 4. */
export type AnswerValue =
  | string
  | number
  | boolean
  | { aadhaarLast4: string; aadhaarHash: string }
  | { mediaId: string; mimeType: string; sha256?: string }
  | { latitude: number; longitude: number; name?: string };

export type Answer =
  | { ok: true; value: AnswerValue; /** How the summary shows it back to the citizen. */ shown: { te: string; en: string } }
  | { ok: false; problem: MessageKey; params?: Record<string, string | number> };

export interface AnswerContext {
  /** The shared list entries this field chooses from (already filtered by its `within` answer). */
  entries?: ListEntry[];
  /** Secret salt for Aadhaar hashes (configuration, never in the repo). */
  aadhaarSalt: string;
  today: Date;
}

const same = (s: string) => ({ te: s, en: s });
const fail = (problem: MessageKey, params?: Record<string, string | number>): Answer => ({ ok: false, problem, params });

// Citizens type Telugu digits too (౦–౯).
const asciiDigits = (s: string) => s.replace(/[\u0C66-\u0C6F]/g, (c) => String(c.charCodeAt(0) - 0x0c66));

/** Reads one answer for one field, or says, in words the citizen understands, what was wrong. */
export function readAnswer(field: Field, input: InboundContent, ctx: AnswerContext): Answer {
  switch (field.type) {
    case 'media':
      return readMedia(field, input);
    case 'location':
      return input.kind === 'location' ? { ok: true, value: { latitude: input.latitude, longitude: input.longitude, ...(input.name ? { name: input.name } : {}) }, shown: same(input.name ?? `${input.latitude.toFixed(5)}, ${input.longitude.toFixed(5)}`) } : fail('answer.location');
    case 'choice':
      return readChoice(field, input, ctx);
    case 'yes_no':
      return readYesNo(input);
  }
  if (input.kind !== 'text') return fail('answer.empty');
  const raw = input.text.trim();
  if (!raw) return fail('answer.empty');
  const text = asciiDigits(raw);
  switch (field.type) {
    case 'text':
      return raw.length > 500 ? fail('answer.too_long', { max: 500 }) : { ok: true, value: raw, shown: same(raw) };
    case 'person_name': {
      const name = raw.replace(/\s+/g, ' ');
      if (name.length > 100) return fail('answer.too_long', { max: 100 });
      return /^[\p{L}\p{M}][\p{L}\p{M} .'-]*$/u.test(name) && name.replace(/[^\p{L}]/gu, '').length >= 2
        ? { ok: true, value: name, shown: same(name) }
        : fail('answer.name', { example: 'K. Lakshmi' });
    }
    case 'number': {
      const n = Number(text.replace(/,/g, ''));
      if (!/^-?[\d,]+(\.\d+)?$/.test(text) || !Number.isFinite(n)) return fail('answer.number', { example: field.min ?? 1 });
      return inRange(field, n) ?? { ok: true, value: n, shown: same(String(n)) };
    }
    case 'money':
      return readMoney(field, text);
    case 'date':
      return readDate(field, text, ctx.today);
    case 'mobile': {
      const digits = text.replace(/[\s-]/g, '').replace(/^(\+?91|0)(?=\d{10}$)/, '');
      return /^[6-9]\d{9}$/.test(digits) ? { ok: true, value: digits, shown: same(`+91 ${digits.slice(0, 5)} ${digits.slice(5)}`) } : fail('answer.mobile');
    }
    case 'pin_code': {
      const pin = text.replace(/\s/g, '');
      return /^[1-9]\d{5}$/.test(pin) ? { ok: true, value: pin, shown: same(pin) } : fail('answer.pin_code');
    }
    case 'email':
      return /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/.test(raw) && raw.length <= 254 ? { ok: true, value: raw.toLowerCase(), shown: same(raw.toLowerCase()) } : fail('answer.email');
    case 'aadhaar': {
      const digits = text.replace(/[\s-]/g, '');
      if (!/^\d+$/.test(digits) || digits.length !== 12) return fail('answer.aadhaar_length');
      if (/^[01]/.test(digits) || !verhoeffValid(digits)) return fail('answer.aadhaar_invalid');
      const last4 = digits.slice(-4);
      return { ok: true, value: { aadhaarLast4: last4, aadhaarHash: createHmac('sha256', ctx.aadhaarSalt).update(digits).digest('hex') }, shown: same(`XXXX XXXX ${last4}`) };
    }
  }
}

function inRange(field: Field, n: number): Answer | undefined {
  if ((field.min !== undefined && n < field.min) || (field.max !== undefined && n > field.max)) {
    return fail('answer.number_range', { min: field.min ?? 0, max: field.max ?? '∞' });
  }
  return undefined;
}

function readMoney(field: Field, text: string): Answer {
  const m = text.toLowerCase().replace(/^(₹|rs\.?|inr)\s*/, '').replace(/\s*(\/-|rupees|రూపాయలు)$/, '').trim().match(/^([\d,]+(?:\.\d{1,2})?)\s*(lakhs?|lacs?|లక్షలు|లక్ష|crores?|కోట్లు|కోటి|k|thousand|వేలు|వేయి)?$/);
  if (!m) return fail('answer.money');
  const unit = m[2] ?? '';
  const scale = /^(lakh|lac|లక్ష)/.test(unit) ? 1e5 : /^(crore|కోట)/.test(unit) ? 1e7 : /^(k|thousand|వే)/.test(unit) ? 1e3 : 1;
  const amount = Math.round(Number(m[1]!.replace(/,/g, '')) * scale * 100) / 100;
  if (!Number.isFinite(amount)) return fail('answer.money');
  return inRange(field, amount) ?? { ok: true, value: amount, shown: same(`₹${amount.toLocaleString('en-IN')}`) };
}

function readDate(field: Field, text: string, today: Date): Answer {
  const example = '15-08-1990';
  let y: number, mo: number, d: number;
  const dmy = text.match(/^(\d{1,2})[-/. ](\d{1,2})[-/. ](\d{4})$/);
  const ymd = text.match(/^(\d{4})-(\d{2})-(\d{2})$/);
  if (dmy) [d, mo, y] = [Number(dmy[1]), Number(dmy[2]), Number(dmy[3])];
  else if (ymd) [y, mo, d] = [Number(ymd[1]), Number(ymd[2]), Number(ymd[3])];
  else return fail('answer.date', { example });
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || y < 1900 || y > 2200) return fail('answer.date', { example });
  const iso = date.toISOString().slice(0, 10);
  const todayIso = today.toISOString().slice(0, 10);
  if (field.when === 'past' && iso > todayIso) return fail('answer.date_past');
  if (field.when === 'future' && iso < todayIso) return fail('answer.date_future');
  return { ok: true, value: iso, shown: same(`${String(d).padStart(2, '0')}-${String(mo).padStart(2, '0')}-${y}`) };
}

const YES = new Set(['yes', 'y', 'avunu', 'avnu', 'haa', 'ha', 'sare', 'అవును', 'ఔను', 'సరే', 'yes_no:yes']);
const NO = new Set(['no', 'n', 'kadu', 'ledu', 'vaddu', 'కాదు', 'లేదు', 'వద్దు', 'yes_no:no']);

function readYesNo(input: InboundContent): Answer {
  const word = input.kind === 'text' ? input.text.trim().toLowerCase() : input.kind === 'choice' ? input.id : '';
  if (YES.has(word)) return { ok: true, value: true, shown: { te: 'అవును', en: 'Yes' } };
  if (NO.has(word)) return { ok: true, value: false, shown: { te: 'కాదు', en: 'No' } };
  return fail('answer.yes_no');
}

/** The choices a field offers: its static options or its shared list's entries. */
export function choicesOf(field: Field, ctx: Pick<AnswerContext, 'entries'>): { id: string; te: string; en: string }[] {
  return field.options ? field.options.map((o) => ({ id: o.id, te: o.label.te, en: o.label.en })) : (ctx.entries ?? []).map((e) => ({ id: e.id, te: e.te, en: e.en }));
}

const fold = (s: string) => s.toLowerCase().normalize('NFKC').replace(/[^\p{L}\p{M}\p{N}]+/gu, '');

function readChoice(field: Field, input: InboundContent, ctx: AnswerContext): Answer {
  const choices = choicesOf(field, ctx);
  const pick = (c: { id: string; te: string; en: string } | undefined): Answer => (c ? { ok: true, value: c.id, shown: { te: c.te, en: c.en } } : fail('answer.choice'));
  if (input.kind === 'choice') return pick(choices.find((c) => c.id === input.id));
  if (input.kind !== 'text') return fail('answer.choice');
  const text = asciiDigits(input.text.trim());
  if (/^\d{1,4}$/.test(text)) return pick(choices[Number(text) - 1]);
  const f = fold(text);
  if (!f) return fail('answer.choice');
  return pick(choices.find((c) => fold(c.en) === f || fold(c.te) === f) ?? unique(choices.filter((c) => fold(c.en).startsWith(f) || fold(c.te).startsWith(f))));
}

const unique = <T>(xs: T[]) => (xs.length === 1 ? xs[0] : undefined);

function readMedia(field: Field, input: InboundContent): Answer {
  const accept = field.accept ?? ['image', 'document'];
  const what: MessageKey = accept.includes('document') ? 'answer.media_document' : 'answer.media_photo';
  if (input.kind !== 'media' || !(accept as string[]).includes(input.mediaType)) return fail('answer.media', { what });
  const label = input.filename ?? (input.mediaType === 'image' ? 'photo' : input.mediaType);
  return { ok: true, value: { mediaId: input.mediaId, mimeType: input.mimeType, ...(input.sha256 ? { sha256: input.sha256 } : {}) }, shown: { te: `📎 ${input.filename ?? 'ఫోటో'}`, en: `📎 ${label}` } };
}
