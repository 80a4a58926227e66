import { z } from 'zod';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const int = (def: number, min = 0) => z.coerce.number().int().min(min).default(def);

/** Every setting Mitra reads, with its default. README lists the same table. */
const schema = z.object({
  PORT: int(3000),
  HOST: z.string().default('0.0.0.0'),
  PUBLIC_URL: z.string().url().optional(),
  DATABASE_URL: z.string().url().optional(),
  DATA_DIR: z.string().default('./data'),
  /** Unset: the catalogue shipped in this checkout (catalog/). */
  CATALOG_DIR: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  WHATSAPP_APP_SECRET: z.string().min(1).optional(),
  WHATSAPP_VERIFY_TOKEN: z.string().min(1).optional(),
  WHATSAPP_ACCESS_TOKEN: z.string().min(1).optional(),
  WHATSAPP_PHONE_NUMBER_ID: z.string().regex(/^\d+$/, 'must be the numeric phone number id').optional(),
  WHATSAPP_GRAPH_URL: z.string().url().optional(),
  WHATSAPP_GRAPH_VERSION: z.string().regex(/^v\d+\.\d+$/, 'looks like v23.0').default('v23.0'),
  WHATSAPP_RATE: int(80, 1),
  WHATSAPP_MARK_READ: bool.default(true),
  /** Messages to one citizen sent at once before Meta's pair rate (1 per 6 s) paces the rest. */
  WHATSAPP_PAIR_BURST: int(20, 1),
  SENDER_CONCURRENCY: int(256, 1),
  SENDER_LEASE_MS: int(30_000, 1000),
  SENDER_RECOVERY_GRACE_MS: int(60_000, 0),
  SENDER_MAX_ATTEMPTS: int(12, 1),
  /** Two loops: one runs turns while the other waits on the database; more made smaller batches (more statements a turn) and queued behind each other on the case reference counter (bench/README.md). */
  WORKER_CONCURRENCY: int(2, 1),
  WORKER_BATCH: int(32, 1),
  /** A failed turn is tried again after this, doubling each time (2, 4, 8, 16 s), then answered with an apology. */
  WORKER_RETRY_MS: int(2000, 0),
  INBOX_RETENTION_DAYS: int(8, 7),
  SIMULATOR_STATUSES: z.enum(['each', 'batched', 'off']).default('each'),
  /** Secret salt of Aadhaar hashes. Unset with the simulator: one is made and kept in DATA_DIR. */
  AADHAAR_SALT: z.string().min(16, 'must be at least 16 characters (e.g. openssl rand -hex 32)').optional(),
  /** Seals the departments' private signing keys in the database (AES-256-GCM). Unset with the simulator: kept in DATA_DIR. */
  SIGNING_KEY_SECRET: z.string().min(32, 'must be at least 32 characters (e.g. openssl rand -hex 32)').optional(),
  /**
   * The state's root key (an Ed25519 seed, base64url), which signs the trust list of department keys.
   * Best kept offline: unset, Mitra publishes no trust list itself and `mitra keys publish --root-key FILE`
   * does. Unset with the simulator: one is made and kept in DATA_DIR.
   */
  TRUST_ROOT_KEY: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be a 32-byte Ed25519 seed in base64url (43 characters; `mitra keys root` makes one)').optional(),
  /** The public ledger's signing key (an Ed25519 seed, base64url). Unset with the simulator: kept in DATA_DIR; unset live: no ledger is sequenced. */
  LEDGER_KEY: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be a 32-byte Ed25519 seed in base64url (43 characters)').optional(),
  /** The ledger's name in its checkpoints; default: PUBLIC_URL's host + "/ledger". */
  LEDGER_ORIGIN: z.string().regex(/^[a-z0-9.-]+(\/[A-Za-z0-9._-]+)*$/, 'looks like mitra.ap.gov.in/ledger').optional(),
  /** Witnesses asked to cosign each checkpoint: `URL VKEY` pairs separated by `;` (their tlog-witness prefix and cosignature key). */
  LEDGER_WITNESSES: z
    .string()
    .transform((v) => v.split(';').map((w) => w.trim()).filter(Boolean).map((w) => w.split(/\s+/)))
    .pipe(z.array(z.tuple([z.string().url(), z.string().min(3)], { error: 'each witness is "URL VKEY"' })))
    .optional(),
  /** Optional: a directory every signed checkpoint is also written to, for publishing elsewhere (an anchor). */
  LEDGER_ANCHOR_DIR: z.string().optional(),
  /** Entries are sequenced in batches this far apart: one durable commit and one signed checkpoint each. */
  LEDGER_BATCH_MS: int(250, 1),
  /**
   * The root key's public half (base64url), which the verify page carries so browsers check the trust
   * list themselves and keep working offline. Unset: taken from TRUST_ROOT_KEY when that is set (the
   * simulator always has one); with neither, the page checks on the server only.
   */
  TRUST_ROOT_PUBLIC_KEY: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be a 32-byte Ed25519 public key in base64url (43 characters; `mitra keys root` prints it)').optional(),
  /** `echo`: a channel check that quotes every message back (the channel's crash test and bench use it). */
  CONVERSATION: z.enum(['catalogue', 'echo']).default('catalogue'),
  /** How often open cases are checked against their SLAs. */
  CASE_SWEEP_SECONDS: int(60, 1),
  /** How long a citizen may reopen a resolved complaint. */
  GRIEVANCE_REOPEN_DAYS: int(7, 0),
  CONVERSATION_RESTART_HOURS: z.coerce.number().positive().default(24),
});

