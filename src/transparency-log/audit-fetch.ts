/**
 * Reading a tlog-tiles log over HTTP for an auditor. A failed fetch is a value, not an exception: a
 * log that cannot be read is an audit outcome (`unreachable`), not a crash. Every body is read with a
 * cap, so a hostile server cannot exhaust the auditor's memory with one endless tile.
 */

export type Fetched = { ok: true; bytes: Uint8Array } | { ok: false; status?: number; message: string };

/** Fetches `path` (relative to the log's prefix: `checkpoint`, `tile/0/000`) reading at most `maxBytes`. */
export type LogFetcher = (path: string, maxBytes: number) => Promise<Fetched>;

/** The log's prefix as a URL ending in "/", so relative paths resolve below it. */
export function logPrefix(url: string): URL | undefined {
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
    if (!u.pathname.endsWith('/')) u.pathname += '/';
    u.search = '';
    u.hash = '';
    return u;
  } catch {
    return undefined;
  }
}

export function httpFetcher(prefix: URL, opts: { timeoutMs?: number; fetch?: typeof fetch } = {}): LogFetcher {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const get = opts.fetch ?? fetch;
  return async (path, maxBytes) => {
    const url = new URL(path, prefix);
    let res: Response;
    try {
      // Entry bundles may come gzip-compressed (tlog-tiles); fetch decompresses them.
      res = await get(url, { signal: AbortSignal.timeout(timeoutMs), headers: { 'accept-encoding': 'gzip, identity' } });
    } catch (err) {
      return { ok: false, message: `${url}: ${describe(err, timeoutMs)}` };
    }
    if (res.status !== 200) {
      await res.body?.cancel().catch(() => {});
      return { ok: false, status: res.status, message: `${url}: HTTP ${res.status}` };
    }
    try {
      const bytes = await readCapped(res, maxBytes);
      return bytes ? { ok: true, bytes } : { ok: false, message: `${url}: more than ${maxBytes} bytes` };
    } catch (err) {
      return { ok: false, message: `${url}: ${describe(err, timeoutMs)}` };
    }
  };
}

async function readCapped(res: Response, maxBytes: number): Promise<Uint8Array | undefined> {
  if (!res.body) return new Uint8Array(0);
  const reader = res.body.getReader();
  const parts: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.length;
    if (length > maxBytes) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    parts.push(value);
  }
  return new Uint8Array(Buffer.concat(parts));
}

function describe(err: unknown, timeoutMs: number): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return `no answer within ${timeoutMs / 1000} s`;
  return e.cause?.code ?? e.cause?.message ?? e.message;
}
