import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** scrypt's cost parameters: N (CPU and memory, a power of two), r (block size), p (parallelism). */
export interface ScryptCost {
  N: number;
  r: number;
  p: number;
}

/**
 * What passwords are hashed with: 32 MiB of memory (128·N·r bytes) and on the order of 0.1 s of one
 * core per hash. OWASP's current floor is N=2^17; raise it here and each stored hash is upgraded
 * at its officer's next login (see needsRehash).
 */
export const DEFAULT_COST: Readonly<ScryptCost> = Object.freeze({ N: 2 ** 15, r: 8, p: 1 });

/** Tests only: a cost cheap enough that a suite can hash hundreds of times. Never in production. */
export const TEST_COST: Readonly<ScryptCost> = Object.freeze({ N: 2 ** 10, r: 8, p: 1 });

const SALT_BYTES = 16;
const KEY_BYTES = 32;
// A stored string naming a higher cost than this is not ours: refuse it rather than allocate gigabytes.
const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 16;

/** Memory scrypt needs for these parameters (OpenSSL: 128·r·(N+p+2) bytes), with some room. */
const maxmemFor = ({ N, r, p }: ScryptCost) => 128 * r * (N + p + 2) + 1024 * 1024;

function derive(password: string, salt: Buffer, keylen: number, cost: ScryptCost): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, keylen, { N: cost.N, r: cost.r, p: cost.p, maxmem: maxmemFor(cost) }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

function validCost(c: ScryptCost): boolean {
  const { N, r, p } = c;
  return Number.isInteger(N) && N > 1 && N <= MAX_N && (N & (N - 1)) === 0 && Number.isInteger(r) && r >= 1 && r <= MAX_R && Number.isInteger(p) && p >= 1 && p <= MAX_P;
}

/** Hashes a password as `scrypt$N$r$p$saltB64$hashB64` with a fresh random salt. */
export async function hashPassword(password: string, cost: ScryptCost = DEFAULT_COST): Promise<string> {
  if (!validCost(cost)) throw new Error(`invalid scrypt cost ${JSON.stringify(cost)}`);
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, KEY_BYTES, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64'), key.toString('base64')].join('$');
}

interface Parsed extends ScryptCost {
  salt: Buffer;
  key: Buffer;
}

function parse(stored: string): Parsed | undefined {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [N, r, p] = parts.slice(1, 4).map((s) => (/^\d{1,8}$/.test(s!) ? Number(s) : NaN)) as [number, number, number];
  const salt = Buffer.from(parts[4]!, 'base64');
  const key = Buffer.from(parts[5]!, 'base64');
  if (!validCost({ N, r, p }) || salt.length < 8 || key.length < 16 || key.length > 64) return undefined;
  return { N, r, p, salt, key };
}

/** True when `password` is the one `stored` was made from. Constant time in the key comparison; false for a stored string that is not a hash of ours. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const h = parse(stored);
  if (!h) return false;
  const key = await derive(password, h.salt, h.key.length, h);
  return timingSafeEqual(key, h.key);
}

/** True when `stored` was made with other parameters than `cost` (or is unreadable): hash the password again at the next successful login. */
export function needsRehash(stored: string, cost: ScryptCost = DEFAULT_COST): boolean {
  const h = parse(stored);
  return !h || h.N !== cost.N || h.r !== cost.r || h.p !== cost.p || h.key.length !== KEY_BYTES || h.salt.length !== SALT_BYTES;
}
