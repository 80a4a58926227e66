import { officerOpenApiComponents, sessionOpenApiPaths } from '../officers/index.ts';

const json = (schema: unknown, description: string) => ({ description, content: { 'application/json': { schema } } });
const error = (description: string) => json({ $ref: '#/components/schemas/Error' }, description);
const security = [{ officerSession: [] }];
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } };

const CaseSummary = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    reference: { type: 'string', example: 'REV-26-000123' },
    service: { type: 'object', properties: { id: { type: 'string' }, name: { $ref: '#/components/schemas/Bilingual' } } },
    department: { type: 'string', example: 'REV01' },
    kind: { type: 'string', enum: ['application', 'payment', 'booking', 'lookup', 'grievance'] },
    status: { type: 'string', enum: ['submitted', 'in_progress', 'returned', 'reopened', 'approved', 'rejected', 'resolved', 'closed'] },
    stage: { type: ['object', 'null'], properties: { id: { type: 'string' }, name: { $ref: '#/components/schemas/Bilingual' }, role: { type: 'string' } } },
    office: { type: 'string', description: "the office working it: '' the state, a district id or a mandal id" },
    district: { type: ['string', 'null'] },
    mandal: { type: ['string', 'null'] },
    submittedAt: { type: 'string', format: 'date-time' },
    stageDueAt: { type: ['string', 'null'], format: 'date-time' },
    slaHoursLeft: { type: ['integer', 'null'], description: 'negative when overdue; null while waiting on the citizen' },
    escalation: { type: 'integer', description: 'how many times the current stage ran past its SLA' },
    escalatedOffice: { type: ['string', 'null'] },
    unstaffed: { type: 'boolean', description: 'no active officer sits at the office' },
    language: { type: 'string', enum: ['te', 'en'] },
  },
};

