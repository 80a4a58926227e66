import { timingSafeEqual } from 'node:crypto';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { z } from 'zod';
import { systemClock, type Clock, type Db } from '../platform/index.ts';
import { login, type LoginOptions } from './login.ts';
import type { Officer } from './officer.ts';
import { logout, sessionFor } from './session.ts';

/** The cookie that carries the session token: HttpOnly, SameSite=Strict, Path=/. */
export const SESSION_COOKIE = 'mitra_session';
/** The header that must carry the session's CSRF token on POST, PUT, PATCH and DELETE. */
export const CSRF_HEADER = 'x-csrf-token';
export const SESSION_PATH = '/api/v1/session';

/** What requireOfficer puts on the Hono context: `c.get('officer')`. */
export type OfficerVariables = { officer: Officer; csrfToken: string };
export type OfficerEnv = { Variables: OfficerVariables };

export interface OfficerRoutesOptions {
  db: Db;
  clock?: Clock;
  /** Add `Secure` to the cookie: set it when the public URL is https. */
  secureCookies?: boolean;
  /** Lockout, session length and hashing cost; see LoginOptions. */
  login?: LoginOptions;
}

/** An officer as the JSON API shows one. */
export interface OfficerJson {
  id: number;
  username: string;
  displayName: string;
  department: string | null;
  role: Officer['role'];
  office: string;
  designation: string | null;
}

export const officerJson = (o: Officer): OfficerJson => ({ id: o.id, username: o.username, displayName: o.displayName, department: o.department, role: o.role, office: o.office, designation: o.designation });

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const Credentials = z.object({
  username: z.string().min(1).max(100),
  password: z.string().min(1).max(1024),
});

const errorBody = (code: string, message: string, extra: Record<string, unknown> = {}) => ({ error: { code, message, ...extra } });

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The session routes (POST, GET and DELETE /api/v1/session) and the middleware that guards every
 * other back-office route. Mount with `http.route('/', officers.routes)`.
 */
