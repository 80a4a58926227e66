import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

/**
 * A bare Graph API endpoint that records every call and answers as Meta does, for tests that
 * want to see exactly what Mitra sends. `failNext` makes the next message send (not read receipt) fail with a Meta error.
 */
export async function graphCapture(token: string) {
  const sent: { path: string; body: any }[] = [];
  const failures: { status: number; code: number; message: string }[] = [];
  const app = new Hono();
  app.post('/:version/:phone/messages', async (c) => {
    if (c.req.header('authorization') !== `Bearer ${token}`) return c.json({ error: { code: 190, message: 'bad token' } }, 401);
    const body = await c.req.json();
    sent.push({ path: c.req.path, body });
    const f = body.status === 'read' ? undefined : failures.shift();
    if (f) return c.json({ error: { message: f.message, type: 'OAuthException', code: f.code, error_data: { details: f.message } } }, f.status as 400);
    if (body.status === 'read') return c.json({ success: true });
    return c.json({ messaging_product: 'whatsapp', contacts: [{ input: body.to, wa_id: body.to }], messages: [{ id: 'wamid.' + randomBytes(12).toString('base64url') }] });
  });
  // Media a citizen sent, as Meta serves it: the id gives a short-lived URL, the URL gives the bytes.
  const media = new Map<string, { bytes: Uint8Array; mimeType: string }>();
  app.get('/media/:id', (c) => {
    const m = media.get(c.req.param('id'));
    if (c.req.header('authorization') !== `Bearer ${token}`) return c.json({ error: { code: 190, message: 'bad token' } }, 401);
    return m ? c.body(m.bytes as Uint8Array<ArrayBuffer>, 200, { 'content-type': m.mimeType }) : c.json({ error: { code: 100, message: 'no such media' } }, 404);
  });
  app.get('/:version/:mediaId', (c) => {
    const m = media.get(c.req.param('mediaId'));
    if (c.req.header('authorization') !== `Bearer ${token}`) return c.json({ error: { code: 190, message: 'bad token' } }, 401);
    if (!m) return c.json({ error: { code: 100, message: 'Unsupported get request.', type: 'GraphMethodException' } }, 400);
    return c.json({ messaging_product: 'whatsapp', url: `${url}/media/${c.req.param('mediaId')}`, mime_type: m.mimeType, id: c.req.param('mediaId') });
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    sent,
    /** Messages only (no read receipts). */
    messages: () => sent.filter((s) => s.body.status !== 'read').map((s) => s.body),
    /** Holds a file as if a citizen had sent it; returns its media id. */
    addMedia(bytes: Uint8Array, mimeType: string): string {
      const id = String(1_000_000_000_000 + media.size);
      media.set(id, { bytes, mimeType });
      return id;
    },
    failNext(status: number, code: number, message: string) {
      failures.push({ status, code, message });
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export const CREDENTIALS = {
  WHATSAPP_APP_SECRET: 'test-app-secret-0123456789',
  WHATSAPP_VERIFY_TOKEN: 'test-verify-token',
  WHATSAPP_ACCESS_TOKEN: 'test-access-token',
  WHATSAPP_PHONE_NUMBER_ID: '106540352242922',
  AADHAAR_SALT: 'test-aadhaar-salt-not-a-secret',
  SIGNING_KEY_SECRET: 'test-signing-key-secret-not-a-secret-0123',
};
