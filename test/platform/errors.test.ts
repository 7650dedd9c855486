import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { bearer, createTestApp, type TestApp } from '../helpers/test-app';

describe('error shape and HTTP manners', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const expectErrorShape = (body: Record<string, unknown>, status: number, code: string) => {
    expect(body).toMatchObject({ statusCode: status, code });
    expect(typeof body.message).toBe('string');
    expect(JSON.stringify(body)).not.toMatch(/at .*\.(ts|js):\d+/);
  };

  it('answers unknown routes with the error shape', async () => {
    const res = await t.http.get('/v1/nowhere').set(bearer(t.adminKey));
    expect(res.status).toBe(404);
    expectErrorShape(res.body, 404, 'NOT_FOUND');
    expect(res.body.messageZh).toBeTruthy();
  });

  it('lists every failing field by path', async () => {
    const res = await t.http
      .post('/v1/api-keys')
      .set(bearer(t.adminKey))
      .send({ role: 'wizard', name: '', bogus: 1 });
    expect(res.status).toBe(400);
    expectErrorShape(res.body, 400, 'VALIDATION_FAILED');
    const paths = res.body.details.map((d: { path: string }) => d.path).sort();
    expect(paths).toEqual(['body.bogus', 'body.name', 'body.role']);
    for (const d of res.body.details) expect(d.messageZh).toBeTruthy();
  });

  it('rejects invalid JSON with 400 and other media types with 415', async () => {
    const bad = await t.http
      .post('/v1/api-keys')
      .set(bearer(t.adminKey))
      .set('content-type', 'application/json')
      .send('{"role":');
    expect(bad.status).toBe(400);
    expectErrorShape(bad.body, 400, 'INVALID_JSON');
    const text = await t.http
      .post('/v1/api-keys')
      .set(bearer(t.adminKey))
      .set('content-type', 'text/plain')
      .send('role=admin');
    expect(text.status).toBe(415);
    expectErrorShape(text.body, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('rejects an oversize body with 413', async () => {
    const res = await t.http
      .post('/v1/api-keys')
      .set(bearer(t.adminKey))
      .send({ role: 'admin', name: 'x'.repeat(t.config.BODY_LIMIT_BYTES + 10) });
    expect(res.status).toBe(413);
    expectErrorShape(res.body, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('echoes a given x-request-id and makes one when absent or unsafe', async () => {
    const given = await t.http.get('/health/live').set('x-request-id', 'abc-123');
    expect(given.headers['x-request-id']).toBe('abc-123');
    const made = await t.http.get('/health/live');
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const unsafe = await t.http.get('/health/live').set('x-request-id', 'bad id\twith spaces');
    expect(unsafe.headers['x-request-id']).not.toBe('bad id\twith spaces');
  });

  it('sets security headers', async () => {
    const res = await t.http.get('/health/live');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});

describe('unexpected failures', () => {
  it('never leak internals in a 500', async () => {
    const { buildApp } = await import('../../src/app');
    const { loadConfig } = await import('../../src/config');
    const { createTestDatabase } = await import('../helpers/test-database');
    const testDb = await createTestDatabase();
    const app = await buildApp({
      config: loadConfig({ LOG_LEVEL: 'silent' }),
      database: testDb.database,
    });
    app
      .withTypeProvider<ZodTypeProvider>()
      .get('/boom', { schema: { querystring: z.object({}) } }, async () => {
        throw new Error('secret SQL: select * from api_keys');
      });
    await app.ready();
    const res = await app.inject({ method: 'GET', url: '/boom' });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({
      statusCode: 500,
      code: 'INTERNAL_ERROR',
      message: 'An internal error occurred',
      messageZh: '服务器内部错误',
    });
    await app.close();
    await testDb.dispose();
  });
});
