import { bearer, createTestApp, type TestApp } from '../../helpers/test-app';

/** API keys may carry expiresAt, and show lastUsedAt (issue #14, item 4). */
describe('API key expiry and last use', () => {
  let t: TestApp;
  let now = new Date('2026-12-01T09:00:00.000Z');
  const admin = () => bearer(t.adminKey);
  const issue = (extra: object) =>
    t.http
      .post('/v1/api-keys')
      .set(admin())
      .send({ role: 'risk', name: 'temp', owner: 'temp@bank.example', ...extra });
  const keyView = async (id: string) =>
    (await t.http.get('/v1/api-keys?limit=200').set(admin())).body.data.find(
      (k: { id: string }) => k.id === id,
    );
  beforeAll(async () => {
    t = await createTestApp({ clock: () => now });
  });
  afterAll(() => t.close());

  it('refuses an expiry that is not in the future, naming body.expiresAt', async () => {
    for (const expiresAt of ['2026-12-01T08:59:59Z', now.toISOString(), 'tomorrow']) {
      const res = await issue({ expiresAt });
      expect(res.status).toBe(400);
      expect(res.body.details.map((d: { path: string }) => d.path)).toEqual(['body.expiresAt']);
    }
  });

  it('authenticates until expiresAt and not after, even from the instance cache', async () => {
    // An offset is understood: 10:00 in Beijing is 02:00Z, already past.
    expect((await issue({ expiresAt: '2026-12-01T10:00:00+08:00' })).status).toBe(400);
    const ok = await issue({ expiresAt: '2026-12-01T12:00:00Z' });
    expect(ok.status).toBe(201);
    expect(ok.body.expiresAt).toBe('2026-12-01T12:00:00.000Z');
    const key = ok.body.secret as string;
    expect((await t.http.get('/v1/policies').set(bearer(key))).status).toBe(200);
    now = new Date('2026-12-01T11:59:59.000Z');
    expect((await t.http.get('/v1/policies').set(bearer(key))).status).toBe(200);
    now = new Date('2026-12-01T12:00:00.000Z');
    const expired = await t.http.get('/v1/policies').set(bearer(key));
    expect(expired.status).toBe(401);
    expect(expired.body.message).toBe('API key has expired');
    expect(expired.body.messageZh).toBe('API 密钥已过期');
  });

  it('records when a key was last used, at most once a minute', async () => {
    now = new Date('2026-12-02T09:00:00.000Z');
    const issued = await issue({});
    expect(issued.body.lastUsedAt).toBeNull();
    expect(issued.body.expiresAt).toBeNull();
    const key = issued.body.secret as string;
    await t.http.get('/v1/policies').set(bearer(key));
    expect((await keyView(issued.body.id)).lastUsedAt).toBe('2026-12-02T09:00:00.000Z');
    // Within the minute (and past the cache's 10 s): looked up again, not written again.
    now = new Date('2026-12-02T09:00:30.000Z');
    await t.http.get('/v1/policies').set(bearer(key));
    expect((await keyView(issued.body.id)).lastUsedAt).toBe('2026-12-02T09:00:00.000Z');
    now = new Date('2026-12-02T09:01:30.000Z');
    await t.http.get('/v1/policies').set(bearer(key));
    expect((await keyView(issued.body.id)).lastUsedAt).toBe('2026-12-02T09:01:30.000Z');
  });
});
