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

/** The sessions of several citizens in one statement; a citizen without one is absent from the map. */
export async function loadSessions(tx: Queryable, waIds: string[]): Promise<Map<string, Session>> {
  const rows = await tx.query<{ wa_id: string; state: Session }>('select wa_id, state from conversation_sessions where wa_id = any($1::text[])', [waIds]);
  return new Map(rows.filter((r) => r.state?.screen).map((r) => [r.wa_id, r.state]));
}

/** Several citizens' sessions written in one statement; one entry per citizen. */
export async function saveSessions(tx: Queryable, sessions: { waId: string; session: Session; at: Date }[]): Promise<void> {
  if (sessions.length === 0) return;
  await tx.query(
    `insert into conversation_sessions (wa_id, state, updated_at)
     select wa_id, state, at from jsonb_to_recordset($1::jsonb) as x(wa_id text, state jsonb, at timestamptz)
     on conflict (wa_id) do update set state = excluded.state, updated_at = excluded.updated_at`,
    [JSON.stringify(sessions.map((s) => ({ wa_id: s.waId, state: s.session, at: s.at.toISOString() })))],
  );
}
