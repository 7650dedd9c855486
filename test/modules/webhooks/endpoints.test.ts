/**
 * Issue #14 item 5: webhook endpoints per partner. The secret is shown once and kept only
 * encrypted; URLs are checked (HTTPS and public addresses in production); each partner sees and
 * deletes its own; bad input is a 400 naming the field.
 */
import { sql } from 'drizzle-orm';
import { webhookSecretBox } from '../../../src/modules/webhooks/secrets';
import { bearer, createTestApp, type TestApp } from '../../helpers/test-app';
import { paths } from '../origination/applications/helpers';
import { createEndpoint } from './helpers';

describe('webhook endpoints', () => {
  let t: TestApp;
  let partnerA: string;
  let partnerB: string;
  let officer: string;

  beforeAll(async () => {
    t = await createTestApp();
    partnerA = await t.issueKey('partner', { partnerId: 'partner-a' });
    partnerB = await t.issueKey('partner', { partnerId: 'partner-b' });
    officer = await t.issueKey('reviewer');
  });
  afterAll(() => t.close());

  const post = (key: string, body: object) =>
    t.http.post('/v1/webhook-endpoints').set(bearer(key)).send(body);

  it('shows the secret once and stores it only encrypted', async () => {
    const res = await post(partnerA, {
      url: 'http://127.0.0.1:9/hooks',
      eventTypes: ['offer.accepted', 'application.decided'],
      description: 'order system',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      id: expect.stringMatching(/^whe_/),
      url: 'http://127.0.0.1:9/hooks',
      eventTypes: ['offer.accepted', 'application.decided'],
      description: 'order system',
      partnerId: 'partner-a',
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9_-]{43}$/),
    });
    const { id, secret } = res.body;
    const one = await t.http.get(`/v1/webhook-endpoints/${id}`).set(bearer(partnerA));
    expect(one.status).toBe(200);
    expect(one.body.secret).toBeUndefined();
    expect(JSON.stringify(one.body)).not.toContain(secret);

    const { rows } = (await t.testDb.database.db.execute(
      sql`select * from webhook_endpoints where id = ${id}`,
    )) as unknown as { rows: Record<string, unknown>[] };
    const stored = JSON.stringify(rows[0]);
    expect(stored).not.toContain(secret);
    expect(stored).not.toContain(secret.slice(6));
    const sealed = String(rows[0]?.secret_ciphertext);
    expect(sealed).toMatch(/^v1\./);
    // The stored value opens under the configured key, for this endpoint only.
    const box = webhookSecretBox(t.config);
    expect(box.open(sealed, id)).toBe(secret);
    expect(() => box.open(sealed, 'whe_other')).toThrow();
  });

  it('scopes endpoints to their partner; an admin sees all; other roles may not', async () => {
    const a = await createEndpoint(t, partnerA, 'http://127.0.0.1:9/a', ['offer.accepted']);
    const b = await createEndpoint(t, partnerB, 'http://127.0.0.1:9/b', ['offer.accepted']);
    const listA = await t.http.get('/v1/webhook-endpoints?limit=200').set(bearer(partnerA));
    expect(listA.status).toBe(200);
    const idsA = listA.body.data.map((e: { id: string }) => e.id);
    expect(idsA).toContain(a.id);
    expect(idsA).not.toContain(b.id);
    expect(listA.body.data.every((e: { partnerId: string }) => e.partnerId === 'partner-a')).toBe(
      true,
    );
    expect((await t.http.get(`/v1/webhook-endpoints/${a.id}`).set(bearer(partnerB))).status).toBe(
      404,
    );
    expect(
      (await t.http.delete(`/v1/webhook-endpoints/${a.id}`).set(bearer(partnerB))).status,
    ).toBe(404);
    const all = await t.http.get('/v1/webhook-endpoints?limit=200').set(bearer(t.adminKey));
    const idsAll = all.body.data.map((e: { id: string }) => e.id);
    expect(idsAll).toEqual(expect.arrayContaining([a.id, b.id]));
    expect(
      (await post(officer, { url: 'http://127.0.0.1:9/', eventTypes: ['offer.accepted'] })).status,
    ).toBe(403);
    expect((await t.http.get('/v1/webhook-endpoints').set(bearer(officer))).status).toBe(403);
    // Paging: one at a time, newest first, each once.
    const first = await t.http.get('/v1/webhook-endpoints?limit=1').set(bearer(partnerA));
    expect(first.body.data).toHaveLength(1);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await t.http
      .get(`/v1/webhook-endpoints?limit=1&cursor=${first.body.nextCursor}`)
      .set(bearer(partnerA));
    expect(second.body.data[0].id).not.toBe(first.body.data[0].id);
  });

  it('deletes an endpoint: gone from reads, a second delete is 404', async () => {
    const e = await createEndpoint(t, partnerA, 'http://127.0.0.1:9/d', ['offer.expired']);
    const del = await t.http.delete(`/v1/webhook-endpoints/${e.id}`).set(bearer(partnerA));
    expect(del.status).toBe(200);
    expect(del.body.id).toBe(e.id);
    expect((await t.http.get(`/v1/webhook-endpoints/${e.id}`).set(bearer(partnerA))).status).toBe(
      404,
    );
    expect(
      (await t.http.delete(`/v1/webhook-endpoints/${e.id}`).set(bearer(partnerA))).status,
    ).toBe(404);
    const list = await t.http.get('/v1/webhook-endpoints?limit=200').set(bearer(partnerA));
    expect(list.body.data.map((x: { id: string }) => x.id)).not.toContain(e.id);
  });

  it('refuses bad input with a 400 naming the field, in both languages', async () => {
    const cases: [object, string][] = [
      [{ url: 'not a url', eventTypes: ['offer.accepted'] }, 'body.url'],
      [{ url: 'ftp://127.0.0.1/x', eventTypes: ['offer.accepted'] }, 'body.url'],
      [{ url: 'http://user:pw@127.0.0.1/x', eventTypes: ['offer.accepted'] }, 'body.url'],
      // Link-local (cloud metadata) is refused outside production too.
      [{ url: 'http://169.254.169.254/latest', eventTypes: ['offer.accepted'] }, 'body.url'],
      [{ url: 'http://127.0.0.1/x', eventTypes: ['offer.signed'] }, 'body.eventTypes.0'],
      [{ url: 'http://127.0.0.1/x', eventTypes: [] }, 'body.eventTypes'],
      [
        { url: 'http://127.0.0.1/x', eventTypes: ['offer.accepted', 'offer.accepted'] },
        'body.eventTypes',
      ],
      [{ eventTypes: ['offer.accepted'] }, 'body.url'],
      [
        { url: 'http://127.0.0.1/x', eventTypes: ['offer.accepted'], secret: 'mine' },
        'body.secret',
      ],
      [
        { url: 'http://127.0.0.1/x', eventTypes: ['offer.accepted'], description: 'x'.repeat(201) },
        'body.description',
      ],
    ];
    for (const [body, path] of cases) {
      const res = await post(partnerA, body);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(paths(res.body)).toContain(path);
      expect(res.body.details[0].messageZh).toEqual(expect.any(String));
    }
  });

  it('caps live endpoints per partner', async () => {
    const key = await t.issueKey('partner', { partnerId: 'partner-many' });
    for (let i = 0; i < 20; i++)
      await createEndpoint(t, key, `http://127.0.0.1:9/${i}`, ['offer.accepted']);
    const res = await post(key, { url: 'http://127.0.0.1:9/x', eventTypes: ['offer.accepted'] });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('TOO_MANY_WEBHOOK_ENDPOINTS');
    expect(res.body.messageZh).toEqual(expect.any(String));
  });
});

