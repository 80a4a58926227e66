// Meta's side of a webhook: signed POSTs over a bounded set of kept-alive connections, each given up
// after a timeout as Meta gives up on a webhook that does not answer. node:http rather than fetch:
// the simulator posts four webhooks for every message a citizen sends and Mitra answers (the message
// and three statuses), and undici's fetch costs several times the CPU of a plain request, enough to
// make the simulator, not Mitra, what a load test measures.
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** How long a delivery waited for one of the connections, and how long the webhook took to answer. */
export interface DeliveryTiming {
  queuedMs: number;
  answerMs: number;
}

export interface WebhookPoster {
  /** The HTTP status the webhook answered with; rejects when it could not be reached or did not answer in time. */
  post(body: string, signature: string): Promise<number>;
  close(): void;
}

export function createWebhookPoster(url: string, o: { timeoutMs: number; connections: number; onTiming?: (t: DeliveryTiming) => void }): WebhookPoster {
  const u = new URL(url);
  const secure = u.protocol === 'https:';
  // Bounded, as Meta's are: a burst of new connections would overflow the server's accept queue, and
  // the kernel retries dropped ones only after 1, 3, 7 s. Deliveries beyond the pool wait here.
  const agent = secure ? new HttpsAgent({ keepAlive: true, maxSockets: o.connections }) : new HttpAgent({ keepAlive: true, maxSockets: o.connections });
  const target = { host: u.hostname.replace(/^\[(.*)\]$/, '$1'), port: u.port || undefined, path: u.pathname + u.search, method: 'POST', agent };

  function post(body: string, signature: string, retried = false): Promise<number> {
    const t0 = performance.now();
    return new Promise((resolve, reject) => {
      let t1 = t0;
      let timer: NodeJS.Timeout | undefined;
      let settled = false;
      const settle = (f: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        f();
      };
      const req = (secure ? httpsRequest : httpRequest)(
        { ...target, headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature, 'content-length': Buffer.byteLength(body) } },
        (res) => {
          res.resume();
          res.on('end', () =>
            settle(() => {
              o.onTiming?.({ queuedMs: t1 - t0, answerMs: performance.now() - t1 });
              resolve(res.statusCode ?? 0);
            }),
          );
          res.on('error', (err) => settle(() => reject(err)));
        },
      );
      req.once('socket', () => {
        t1 = performance.now();
        timer = setTimeout(() => {
          const err = new Error(`no answer in ${o.timeoutMs} ms`);
          settle(() => reject(err));
          req.destroy(err);
        }, o.timeoutMs);
      });
      req.on('error', (err: NodeJS.ErrnoException) =>
        settle(() => {
          // A kept-alive connection the server closed just as it was reused: the request never reached
          // it. Send it again at once on a fresh one, as Node's docs advise, rather than back off.
          if (!retried && req.reusedSocket && err.code === 'ECONNRESET') post(body, signature, true).then(resolve, reject);
          else reject(err);
        }),
      );
      req.end(body);
    });
  }

  return { post: (body, signature) => post(body, signature), close: () => agent.destroy() };
}
