import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The public test vectors (../shared/vectors), read in place. A clone may live anywhere (CI clones into
 * a temporary directory), so: MITRA_VECTORS if set, else the first `shared/vectors` found beside the
 * repository or any folder above it, else the workspace's. Tests assert the folder exists: absent
 * vectors fail, they never skip.
 */
function findVectors(): string {
  if (process.env.MITRA_VECTORS) return resolve(process.env.MITRA_VECTORS);
  let dir = resolve(fileURLToPath(new URL('..', import.meta.url)));
  for (;;) {
    const candidate = join(dir, '..', 'shared', 'vectors');
    if (existsSync(candidate)) return resolve(candidate);
    const inside = join(dir, 'shared', 'vectors');
    if (existsSync(inside)) return inside;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return '/work/shared/vectors';
}

export const VECTORS = findVectors();
