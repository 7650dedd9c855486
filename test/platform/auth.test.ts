import { seedDemoData } from '../../src/db/seed';
import { bearer, createTestApp, type TestApp } from '../helpers/test-app';

describe('authentication and roles', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await seedDemoData(t.testDb.database.db, {
      clock: () => new Date(),
      piiDigestKey: t.config.PII_DIGEST_KEY,
      demoKeys: false,
    });
  });
  afterAll(() => t.close());

  it('answers 401 without a key, with a malformed header and with an unknown key', async () => {
    const none = await t.http.get('/v1/api-keys');
    expect(none.status).toBe(401);
    expect(none.body.code).toBe('UNAUTHORIZED');
    const malformed = await t.http.get('/v1/api-keys').set('authorization', 'Basic abc');
    expect(malformed.status).toBe(401);
    const garbage = await t.http.get('/v1/api-keys').set(bearer('not-a-key'));
    expect(garbage.status).toBe(401);
    const wellFormedUnknown = await t.http
      .get('/v1/api-keys')
      .set(bearer(`mlk_AAAAAAAAAAAA_${'b'.repeat(32)}`));
    expect(wellFormedUnknown.status).toBe(401);
  });

  it('rejects a key whose secret does not match its prefix', async () => {
    const key = await t.issueKey('risk');
    const tampered = `${key.slice(0, -4)}${key.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    const res = await t.http.get('/v1/api-keys').set(bearer(tampered));
    expect(res.status).toBe(401);
  });

  it('forbids a role the route does not allow (403) and allows admin', async () => {
    const officer = await t.issueKey('officer', { marketIds: ['mkt_demo_majiayan'] });
    const res = await t.http.get('/v1/api-keys').set(bearer(officer));
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('FORBIDDEN');
    const issue = await t.http
      .post('/v1/api-keys')
      .set(bearer(officer))
      .send({ role: 'admin', name: 'escalate' });
    expect(issue.status).toBe(403);
    expect((await t.http.get('/v1/api-keys').set(bearer(t.adminKey))).status).toBe(200);
  });

  it('stops accepting a key as soon as it is revoked', async () => {
    const key = await t.issueKey('admin');
    expect((await t.http.get('/v1/api-keys').set(bearer(key))).status).toBe(200);
    const list = await t.http.get('/v1/api-keys?limit=200').set(bearer(t.adminKey));
    const id = list.body.data.find((k: { prefix: string }) => key.includes(k.prefix)).id;
    const revoked = await t.http.delete(`/v1/api-keys/${id}`).set(bearer(t.adminKey));
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).toBeTruthy();
    const after = await t.http.get('/v1/api-keys').set(bearer(key));
    expect(after.status).toBe(401);
    expect(after.body.message).toMatch(/revoked/);
  });

  it('leaves operations endpoints open', async () => {
    expect((await t.http.get('/health/live')).status).toBe(200);
    expect((await t.http.get('/openapi.json')).status).toBe(200);
  });
});
