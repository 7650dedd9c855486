import fp from 'fastify-plugin';
import { serviceUnavailable } from '../lib/errors';

/**
 * While the server shuts down, a request still arriving on an open connection is answered 503
 * in the one error shape, with Retry-After and `Connection: close`, so the client retries
 * elsewhere (Fastify's own closing answer has another shape; it is turned off in buildApp).
 */
export const closingGate = fp(async (app) => {
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async (_request, reply) => {
    if (!closing) return;
    reply.header('connection', 'close');
    throw serviceUnavailable();
  });
});
