import { Hono } from 'hono';
import { parseTilePath, TILE_WIDTH, type NoteVerifier } from '../ledger/index.ts';
import { ledgerPage, ledgerView } from './page.ts';
import type { Db } from '../platform/index.ts';
import { entryBundle, latestCheckpoint, tileHashes } from './read.ts';

const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * The log over HTTP exactly as C2SP tlog-tiles lays it out, under /ledger: the checkpoint, hash tiles
 * and entry bundles. Tiles never change once served (a wider partial tile has its own path), so any
 * CDN or static copy can serve them; only the checkpoint moves.
 */
export function ledgerRoutes(o: { db: Db; verifierKey: string; verifier: NoteVerifier }): Hono {
  const app = new Hono();
  app.get('/ledger', async (c) => c.html(ledgerPage(await ledgerView(o.db, o.verifier, c.req.query('q'))), 200, { 'cache-control': 'no-cache' }));
  app.get('/ledger/checkpoint', async (c) => {
    const { note } = await latestCheckpoint(o.db);
    return c.body(note, 200, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-cache' });
  });
  app.get('/ledger/log-key', (c) => c.body(`${o.verifierKey}\n`, 200, { 'content-type': 'text/plain; charset=utf-8' }));
  app.get('/ledger/tile/*', async (c) => {
    const read = parseTilePath(c.req.path.slice('/ledger/'.length));
    if (!read.ok) return c.json({ error: { code: read.code, message: read.message } }, 404);
    const t = read.tile;
    const bytes = t.level === 'entries' ? await entryBundle(o.db, t.index, t.width) : await tileHashes(o.db, t.level, t.index, t.width).then((h) => h && Buffer.concat(h));
    if (!bytes) return c.json({ error: { code: 'not_found', message: 'the log is not that long yet' } }, 404);
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { 'content-type': 'application/octet-stream', 'cache-control': t.width === TILE_WIDTH ? IMMUTABLE : 'public, max-age=3600, immutable' });
  });
  return app;
}
