import { bearer, createTestApp, type TestApp } from '../helpers/test-app';

/** What a partner's HTTP client expects of the protocol itself (issue #14, item 4). */
describe('HTTP manners', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('answers a wrong method on a known path with 405 and Allow, in both languages', async () => {
    const res = await t.http.delete('/v1/applications').set(bearer(t.adminKey));
    expect(res.status).toBe(405);
    expect(res.body.code).toBe('METHOD_NOT_ALLOWED');
    expect(res.headers.allow).toBe('GET, POST, HEAD');
    expect(res.body.messageZh).toContain('不支持');
    const byId = await t.http.put('/v1/offers/off_x/accept').set(bearer(t.adminKey)).send({});
    expect(byId.status).toBe(405);
    expect(byId.headers.allow).toBe('POST');
    const unknown = await t.http.get('/v1/nothing-here').set(bearer(t.adminKey));
    expect(unknown.status).toBe(404);
    expect(unknown.headers.allow).toBeUndefined();
  });

  it('sends a Bearer challenge with every 401, and specific Chinese texts', async () => {
    const none = await t.http.get('/v1/markets');
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer realm="merchant-lending"');
    expect(none.body.messageZh).toContain('Authorization');
    const bad = await t.http.get('/v1/markets').set(bearer('mlk_AAAAAAAAAAAA_nope'));
    expect(bad.status).toBe(401);
    expect(bad.headers['www-authenticate']).toBe(
      'Bearer realm="merchant-lending", error="invalid_token"',
    );
    expect(bad.body.messageZh).toBe('API 密钥无效');
  });

  it('names what was not found in Chinese too (no English word inside the Chinese text)', async () => {
    const res = await t.http.get('/v1/applications/app_nope').set(bearer(t.adminKey));
    expect(res.status).toBe(404);
    expect(res.body.message).toBe('Application not found');
    expect(res.body.messageZh).toBe('未找到该贷款申请');
    expect(res.body.messageZh).not.toMatch(/[A-Za-z]/);
  });
});

describe('request charsets', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());
  const quote = (contentType: string, body: Buffer | string) =>
    t.http
      .post('/v1/schedules/quote')
      .set(bearer(t.adminKey))
      .set('content-type', contentType)
      .send(body);
  const body = JSON.stringify({
    amount: 1_000_000,
    annualRateBps: 800,
    termMonths: 6,
    method: 'equal_instalment',
  });

  it('refuses a body in another charset with 415 instead of storing mojibake', async () => {
    const res = await quote('application/json; charset=gbk', Buffer.from(body));
    expect(res.status).toBe(415);
    expect(res.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(res.body.message).toContain('gbk');
    expect(res.body.messageZh).toContain('UTF-8');
  });

  it('accepts UTF-8 however it is spelled, and no charset at all', async () => {
    for (const type of [
      'application/json',
      'application/json; charset=utf-8',
      'application/json; charset="UTF-8"',
      'application/json;charset=utf8',
    ]) {
      const res = await quote(type, body);
      expect([type, res.status]).toEqual([type, 200]);
    }
  });
});

describe('405 only for a wrong method', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('answers a missing file under a GET wildcard with 404, not 405', async () => {
    const res = await t.http.get('/app/no-such-file.js');
    expect(res.status).toBe(404);
    expect(res.headers.allow).toBeUndefined();
    const post = await t.http.post('/app/no-such-file.js').send({});
    expect(post.status).toBe(405);
  });
});
