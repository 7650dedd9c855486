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

describe('failed authentications per client address', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { AUTH_FAILURE_LIMIT: '5', RATE_LIMIT_WINDOW: '1 minute' } });
  });
  afterAll(() => t.close());

  it('answers 429 with Retry-After once an address fails too often; a valid key still works', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 7; i++) {
      const res = await t.http.get('/v1/api-keys').set(bearer(`mlk_guess${i}_notasecret`));
      codes.push(res.status);
    }
    expect(codes).toEqual([401, 401, 401, 401, 401, 429, 429]);
    const limited = await t.http.get('/v1/api-keys').set('authorization', 'Bearer nope');
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED' });
    expect(limited.body.messageZh).toBeTruthy();
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await t.http.get('/v1/api-keys').set(bearer(t.adminKey))).status).toBe(200);
    // A missing header counts as a failure too.
    expect((await t.http.get('/v1/api-keys')).status).toBe(429);
  });
});

describe('failed authentications behind a trusted proxy', () => {
  let t: TestApp;
  beforeAll(async () => {
    // supertest connects from loopback: here the proxy.
    t = await createTestApp({ env: { AUTH_FAILURE_LIMIT: '2', TRUST_PROXY: 'loopback' } });
  });
  afterAll(() => t.close());

  it('counts each forwarded client address apart', async () => {
    const from = (ip: string) =>
      t.http.get('/v1/api-keys').set('x-forwarded-for', ip).set('authorization', 'Bearer bad');
    expect([(await from('203.0.113.7')).status, (await from('203.0.113.7')).status]).toEqual([
      401, 401,
    ]);
    expect((await from('203.0.113.7')).status).toBe(429);
    expect((await from('198.51.100.9')).status).toBe(401);
  });
});

describe('failed authentications from an address that is not a trusted proxy', () => {
  let t: TestApp;
  beforeAll(async () => {
    // The proxies are elsewhere: a loopback client speaks for itself, whatever it forwards.
    t = await createTestApp({ env: { AUTH_FAILURE_LIMIT: '2', TRUST_PROXY: '10.0.0.0/8' } });
  });
  afterAll(() => t.close());

  it('does not reset the limit by rotating X-Forwarded-For', async () => {
    const statuses: number[] = [];
    for (const ip of ['203.0.113.1', '203.0.113.2', '203.0.113.3', '198.51.100.4']) {
      const res = await t.http
        .get('/v1/api-keys')
        .set('x-forwarded-for', ip)
        .set('authorization', 'Bearer bad');
      statuses.push(res.status);
    }
    expect(statuses).toEqual([401, 401, 429, 429]);
  });
});