/** Settings whose values never appear in an error message or a log. */
const SECRETS = new Set(['WHATSAPP_APP_SECRET', 'WHATSAPP_ACCESS_TOKEN', 'WHATSAPP_VERIFY_TOKEN', 'AADHAAR_SALT', 'SIGNING_KEY_SECRET', 'TRUST_ROOT_KEY', 'LEDGER_KEY']);

export type Config = z.infer<typeof schema> & {
  /** True when no WhatsApp credential is set: the built-in simulator plays Meta. */
  simulated: boolean;
};

const credentials = [
  'WHATSAPP_APP_SECRET',
  'WHATSAPP_VERIFY_TOKEN',
  'WHATSAPP_ACCESS_TOKEN',
  'WHATSAPP_PHONE_NUMBER_ID',
] as const;

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };

export function loadConfig(env: Record<string, string | undefined>): ConfigResult {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}${SECRETS.has(String(i.path[0])) ? '' : ` (got ${JSON.stringify(present[String(i.path[0])])})`}`),
    };
  }
  const set = credentials.filter((k) => parsed.data[k] !== undefined);
  if (set.length > 0 && set.length < credentials.length) {
    const missing = credentials.filter((k) => parsed.data[k] === undefined);
    return {
      ok: false,
      problems: [`a live WhatsApp number needs all four credentials; set ${missing.join(', ')} too, or none of them to use the simulator`],
    };
  }
  if (set.length > 0 && !parsed.data.AADHAAR_SALT) {
    return { ok: false, problems: ['a live WhatsApp number needs AADHAAR_SALT, the secret that Aadhaar numbers are hashed with (e.g. openssl rand -hex 32); keep it safe: a new one cannot match earlier hashes'] };
  }
  if (set.length > 0 && !parsed.data.SIGNING_KEY_SECRET) {
    return { ok: false, problems: ['a live WhatsApp number needs SIGNING_KEY_SECRET, the secret that seals the departments\' certificate signing keys in the database (e.g. openssl rand -hex 32); keep it safe: without it no certificate can be signed'] };
  }
  return { ok: true, config: { ...parsed.data, simulated: set.length === 0 } };
}

export const GRAPH_URL_META = 'https://graph.facebook.com';
