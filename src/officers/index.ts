export { ROLES, listOfficers, findOfficer, type Officer, type Role } from './officer.ts';
export { DEFAULT_COST, TEST_COST, hashPassword, verifyPassword, needsRehash, type ScryptCost } from './password.ts';
export { addOfficer, checkNewOfficer, knownOffices, passwordProblem, MIN_PASSWORD, type AddOfficerCode, type AddOfficerContext, type AddOfficerResult, type NewOfficer } from './add-officer.ts';
export { login, DEFAULT_LOCKOUT_MS, DEFAULT_MAX_FAILURES, type LoginOptions, type LoginResult } from './login.ts';
export { officerForSession, sessionFor, startSession, logout, logoutEverywhere, purgeExpiredSessions, sessionId, DEFAULT_SESSION_MS, type OfficerSession, type SessionOptions } from './session.ts';
export {
  officerRoutes,
  officerJson,
  sessionOpenApiPaths,
  officerOpenApiComponents,
  SESSION_COOKIE,
  CSRF_HEADER,
  SESSION_PATH,
  type OfficerEnv,
  type OfficerJson,
  type OfficerRoutesOptions,
  type OfficerVariables,
} from './http.ts';
export { seedDemoOfficers, type DemoLogins } from './demo.ts';
