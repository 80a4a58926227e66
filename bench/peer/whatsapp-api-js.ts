// The peer the channel bench measures beside Mitra: a webhook server built on the whatsapp-api-js
// package (npm, v6.3.0, its own node:http middleware), written the way its README and most WhatsApp
// bots (Typebot-style) do it: verify the signature, answer 200, then reply from memory. No database,
// no dedupe, no per-citizen order, nothing survives a restart. It sends what Mitra sends for each
// message (a read receipt and one reply), so the HTTP work on both sides is the same.
//
// Install once: npm --prefix bench/peer install   (kept apart from Mitra's own dependencies)
// Run by bench/channel.ts with PORT, APP_SECRET, ACCESS_TOKEN, VERIFY_TOKEN and GRAPH_URL set.
import { createServer } from 'node:http';

// Loaded by path at run time, so `tsc` and CI need not have the package installed.
const pkg = new URL('./node_modules/whatsapp-api-js/lib/', import.meta.url);
const { WhatsAppAPI } = (await import(new URL('middleware/node-http.js', pkg).href)) as { WhatsAppAPI: new (o: unknown) => PeerApi };
const { Text } = (await import(new URL('messages/text.js', pkg).href)) as { Text: new (body: string) => unknown };

interface PeerApi {
  on: {
    message?: (a: { message: { type: string; text?: { body: string } }; reply: (m: unknown) => Promise<unknown>; received: () => Promise<unknown> }) => void;
    status?: () => void;
  };
  handle_post(req: import('node:http').IncomingMessage): Promise<number>;
}

const env = (k: string) => {
  const v = process.env[k];
  if (!v) throw new Error(`${k} is not set`);
  return v;
};
const graphUrl = env('GRAPH_URL').replace(/\/$/, '');

const Whatsapp = new WhatsAppAPI({
  token: env('ACCESS_TOKEN'),
  appSecret: env('APP_SECRET'),
  webhookVerifyToken: env('VERIFY_TOKEN'),
  v: 'v23.0',
  // The package calls https://graph.facebook.com; point it at the bench's simulated Graph API.
  ponyfill: { fetch: (url: string, init: RequestInit) => fetch(url.replace('https://graph.facebook.com', graphUrl), init) },
});

let failures = 0;
Whatsapp.on.message = ({ message, reply, received }) => {
  // Ack first, work after: the usual pattern, and why a crash here loses the message.
  const text = message.type === 'text' ? message.text?.body ?? '' : `[${message.type}]`;
  void received()
    .then(() => reply(new Text(`You wrote: «${text}»`)))
    .catch(() => failures++);
};
Whatsapp.on.status = () => {};

const server = createServer(async (req, res) => {
  if (req.method === 'POST' && req.url === '/webhooks/whatsapp') {
    res.statusCode = await Whatsapp.handle_post(req);
    res.end();
    return;
  }
  if (req.url === '/healthz') {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ status: 'ok', failures }));
    return;
  }
  res.statusCode = 404;
  res.end();
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
process.once('SIGTERM', () => server.close(() => process.exit(0)));
