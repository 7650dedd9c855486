import { bearer, createTestApp, type TestApp } from '../helpers/test-app';

describe('rate limit per API key', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW: '1 minute' } });
  });
  afterAll(() => t.close());

  it('answers 429 in the error shape past the limit, and counts each key apart', async () => {
    const other = await t.issueKey('admin'); // the environment admin's first request
    const codes: number[] = [];
    for (let i = 0; i < 3; i++)
      codes.push((await t.http.get('/v1/api-keys').set(bearer(t.adminKey))).status);
    expect(codes).toEqual([200, 200, 429]);
    const limited = await t.http.get('/v1/api-keys').set(bearer(t.adminKey));
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED' });
    expect(limited.headers['retry-after']).toBeDefined();
    expect((await t.http.get('/v1/api-keys').set(bearer(other))).status).toBe(200);
    // Operations endpoints are not limited.
    for (let i = 0; i < 5; i++) expect((await t.http.get('/health/live')).status).toBe(200);
  });
});
