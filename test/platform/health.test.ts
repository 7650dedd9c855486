import { buildApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { createTestDatabase } from '../helpers/test-database';

describe('health', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('is live and ready with a database', async () => {
    expect((await t.http.get('/health/live')).body).toEqual({ status: 'ok' });
    expect((await t.http.get('/health/ready')).body).toEqual({ status: 'ok', database: 'up' });
  });

  it('answers /metrics in Prometheus format', async () => {
    await t.http.get('/health/live');
    const res = await t.http.get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/plain/);
    expect(res.text).toMatch(
      /http_requests_total\{method="GET",route="\/health\/live",status_code="200"\} \d+/,
    );
    expect(res.text).toMatch(/process_cpu_user_seconds_total/);
  });
});

describe('readiness without a database', () => {
  it('answers 503 when the database does not answer, 200 when it is back', async () => {
    const testDb = await createTestDatabase();
    let down = true;
    const database = {
      ...testDb.database,
      ping: () => (down ? Promise.reject(new Error('connection refused')) : testDb.database.ping()),
    };
    const app = await buildApp({ config: loadConfig({ LOG_LEVEL: 'silent' }), database });
    const res = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ statusCode: 503, code: 'NOT_READY' });
    expect(res.headers['retry-after']).toBe('2');
    down = false;
    expect((await app.inject({ method: 'GET', url: '/health/ready' })).statusCode).toBe(200);
    await app.close();
    await testDb.dispose();
  });

  it('answers 503 when the ping hangs', async () => {
    const testDb = await createTestDatabase();
    const database = { ...testDb.database, ping: () => new Promise<void>(() => {}) };
    const app = await buildApp({ config: loadConfig({ LOG_LEVEL: 'silent' }), database });
    const started = Date.now();
    const res = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(res.statusCode).toBe(503);
    expect(Date.now() - started).toBeLessThan(5_000);
    await app.close();
    await testDb.dispose();
  });
});
