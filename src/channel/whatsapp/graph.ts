// The Graph API calls Mitra makes. Works the same against Meta and against the simulator.

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

export function createGraphClient(o: GraphOptions) {
  const root = `${o.baseUrl.replace(/\/$/, '')}/${o.version}`;
  const auth = { authorization: `Bearer ${o.accessToken}` };
  const timeout = o.timeoutMs ?? 10_000;

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
    /** POST /{phone-number-id}/messages with any message body (text, interactive, media, template, read receipt). */
    async send(payload: Record<string, unknown>): Promise<SendResult> {
      const { status, body } = await call(`${root}/${o.phoneNumberId}/messages`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify(payload),
      });
      if (status === 200) {
        const wamid = (body as { messages?: { id?: string }[] }).messages?.[0]?.id;
        return { ok: true, wamid };
      }
      return { ok: false, error: classify(status, body) };
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
