import { existsSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/**
 * The built pages (web/, built by Vite into dist/web): the same path from src/platform (tests,
 * tsx) and from dist/platform (npm start).
 */
export const WEB_ROOT = resolve(__dirname, '../../dist/web');

/**
 * The CSP helmet sends on every answer. The pages load only their own files and talk only to
 * this origin's API: no inline script or style, no CDN, no external font. Swagger UI (/docs)
 * sets its own, which it needs for its inline initializer.
 */
export const CONTENT_SECURITY_POLICY = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    scriptSrcAttr: ["'none'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'data:'],
    fontSrc: ["'self'"],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'self'"],
  },
};

export interface WebAppOptions {
  root?: string;
}

/**
 * The officer app at /app/ and the risk workbench at /app/risk/: static files only, clients
 * of the public API with no route of their own. Hashed assets are cached for good; the HTML
 * is revalidated every time, so a deploy reaches the next page load.
 */
export async function webApp(app: FastifyInstance, options: WebAppOptions = {}) {
  const root = options.root ?? WEB_ROOT;
  if (!existsSync(resolve(root, 'index.html'))) {
    app.log.warn({ root }, 'web pages not built (npm run build): /app/ answers 404');
    return;
  }
  const assets = `${sep}assets${sep}`;
  await app.register(fastifyStatic, {
    root,
    // '/app' without the slash redirects to '/app/' (and '/app/risk' to '/app/risk/').
    prefix: '/app',
    redirect: true,
    index: ['index.html'],
    dotfiles: 'ignore',
    // Not API operations: kept out of the OpenAPI document (the default, said out loud).
    schemaHide: true,
    setHeaders(reply, path) {
      reply.header(
        'cache-control',
        path.includes(assets) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
}
