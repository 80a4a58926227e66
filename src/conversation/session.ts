import type { Queryable } from '../platform/index.ts';
import type { AnswerValue } from './answers.ts';
import type { Lang } from './messages.ts';

/** One answer kept in a form being filled; `null` value: an optional question the citizen skipped. */
export interface KeptAnswer {
  value: AnswerValue | null;
  shown: { te: string; en: string };
}

/** A form in progress. It outlives screens: the citizen may wander off to the menu and continue. */
export interface Draft {
  service: string;
  answers: Record<string, KeptAnswer>;
  /** The question being asked now; undefined once every question is answered (the summary). */
  asking?: string;
  /** Set while changing one answer from the summary: the summary comes back after it. */
  editing?: boolean;
  startedAt: string;
}

/** Where the citizen is: it decides what free text means. */
export type Screen =
  | { name: 'language' }
  | { name: 'menu' }
  | { name: 'search' }
  | { name: 'status' }
  | { name: 'service'; service: string }
  | { name: 'form' }
  | { name: 'summary' }
  | { name: 'edit' }
  /** Answering an officer who asked for more on a case. */
  | { name: 'case_reply'; reference: string }
  | { name: 'reopen'; reference: string };

export interface Session {
  lang?: Lang;
  screen: Screen;
  /** The choice ids of the last numbered list, so that "3" picks its third row. */
  picks?: string[];
  draft?: Draft;
  /** When the citizen last wrote (ISO). */
  at?: string;
}

export async function loadSession(tx: Queryable, waId: string): Promise<Session | undefined> {
  const [row] = await tx.query<{ state: Session }>('select state from conversation_sessions where wa_id = $1', [waId]);
  // A row from before the conversation existed (the echo handler's counter) holds no screen.
  return row?.state?.screen ? row.state : undefined;
}

export async function saveSession(tx: Queryable, waId: string, session: Session, at: Date): Promise<void> {
  await tx.query(
    `insert into conversation_sessions (wa_id, state, updated_at) values ($1, $2, $3)
     on conflict (wa_id) do update set state = excluded.state, updated_at = excluded.updated_at`,
    [waId, JSON.stringify(session), at],
  );
}
