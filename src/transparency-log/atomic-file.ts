/**
 * Files that must survive a crash whole: an auditor's state and a witness's record of what it cosigned.
 * A witness that loses or half-writes its record after returning a cosignature could later cosign a
 * fork, so the new content is written to a temporary file, synced, renamed over the old one, and the
 * directory synced so the rename itself is on disk. A crash leaves the old content or the new, never
 * a mix.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

export async function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o644): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const file = await open(tmp, 'wx', mode);
  try {
    await file.writeFile(data);
    await file.sync();
  } catch (err) {
    await file.close();
    await rm(tmp, { force: true });
    throw err;
  }
  await file.close();
  try {
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  await syncDirectory(dir);
}

async function syncDirectory(dir: string): Promise<void> {
  // Some platforms (Windows) cannot open or sync a directory; there the rename is as durable as it gets.
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (err) {
    if (!['EISDIR', 'EPERM', 'EINVAL', 'EBADF'].includes((err as NodeJS.ErrnoException).code ?? '')) throw err;
  } finally {
    await handle?.close();
  }
}

/** The file's text, or undefined if it does not exist (any other failure is broken infrastructure). */
export async function readTextIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

export type Locked = { ok: true; release(): Promise<void> } | { ok: false; pid: number };

/** Lock files this process holds: its own pid in a lock file is only stale if it is not one of these. */
const held = new Set<string>();

/**
 * Takes `<path>` as a lock file holding this process's id, so two processes never serve from one
 * state file: each would check against its own copy and together they could cosign a fork. A lock
 * left by a process that is gone is taken over.
 */
export async function lockFile(file: string): Promise<Locked> {
  const path = resolve(file);
  await mkdir(dirname(path), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx', 0o644);
      await handle.writeFile(`${process.pid}\n`);
      await handle.sync();
      await handle.close();
      held.add(path);
      return {
        ok: true,
        async release() {
          if (!held.delete(path)) return;
          if ((await readTextIfExists(path))?.trim() === String(process.pid)) await rm(path, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const pid = Number((await readTextIfExists(path))?.trim());
    // A container restarts its one process with the same pid: that lock is stale unless held here.
    const alive = pid === process.pid ? held.has(path) : Number.isSafeInteger(pid) && pid > 0 && isRunning(pid);
    if (alive) return { ok: false, pid };
    await rm(path, { force: true });
  }
  return { ok: false, pid: NaN };
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs, as another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
