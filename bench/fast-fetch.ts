// The load generator's HTTP client. The simulator posts its webhooks with the global fetch; in Node 20
// that fetch (undici) costs ~400 µs of CPU per request on this machine against ~70 µs for node:http
// with keep-alive (bench/README.md), so a generator that sends 4 webhooks per message would be the
// bottleneck of every run. In the bench process only, plain POSTs with a string body to an http: URL
// go through node:http instead; anything else falls through to the real fetch. Mitra, the peer and
// the ceiling run in their own processes and keep their own HTTP clients.
import { Agent, request } from 'node:http';

/** With `on`: server time of each request (socket assigned to response end) and time queued for a socket, ms. */
export const fetchTimes = { on: false, server: [] as number[], queued: [] as number[] };

export function installFastFetch(): () => void {
  const real = globalThis.fetch;
  // A bounded pool: a burst of new connections overflows the server's accept queue (listen backlog 511)
  // and the kernel retries the dropped ones after 1, 3, 7 s; Meta too delivers over a bounded set of
  // connections. Requests beyond the pool wait here, and that wait counts in their latency.
  const agent = new Agent({ keepAlive: true, maxSockets: Number(process.env.BENCH_SOCKETS ?? 256) });
  globalThis.fetch = ((input: string | URL | Request, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : undefined;
    const headers = init?.headers;
    if (!url?.startsWith('http://') || init?.method !== 'POST' || typeof init.body !== 'string' || init.signal || (headers && (headers instanceof Headers || Array.isArray(headers)))) {
      return real(input, init);
    }
    const u = new URL(url);
    const body = init.body;
    const t0 = performance.now();
    let t1 = t0;
    const attempt = (retried: boolean) => new Promise<Response>((resolve, reject) => {
      const req = request(
        { host: u.hostname, port: u.port, path: u.pathname + u.search, method: 'POST', agent, headers: { ...(headers as Record<string, string> | undefined), 'content-length': Buffer.byteLength(body) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            if (fetchTimes.on) {
              fetchTimes.server.push(performance.now() - t1);
              fetchTimes.queued.push(t1 - t0);
            }
            const status = res.statusCode ?? 0;
            const noBody = status === 204 || status === 304 || chunks.length === 0;
            resolve(new Response(noBody ? null : Buffer.concat(chunks), { status, headers: res.headers['content-type'] ? { 'content-type': res.headers['content-type'] } : undefined }));
          });
          res.on('error', reject);
        },
      );
      req.once('socket', () => (t1 = performance.now()));
      req.on('error', (err: NodeJS.ErrnoException) => {
        // A kept-alive socket the server closed just as it was reused: the request never reached the
        // server; send it again at once on a fresh socket, as Node's docs advise, instead of letting
        // the simulator count a failed delivery and back off.
        if (!retried && req.reusedSocket && err.code === 'ECONNRESET') attempt(true).then(resolve, reject);
        else reject(err);
      });
      req.end(body);
    });
    return attempt(false);
  }) as typeof fetch;
  return () => {
    globalThis.fetch = real;
    agent.destroy();
  };
}
