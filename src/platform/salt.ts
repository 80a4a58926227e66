import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from './config.ts';

/**
 * The secret Aadhaar numbers are hashed with. A live number must set AADHAAR_SALT (the config refuses
 * to start without it). With the simulator, one is made on first start and kept beside the embedded
 * database, so hashes stay comparable across restarts.
 */
export function aadhaarSalt(config: Pick<Config, 'AADHAAR_SALT' | 'DATA_DIR'>): string {
  if (config.AADHAAR_SALT) return config.AADHAAR_SALT;
  const file = join(config.DATA_DIR, 'aadhaar-salt');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(config.DATA_DIR, { recursive: true });
  const salt = randomBytes(32).toString('hex');
  writeFileSync(file, `${salt}\n`, { mode: 0o600, flag: 'wx' });
  return salt;
}
