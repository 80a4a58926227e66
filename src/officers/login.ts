import { randomBytes } from 'node:crypto';
import type { Clock, Db, Queryable } from '../platform/index.ts';
import { OFFICER_COLUMNS, toOfficer, type Officer } from './officer.ts';
import { DEFAULT_COST, hashPassword, needsRehash, verifyPassword, type ScryptCost } from './password.ts';
import { startSession, type SessionOptions } from './session.ts';

export interface LoginOptions extends SessionOptions {
  /** Consecutive failures that lock an account. Default 5. */
  maxFailures?: number;
  /** How long a lockout lasts. Default 15 minutes. */
  lockoutMs?: number;
  /** The scrypt cost passwords should have; an older hash is upgraded at login. Tests pass TEST_COST. */
  cost?: ScryptCost;
}

export type LoginResult =
  | { ok: true; token: string; csrfToken: string; officer: Officer; expiresAt: Date }
  | { ok: false; code: 'invalid_credentials' }
  | { ok: false; code: 'locked'; retryAfterSeconds: number };

export const DEFAULT_MAX_FAILURES = 5;
export const DEFAULT_LOCKOUT_MS = 15 * 60_000;

// A hash of a random password per cost, so that an unknown username costs as long as a known one.
const dummies = new Map<string, Promise<string>>();
function dummyHash(cost: ScryptCost): Promise<string> {
  const key = `${cost.N}/${cost.r}/${cost.p}`;
  let hash = dummies.get(key);
  if (!hash) dummies.set(key, (hash = hashPassword(randomBytes(16).toString('hex'), cost)));
  return hash;
}

const invalid: LoginResult = { ok: false, code: 'invalid_credentials' };
const locked = (until: Date, now: Date): LoginResult => ({ ok: false, code: 'locked', retryAfterSeconds: Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000)) });

/**
 * Signs an officer in. Each attempt is counted before the password is checked, so attempts made in
 * parallel cannot get more than `maxFailures` guesses past the lockout; a success resets the count.
 * Unknown usernames and disabled accounts answer `invalid_credentials` after the same work as a
 * wrong password. Never throws for bad input.
 */
export async function login(db: Db, clock: Clock, credentials: { username: string; password: string }, opts: LoginOptions = {}): Promise<LoginResult> {
  const maxFailures = opts.maxFailures ?? DEFAULT_MAX_FAILURES;
  const lockoutMs = opts.lockoutMs ?? DEFAULT_LOCKOUT_MS;
  const cost = opts.cost ?? DEFAULT_COST;
  const username = credentials.username.trim().toLowerCase();
  const now = clock.now();

  // One statement finds the officer and takes one attempt of the allowance, so that a wrong password
  // costs what an unknown username costs: this transaction and one hash. The count need not wait for
  // the disk (a crash losing one is harmless); waiting would tell a real username by its fsync.
  const row = await db.transaction(async (tx) => {
    await tx.query('set local synchronous_commit = off');
    const [found] = await tx.query<{ id: number; passwordHash: string; disabled: boolean; lockedUntil: Date | null; attempt: number | null }>(
      `with o as (select id, password_hash, disabled, locked_until from officers where username = $1),
            taken as (
              update officers set failed_logins = officers.failed_logins + 1
                from o
               where officers.id = o.id and not officers.disabled and officers.failed_logins < $2
                 and (officers.locked_until is null or officers.locked_until <= $3)
              returning officers.failed_logins)
       select o.id, o.password_hash as "passwordHash", o.disabled, o.locked_until as "lockedUntil",
              (select failed_logins from taken) as attempt
         from o`,
      [username, maxFailures, now],
    );
    return found;
  });
  if (!row || row.disabled) {
    await verifyPassword(credentials.password, row?.passwordHash ?? (await dummyHash(cost)));
    return invalid;
  }
  if (row.lockedUntil && new Date(row.lockedUntil) > now) return locked(new Date(row.lockedUntil), now);
  // No attempt left while others are in flight (or were cut short by a crash): lock now.
  if (row.attempt === null) return lockNow(db, row.id, now, lockoutMs);

  if (!(await verifyPassword(credentials.password, row.passwordHash))) {
    // The attempt stays counted; the one that used up the allowance locks the account.
    if (row.attempt < maxFailures) return invalid;
    const until = new Date(now.getTime() + lockoutMs);
    const [lockedNow] = await db.query(
      `update officers set failed_logins = 0, locked_until = $3
        where id = $1 and failed_logins >= $2 and (locked_until is null or locked_until <= $4)
        returning id`,
      [row.id, maxFailures, until, now],
    );
    return lockedNow ? locked(until, now) : lockedState(db, row.id, now);
  }
  // Right password; still refused if a parallel attempt locked the account (or it was disabled) meanwhile.
  const [officer] = await db.query<Officer>(
    `update officers o set failed_logins = 0, locked_until = null
      where o.id = $1 and not o.disabled and (o.locked_until is null or o.locked_until <= $2)
      returning ${OFFICER_COLUMNS}`,
    [row.id, now],
  );
  if (!officer) return lockedState(db, row.id, now);
  if (needsRehash(row.passwordHash, cost)) {
    await db.query('update officers set password_hash = $2 where id = $1 and password_hash = $3', [row.id, await hashPassword(credentials.password, cost), row.passwordHash]);
  }
  const session = await startSession(db, clock, row.id, opts);
  return { ok: true, ...session, officer: toOfficer(officer) };
}

async function lockNow(db: Queryable, id: number, now: Date, lockoutMs: number): Promise<LoginResult> {
  const until = new Date(now.getTime() + lockoutMs);
  await db.query(
    `update officers set failed_logins = 0, locked_until = $2 where id = $1 and (locked_until is null or locked_until <= $3)`,
    [id, until, now],
  );
  return lockedState(db, id, now);
}

async function lockedState(db: Queryable, id: number, now: Date): Promise<LoginResult> {
  const [r] = await db.query<{ lockedUntil: Date | null }>('select locked_until as "lockedUntil" from officers where id = $1', [id]);
  return r?.lockedUntil && new Date(r.lockedUntil) > now ? locked(new Date(r.lockedUntil), now) : invalid;
}
