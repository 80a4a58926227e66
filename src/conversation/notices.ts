import type { CaseNotice } from '../cases/index.ts';
import { stagesOf } from '../cases/index.ts';
import type { ProactiveMessage } from '../channel/index.ts';
import type { Directory } from './directory.ts';
import { t, type Lang, type MessageKey } from './messages.ts';

/** The pre-approved template for case updates outside the 24-hour window: {{1}} the reference, {{2}} the news. */
export const CASE_UPDATE_TEMPLATE = 'case_update';
/** The pre-approved template that delivers a certificate outside the window: a document header, {{1}} the reference, {{2}} the certificate number. */
export const CERTIFICATE_TEMPLATE = 'certificate_issued';

/** A case's news in the citizen's language, with what they can do about it. */
export function noticeMessage(directory: Directory, n: CaseNotice): ProactiveMessage {
  const lang: Lang = n.language === 'en' ? 'en' : 'te';
  const entry = directory.service(n.serviceId);
  const service = entry ? entry.service.name[lang] : n.serviceId;
  const stage = n.stage && entry ? stagesOf(entry.service).find((s) => s.id === n.stage)?.name[lang] ?? n.stage : n.stage ?? '';
  const params = { reference: n.reference, service, stage, message: n.message ?? '', number: n.certificate?.number ?? '' };
  const key = n.event === 'approved' && n.certificate ? (n.certificate.signed ? 'notice.approved_certificate' : 'notice.approved_waiting') : `notice.${n.event}`;
  const text = t(lang, key as MessageKey, params);
  const certificate = n.certificate?.signed ? n.certificate : undefined;
  const replies: ProactiveMessage['replies'] = [];
  if (n.event === 'returned') {
    replies.push({ kind: 'buttons', text, buttons: [{ id: `casereply:${n.reference}`, title: t(lang, 'notice.reply') }] });
  } else if (n.event === 'resolved') {
    replies.push({
      kind: 'choices',
      text,
      button: t(lang, 'notice.rate'),
      sections: [{ choices: [5, 4, 3, 2, 1].map((stars) => ({ id: `rate:${n.reference}:${stars}`, title: `${'⭐'.repeat(stars)}`, description: t(lang, 'case.stars', { stars }) })).concat(n.canReopen === false ? [] : [{ id: `reopen:${n.reference}`, title: t(lang, 'notice.not_resolved'), description: t(lang, 'notice.not_resolved_desc') }]) }],
    });
  } else {
    replies.push({ kind: 'text', text });
  }
  if (certificate) {
    const title = entry?.service.issues?.title[lang] ?? service;
    replies.push({ kind: 'document', media: { link: certificate.link }, filename: certificate.filename, caption: t(lang, 'certificate.caption', { title, number: certificate.number }) });
    return { waId: n.waId, replies, template: { kind: 'template', name: CERTIFICATE_TEMPLATE, language: lang, params: [n.reference, certificate.number], document: { media: { link: certificate.link }, filename: certificate.filename } } };
  }
  const status = n.event === 'stage' ? stage : t(lang, (n.event === 'escalated' ? 'notice.escalated' : `status.${n.event}`) as MessageKey, params).replace(/\*/g, '');
  return { waId: n.waId, replies, template: { kind: 'template', name: CASE_UPDATE_TEMPLATE, language: lang, params: [n.reference, status] } };
}
