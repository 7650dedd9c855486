import { isIP } from 'node:net';
import { z } from 'zod';
import { ownerSchema } from './lib/owner';

/** The public development digest key: anyone can recompute digests made with it. */
export const DEVELOPMENT_PII_DIGEST_KEY = 'development-only-pii-digest-key';
/** The public development key for webhook signing secrets at rest: anyone can decrypt with it. */
export const DEVELOPMENT_WEBHOOK_SECRET_KEY = 'development-only-webhook-secret-key';
/** proxy-addr's names for address ranges, accepted in TRUST_PROXY. */
const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** One TRUST_PROXY entry: an address, a CIDR or a range name. */
function isProxyAddress(entry: string): boolean {
  if (PROXY_RANGE_NAMES.has(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (!family || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/** The environment, parsed once at start. A bad value stops the start naming the variable. */
const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// or postgresql:// URL' })
    .optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(20),
  DATABASE_QUERY_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .default(30_000)
    .describe(
      'PostgreSQL: a query without an answer this long fails with 503 and its connection is dropped',
    ),
  DATABASE_PREPARED_STATEMENTS: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true')
    .describe('PostgreSQL: named prepared statements; false behind a transaction-mode pooler'),
  DATABASE_MIGRATION_URL: z
    .url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// or postgresql:// URL' })
    .optional()
    .describe('PostgreSQL: a direct URL for migrations at start (e.g. past a pooler)'),
  DATA_DIR: z.string().min(1).default('./data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ADMIN_API_KEY: z.string().min(24, 'must be at least 24 characters').optional(),
  ADMIN_API_KEY_OWNER: ownerSchema
    .default('admin')
    .describe('The person ADMIN_API_KEY belongs to, for four-eyes rules (employee id or e-mail)'),
  RATE_LIMIT_MAX: z.coerce.number().int().min(1).max(1_000_000).default(600),
  RATE_LIMIT_WINDOW: z.string().min(1).default('1 minute'),
  TRUST_PROXY: z
    .string()
    .default('false')
    .refine((v) => v !== 'true', {
      // `true` takes the left-most X-Forwarded-For entry, which any client writes itself: it
      // could pick a fresh address per request and never meet the failed-authentication limit.
      error:
        'true would trust every X-Forwarded-For hop, so a client could choose its own address; list the proxies (addresses, CIDRs, loopback, uniquelocal) or give a hop count',
    })
    .refine(
      (v) =>
        v === 'true' ||
        v === 'false' ||
        /^\d+$/.test(v) ||
        v.split(',').every((entry) => isProxyAddress(entry.trim())),
      { error: "must be false, a hop count or the proxies' addresses/CIDRs, comma-separated" },
    )
    .describe('Behind a load balancer: which proxies to trust for the client address'),
  AUTH_FAILURE_LIMIT: z.coerce
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .default(30)
    .describe('Failed authentications per client IP per RATE_LIMIT_WINDOW before 429'),
  REQUEST_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .default(30_000)
    .describe(
      'A request (headers and body) not received this long after it began gets 408 and its connection closed',
    ),
  HEADERS_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .default(10_000)
    .describe(
      'Request headers not received this long after the request began: 408, connection closed',
    ),
  CONNECTION_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .default(120_000)
    .describe('A connection with no bytes either way this long is closed'),
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(256 * 1024),
  SEED_DEMO: z
    .enum(['true', 'false', 'auto'])
    .default('auto')
    .describe('auto: seed demo data on the embedded database only'),
  PII_DIGEST_KEY: z
    .string()
    .min(16, 'must be at least 16 characters')
    .default(DEVELOPMENT_PII_DIGEST_KEY)
    .describe('HMAC key for identity-number and phone digests; required in production'),
  WEBHOOK_SECRET_KEY: z
    .string()
    .min(16, 'must be at least 16 characters')
    .default(DEVELOPMENT_WEBHOOK_SECRET_KEY)
    .describe(
      'Key that encrypts webhook signing secrets at rest (AES-256-GCM, key derived with HKDF); required in production',
    ),
  WEBHOOK_WORKER: z
    .enum(['on', 'off'])
    .default('on')
    .describe('on: this service also delivers webhooks; off: only `npm run worker` processes do'),
  WEBHOOK_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .max(60_000)
    .default(10_000)
    .describe('A webhook receiver that has not answered this long counts as a failed attempt'),
  WEBHOOK_POLL_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(10)
    .max(60_000)
    .default(1_000)
    .describe('How often an idle delivery worker looks for new events and due retries'),
  POLICY_CACHE_TTL_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(5_000)
    .describe('How long an instance trusts its view of which policy is active'),
  API_KEY_CACHE_TTL_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(10_000)
    .describe(
      'How long an instance remembers an authenticated API key; a revocation elsewhere takes this long; 0 turns it off',
    ),
  OFFER_EXPIRY_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(60_000)
    .describe(
      'How often expired offers release their capacity and the guarantee-network change log is pruned; 0 turns the job off (run it on at least one instance)',
    ),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
  IDEMPOTENCY_IN_FLIGHT_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .default(10_000)
    .describe(
      'An Idempotency-Key claimed this long without an answer may be taken over by a retry (its first attempt, if alive, then fails and rolls back)',
    ),
});

/**
 * Production brings its own long digest key: with the public development key, a stored digest
 * and mask give the identity number back in seconds (the hidden digits are few).
 */
const checkedEnvSchema = envSchema.superRefine((env, ctx) => {
  if (env.NODE_ENV !== 'production') return;
  const problem =
    env.PII_DIGEST_KEY === DEVELOPMENT_PII_DIGEST_KEY
      ? 'must be set in production (a secret of 32+ characters, e.g. `openssl rand -hex 32`); the development key is public'
      : env.PII_DIGEST_KEY.length < 32
        ? 'must be at least 32 characters in production'
        : null;
  if (problem) ctx.addIssue({ code: 'custom', path: ['PII_DIGEST_KEY'], message: problem });
  const webhookProblem =
    env.WEBHOOK_SECRET_KEY === DEVELOPMENT_WEBHOOK_SECRET_KEY
      ? 'must be set in production (a secret of 32+ characters, e.g. `openssl rand -hex 32`); the development key is public'
      : env.WEBHOOK_SECRET_KEY.length < 32
        ? 'must be at least 32 characters in production'
        : null;
  if (webhookProblem)
    ctx.addIssue({ code: 'custom', path: ['WEBHOOK_SECRET_KEY'], message: webhookProblem });
});

export type Config = z.infer<typeof envSchema>;

/** TRUST_PROXY as Fastify's `trustProxy` takes it (never `true`: loadConfig refuses it). */
export function trustProxy(
  value: string,
): false | string | ((address: string, hop: number) => boolean) {
  if (value === 'false') return false;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    return (_address, hop) => hop < hops;
  }
  return value;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty string means "unset", as in most twelve-factor tooling.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = checkedEnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid environment:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
