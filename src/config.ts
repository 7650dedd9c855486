import { z } from 'zod';

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
  DATA_DIR: z.string().min(1).default('./data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ADMIN_API_KEY: z.string().min(24, 'must be at least 24 characters').optional(),
  RATE_LIMIT_MAX: z.coerce.number().int().min(1).default(600),
  RATE_LIMIT_WINDOW: z.string().min(1).default('1 minute'),
  TRUST_PROXY: z
    .string()
    .regex(
      /^(true|false|\d+|[0-9a-fA-F.:/,\s]+)$/,
      'must be true, false, a hop count or addresses/CIDRs',
    )
    .default('false')
    .describe('Behind a load balancer: which X-Forwarded-For hops to trust for the client address'),
  AUTH_FAILURE_LIMIT: z.coerce
    .number()
    .int()
    .min(1)
    .default(30)
    .describe('Failed authentications per client IP per RATE_LIMIT_WINDOW before 429'),
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
    .default('development-only-pii-digest-key')
    .describe('HMAC key for identity-number and phone digests; set your own in production'),
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
    .describe('How often expired offers release their capacity; 0 turns the job off'),
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

export type Config = z.infer<typeof envSchema>;

/** TRUST_PROXY as Fastify's `trustProxy` takes it. */
export function trustProxy(
  value: string,
): boolean | string | ((address: string, hop: number) => boolean) {
  if (value === 'true') return true;
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
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid environment:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
