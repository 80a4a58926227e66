import { actOnCase, type ActInput } from '../cases/index.ts';
import type { InboundContent, Reply } from '../channel/index.ts';
import { buttons, menuButton, say, text, type TurnContext } from './context.ts';
import { caseStatus } from './screens.ts';

// What a citizen does to their own case from WhatsApp: answer an officer, rate a resolution, reopen.

export function askReply(c: TurnContext, reference: string): Reply[] {
  c.session.screen = { name: 'case_reply', reference };
  c.session.picks = undefined;
  return [text(say(c, 'case.reply_prompt', { reference }))];
}

export function askReopenReason(c: TurnContext, reference: string): Reply[] {
  c.session.screen = { name: 'reopen', reference };
  c.session.picks = undefined;
  return [text(say(c, 'case.reopen_prompt', { reference }))];
}

/** The citizen's answer to an officer: text, a photo or a document goes onto the case, which resumes. */
export async function sendReply(c: TurnContext, reference: string, content: InboundContent): Promise<Reply[]> {
  const input: ActInput =
    content.kind === 'media' ? { action: 'reply', text: content.caption, media: { mediaId: content.mediaId, mimeType: content.mimeType } } : { action: 'reply', text: content.kind === 'text' ? content.text : undefined };
  return act(c, reference, input, 'case.reply_sent');
}

export const rate = (c: TurnContext, reference: string, stars: number) => act(c, reference, { action: 'rate', stars }, 'case.rated');
export const reopen = (c: TurnContext, reference: string, reason: string) => act(c, reference, { action: 'reopen', reason }, 'case.reopened');

async function act(c: TurnContext, reference: string, input: ActInput, done: 'case.reply_sent' | 'case.rated' | 'case.reopened'): Promise<Reply[]> {
  c.session.screen = { name: 'menu' };
  // The citizen is answered here, in the turn; no separate notice about their own action.
  const outcome = await actOnCase(c.tx, { ...c.cases, notify: async () => {} }, { kind: 'citizen', waId: c.waId }, { reference }, input);
  if (outcome.ok) return [buttons(say(c, done, { reference }), [menuButton(c), { id: 'menu:mine', title: say(c, 'button.mine') }])];
  if (outcome.code === 'not_found') return caseStatus(c, reference);
  return [text(say(c, 'case.not_possible', { reference })), ...(await caseStatus(c, reference))];
}
