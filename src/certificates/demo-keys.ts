import { keyPairFromSeed, type KeyPair } from '../documents/index.ts';
import type { Db } from '../platform/index.ts';
import { addDepartmentKey, latestTrustList, publishTrustList } from './keystore.ts';

/** The root key pair of a base64url seed (TRUST_ROOT_KEY, or the simulator's file). */
export const rootKeyOf = (seed: string): KeyPair => keyPairFromSeed(Buffer.from(seed, 'base64url'));

/**
 * With the simulator, every department that issues certificates gets a signing key on first start
 * (and a new one when its window has ended), and the trust list is republished, so a newcomer's first
 * approval already carries a verifiable QR code. A live deployment makes its keys with `mitra keys`.
 */
export async function ensureDemoKeys(db: Db, secret: string, root: KeyPair, departments: readonly string[], at: Date): Promise<string[]> {
  return db.transaction(async (tx) => {
    const have = await tx.query<{ department: string }>(
      `select distinct department from signing_keys where status = 'active' and not_before <= $1 and not_after > $1`,
      [at],
    );
    const covered = new Set(have.map((r) => r.department));
    const added: string[] = [];
    for (const d of departments) {
      if (covered.has(d)) continue;
      await addDepartmentKey(tx, secret, d, at);
      added.push(d);
    }
    if (added.length || !(await latestTrustList(tx))) await publishTrustList(tx, root, at);
    return added;
  });
}
