import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from './config.ts';

/**
 * A secret from the configuration; with the simulator (none configured), one made on first start and
 * kept beside the embedded database, so it stays the same across restarts. A live number must set
 * the secrets it needs (the config refuses to start without them).
 */
function secretOf(value: string | undefined, dataDir: string, file: string, make: () => string): string {
  if (value) return value;
  const path = join(dataDir, file);
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const made = make();
  writeFileSync(path, `${made}\n`, { mode: 0o600, flag: 'wx' });
  return made;
}

/** The secret Aadhaar numbers are hashed with: hashes stay comparable only under the same one. */
export function aadhaarSalt(config: Pick<Config, 'AADHAAR_SALT' | 'DATA_DIR'>): string {
  return secretOf(config.AADHAAR_SALT, config.DATA_DIR, 'aadhaar-salt', () => randomBytes(32).toString('hex'));
}

/** The secret that seals department signing keys in the database. */
export function signingKeySecret(config: Pick<Config, 'SIGNING_KEY_SECRET' | 'DATA_DIR'>): string {
  return secretOf(config.SIGNING_KEY_SECRET, config.DATA_DIR, 'signing-key-secret', () => randomBytes(32).toString('hex'));
}

/** The trust list's root key seed (base64url), or undefined when a live deployment keeps it offline. */
export function trustRootSeed(config: Pick<Config, 'TRUST_ROOT_KEY' | 'DATA_DIR' | 'simulated'>): string | undefined {
  if (!config.simulated && !config.TRUST_ROOT_KEY) return undefined;
  return secretOf(config.TRUST_ROOT_KEY, config.DATA_DIR, 'trust-root-key', () => randomBytes(32).toString('base64url'));
}

/** The ledger's signing key seed (base64url), or undefined when a live deployment has not set one. */
export function ledgerKeySeed(config: Pick<Config, 'LEDGER_KEY' | 'DATA_DIR' | 'simulated'>): string | undefined {
  if (!config.simulated && !config.LEDGER_KEY) return undefined;
  return secretOf(config.LEDGER_KEY, config.DATA_DIR, 'ledger-key', () => randomBytes(32).toString('base64url'));
}
