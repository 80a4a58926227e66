import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Somewhere outside Mitra that keeps a copy of checkpoints: a public blockchain, an RFC 3161
 * timestamping service, a git repository the public mirrors. Optional and after the fact: a
 * checkpoint is valid without it and verification never asks for it; an anchor only makes a
 * later rewrite of history visible to people who never talked to a witness.
 */
export interface LedgerAnchor {
  readonly name: string;
  anchor(checkpoint: { size: number; note: string }): Promise<{ ok: true; receipt: string } | { ok: false; message: string }>;
}

/**
 * An anchor that writes each checkpoint as a file (`<size>.checkpoint`) into a directory that is
 * published elsewhere (a git repository pushed to a public host, an object store). Written to a
 * temporary name and renamed, so a reader never sees half a checkpoint.
 */
export function directoryAnchor(dir: string): LedgerAnchor {
  return {
    name: `directory:${dir}`,
    async anchor({ size, note }) {
      try {
        await mkdir(dir, { recursive: true });
        const file = join(dir, `${size}.checkpoint`);
        await writeFile(`${file}.tmp`, note);
        await rename(`${file}.tmp`, file);
        return { ok: true, receipt: file };
      } catch (err) {
        return { ok: false, message: (err as Error).message };
      }
    },
  };
}