describe('webhook endpoints in production', () => {
  let t: TestApp;
  let partner: string;

  beforeAll(async () => {
    t = await createTestApp({
      env: {
        NODE_ENV: 'production',
        PII_DIGEST_KEY: 'test-pii-digest-key-0123456789abcdef',
        WEBHOOK_SECRET_KEY: 'test-webhook-secret-key-0123456789abcdef',
      },
    });
    partner = await t.issueKey('partner', { partnerId: 'partner-p' });
  });
  afterAll(() => t.close());

  const post = (url: string) =>
    t.http
      .post('/v1/webhook-endpoints')
      .set(bearer(partner))
      .send({ url, eventTypes: ['offer.accepted'] });

  it('takes HTTPS URLs of public addresses only', async () => {
    for (const [url, says] of [
      ['http://203.0.114.7/hooks', /https/],
      ['https://127.0.0.1/hooks', /loopback/],
      ['https://localhost/hooks', /loopback/],
      ['https://10.1.2.3/hooks', /private/],
      ['https://[::1]/hooks', /loopback/],
      ['https://[::ffff:10.0.0.1]/hooks', /private/],
      ['https://169.254.169.254/hooks', /link-local/],
    ] as const) {
      const res = await post(url);
      expect(res.status).toBe(400);
      expect(paths(res.body)).toEqual(['body.url']);
      expect(res.body.details[0].message).toMatch(says);
    }
    const ok = await post('https://93.184.216.34/hooks');
    expect(ok.status).toBe(201);
  });
});
