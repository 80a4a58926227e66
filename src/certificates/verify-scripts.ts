import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';

// The verify page's two scripts, bundled from TypeScript by esbuild in memory on first use and kept
// for the life of the process: the page's script (in-browser/page.ts, with the document verifier it
// shares with Node) and its service worker (in-browser/worker.ts). No build step, nothing written.

/** A text served with its ETag: revalidated on every load, and mostly answered 304. */
export interface Served {
  text: string;
  etag: string;
}
export interface VerifyScripts {
  page: Served;
  worker: Served;
}

/** A text served with a strong ETag of its bytes. */
export const served = (text: string): Served => ({ text, etag: `"${createHash('sha256').update(text).digest('base64url').slice(0, 27)}"` });

const entry = (name: string) => fileURLToPath(new URL(`./in-browser/${name}`, import.meta.url));
let built: Promise<VerifyScripts> | undefined;

export function verifyScripts(): Promise<VerifyScripts> {
  built ??= bundle().catch((err: unknown) => {
    built = undefined; // a later request tries again
    throw err;
  });
  return built;
}

async function bundle(): Promise<VerifyScripts> {
  // Loaded here, not at the top: esbuild starts a helper process, which only the verify page needs.
  const { build } = await import('esbuild');
  const one = async (name: string): Promise<Served> => {
    const out = await build({
      entryPoints: [entry(name)],
      bundle: true,
      write: false,
      format: 'iife',
      platform: 'browser',
      // Ed25519 in Web Crypto is newer than all of these; the verifier checks for it at run time.
      target: ['es2020'],
      minify: true,
      charset: 'utf8',
      legalComments: 'none',
      logLevel: 'silent',
    });
    return served(out.outputFiles[0]!.text);
  };
  const [page, worker] = await Promise.all([one('page.ts'), one('worker.ts')]);
  return { page, worker };
}