export function officerRoutes(opts: OfficerRoutesOptions): { routes: Hono<OfficerEnv>; requireOfficer: MiddlewareHandler<OfficerEnv> } {
  const { db } = opts;
  const clock = opts.clock ?? systemClock;
  const loginOptions = opts.login ?? {};
  const cookieOptions = { httpOnly: true, sameSite: 'Strict', path: '/', secure: opts.secureCookies === true } as const;

  const requireOfficer = createMiddleware<OfficerEnv>(async (c, next) => {
    const session = await sessionFor(db, clock, getCookie(c, SESSION_COOKIE), loginOptions);
    if (!session) {
      c.header('cache-control', 'no-store');
      return c.json(errorBody('unauthenticated', 'sign in first: no session, or it has ended'), 401);
    }
    if (UNSAFE.has(c.req.method)) {
      const sent = c.req.header(CSRF_HEADER);
      if (!sent || !sameSecret(sent, session.csrfToken)) {
        return c.json(errorBody('csrf', `this request needs the header ${CSRF_HEADER} with the csrfToken given at sign-in`), 403);
      }
    }
    c.set('officer', session.officer);
    c.set('csrfToken', session.csrfToken);
    await next();
  });

  const routes = new Hono<OfficerEnv>();
  const noStore = createMiddleware(async (c, next) => {
    await next();
    c.header('cache-control', 'no-store');
  });
  routes.use(SESSION_PATH, noStore);

  routes.post(
    SESSION_PATH,
    bodyLimit({ maxSize: 16 * 1024, onError: (c) => c.json(errorBody('payload_too_large', 'a sign-in body is at most 16 KB'), 413) }),
    async (c) => {
      // JSON only: a cross-site form can post text/plain that happens to parse as JSON.
      if (!/^application\/json\s*(;|$)/i.test(c.req.header('content-type') ?? '')) {
        return c.json(errorBody('unsupported_media_type', 'send the credentials as application/json: {"username": …, "password": …}'), 415);
      }
      const body = await readJson(c);
      if (!body.ok) return c.json(errorBody('bad_json', 'the body is not valid JSON'), 400);
      const parsed = Credentials.safeParse(body.value);
      if (!parsed.success) {
        return c.json(errorBody('bad_request', parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ')), 400);
      }
      const result = await login(db, clock, parsed.data, loginOptions);
      if (!result.ok) {
        if (result.code === 'locked') {
          c.header('retry-after', String(result.retryAfterSeconds));
          const minutes = Math.ceil(result.retryAfterSeconds / 60);
          return c.json(errorBody('locked', `too many failed sign-ins: this account is locked; try again in ${minutes} minute${minutes === 1 ? '' : 's'}`, { retryAfterSeconds: result.retryAfterSeconds }), 429);
        }
        return c.json(errorBody('invalid_credentials', 'the username or the password is wrong'), 401);
      }
      setCookie(c, SESSION_COOKIE, result.token, cookieOptions);
      return c.json({ officer: officerJson(result.officer), csrfToken: result.csrfToken }, 200);
    },
  );

  routes.get(SESSION_PATH, requireOfficer, (c) => c.json({ officer: officerJson(c.get('officer')), csrfToken: c.get('csrfToken') }, 200));

  routes.delete(SESSION_PATH, requireOfficer, async (c) => {
    await logout(db, getCookie(c, SESSION_COOKIE));
    deleteCookie(c, SESSION_COOKIE, cookieOptions);
    return c.body(null, 204);
  });

  return { routes, requireOfficer };
}

/** The body parsed as JSON, or not ok when it is not JSON at all (a 400, never a 500). */
async function readJson(c: Context): Promise<{ ok: true; value: unknown } | { ok: false }> {
  try {
    return { ok: true, value: JSON.parse(await c.req.text()) };
  } catch {
    return { ok: false };
  }
}

const officerSchema = {
  type: 'object',
  required: ['id', 'username', 'displayName', 'department', 'role', 'office', 'designation'],
  properties: {
    id: { type: 'integer' },
    username: { type: 'string', pattern: '^[a-z0-9._-]{3,40}$' },
    displayName: { type: 'string' },
    department: { type: ['string', 'null'], description: 'department code such as REV01; null only for a state_admin' },
    role: { type: 'string', enum: ['officer', 'supervisor', 'department_admin', 'state_admin'] },
    office: { type: 'string', description: "jurisdiction: '' the whole state, a district id (guntur) or a mandal id (guntur/tenali)" },
    designation: { type: ['string', 'null'], description: "the post held, as a workflow stage's role names it (Tahsildar, VRO)" },
  },
} as const;

/** Components the session paths refer to: merge into the OpenAPI document's `components`. */
export function officerOpenApiComponents() {
  return {
    securitySchemes: {
      officerSession: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: `Set by POST ${SESSION_PATH}. POST, PUT, PATCH and DELETE also need the header ${CSRF_HEADER}.` },
    },
    schemas: {
      Officer: officerSchema,
      Session: {
        type: 'object',
        required: ['officer', 'csrfToken'],
        properties: { officer: { $ref: '#/components/schemas/Officer' }, csrfToken: { type: 'string', description: `send it back as the ${CSRF_HEADER} header on every POST, PUT, PATCH and DELETE` } },
      },
      Error: {
        type: 'object',
        required: ['error'],
        properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' } } } },
      },
    },
    parameters: {
      CsrfToken: { name: CSRF_HEADER, in: 'header', required: true, schema: { type: 'string' }, description: 'the csrfToken of the session' },
    },
  };
}

/** OpenAPI 3.1 path items of the session routes, keyed by path: merge into the document's `paths` (with officerOpenApiComponents). */
export function sessionOpenApiPaths() {
  const error = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
  const session = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Session' } } } });
  return {
    [SESSION_PATH]: {
      post: {
        operationId: 'signIn',
        tags: ['session'],
        summary: 'Sign in as an officer',
        description: `Sets the ${SESSION_COOKIE} cookie (HttpOnly, SameSite=Strict). Five wrong passwords in a row lock the account for 15 minutes.`,
        security: [],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: { type: 'object', required: ['username', 'password'], properties: { username: { type: 'string', maxLength: 100 }, password: { type: 'string', maxLength: 1024, format: 'password' } } },
            },
          },
        },
        responses: {
          '200': { ...session('signed in'), headers: { 'Set-Cookie': { description: `${SESSION_COOKIE}=…; HttpOnly; SameSite=Strict; Path=/`, schema: { type: 'string' } } } },
          '400': error('the body is not JSON, or a field is missing or of the wrong type'),
          '401': error('invalid_credentials: the username or the password is wrong'),
          '413': error('the body is larger than 16 KB'),
          '415': error('the body is not application/json'),
          '429': { ...error('locked: too many failed sign-ins'), headers: { 'Retry-After': { description: 'seconds until the account unlocks', schema: { type: 'integer' } } } },
        },
      },
      get: {
        operationId: 'currentSession',
        tags: ['session'],
        summary: 'The signed-in officer and the CSRF token of their session',
        security: [{ officerSession: [] }],
        responses: { '200': session('the current session'), '401': error('no session, or it has ended') },
      },
      delete: {
        operationId: 'signOut',
        tags: ['session'],
        summary: 'Sign out',
        security: [{ officerSession: [] }],
        parameters: [{ $ref: '#/components/parameters/CsrfToken' }],
        responses: { '204': { description: 'signed out; the cookie is cleared' }, '401': error('no session, or it has ended'), '403': error(`the ${CSRF_HEADER} header is missing or wrong`) },
      },
    },
  };
}
