import { trustRootSeed, type Config } from '../platform/index.ts';
import { rootKeyOf } from './demo-keys.ts';

/**
 * The root public key this server gives the verify page to pin: TRUST_ROOT_PUBLIC_KEY, else the
 * public half of TRUST_ROOT_KEY (the simulator's own), else none (browsers then check on the server).
 */
export function pinnedRootKey(config: Pick<Config, 'TRUST_ROOT_PUBLIC_KEY' | 'TRUST_ROOT_KEY' | 'DATA_DIR' | 'simulated'>): string | undefined {
  if (config.TRUST_ROOT_PUBLIC_KEY) return config.TRUST_ROOT_PUBLIC_KEY;
  const seed = trustRootSeed(config);
  return seed ? rootKeyOf(seed).publicKey : undefined;
}