/** The back office's JSON API, as OpenAPI 3.1. */
export function openApiDocument(serverUrl: string) {
  const components = officerOpenApiComponents();
  return {
    openapi: '3.1.0',
    info: { title: 'Mitra back office API', version: '1', description: 'Cases (applications and grievances) for department officers. Every error is `{error: {code, message}}` with a 4xx status; a case out of the caller\'s reach is 404, exactly like one that does not exist.' },
    servers: [{ url: serverUrl }],
    paths: {
      ...sessionOpenApiPaths(),
      '/api/v1/cases': {
        get: {
          summary: "The caller's queue: open cases in their department and jurisdiction, least SLA time left first",
          security,
          parameters: [
            { name: 'service', in: 'query', schema: { type: 'string' } },
            { name: 'status', in: 'query', schema: { type: 'string' } },
            { name: 'district', in: 'query', schema: { type: 'string' } },
            { name: 'overdue', in: 'query', schema: { type: 'boolean' } },
            { name: 'all', in: 'query', schema: { type: 'boolean' }, description: 'decided and closed cases too' },
            { name: 'sort', in: 'query', schema: { type: 'string', enum: ['sla', 'newest', 'oldest'] } },
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
            { name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0 } },
          ],
          responses: { 200: json({ type: 'object', properties: { cases: { type: 'array', items: { $ref: '#/components/schemas/CaseSummary' } } } }, 'the queue'), 400: error('a filter is not valid'), 401: error('not signed in') },
        },
      },
      '/api/v1/cases/{id}': {
        get: {
          summary: "One case: the citizen's answers, its stages, its history, and the actions the caller may take now",
          security,
          parameters: [idParam],
          responses: {
            200: json({ type: 'object', properties: { case: { $ref: '#/components/schemas/CaseSummary' }, stages: { type: 'array' }, events: { type: 'array' }, actions: { type: 'array', items: { type: 'string', enum: ['approve', 'reject', 'return', 'reassign', 'comment'] } }, certificate: { type: ['object', 'null'], description: 'the certificate an approval issued: number, state (issued | waiting_for_key), issuedAt, expiresAt, revokedAt, revokedReason, link (its PDF)' } } }, 'the case'),
            401: error('not signed in'),
            404: error('no such case in the caller\'s reach'),
          },
        },
      },
      '/api/v1/cases/{id}/actions': {
        post: {
          summary: 'Act on a case: approve (the stage; the last one decides), reject with a reason, return to the citizen asking for more, reassign, comment',
          security,
          parameters: [idParam, { $ref: '#/components/parameters/CsrfToken' }],
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  oneOf: [
                    { type: 'object', required: ['action'], properties: { action: { const: 'approve' }, note: { type: 'string' } } },
                    { type: 'object', required: ['action', 'reason'], properties: { action: { const: 'reject' }, reason: { type: 'string', description: 'sent to the citizen' } } },
                    { type: 'object', required: ['action', 'message'], properties: { action: { const: 'return' }, message: { type: 'string', description: 'what the citizen must send; sent to them on WhatsApp' } } },
                    { type: 'object', required: ['action', 'officerId'], properties: { action: { const: 'reassign' }, officerId: { type: 'integer' }, note: { type: 'string' } } },
                    { type: 'object', required: ['action', 'note'], properties: { action: { const: 'comment' }, note: { type: 'string', description: 'internal; never shown to the citizen' } } },
                  ],
                },
              },
            },
          },
          responses: {
            200: json({ type: 'object', properties: { case: { $ref: '#/components/schemas/CaseSummary' } } }, 'done; the citizen is told on WhatsApp'),
            400: error('a reason or message is missing, or the body is not valid'),
            401: error('not signed in'),
            403: error('the CSRF header is missing or wrong'),
            404: error('no such case in the caller\'s reach'),
            409: error('not possible in the case\'s current state; `allowed` lists what is'),
          },
        },
      },
      '/api/v1/cases/{id}/certificate/revoke': {
        post: {
          summary: 'Revoke the certificate the case issued, with a reason the citizen reads; verifiers see it in the department\'s next status list',
          security,
          parameters: [idParam, { $ref: '#/components/parameters/CsrfToken' }],
          requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['reason'], properties: { reason: { type: 'string', maxLength: 1000 } } } } } },
          responses: {
            200: json({ type: 'object', properties: { certificate: { type: 'object', properties: { number: { type: 'string' }, revokedAt: { type: 'string', format: 'date-time' } } } } }, 'revoked; the citizen is told on WhatsApp'),
            400: error('the reason is missing, or the body is not valid'),
            401: error('not signed in'),
            403: error('the CSRF header is missing or wrong'),
            404: error('no such case in the caller\'s reach, or it has no certificate'),
            409: error('already revoked'),
          },
        },
      },
      '/api/v1/dashboard': {
        get: { summary: 'Open, overdue, unstaffed, escalated, resolved this week and average days to resolve, over the caller\'s reach', security, responses: { 200: json({ type: 'object' }, 'the figures'), 401: error('not signed in') } },
      },
    },
    components: {
      ...components,
      schemas: { ...components.schemas, CaseSummary, Bilingual: { type: 'object', properties: { te: { type: 'string' }, en: { type: 'string' } } } },
    },
  };
}

/** A plain page that lists the API from its own document: no script from elsewhere, works offline. */
export function docsPage(doc: ReturnType<typeof openApiDocument>): string {
  const esc = (s: string) => s.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch]!);
  const rows = Object.entries(doc.paths as Record<string, Record<string, { summary?: string; responses?: Record<string, { description?: string }> }>>).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => `<section><h2><code>${method.toUpperCase()} ${esc(path)}</code></h2><p>${esc(op.summary ?? '')}</p><ul>${Object.entries(op.responses ?? {}).map(([code, r]) => `<li><code>${code}</code> ${esc(r.description ?? '')}</li>`).join('')}</ul></section>`),
  );
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(doc.info.title)}</title><meta name="viewport" content="width=device-width,initial-scale=1">
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:860px;margin:2rem auto;padding:0 1rem;color:#1b1b1b}h2{font-size:1rem;margin:1.5rem 0 .3rem}code{background:#f2f2f2;padding:1px 4px;border-radius:3px}</style></head>
<body><h1>${esc(doc.info.title)}</h1><p>${esc(doc.info.description)}</p><p>The machine-readable document: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI ${doc.openapi}).</p>${rows.join('\n')}</body></html>`;
}
