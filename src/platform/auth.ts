import { eq } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Db } from '../db/connect';
import { apiKeys } from '../db/schema';
import { hashApiKey, parseApiKey, sameHash } from '../lib/api-key-secret';
import { AppError, forbidden, unauthorized } from '../lib/errors';
import type { Principal, Role } from '../lib/principal';
import type { PrincipalCache } from './principal-cache';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
  interface FastifyContextConfig {
    /** Roles allowed on the route; absent means any authenticated caller. */
    roles?: readonly Role[];
    /** A /v1 route that needs no key (operations endpoints outside /v1 never do). */
    public?: boolean;
  }
}

export const ENV_ADMIN_KEY_ID = 'key_environment_admin';

export interface AuthOptions {
  db: Db;
  adminApiKey?: string;
  /** The person behind ADMIN_API_KEY (ADMIN_API_KEY_OWNER). */
  adminApiKeyOwner: string;
  principals: PrincipalCache;
  /** The service's clock: key expiry and last use are judged by it. */
  clock: () => Date;
  /** Counts a failed authentication of this request's client (its failure budget). */
  failedTooOften?: (request: FastifyRequest) => Promise<AuthFailures | null>;
}

/** A client's failed authentications: the budget, what is left, and the wait once spent. */
export interface AuthFailures {
  limit: number;
  remaining: number;
  resetSeconds: number;
  /** Seconds to wait once over the limit; null while under it. */
  wait: number | null;
}

async function authenticate(
  { db, principals, adminApiKeyOwner, clock }: AuthOptions,
  adminKeyHash: string | null,
  request: FastifyRequest,
): Promise<Principal> {
  const header = request.headers.authorization;
  if (!header)
    throw unauthorized(
      'Missing Authorization header; send "Authorization: Bearer <api key>"',
      '缺少 Authorization 请求头；请发送 "Authorization: Bearer <API 密钥>"',
      false,
    );
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match?.[1])
    throw unauthorized(
      'Malformed Authorization header; expected "Bearer <api key>"',
      'Authorization 请求头格式错误；应为 "Bearer <API 密钥>"',
    );
  const secret = match[1];
  const hash = hashApiKey(secret);
  if (adminKeyHash && sameHash(hash, adminKeyHash)) {
    return {
      keyId: ENV_ADMIN_KEY_ID,
      role: 'admin',
      name: 'ADMIN_API_KEY',
      owner: adminApiKeyOwner,
      marketIds: [],
      partnerId: null,
    };
  }
  const cached = principals.get(hash);
  if (cached) return cached;
  const parsed = parseApiKey(secret);
  if (!parsed) throw unauthorized('Invalid API key', 'API 密钥无效');
  const [row] = await db.select().from(apiKeys).where(eq(apiKeys.prefix, parsed.prefix)).limit(1);
  if (!row || !sameHash(hash, row.secretHash))
    throw unauthorized('Invalid API key', 'API 密钥无效');
  if (row.revokedAt) throw unauthorized('API key has been revoked', 'API 密钥已被吊销');
  const now = clock();
  if (row.expiresAt && row.expiresAt <= now)
    throw unauthorized('API key has expired', 'API 密钥已过期');
  await noteUse(db, row, now);
  const principal: Principal = {
    keyId: row.id,
    role: row.role,
    name: row.name,
    owner: row.owner,
    marketIds: row.marketIds,
    partnerId: row.partnerId,
  };
  principals.set(hash, principal, row.expiresAt?.getTime() ?? null);
  return principal;
}

const LAST_USED_GRANULARITY_MS = 60_000;

/**
 * Records when a key was last used, at most once a minute per key (and only when it is looked
 * up, not when served from the cache), so that authentication does not write on every request.
 */
async function noteUse(db: Db, row: { id: string; lastUsedAt: Date | null }, now: Date) {
  if (row.lastUsedAt && now.getTime() - row.lastUsedAt.getTime() < LAST_USED_GRANULARITY_MS) return;
  await db.update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, row.id));
}

const tooManyFailures = () =>
  new AppError(
    429,
    'RATE_LIMITED',
    'Too many failed authentications from this address; retry later',
    '认证失败次数过多，请稍后重试',
  );

/** Authenticates every non-public route, then enforces the route's `config.roles`. */
export const auth = fp<AuthOptions>(async (app: FastifyInstance, options) => {
  const adminKeyHash = options.adminApiKey ? hashApiKey(options.adminApiKey) : null;
  app.decorateRequest('principal', null as unknown as Principal);
  app.addHook('onRequest', async (request, reply) => {
    const config = request.routeOptions.config;
    // Operations endpoints live outside /v1 and need no key; unknown routes fall through to 404.
    if (config.public || !request.routeOptions.url?.startsWith('/v1/')) return;
    try {
      request.principal = await authenticate(options, adminKeyHash, request);
    } catch (err) {
      const failed = err instanceof AppError && err.statusCode === 401;
      // No keep-alive for a caller without a valid key: the connection closes after the answer
      // rather than waiting on a request body it may send as slowly as it likes.
      if (failed) reply.header('connection', 'close');
      // Guessing keys is throttled per client; a valid key from the same address still works.
      const failures = failed ? await options.failedTooOften?.(request) : null;
      if (failures) {
        // The counters a 401 carries are those of the failure budget, the limit it is under.
        reply.header('x-ratelimit-limit', String(failures.limit));
        reply.header('x-ratelimit-remaining', String(failures.remaining));
        reply.header('x-ratelimit-reset', String(failures.resetSeconds));
      }
      if (failures?.wait) {
        reply.header('retry-after', String(failures.wait));
        throw tooManyFailures();
      }
      throw err;
    }
    if (config.roles && !config.roles.includes(request.principal.role)) throw forbidden();
  });
});
