import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

// The verify page's two scripts, bundled from TypeScript by esbuild in memory on first use and kept
// for the life of the process: the page's script (in-browser/page.ts, with the document verifier it
// shares with Node) and its service worker (in-browser/worker.ts). No build step, nothing written.

/** A text served with its ETag: revalidated on every load, and mostly answered 304. */
export interface Served {
  text: string;
  etag: string;
  /** Its brotli and gzip forms, made once on first ask (off the event loop). */
  packed?: Promise<{ br: Buffer; gzip: Buffer }>;
}

/** What goes on the wire for one request: the text or one compressed form, each with its own ETag. */
export interface Representation {
  body: string | Buffer;
  etag: string;
  encoding?: 'br' | 'gzip';
}
export interface VerifyScripts {
  page: Served;
  worker: Served;
}

/** A text served with a strong ETag of its bytes. */
export const served = (text: string): Served => ({ text, etag: `"${createHash('sha256').update(text).digest('base64url').slice(0, 27)}"` });

// A phone on a rural 2G/3G link opens the verify page cold: jsQR alone is 257 KB as text, 33 KB
// as brotli. Below a kilobyte compressing saves nothing worth a header.
const MIN_PACKED = 1024;
const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

/** The form this client takes best (Accept-Encoding): brotli, else gzip, else the text itself. */
export async function representationFor(s: Served, acceptEncoding: string | undefined): Promise<Representation> {
  const encoding = preferredEncoding(acceptEncoding);
  if (!encoding || Buffer.byteLength(s.text) < MIN_PACKED) return { body: s.text, etag: s.etag };
  s.packed ??= Promise.all([
    brotli(s.text, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT } }),
    gzipped(s.text, { level: 9 }),
  ]).then(([br, gz]) => ({ br, gzip: gz }));
  return { body: (await s.packed)[encoding], etag: `${s.etag.slice(0, -1)}-${encoding}"`, encoding };
}

/** RFC 9110 §12.5.3, as far as this needs: a coding is acceptable unless its q (or `*`'s) is 0. */
export function preferredEncoding(header: string | undefined): 'br' | 'gzip' | undefined {
  if (!header) return undefined;
  const q = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';').map((x) => x.trim());
    const weight = params.find((p) => p.startsWith('q='));
    if (name) q.set(name, weight === undefined ? 1 : Number(weight.slice(2)) || 0);
  }
  const takes = (coding: string) => (q.get(coding) ?? q.get('*') ?? 0) > 0;
  return takes('br') ? 'br' : takes('gzip') ? 'gzip' : undefined;
}

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
