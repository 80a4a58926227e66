import type { Queryable } from '../platform/index.ts';
import { DEFAULT_KEY_DAYS, newDepartmentKey, signTrustList, trustListOf, type DepartmentKey, type KeyPair, type SignedTrustList } from '../documents/index.ts';
import { seal, unseal } from './seal.ts';
import { recordInLedger, sha256Hex } from '../transparency-log/index.ts';

// The departments' signing keys in the database. The documents module holds the rules (windows,
// rotation, revocation); this file keeps them, sealed, and publishes the trust list.

interface KeyRow {
  kid: string;
  department: string;
  public_key: string;
  sealed_private: string;
  not_before: Date;
  not_after: Date;
  status: DepartmentKey['status'];
  revoked_at: Date | null;
  revoked_reason: string | null;
}

const iso = (d: Date | string) => new Date(d).toISOString();

function keyOf(r: KeyRow, secretKey = ''): DepartmentKey {
  return {
    kid: r.kid,
    department: r.department,
    publicKey: r.public_key,
    secretKey,
    notBefore: iso(r.not_before),
    notAfter: iso(r.not_after),
    status: r.status,
    ...(r.revoked_at ? { revokedAt: iso(r.revoked_at) } : {}),
    ...(r.revoked_reason ? { revocationReason: r.revoked_reason } : {}),
  };
}

/** Every key, public halves only (secretKey is empty), oldest first. */
export async function departmentKeys(db: Queryable, department?: string): Promise<DepartmentKey[]> {
  const rows = await db.query<KeyRow>(
    `select * from signing_keys where $1::text is null or department = $1 order by department, not_before, created_at, kid`,
    [department ?? null],
  );
  return rows.map((r) => keyOf(r));
}

export type SigningKey = { ok: true; key: DepartmentKey } | { ok: false; code: 'no_key' | 'sealed_with_another_secret'; message: string };

/** The key a department signs with at `at`, unsealed. */
export async function signingKeyOf(db: Queryable, secret: string, department: string, at: Date): Promise<SigningKey> {
  const [r] = await db.query<KeyRow>(
    `select * from signing_keys where department = $1 and status = 'active' and not_before <= $2 and not_after >= $2 order by not_before desc limit 1`,
    [department, at],
  );
  if (!r) return { ok: false, code: 'no_key', message: `${department} has no active signing key (mitra keys create --department ${department})` };
  const secretKey = unseal(secret, r.sealed_private, r.kid);
  if (!secretKey) return { ok: false, code: 'sealed_with_another_secret', message: `key ${r.kid} was sealed under another SIGNING_KEY_SECRET` };
  return { ok: true, key: keyOf(r, secretKey) };
}

/**
 * A new active key for a department. Its earlier active key is retired, its window closed now:
 * what it signed stays valid.
 */
export async function addDepartmentKey(tx: Queryable, secret: string, department: string, at: Date, days = DEFAULT_KEY_DAYS): Promise<DepartmentKey> {
  // Documents carry whole seconds: a window that opened mid-second would refuse one signed in that second.
  const key = newDepartmentKey(department, new Date(Math.floor(at.getTime() / 1000) * 1000), days);
  const retired = await tx.query<{ kid: string; public_key: string }>(
    `update signing_keys set status = 'retired', not_after = least(not_after, $2) where department = $1 and status = 'active' returning kid, public_key`,
    [department, at],
  );
  const keyEntry = (kind: 'key_added' | 'key_retired', kid: string, publicKey: string) => ({ kind, department, subject: kid, sha256: sha256Hex(Buffer.from(publicKey, 'base64url')), at: at.toISOString() });
  await recordInLedger(tx, [...retired.map((r) => keyEntry('key_retired', r.kid, r.public_key)), keyEntry('key_added', key.kid, key.publicKey)], at);
  await tx.query(
    `insert into signing_keys (kid, department, public_key, sealed_private, not_before, not_after, status, created_at) values ($1, $2, $3, $4, $5, $6, 'active', $7)`,
    [key.kid, department, key.publicKey, seal(secret, key.secretKey, key.kid), key.notBefore, key.notAfter, at],
  );
  return key;
}

export type KeyRevoked = { ok: true; key: DepartmentKey } | { ok: false; code: 'unknown_key' | 'already_revoked'; message: string };

/** Revokes a key for compromise: every document it ever signed stops verifying. */
export async function revokeDepartmentKey(tx: Queryable, kid: string, reason: string, at: Date): Promise<KeyRevoked> {
  const [r] = await tx.query<KeyRow>(`select * from signing_keys where kid = $1 for update`, [kid]);
  if (!r) return { ok: false, code: 'unknown_key', message: `no key ${kid}` };
  if (r.status === 'revoked') return { ok: false, code: 'already_revoked', message: `key ${kid} was revoked at ${iso(r.revoked_at!)}` };
  const [done] = await tx.query<KeyRow>(`update signing_keys set status = 'revoked', revoked_at = $2, revoked_reason = $3 where kid = $1 returning *`, [kid, at, reason]);
  await recordInLedger(tx, [{ kind: 'key_revoked', department: r.department, subject: kid, sha256: sha256Hex(Buffer.from(r.public_key, 'base64url')), at: at.toISOString() }], at);
  return { ok: true, key: keyOf(done!) };
}

/** Signs and stores the next trust list (every key as it stands) with the state's root key. */
export async function publishTrustList(tx: Queryable, root: KeyPair, at: Date): Promise<SignedTrustList> {
  await tx.query(`lock table trust_lists in exclusive mode`);
  const [last] = await tx.query<{ serial: number }>(`select coalesce(max(serial), 0)::int as serial from trust_lists`);
  const signed = signTrustList(trustListOf(await departmentKeys(tx), last!.serial + 1, at), root);
  await tx.query(`insert into trust_lists (serial, issued_at, signed) values ($1, $2, $3)`, [signed.trustList.serial, at, JSON.stringify(signed)]);
  return signed;
}

export async function latestTrustList(db: Queryable): Promise<SignedTrustList | undefined> {
  const [r] = await db.query<{ signed: SignedTrustList }>(`select signed from trust_lists order by serial desc limit 1`);
  return r?.signed;
}
