import { randomUUID } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { type Config, trustProxy } from './config';
import type { Database } from './db/connect';
import type { AppDeps } from './deps';
import { AppError } from './lib/errors';
import { apiKeyRoutes } from './modules/api-keys/routes';
import { eventRoutes } from './modules/events/routes';
import { guaranteeNetworkRoutes } from './modules/guarantee-network/routes';
import { marketRoutes } from './modules/markets/routes';
import { merchantRoutes } from './modules/merchants/routes';
import { monitoringRoutes } from './modules/monitoring/routes';
import { operatorRoutes } from './modules/operators/routes';
import { startOfferExpiry } from './modules/origination/expiry-job';
import { NetworkCache } from './modules/origination/network-cache';
import { decisionRoutes, originationRoutes } from './modules/origination/routes';
import { PolicyCache } from './modules/policies/active-policy';
import { policyRoutes } from './modules/policies/routes';
import { scheduleRoutes } from './modules/schedules/routes';
import { simulationRoutes } from './modules/simulation/routes';
import { webhookDocuments } from './modules/webhooks/openapi';
import { webhookRoutes } from './modules/webhooks/routes';
import { auth } from './platform/auth';
import { closingGate } from './platform/closing';
import { commandRunner } from './platform/command';
import { errorHandler, frameworkErrors } from './platform/error-handler';
import { health } from './platform/health';
import { httpServerOptions } from './platform/http-server';
import { idempotency } from './platform/idempotency';
import { inputGuard } from './platform/input-guard';
import { loggerOptions } from './platform/logging';
import { metrics } from './platform/metrics';
import { openapi } from './platform/openapi';
import { PrincipalCache } from './platform/principal-cache';
import { serializerCompiler } from './platform/response-serializer';
import { securityHeaders } from './platform/security-headers';
import { CONTENT_SECURITY_POLICY, webApp } from './platform/web-app';

export interface BuildAppOptions {
  config: Config;
  database: Database;
  clock?: () => Date;
  /** A pino instance to log to (tests capture logs with it); otherwise pino at LOG_LEVEL. */
  loggerInstance?: FastifyBaseLogger;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const { config, database } = options;
  const clock = options.clock ?? (() => new Date());
  const deps: AppDeps = {
    db: database.db,
    database,
    config,
    clock,
    policies: new PolicyCache(database.db, config.POLICY_CACHE_TTL_MS),
    networks: new NetworkCache(),
    // The cache keeps time by the service's clock, so a key's expiry is judged by one clock.
    principals: new PrincipalCache(config.API_KEY_CACHE_TTL_MS, 10_000, () => clock().getTime()),
  };

  const app = Fastify({
    ...(options.loggerInstance
      ? { loggerInstance: options.loggerInstance }
      : { logger: loggerOptions(config.LOG_LEVEL) }),
    bodyLimit: config.BODY_LIMIT_BYTES,
    // Slow or silent clients cannot hold connections: headers, request and idle timeouts.
    ...httpServerOptions(config),
    // closingGate answers requests that arrive while closing, in the error shape.
    return503OnClosing: false,
    // The client address (rate limits, logs) from X-Forwarded-For only when configured.
    trustProxy: trustProxy(config.TRUST_PROXY),
    // A malformed URL or overlong path parameter: the error shape, not Fastify's own.
    frameworkErrors,
    // genReqId reads x-request-id itself, so an unsafe value is replaced rather than trusted.
    requestIdHeader: false,
    // Accept a caller's id only if it is sane; otherwise make one.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // JSON only: anything else is 415 rather than a confusing validation error.
  app.removeContentTypeParser(['text/plain']);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  await app.register(errorHandler, { checkDeclaredCodes: config.NODE_ENV === 'test' });
  await app.register(closingGate);
  // The CSP is the web pages' (src/platform/web-app.ts); on JSON answers it is harmless.
  await app.register(securityHeaders, { contentSecurityPolicy: CONTENT_SECURITY_POLICY });
  await app.register(inputGuard);
  await app.register(openapi, { webhooks: webhookDocuments() });
  await app.register(metrics);
  await app.register(rateLimit, {
    global: true,
    hook: 'preParsing',
    max: config.RATE_LIMIT_MAX,
    timeWindow: config.RATE_LIMIT_WINDOW,
    // Per API key: one partner's burst must not starve another.
    keyGenerator: (request) => request.principal?.keyId ?? request.ip,
    allowList: (request) => !request.url.startsWith('/v1/'),
    errorResponseBuilder: (_request, context) =>
      new AppError(
        429,
        'RATE_LIMITED',
        `Rate limit of ${context.max} requests per ${context.after} exceeded; retry later`,
        '请求过于频繁，请稍后重试',
      ),
  });

  // Key guessing: failed authentications per client address (hooks run before the limit above).
  const authFailures = app.createRateLimit({
    max: config.AUTH_FAILURE_LIMIT,
    keyGenerator: (request) => `auth-failure:${request.ip}`,
    allowList: () => false,
  });
  await app.register(auth, {
    db: deps.db,
    adminApiKey: config.ADMIN_API_KEY,
    adminApiKeyOwner: config.ADMIN_API_KEY_OWNER,
    principals: deps.principals,
    clock: deps.clock,
    failedTooOften: async (request) => {
      const limit = await authFailures(request);
      if (limit.isAllowed) return null;
      return {
        limit: limit.max,
        remaining: limit.remaining,
        resetSeconds: limit.ttlInSeconds,
        wait: limit.isExceeded ? Math.max(1, limit.ttlInSeconds) : null,
      };
    },
  });

  await app.register(idempotency, {
    db: deps.db,
    clock: deps.clock,
    hashSecret: config.PII_DIGEST_KEY,
    inFlightMs: config.IDEMPOTENCY_IN_FLIGHT_MS,
  });
  await app.register(commandRunner, { db: deps.db });

  await app.register(health, { ping: () => database.ping() });
  await app.register(apiKeyRoutes, deps);
  await app.register(operatorRoutes, deps);
  await app.register(marketRoutes, deps);
  await app.register(merchantRoutes, deps);
  await app.register(policyRoutes, deps);
  await app.register(simulationRoutes, deps);
  await app.register(scheduleRoutes);
  await app.register(originationRoutes, deps);
  await app.register(monitoringRoutes, deps);
  await app.register(decisionRoutes, deps);
  await app.register(eventRoutes, deps);
  await app.register(guaranteeNetworkRoutes, deps);
  await app.register(webhookRoutes, deps);
  await app.register(webApp);
  if (config.OFFER_EXPIRY_INTERVAL_MS > 0)
    startOfferExpiry(app, deps, config.OFFER_EXPIRY_INTERVAL_MS);
  return app;
}
