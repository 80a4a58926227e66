// The Graph API calls Mitra makes. Works the same against Meta and against the simulator.
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export interface GraphOptions {
  baseUrl: string;
  version: string;
  accessToken: string;
  phoneNumberId: string;
  timeoutMs?: number;
}

export interface GraphError {
  code: number;
  title: string;
  detail?: string;
  httpStatus: number;
  retryable: boolean;
  /** Seconds to wait before the next try, when Meta's rules say (131056: 4^attempt). */
  pairRateLimited?: boolean;
  /**
   * No answer to a request that was written: Meta may well have it. Its status webhook will say so;
   * a retry should wait for that rather than risk sending the message twice.
   */
  unanswered?: boolean;
}

export type SendResult = { ok: true; wamid?: string } | { ok: false; error: GraphError };

// Meta's error codes that clear up by themselves (rate limits, overload, maintenance, generic errors).
const RETRYABLE = new Set([1, 2, 4, 80007, 130429, 131000, 131048, 131056, 131057, 133004]);

export function classify(httpStatus: number, body: unknown): GraphError {
  const e = (body as { error?: { code?: number; message?: string; error_data?: { details?: string } } } | undefined)?.error;
  const code = typeof e?.code === 'number' ? e.code : httpStatus === 0 ? -1 : httpStatus;
  const retryable = httpStatus === 0 || httpStatus === 429 || httpStatus >= 500 || RETRYABLE.has(code);
  return {
    code,
    title: e?.message ?? (httpStatus === 0 ? 'network error' : `HTTP ${httpStatus}`),
    detail: e?.error_data?.details,
    httpStatus,
    retryable,
    pairRateLimited: code === 131056,
  };
}

/** Why a call got no HTTP answer, in the shape of Meta's errors, so the outbox row says it. */
const networkError = (why: string) => ({ error: { message: `network error: ${why}` } });

