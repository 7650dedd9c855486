import { eq } from 'drizzle-orm';
import { idempotencyKeys, operators } from '../../src/db/schema';
import { hashRequest } from '../../src/platform/idempotency';
import { seedDemo } from '../helpers/fixtures';
import { bearer, createTestApp, type TestApp } from '../helpers/test-app';
import { applicationBody, strongSurvey, submit } from '../modules/origination/applications/helpers';

const agreement = {
  capacity: 10_000_000_00,
  perMerchantCap: 1_000_000_00,
  maxTermMonths: 24,
  depositRatioBps: 1_000,
  status: 'active',
};

describe('Idempotency-Key on POST', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());
  const post = (key: string | undefined, body: object) => {
    const req = t.http.post('/v1/operators').set(bearer(t.adminKey));
    if (key !== undefined) req.set('idempotency-key', key);
    return req.send(body);
  };
  const operator = (name: string) => ({ name, guaranteeAgreement: agreement });
  const countNamed = async (name: string) =>
    (await t.testDb.database.db.select().from(operators).where(eq(operators.name, name))).length;

  it('replays the stored answer for the same key and body, without doing the work twice', async () => {
    const first = await post('k-1', operator('once'));
    expect(first.status).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const again = await post('k-1', { guaranteeAgreement: agreement, name: 'once' });
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await countNamed('once')).toBe(1);
  });

  it('answers 422 when the key comes back with another body', async () => {
    await post('k-2', operator('a'));
    const res = await post('k-2', operator('b'));
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('scopes keys to the API key', async () => {
    const other = await t.issueKey('admin');
    const a = await post('k-3', operator('scoped'));
    const b = await t.http
      .post('/v1/operators')
      .set(bearer(other))
      .set('idempotency-key', 'k-3')
      .send(operator('scoped'));
    expect(b.status).toBe(201);
    expect(b.body.id).not.toBe(a.body.id);
  });

  it('answers 409 while the first request is still in flight', async () => {
    const now = new Date();
    const body = operator('busy');
    await t.testDb.database.db.insert(idempotencyKeys).values({
      apiKeyId: 'key_environment_admin',
      key: 'k-busy',
      method: 'POST',
      path: '/v1/operators',
      requestHash: hashRequest(t.config.PII_DIGEST_KEY, {
        method: 'POST',
        path: '/v1/operators',
        query: {},
        body,
      }),
      lockToken: 'other-attempt',
      createdAt: now,
      expiresAt: new Date(now.getTime() + 60_000),
    });
    const res = await post('k-busy', body);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('IDEMPOTENCY_KEY_IN_USE');
  });

  it('frees the key when the request fails, so a corrected retry may use it', async () => {
    // An unknown operator is found out by the service, after the key was claimed.
    const bad = await t.http
      .post('/v1/markets')
      .set(bearer(t.adminKey))
      .set('idempotency-key', 'k-4')
      .send({ name: 'M', city: 'C', category: 'furniture', operatorId: 'opr_missing' });
    expect(bad.status).toBe(400);
    expect(bad.body.details[0].path).toBe('body.operatorId');
    const rows = await t.testDb.database.db.select().from(idempotencyKeys);
    expect(rows.find((r) => r.key === 'k-4')).toBeUndefined();
  });

  it('rejects a malformed key', async () => {
    const res = await post('x'.repeat(256), operator('long'));
    expect(res.status).toBe(400);
    expect(res.body.details[0].path).toBe('headers.idempotency-key');
  });

  it('fingerprints with a server secret: another secret, another hash', () => {
    const request = { method: 'POST', path: '/v1/operators', query: {}, body: operator('x') };
    expect(hashRequest('first-secret-0123456789', request)).not.toBe(
      hashRequest('other-secret-0123456789', request),
    );
    expect(hashRequest('first-secret-0123456789', request)).toBe(
      hashRequest('first-secret-0123456789', { ...request, body: { ...request.body } }),
    );
  });
});

describe('Idempotency-Key and the query string', () => {
  let t: TestApp;
  let risk: string;
  let decisionId: string;
  let policyId: string;
  beforeAll(async () => {
    t = await createTestApp();
    await seedDemo(t);
    risk = await t.issueKey('risk');
    const app = await submit(t, t.adminKey, applicationBody('mer_demo_mjy01', strongSurvey()));
    expect(app.status).toBe(201);
    decisionId = app.body.decision.id;
    policyId = app.body.decision.policyId;
  });
  afterAll(() => t.close());

  const replay = (key: string, query = '') =>
    t.http
      .post(`/v1/decisions/${decisionId}/replay${query}`)
      .set(bearer(risk))
      .set('idempotency-key', key);

  it('is part of the request: another ?policy= with a used key is 422, not the first answer', async () => {
    const first = await replay('q-1');
    expect(first.status).toBe(200);
    const other = await replay('q-1', `?policy=${policyId}`);
    expect(other.headers['idempotent-replayed']).toBeUndefined();
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('replays the same query, however it is spelled', async () => {
    const first = await replay('q-2', `?policy=${policyId}`);
    expect(first.status).toBe(200);
    const again = await replay('q-2', `?policy=${encodeURIComponent(policyId)}&`);
    expect(again.status).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
  });
});
