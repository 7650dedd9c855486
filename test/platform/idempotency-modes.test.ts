/**
 * Every write route declares what it does with Idempotency-Key ('required', 'optional' or
 * 'never'), read from the routes the app registered; key issuance is 'never': its answer holds
 * the secret, which must not be stored anywhere but as its hash.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { MIGRATIONS_FOLDER } from '../../src/db/connect';
import { idempotencyKeys } from '../../src/db/schema';
import { bearer, createTestApp, type TestApp } from '../helpers/test-app';
import { routeList } from '../security/support';

jest.mock('fastify', () => require('../security/support').fastifyWithRouteCapture());

const WRITE_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'];
const MODES = ['required', 'optional', 'never'];

describe('idempotency modes per route', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const modeOf = (method: string, url: string) =>
    routeList().find((r) => r.method === method && r.url === url)?.route.config?.idempotency;

  it('every POST, PUT, PATCH and DELETE route declares one', () => {
    const writes = routeList().filter((r) => WRITE_METHODS.includes(r.method));
    expect(writes.length).toBeGreaterThan(20);
    const undeclared = writes
      .filter((r) => !MODES.includes(r.route.config?.idempotency as string))
      .map((r) => `${r.method} ${r.url}`);
    expect(undeclared).toEqual([]);
  });

  it('requires it where a lost answer must not mean a second loan or acceptance', () => {
    expect(modeOf('POST', '/v1/applications')).toBe('required');
    expect(modeOf('POST', '/v1/offers/:id/accept')).toBe('required');
    expect(modeOf('POST', '/v1/api-keys')).toBe('never');
  });

  it('refuses an Idempotency-Key on key issuance (400 naming the header) and stores nothing', async () => {
    const res = await t.http
      .post('/v1/api-keys')
      .set(bearer(t.adminKey))
      .set('idempotency-key', 'issue-1')
      .send({ role: 'risk', name: 'with a key', owner: 'risk@bank.example' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('IDEMPOTENCY_KEY_NOT_ACCEPTED');
    expect(res.body.messageZh).toEqual(expect.any(String));
    expect(res.body.details.map((d: { path: string }) => d.path)).toEqual([
      'headers.idempotency-key',
    ]);
    expect(await t.testDb.database.db.select().from(idempotencyKeys)).toEqual([]);
    const keys = await t.http.get('/v1/api-keys?limit=200').set(bearer(t.adminKey));
    expect(keys.body.data.map((k: { name: string }) => k.name)).not.toContain('with a key');
  });

  it('never keeps an issued secret in idempotency_keys, whatever the caller sends', async () => {
    const secrets: string[] = [];
    for (const key of ['issue-2', undefined]) {
      const req = t.http.post('/v1/api-keys').set(bearer(t.adminKey));
      if (key) req.set('idempotency-key', key);
      const res = await req.send({
        role: 'risk',
        name: `issued ${key}`,
        owner: 'risk@bank.example',
      });
      if (res.status === 201) secrets.push(res.body.secret);
    }
    expect(secrets).toHaveLength(1);
    const { rows } = (await t.testDb.database.db.execute(
      sql`select path, to_jsonb(k)::text as row from idempotency_keys k`,
    )) as unknown as { rows: { path: string; row: string }[] };
    for (const secret of secrets) for (const { row } of rows) expect(row).not.toContain(secret);
    // Key issuance was the only route whose answer held a secret: nothing of it is kept.
    expect(rows.filter((r) => r.path === '/v1/api-keys')).toEqual([]);
  });

  it('migration 0005 drops the answers of key issuance stored before, secrets and all', async () => {
    const db = t.testDb.database.db;
    const at = new Date();
    const row = (key: string, path: string) => ({
      apiKeyId: 'key_environment_admin',
      key,
      method: 'POST',
      path,
      requestHash: 'h',
      lockToken: 't',
      responseStatus: 201,
      responseBody: { secret: 'mla_old_secret' },
      createdAt: at,
      expiresAt: new Date(at.getTime() + 60_000),
    });
    await db
      .insert(idempotencyKeys)
      .values([row('old-1', '/v1/api-keys'), row('old-2', '/v1/markets')]);
    const migration = readFileSync(
      path.join(MIGRATIONS_FOLDER, '0007_forget_issued_secrets.sql'),
      'utf8',
    );
    await db.execute(sql.raw(migration));
    const left = await db.select().from(idempotencyKeys);
    expect(left.map((r) => r.key)).toEqual(['old-2']);
    await db.delete(idempotencyKeys);
  });

  it('lets an optional route take a key on PUT, PATCH and DELETE too', async () => {
    const issued = await t.http
      .post('/v1/api-keys')
      .set(bearer(t.adminKey))
      .send({ role: 'risk', name: 'to revoke', owner: 'risk@bank.example' });
    const revoke = () =>
      t.http
        .delete(`/v1/api-keys/${issued.body.id}`)
        .set(bearer(t.adminKey))
        .set('idempotency-key', 'revoke-1');
    const first = await revoke();
    expect(first.status).toBe(200);
    const again = await revoke();
    expect(again.status).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
  });
});
