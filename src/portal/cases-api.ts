import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { actOnCase, caseForOfficer, dashboard, officerQueue, stagesOf, type CaseDeps, type CaseRow } from '../cases/index.ts';
import type { Catalog } from '../catalog/index.ts';
import { certificateLink, certificateOfCase } from '../certificates/index.ts';
import type { OfficerEnv } from '../officers/index.ts';
import type { Db } from '../platform/index.ts';
import { answerViews } from './answers.ts';

export interface CasesApiOptions {
  db: Db;
  catalog: Catalog;
  cases: CaseDeps;
  requireOfficer: MiddlewareHandler<OfficerEnv>;
  /** Messages were queued for citizens: the sender should look now. */
  onNotices(): void;
  /** Mitra's public URL: certificate links are under it. */
  publicUrl: string;
}

const problem = (c: Context, status: 400 | 404 | 409 | 415, code: string, message: string, extra: Record<string, unknown> = {}) => c.json({ error: { code, message, ...extra } }, status);
const issues = (e: z.ZodError) => e.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');

const QueueQuery = z.object({
  service: z.string().max(100).optional(),
  status: z.enum(['submitted', 'in_progress', 'returned', 'reopened', 'approved', 'rejected', 'resolved', 'closed']).optional(),
  district: z.string().max(100).optional(),
  overdue: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  all: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  sort: z.enum(['sla', 'newest', 'oldest']).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
  offset: z.coerce.number().int().min(0).max(1_000_000).optional(),
});

const ActionBody = z.discriminatedUnion('action', [
  z.object({ action: z.literal('approve'), note: z.string().max(2000).optional() }),
  z.object({ action: z.literal('reject'), reason: z.string().max(2000) }),
  z.object({ action: z.literal('return'), message: z.string().max(1000) }),
  z.object({ action: z.literal('reassign'), officerId: z.number().int().positive(), note: z.string().max(2000).optional() }),
  z.object({ action: z.literal('comment'), note: z.string().max(4000) }),
]);

/** The cases part of the back office's JSON API, under /api/v1. Every route needs a signed-in officer. */
export function casesApi(o: CasesApiOptions): Hono<OfficerEnv> {
  const api = new Hono<OfficerEnv>();
  const now = () => o.cases.clock.now();
  const summary = (r: CaseRow) => {
    const service = o.cases.service(r.serviceId);
    const stage = service && r.stage ? stagesOf(service).find((s) => s.id === r.stage) : undefined;
    return {
      id: r.id,
      reference: r.reference,
      service: { id: r.serviceId, name: service?.name ?? { te: r.serviceId, en: r.serviceId } },
      department: r.department,
      kind: r.kind,
      status: r.status,
      stage: stage ? { id: stage.id, name: stage.name, role: stage.role } : null,
      office: r.office,
      district: r.district,
      mandal: r.mandal,
      submittedAt: r.submittedAt,
      stageDueAt: r.stageDueAt,
      slaHoursLeft: r.stageDueAt && r.status !== 'returned' ? Math.round((r.stageDueAt.getTime() - now().getTime()) / 36e5) : null,
      escalation: r.escalation,
      escalatedOffice: r.escalatedOffice,
      unstaffed: r.unstaffed,
      language: r.language,
    };
  };

  api.use('/api/v1/cases', o.requireOfficer);
  api.use('/api/v1/cases/*', o.requireOfficer);
  api.use('/api/v1/dashboard', o.requireOfficer);

  api.get('/api/v1/cases', async (c) => {
    const q = QueueQuery.safeParse(c.req.query());
    if (!q.success) return problem(c, 400, 'bad_query', issues(q.error));
    const rows = await officerQueue(o.db, c.get('officer'), q.data, now());
    return c.json({ cases: rows.map(summary) });
  });

  api.get('/api/v1/cases/:id', async (c) => {
    const id = caseId(c.req.param('id'));
    if (id === undefined) return problem(c, 404, 'not_found', 'no such case');
    const detail = await caseForOfficer(o.db, c.get('officer'), id, { now: now(), reopenWindowDays: o.cases.reopenWindowDays });
    if (!detail) return problem(c, 404, 'not_found', 'no such case');
    const service = o.cases.service(detail.case.serviceId);
    const certificate = await certificateOfCase(o.db, id);
    return c.json({
      certificate: certificate
        ? {
            number: certificate.number,
            state: certificate.state,
            issuedAt: certificate.issuedAt,
            expiresAt: certificate.expiresAt,
            revokedAt: certificate.revokedAt,
            revokedReason: certificate.revokedReason,
            link: certificate.state === 'issued' ? certificateLink(o.publicUrl, certificate) : null,
          }
        : null,
      case: { ...summary(detail.case), answers: service ? answerViews(o.catalog, service, detail.case.answers) : [], rating: detail.case.rating, reopened: detail.case.reopened, version: detail.case.version },
      stages: service ? stagesOf(service).map((s) => ({ id: s.id, name: s.name, role: s.role, level: s.level, slaDays: s.sla_days })) : [],
      events: detail.events,
      actions: detail.actions,
    });
  });

  api.post('/api/v1/cases/:id/actions', async (c) => {
    const id = caseId(c.req.param('id'));
    if (id === undefined) return problem(c, 404, 'not_found', 'no such case');
    if (!/^application\/json\s*(;|$)/i.test(c.req.header('content-type') ?? '')) return problem(c, 415, 'unsupported_media_type', 'send the action as application/json');
    let raw: unknown;
    try {
      raw = JSON.parse(await c.req.text());
    } catch {
      return problem(c, 400, 'bad_json', 'the body is not valid JSON');
    }
    const body = ActionBody.safeParse(raw);
    if (!body.success) return problem(c, 400, 'bad_request', issues(body.error));
    const officer = c.get('officer');
    const outcome = await o.db.transaction((tx) => actOnCase(tx, o.cases, { kind: 'officer', officer }, { id }, body.data));
    if (!outcome.ok) {
      if (outcome.code === 'not_found') return problem(c, 404, 'not_found', 'no such case');
      const status = outcome.code === 'not_allowed' ? 409 : 400;
      return problem(c, status, outcome.code, outcome.message, outcome.allowed ? { allowed: outcome.allowed } : {});
    }
    if (outcome.notices.length) o.onNotices();
    return c.json({ case: summary(outcome.case) });
  });

  api.get('/api/v1/dashboard', async (c) => c.json(await dashboard(o.db, c.get('officer'), now())));
  return api;
}

/** Ids are positive integers; anything else is simply not a case (404, like one out of reach). */
function caseId(s: string): number | undefined {
  return /^\d{1,15}$/.test(s) && Number(s) > 0 ? Number(s) : undefined;
}
