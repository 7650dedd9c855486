import type { FastifyInstance } from 'fastify';
import FindMyWay from 'find-my-way';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/**
 * Which methods a path answers, for 405 with `Allow` instead of a bare 404 when a partner uses
 * the wrong method. A second router of the same kind Fastify uses, fed with every route as it
 * registers (call before the routes).
 */
export function trackRouteMethods(app: FastifyInstance): (path: string) => string[] {
  const router = FindMyWay();
  const found = () => {};
  app.addHook('onRoute', (route) => {
    for (const given of [route.method].flat()) {
      const method = METHODS.find((m) => m === given.toUpperCase());
      if (method && !router.find(method, route.url)) router.on(method, route.url, found);
    }
  });
  return (path) => METHODS.filter((m) => router.find(m, path) !== null);
}
