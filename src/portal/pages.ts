import { Hono } from 'hono';
import { officeDocument, type OfficePageOptions } from './pages/office-page.ts';

/**
 * The back office's web pages: GET /office and every /office/* address (deep links such as
 * /office/cases/123) answer the same single-page app, which then talks to the JSON API.
 * Mount with `http.route('/', officePages({ catalog }))` beside the cases API.
 */
export function officePages(opts: OfficePageOptions = {}): Hono {
  const { html, csp } = officeDocument(opts);
  const app = new Hono();
  const page = () =>
    new Response(html, {
      status: 200,
      headers: {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': csp,
        'x-frame-options': 'DENY',
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'same-origin',
        'cache-control': 'no-store',
      },
    });
  app.get('/office', page);
  app.get('/office/*', page);
  return app;
}
