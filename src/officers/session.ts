import { createHash, randomBytes } from 'node:crypto';
import type { Clock, Queryable } from '../platform/index.ts';
import { OFFICER_COLUMNS, toOfficer, type Officer } from './officer.ts';

/** How long a session lasts after its last use, unless configured otherwise: 12 hours. */
export const DEFAULT_SESSION_MS = 12 * 3600_000;
/** last_seen_at (and the sliding expiry with it) is written at most this often per session. */
const BUMP_MS = 60_000;

export interface SessionOptions {
  /** Sliding lifetime: a session ends this long after its last use. Default 12 h. */
  sessionMs?: number;
}

/** A signed-in officer and the CSRF token their browser must echo on unsafe requests. */
export interface OfficerSession {
  officer: Officer;
  csrfToken: string;
  expiresAt: Date;
}

/** The session id kept in the database: the sha256 (hex) of the token, never the token. */
export const sessionId = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

/** A fresh secret: 32 random bytes, base64url (43 characters). */
export const newToken = () => randomBytes(32).toString('base64url');

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** Starts a session for an officer; the token goes to the officer only (the database keeps its hash). */
export async function startSession(db: Queryable, clock: Clock, officerId: number, opts: SessionOptions = {}): Promise<{ token: string; csrfToken: string; expiresAt: Date }> {
  const now = clock.now();
  const token = newToken();
  const csrfToken = newToken();
  const expiresAt = new Date(now.getTime() + (opts.sessionMs ?? DEFAULT_SESSION_MS));
  // Housekeeping on the way: the officer's own sessions that have ended.
  await db.query('delete from officer_sessions where officer_id = $1 and expires_at <= $2', [officerId, now]);
  await db.query(
    `insert into officer_sessions (id, officer_id, csrf_token, created_at, expires_at, last_seen_at) values ($1, $2, $3, $4, $5, $4)`,
    [sessionId(token), officerId, csrfToken, now, expiresAt],
  );
  return { token, csrfToken, expiresAt };
}

/**
 * The session a token opens, or undefined when it is unknown, expired, or its officer is disabled.
 * Each use slides the expiry; the row is written at most once a minute.
 */
export async function sessionFor(db: Queryable, clock: Clock, token: string | undefined, opts: SessionOptions = {}): Promise<OfficerSession | undefined> {
  if (!token || !TOKEN.test(token)) return undefined;
  const id = sessionId(token);
  const [row] = await db.query<Officer & { csrfToken: string; expiresAt: Date; lastSeenAt: Date }>(
    `select ${OFFICER_COLUMNS}, s.csrf_token as "csrfToken", s.expires_at as "expiresAt", s.last_seen_at as "lastSeenAt"
       from officer_sessions s join officers o on o.id = s.officer_id
      where s.id = $1`,
    [id],
  );
  if (!row) return undefined;
  const now = clock.now();
  if (new Date(row.expiresAt).getTime() <= now.getTime()) {
    await db.query('delete from officer_sessions where id = $1', [id]);
    return undefined;
  }
  if (row.disabled) return undefined;
  let expiresAt = new Date(row.expiresAt);
  if (now.getTime() - new Date(row.lastSeenAt).getTime() >= BUMP_MS) {
    expiresAt = new Date(now.getTime() + (opts.sessionMs ?? DEFAULT_SESSION_MS));
    await db.query('update officer_sessions set last_seen_at = $2, expires_at = $3 where id = $1', [id, now, expiresAt]);
  }
  return { officer: toOfficer(row), csrfToken: row.csrfToken, expiresAt };
}

/** The officer a session token belongs to, or undefined (unknown, expired, or the officer is disabled). */
export async function officerForSession(db: Queryable, clock: Clock, token: string | undefined, opts: SessionOptions = {}): Promise<Officer | undefined> {
  return (await sessionFor(db, clock, token, opts))?.officer;
}

/** Ends the session a token opens; true when there was one. */
export async function logout(db: Queryable, token: string | undefined): Promise<boolean> {
  if (!token || !TOKEN.test(token)) return false;
  const rows = await db.query('delete from officer_sessions where id = $1 returning id', [sessionId(token)]);
  return rows.length > 0;
}

/** Ends every session of an officer (after a password change or when the account is disabled). */
export async function logoutEverywhere(db: Queryable, officerId: number): Promise<number> {
  return (await db.query('delete from officer_sessions where officer_id = $1 returning id', [officerId])).length;
}

/** Deletes every ended session (an hourly chore: lookups and logins already remove the ones they meet). */
export async function purgeExpiredSessions(db: Queryable, clock: Clock): Promise<number> {
  return (await db.query('delete from officer_sessions where expires_at <= $1 returning id', [clock.now()])).length;
}
