/**
 * The pages are static files under /app/: hashed assets cached for good, HTML revalidated, a
 * CSP without inline script or style, nothing outside the build folder, no API operation.
 * Swagger UI keeps the CSP it needs.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { WEB_ROOT } from '../../src/platform/web-app';
import { createTestApp, type TestApp } from '../helpers/test-app';

const csp = (headers: Record<string, string>) =>
  Object.fromEntries(
    String(headers['content-security-policy'])
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name, values]),
  );

describe('web pages at /app/', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('serves the officer app at /app/ and the risk workbench at /app/risk/, HTML not cached', async () => {
    for (const path of ['/app/', '/app/risk/']) {
      const res = await t.http.get(path);
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.text).toContain('<div id="root">');
    }
    const bare = await t.http.get('/app');
    expect(bare.status).toBe(301);
    expect(bare.headers.location).toBe('/app/');
    expect((await t.http.get('/app/risk')).headers.location).toBe('/app/risk/');
  });

  it('caches hashed assets for a year as immutable, and names them in the HTML', async () => {
    const html = (await t.http.get('/app/')).text;
    const assets = readdirSync(join(WEB_ROOT, 'assets'));
    const js = assets.find((f) => /^officer-[\w-]+\.js$/.test(f));
    expect(js).toBeDefined();
    expect(html).toContain(`/app/assets/${js}`);
    const res = await t.http.get(`/app/assets/${js}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('loads nothing from elsewhere: no CDN, no external font, no inline script in the HTML', async () => {
    for (const path of ['/app/', '/app/risk/']) {
      const html = (await t.http.get(path)).text;
      expect(html).toMatch(/<script type="module" crossorigin src="\/app\/assets\//);
      expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(html).not.toMatch(/<style|style="/);
    }
    for (const file of readdirSync(join(WEB_ROOT, 'assets')).filter((f) => f.endsWith('.css'))) {
      const css = (await t.http.get(`/app/assets/${file}`)).text;
      expect(css).not.toMatch(/@import|url\(\s*['"]?(https?:)?\/\//);
    }
  });

  it('sends a CSP that allows only this origin, with no inline script or style', async () => {
    const res = await t.http.get('/app/');
    const policy = csp(res.headers as Record<string, string>);
    expect(policy['default-src']).toEqual(["'self'"]);
    expect(policy['script-src']).toEqual(["'self'"]);
    expect(policy['style-src']).toEqual(["'self'"]);
    expect(policy['connect-src']).toEqual(["'self'"]);
    expect(policy['object-src']).toEqual(["'none'"]);
    expect(policy['frame-ancestors']).toEqual(["'self'"]);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    // The API's answers carry it too (harmless on JSON, and no page can be framed).
    expect(csp((await t.http.get('/health/live')).headers as Record<string, string>)).toEqual(
      policy,
    );
  });

  it('leaves Swagger UI its own CSP, so /docs still renders', async () => {
    const res = await t.http.get('/docs/');
    expect(res.status).toBe(200);
    expect(res.text).toContain('swagger-ui');
    // swagger-ui's own policy (it names the validator badge's host), not the pages'.
    expect(csp(res.headers as Record<string, string>)['img-src']).toContain('validator.swagger.io');
  });

  it('serves nothing outside the build folder, and no dotfile', async () => {
    for (const path of [
      '/app/../package.json',
      '/app/%2e%2e/package.json',
      '/app/..%2fpackage.json',
      '/app/assets/../../server.js',
      '/app/.env',
      '/app/nope.js',
    ]) {
      const res = await t.http.get(path);
      expect({ path, refused: [403, 404].includes(res.status) }).toEqual({ path, refused: true });
      expect(res.text).not.toContain('"dependencies"');
    }
  });

  it('adds no API operation: /app is not in the OpenAPI document', async () => {
    const spec = (await t.http.get('/openapi.json')).body as { paths: Record<string, unknown> };
    expect(Object.keys(spec.paths).filter((p) => p.startsWith('/app'))).toEqual([]);
  });
});
