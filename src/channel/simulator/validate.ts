import { LIMITS } from '../whatsapp/limits.ts';

/** Meta's error for a message that breaks a limit, in the shape the Graph API returns it. */
export interface GraphRefusal {
  status: number;
  code: number;
  message: string;
  details: string;
}

const refuse = (details: string, code = 131009): GraphRefusal => ({ status: 400, code, message: '(#131009) Parameter value is not valid', details });

/** Checks an outbound message the way the Cloud API does, so limit bugs fail in tests, not in production. */
export function validateSend(p: Record<string, any>): GraphRefusal | undefined {
  if (p.messaging_product !== 'whatsapp') return refuse('messaging_product must be "whatsapp"', 100);
  if (p.status === 'read') {
    if (typeof p.message_id !== 'string') return refuse('message_id is required', 100);
    if (p.typing_indicator !== undefined && p.typing_indicator?.type !== 'text') return refuse('typing_indicator.type must be "text"', 100);
    return;
  }
  if (typeof p.to !== 'string' || !/^\+?\d{6,15}$/.test(p.to)) return refuse('to must be a phone number', 100);
  switch (p.type) {
    case 'text':
      if (typeof p.text?.body !== 'string' || p.text.body.length === 0) return refuse('text.body is required', 100);
      if (p.text.body.length > LIMITS.textBody) return refuse(`text.body is longer than ${LIMITS.textBody}`);
      return;
    case 'interactive':
      return validateInteractive(p.interactive);
    case 'image':
    case 'document':
    case 'audio':
    case 'video':
    case 'sticker': {
      const m = p[p.type];
      if (!m || (typeof m.id !== 'string' && typeof m.link !== 'string')) return refuse(`${p.type} needs id or link`, 100);
      if (typeof m.caption === 'string' && m.caption.length > LIMITS.caption) return refuse('caption too long');
      return;
    }
    case 'template':
      if (typeof p.template?.name !== 'string' || typeof p.template?.language?.code !== 'string') return refuse('template name and language are required', 100);
      return;
    default:
      return refuse(`unsupported message type ${p.type}`, 131051);
  }
}

function validateInteractive(i: any): GraphRefusal | undefined {
  if (!i || typeof i.body?.text !== 'string' || i.body.text.length === 0) return refuse('interactive.body.text is required', 100);
  if (i.body.text.length > LIMITS.interactiveBody) return refuse(`body text longer than ${LIMITS.interactiveBody}`);
  if (i.header?.text && i.header.text.length > LIMITS.header) return refuse('header text too long');
  if (i.footer?.text && i.footer.text.length > LIMITS.footer) return refuse('footer text too long');
  switch (i.type) {
    case 'button': {
      const buttons: any[] = i.action?.buttons ?? [];
      if (buttons.length < 1 || buttons.length > LIMITS.buttons) return refuse('1 to 3 buttons');
      const titles = new Set<string>();
      for (const b of buttons) {
        const t = b.reply?.title;
        if (typeof t !== 'string' || t.length === 0 || t.length > LIMITS.buttonTitle) return refuse(`button title must be 1 to ${LIMITS.buttonTitle} characters`);
        if (titles.has(t)) return refuse('button titles must be unique');
        titles.add(t);
        if (typeof b.reply?.id !== 'string' || b.reply.id.length > LIMITS.buttonId) return refuse('button id too long');
      }
      return;
    }
    case 'list': {
      const sections: any[] = i.action?.sections ?? [];
      if (typeof i.action?.button !== 'string' || i.action.button.length === 0 || i.action.button.length > LIMITS.listButton) return refuse('list button label must be 1 to 20 characters');
      if (sections.length < 1 || sections.length > LIMITS.listSections) return refuse('1 to 10 sections');
      let rows = 0;
      const ids = new Set<string>();
      for (const s of sections) {
        if (sections.length > 1 && (typeof s.title !== 'string' || s.title.length === 0)) return refuse('section title required with more than one section');
        if (s.title && s.title.length > LIMITS.sectionTitle) return refuse('section title too long');
        for (const r of s.rows ?? []) {
          rows++;
          if (typeof r.title !== 'string' || r.title.length === 0 || r.title.length > LIMITS.rowTitle) return refuse(`row title must be 1 to ${LIMITS.rowTitle} characters`);
          if (r.description && r.description.length > LIMITS.rowDescription) return refuse('row description too long');
          if (typeof r.id !== 'string' || r.id.length > LIMITS.rowId || ids.has(r.id)) return refuse('row ids must be unique and at most 200 characters');
          ids.add(r.id);
        }
      }
      if (rows < 1 || rows > LIMITS.listRows) return refuse('a list has 1 to 10 rows in total');
      return;
    }
    case 'cta_url':
      if (typeof i.action?.parameters?.url !== 'string' || !(i.action.parameters.display_text?.length <= LIMITS.ctaDisplayText)) return refuse('cta_url needs url and display_text of at most 20');
      return;
    case 'location_request_message':
      return i.action?.name === 'send_location' ? undefined : refuse('action.name must be send_location');
    default:
      return refuse(`unsupported interactive type ${i.type}`, 131051);
  }
}
