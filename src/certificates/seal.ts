import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

// A department's private key at rest: AES-256-GCM under a key derived from SIGNING_KEY_SECRET, bound
// to its kid (as associated data) so a sealed key cannot be moved to another key's row.
const VERSION = 'v1';

const keyOf = (secret: string) => createHash('sha256').update(`mitra signing keys\0${secret}`).digest();

export function seal(secret: string, plain: string, kid: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(secret), iv).setAAD(Buffer.from(kid));
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
}

/** The sealed text, or undefined when the secret is not the one it was sealed with (or the row was altered). */
export function unseal(secret: string, sealed: string, kid: string): string | undefined {
  const [version, data] = sealed.split('.');
  if (version !== VERSION || !data) return undefined;
  const raw = Buffer.from(data, 'base64url');
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyOf(secret), raw.subarray(0, 12)).setAAD(Buffer.from(kid));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}
