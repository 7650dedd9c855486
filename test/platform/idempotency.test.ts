import { idempotencyKeys } from '../../src/db/schema';
import { hashRequest } from '../../src/platform/idempotency';
import { bearer, createTestApp, type TestApp } from '../helpers/test-app';

describe('Idempotency-Key on POST', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());
  const post = (key: string | undefined, body: object) => {
    const req = t.http.post('/v1/api-keys').set(bearer(t.adminKey));
    if (key !== undefined) req.set('idempotency-key', key);
    return req.send(body);
  };
  const countKeys = async () =>
    (await t.http.get('/v1/api-keys?limit=200').set(bearer(t.adminKey))).body.data.length;

  it('replays the stored answer for the same key and body, without doing the work twice', async () => {
    const before = await countKeys();
    const first = await post('k-1', { role: 'risk', name: 'once', owner: 'risk@bank.example' });
    expect(first.status).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const again = await post('k-1', { owner: 'risk@bank.example', name: 'once', role: 'risk' });
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await countKeys()).toBe(before + 1);
  });

  it('answers 422 when the key comes back with another body', async () => {
    await post('k-2', { role: 'risk', name: 'a', owner: 'risk@bank.example' });
    const res = await post('k-2', { role: 'risk', name: 'b', owner: 'risk@bank.example' });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('scopes keys to the API key', async () => {
    const other = await t.issueKey('admin');
    const a = await post('k-3', { role: 'risk', name: 'scoped', owner: 'risk@bank.example' });
    const b = await t.http
      .post('/v1/api-keys')
      .set(bearer(other))
      .set('idempotency-key', 'k-3')
      .send({ role: 'risk', name: 'scoped', owner: 'risk@bank.example' });
    expect(b.status).toBe(201);
    expect(b.body.id).not.toBe(a.body.id);
  });

  it('answers 409 while the first request is still in flight', async () => {
    const now = new Date();
    await t.testDb.database.db.insert(idempotencyKeys).values({
      apiKeyId: 'key_environment_admin',
      key: 'k-busy',
      method: 'POST',
      path: '/v1/api-keys',
      requestHash: hashRequest('POST', '/v1/api-keys', {
        role: 'risk',
        name: 'busy',
        owner: 'risk@bank.example',
      }),
      lockToken: 'other-attempt',
      createdAt: now,
      expiresAt: new Date(now.getTime() + 60_000),
    });
    const res = await post('k-busy', { role: 'risk', name: 'busy', owner: 'risk@bank.example' });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('IDEMPOTENCY_KEY_IN_USE');
  });

  it('frees the key when the request fails, so a corrected retry may use it', async () => {
    const bad = await post('k-4', {
      role: 'officer',
      name: 'x',
      owner: 'o@bank.example',
      marketIds: ['mkt_missing'],
    });
    expect(bad.status).toBe(400);
    const rows = await t.testDb.database.db.select().from(idempotencyKeys);
    expect(rows.find((r) => r.key === 'k-4')).toBeUndefined();
  });

  it('rejects a malformed key', async () => {
    const res = await post('x'.repeat(256), {
      role: 'risk',
      name: 'long',
      owner: 'risk@bank.example',
    });
    expect(res.status).toBe(400);
    expect(res.body.details[0].path).toBe('headers.idempotency-key');
  });
});
