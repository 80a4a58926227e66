// The protocol floor: the least any WhatsApp bot must do for each citizen message, and nothing more.
// It checks the webhook's signature, answers 200, then sends what Mitra and the peer send (a read
// receipt, then one text reply) over kept-alive node:http connections, and answers status webhooks
// 200. No database, no dedupe, no order per citizen, no conversation, no framework: every HTTP
// exchange a message costs on this machine, with no work between them. Its figure bounds what any
// implementation can reach on these cores with the same generator; Mitra's and the peer's are read
// against it. `FLOOR_READ_RECEIPTS=0` leaves the read receipt out (one exchange fewer a message).
//
// Run by bench/channel.ts and bench/journey.ts with PORT, APP_SECRET, ACCESS_TOKEN and GRAPH_URL set.
import { Agent, createServer, request } from 'node:http';
import { isSignedByMeta } from '../../src/channel/whatsapp/signature.ts';

const env = (k: string) => {
  const v = process.env[k];
  if (!v) throw new Error(`${k} is not set`);
  return v;
};
const appSecret = env('APP_SECRET');
const graph = new URL(env('GRAPH_URL').replace(/\/$/, '') + '/v23.0/');
const auth = `Bearer ${env('ACCESS_TOKEN')}`;
const readReceipts = process.env.FLOOR_READ_RECEIPTS !== '0';
const agent = new Agent({ keepAlive: true, maxSockets: 256 });

let failures = 0;

function post(path: string, body: unknown): Promise<void> {
  const json = JSON.stringify(body);
  return new Promise((resolve) => {
    const req = request(
      { host: graph.hostname, port: graph.port, path: graph.pathname + path, method: 'POST', agent, headers: { authorization: auth, 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) } },
      (res) => {
        if (res.statusCode !== 200) failures++;
        res.resume();
        res.on('end', resolve);
      },
    );
    req.on('error', () => {
      failures++;
      resolve();
    });
    req.end(json);
  });
}

interface Message {
  id: string;
  from: string;
  type: string;
  text?: { body: string };
}

async function answer(phoneNumberId: string, m: Message) {
  const path = `${phoneNumberId}/messages`;
  if (readReceipts) await post(path, { messaging_product: 'whatsapp', status: 'read', message_id: m.id });
  const text = m.type === 'text' ? (m.text?.body ?? '') : `[${m.type}]`;
  await post(path, { messaging_product: 'whatsapp', recipient_type: 'individual', to: m.from, type: 'text', text: { body: `You wrote: «${text}»` } });
}

const server = createServer((req, res) => {
  if (req.url === '/healthz') {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ status: 'ok', failures }));
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const raw = Buffer.concat(chunks);
    if (!isSignedByMeta(raw, req.headers['x-hub-signature-256'] as string | undefined, appSecret)) {
      res.statusCode = 401;
      res.end();
      return;
    }
    res.statusCode = 200;
    res.end();
    try {
      const body = JSON.parse(raw.toString('utf8')) as { entry?: { changes?: { value?: { metadata?: { phone_number_id?: string }; messages?: Message[] } }[] }[] };
      for (const e of body.entry ?? []) {
        for (const c of e.changes ?? []) {
          for (const m of c.value?.messages ?? []) void answer(c.value!.metadata!.phone_number_id!, m);
        }
      }
    } catch {
      failures++;
    }
  });
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
process.once('SIGTERM', () => server.close(() => process.exit(0)));