export function createGraphClient(o: GraphOptions) {
  const root = `${o.baseUrl.replace(/\/$/, '')}/${o.version}`;
  const auth = { authorization: `Bearer ${o.accessToken}` };
  const timeout = o.timeoutMs ?? 10_000;
  const base = new URL(root);
  const secure = base.protocol === 'https:';
  // Sends go through node:http(s) with kept-alive connections: the web fetch (undici, web streams and
  // an AbortSignal per call) cost several times the CPU of a plain request for the same small POST.
  const agent = secure ? new HttpsAgent({ keepAlive: true, maxSockets: 256 }) : new HttpAgent({ keepAlive: true, maxSockets: 256 });
  const sendPath = `${base.pathname}/${o.phoneNumberId}/messages`;
  const sendHeaders = { ...auth, 'content-type': 'application/json' };

  /** One POST with a JSON body; status 0 for a network error or a timeout, `unanswered` once it was written. */
  function post(path: string, json: string, retried = false): Promise<{ status: number; body: unknown; unanswered?: boolean }> {
    return new Promise((resolve) => {
      let done = false;
      const finish = (r: { status: number; body: unknown; unanswered?: boolean }) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve(r);
      };
      const req = (secure ? httpsRequest : httpRequest)(
        { host: base.hostname.replace(/^\[(.*)\]$/, '$1'), port: base.port || undefined, path, method: 'POST', agent, headers: { ...sendHeaders, 'content-length': Buffer.byteLength(json) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let body: unknown = text;
            try {
              body = JSON.parse(text);
            } catch {
              /* not JSON: keep the text for the error */
            }
            finish({ status: res.statusCode ?? 0, body });
          });
          res.on('error', (err: NodeJS.ErrnoException) => finish({ status: 0, body: networkError(err.code ?? err.message), unanswered: true }));
        },
      );
      // Given up before the sender's lease ends, or a slow call could be taken and sent again. The
      // clock runs from the moment the request is on the wire: a call that could not even be written
      // in time (this thread was busy, a connection slow to open) is dropped unsent, which is safe to
      // try again; one that was written gets the full time for its answer. And each check waits one
      // turn of the event loop first: when this thread was busy (PGlite runs in it), an answer may be
      // waiting unread, and a call Meta did answer must not count as failed (it would be sent again).
      let phase = 0;
      const giveUp = (at: number) =>
        setImmediate(() => {
          if (done || at !== phase) return;
          req.destroy(new Error('timeout'));
          finish({ status: 0, body: networkError(at === 1 ? `no answer in ${timeout} ms` : `not written in ${timeout} ms`), unanswered: at === 1 });
        });
      let timer = setTimeout(() => giveUp(0), timeout);
      req.once('socket', (socket) => {
        const written = () => {
          if (done) return;
          clearTimeout(timer);
          phase = 1;
          timer = setTimeout(() => giveUp(1), timeout);
        };
        if (socket.connecting) socket.once('connect', written);
        else written();
      });
      req.on('error', (err: NodeJS.ErrnoException) => {
        // A kept-alive connection the server closed just as it was reused: the request never reached
        // it. Node's advice is to send it again on a fresh connection, once.
        if (!done && !retried && req.reusedSocket && err.code === 'ECONNRESET') {
          done = true;
          clearTimeout(timer);
          resolve(post(path, json, true));
        } else finish({ status: 0, body: networkError(err.code ?? err.message), unanswered: phase === 1 });
      });
      req.end(json);
    });
  }

  async function call(url: string, init: RequestInit): Promise<{ status: number; body: unknown }> {
    try {
      const res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeout) });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        /* not JSON: keep the text for the error */
      }
      return { status: res.status, body };
    } catch {
      return { status: 0, body: undefined };
    }
  }

  return {
    /** Closes the kept-alive connections. */
    close() {
      agent.destroy();
    },

    /** POST /{phone-number-id}/messages with any message body (text, interactive, media, template, read receipt). */
    async send(payload: Record<string, unknown>): Promise<SendResult> {
      const { status, body, unanswered } = await post(sendPath, JSON.stringify(payload));
      if (status === 200) {
        const wamid = (body as { messages?: { id?: string }[] } | undefined)?.messages?.[0]?.id;
        return { ok: true, wamid };
      }
      return { ok: false, error: unanswered ? { ...classify(status, body), unanswered } : classify(status, body) };
    },

    /** Uploads a file for sending by id; Meta keeps it 30 days. */
    async upload(file: Blob, mimeType: string, filename: string): Promise<{ ok: true; mediaId: string } | { ok: false; error: GraphError }> {
      const form = new FormData();
      form.set('messaging_product', 'whatsapp');
      form.set('type', mimeType);
      form.set('file', new Blob([await file.arrayBuffer()], { type: mimeType }), filename);
      const { status, body } = await call(`${root}/${o.phoneNumberId}/media`, { method: 'POST', headers: auth, body: form });
      const id = (body as { id?: string } | undefined)?.id;
      return status === 200 && id ? { ok: true, mediaId: id } : { ok: false, error: classify(status, body) };
    },

    /** Fetches a citizen's media: first its short-lived URL, then the bytes (both with the token). */
    async download(mediaId: string): Promise<{ ok: true; bytes: Buffer; mimeType: string; sha256?: string } | { ok: false; error: GraphError }> {
      const meta = await call(`${root}/${encodeURIComponent(mediaId)}`, { headers: auth });
      const info = meta.body as { url?: string; mime_type?: string; sha256?: string } | undefined;
      if (meta.status !== 200 || !info?.url) return { ok: false, error: classify(meta.status, meta.body) };
      try {
        const res = await fetch(info.url, { headers: { ...auth, 'user-agent': 'mitra' }, signal: AbortSignal.timeout(timeout) });
        if (!res.ok) return { ok: false, error: classify(res.status, undefined) };
        return { ok: true, bytes: Buffer.from(await res.arrayBuffer()), mimeType: info.mime_type ?? 'application/octet-stream', sha256: info.sha256 };
      } catch {
        return { ok: false, error: classify(0, undefined) };
      }
    },
  };
}

export type GraphClient = ReturnType<typeof createGraphClient>;
