/**
 * The formation check never uses a stale copy of the market's network (ADR 0011): an instance
 * that has compiled and cached the market sees a group formed since through another instance on
 * the same database (each instance has its own cache), on PGlite or PostgreSQL.
 */
import type { FastifyInstance } from 'fastify';
import request from 'supertest';
import { buildApp } from '../../../../src/app';
import { connect, type Database } from '../../../../src/db/connect';
import { seedDemo } from '../../../helpers/fixtures';
import { bearer, createTestApp, type TestApp } from '../../../helpers/test-app';
import { createMerchant, MJY } from '../applications/helpers';

describe('guarantee network cache across instances', () => {
  let t: TestApp;
  let secondDb: Database | null = null;
  let second: FastifyInstance;
  let officer: string;

  beforeAll(async () => {
    t = await createTestApp();
    await seedDemo(t);
    officer = await t.issueKey('officer', { marketIds: [MJY] });
    // PostgreSQL: a pool of its own, as another process would have; PGlite: the one connection.
    if (t.testDb.url) secondDb = await connect({ url: t.testDb.url, poolMax: 4 });
    second = await buildApp({ config: t.config, database: secondDb ?? t.appDatabase });
    await second.ready();
  }, 60_000);
  afterAll(async () => {
    await second.close();
    await secondDb?.close();
    await t.close();
  });

  const form = (http: ReturnType<typeof request>, memberIds: string[]) =>
    http.post('/v1/guarantee-groups').set(bearer(officer)).send({ marketId: MJY, memberIds });

  it('sees a group formed through another instance after it cached the market', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push(await createMerchant(t, t.adminKey, MJY));
    const [a, b, c, x, y, z, w] = ids as [string, string, string, string, string, string, string];
    expect((await form(t.http, [a, b, x])).status).toBe(201);
    // A refused formation on the first instance: it compiles the market at its current version
    // and changes nothing (the transaction rolls back), so its cache is current.
    const refused = await form(t.http, [a, b, w]);
    expect(refused.status).toBe(409);
    expect(refused.body.details[0].message).toContain('GUARANTEE_PAIR_SHARED');

    // The second instance forms {b, c, y}: the market's edges change under a new version.
    expect((await form(request(second.server), [b, c, y])).status).toBe(201);

    // On the first instance {c, a, z} closes the circle a -> b -> c only with that group's edges.
    const closing = await form(t.http, [c, a, z]);
    expect(closing.status).toBe(201);
    expect(closing.body.network.circle).toEqual([a, b, c, x, y, z].sort());
  });
});
