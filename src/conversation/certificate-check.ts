import type { Reply } from '../channel/index.ts';
import { VERDICT_WORDS, type PhotoCheckOutcome } from '../certificates/index.ts';
import { t, type Lang } from './messages.ts';

const day = (d: Date, lang: Lang) => d.toLocaleDateString(lang === 'te' ? 'te-IN' : 'en-IN', { timeZone: 'Asia/Kolkata', day: 'numeric', month: 'long', year: 'numeric' });

/** The answer to a photo of a certificate's QR code, in the citizen's language. */
export function photoCheckReply(outcome: PhotoCheckOutcome, language: string): Reply[] {
  const lang: Lang = language === 'en' ? 'en' : 'te';
  if (outcome.kind === 'unread') return [{ kind: 'text', text: t(lang, outcome.code === 'no_qr' ? 'check.no_qr' : 'check.unreadable') }];
  const { verdict, shown } = outcome.checked;
  const words = VERDICT_WORDS[verdict.valid ? 'valid' : verdict.code];
  const mark = verdict.valid ? '✅' : verdict.code === 'expired' ? '⚠️' : '❌';
  const lines = [`${mark} *${words.title[lang]}*\n${words.detail[lang]}`];
  if (shown) {
    lines.push(
      t(lang, 'check.details', { document: shown.title[lang], number: shown.number, holder: shown.holderName, department: shown.department[lang], issued: day(shown.issuedAt, lang) }) +
        (shown.expiresAt ? `\n${t(lang, 'check.valid_until', { date: day(shown.expiresAt, lang) })}` : ''),
      shown.fields.map((f) => `${f.label[lang]}: ${f.value}`).join('\n'),
    );
  }
  return [{ kind: 'text', text: lines.filter(Boolean).join('\n\n') }];
}
