import { MIN_STATUS_LIST_SIZE, newStatusList, setRevoked, signStatusList, type SignedStatusList, type StatusList } from '../documents/index.ts';
import type { Queryable } from '../platform/index.ts';
import { signingKeyOf } from './keystore.ts';
import { revokedIndexes } from './records.ts';

/** A department's status list as it stands: a bit per certificate index, 1 for revoked. */
export async function statusListOf(db: Queryable, department: string, at: Date): Promise<StatusList> {
  const { revoked, last } = await revokedIndexes(db, department);
  // Powers of two from 131,072 up: the size says little about how many certificates exist.
  let size = MIN_STATUS_LIST_SIZE;
  while (size <= last) size *= 2;
  const list = newStatusList(department, size, at);
  for (const i of revoked) setRevoked(list, i);
  return list;
}

export type PublishedStatus = { ok: true; signed: SignedStatusList } | { ok: false; code: 'no_key' | 'sealed_with_another_secret'; message: string };

/** The department's status list, signed now with its active key, for verifiers to download. */
export async function signedStatusListOf(db: Queryable, secret: string, department: string, at: Date): Promise<PublishedStatus> {
  const key = await signingKeyOf(db, secret, department, at);
  if (!key.ok) return key;
  return { ok: true, signed: signStatusList(await statusListOf(db, department, at), key.key, at) };
}
