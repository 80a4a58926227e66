import { OPEN, type Actor, type CaseRow } from './model.ts';
import { inScope } from './scope.ts';

export type OfficerAction = 'approve' | 'reject' | 'return' | 'reassign' | 'comment';
export type CitizenAction = 'reply' | 'rate' | 'reopen';
export type ActionName = OfficerAction | CitizenAction;

export const REOPEN_LIMIT = 1;

const isOpen = (c: CaseRow) => (OPEN as readonly string[]).includes(c.status);

/** What this actor may do to this case now. The API lists it with the case; `act` refuses anything else. */
export function actionsFor(actor: Actor, c: CaseRow, opts: { now: Date; reopenWindowDays: number }): ActionName[] {
  if (actor.kind === 'citizen') {
    if (actor.waId !== c.waId) return [];
    if (c.status === 'returned') return ['reply'];
    if (c.status === 'resolved') {
      const within = c.resolvedAt !== null && opts.now.getTime() - c.resolvedAt.getTime() <= opts.reopenWindowDays * 86_400_000;
      return within && c.reopened < REOPEN_LIMIT ? ['rate', 'reopen'] : ['rate'];
    }
    return [];
  }
  if (actor.kind === 'system') return [];
  const o = actor.officer;
  if (!inScope(o, c) || c.closedAt !== null) return [];
  if (o.role === 'state_admin') return ['comment'];
  if (isOpen(c)) return ['approve', 'reject', 'return', 'reassign', 'comment'];
  if (c.status === 'returned') return ['reject', 'reassign', 'comment'];
  return ['comment'];
}
