/**
 * The formation check never uses a stale copy of the market's network (ADR 0011): an instance
 * that has compiled and cached the market sees a group formed since through another instance on
 * the same database (each instance has its own cache), on PGlite or PostgreSQL; two caches
 * follow the market through its change log, each from where it stands, and one whose log was
 * pruned past reads the market again.
 */
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import request from 'supertest';
import { buildApp } from '../../../../src/app';
import { defaultPolicyDocument } from '../../../../src/credit';
import { connect, type Database } from '../../../../src/db/connect';
import { pruneNetworkChanges } from '../../../../src/modules/origination/edges-repository';
import { NetworkCache } from '../../../../src/modules/origination/network-cache';
import { groupNetworkCheck } from '../../../../src/modules/origination/network-check';
import { seedDemo } from '../../../helpers/fixtures';
import { networkRows } from '../../../helpers/network-rows';
import { bearer, createTestApp, type TestApp } from '../../../helpers/test-app';
import { createMerchant, createMerchants, MJY } from '../applications/helpers';

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
    const ids = await createMerchants(t, 7);
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

  it('two caches follow the change log each from its own version; past a pruned log, a read', async () => {
    const ids = await createMerchants(t, 8);
    const [a, b, c, d, x, y, z, w] = ids as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    const base = defaultPolicyDocument.guaranteeNetwork;
    if (!base) throw new Error('no network rules');
    const rules = { ...base, action: 'refer' as const, maxCircleSize: 8 };
    const db = t.testDb.database.db;
    const check = (cache: NetworkCache, members: string[]) =>
      db.transaction((tx) => groupNetworkCheck(tx, cache, MJY, members, rules));
    const one = new NetworkCache();
    const two = new NetworkCache();

    expect((await form(t.http, [a, b, x])).status).toBe(201);
    expect((await check(one, [c, a, z])).figures.circle).toEqual([]);
    expect((await check(two, [c, a, z])).figures.circle).toEqual([]);
    expect([one.stats.loads, two.stats.loads]).toEqual([1, 1]);

    // {b, c, y} through the second instance: both caches apply it from the log.
    expect((await form(request(second.server), [b, c, y])).status).toBe(201);
    const circle = [a, b, c, x, y, z].sort();
    expect((await check(one, [c, a, z])).figures.circle).toEqual(circle);
    expect(one.stats).toMatchObject({ loads: 1, patches: 1, gaps: 0 });

    // {c, d, w}: the first cache is one change behind, the second two; both apply what they lack.
    expect((await form(t.http, [c, d, w])).status).toBe(201);
    const wider = [a, b, c, d, w, x, y, z].sort();
    expect((await check(one, [d, a, z])).figures.circle).toEqual(wider);
    expect((await check(two, [d, a, z])).figures.circle).toEqual(wider);
    expect(one.stats).toMatchObject({ loads: 1, patches: 2, gaps: 0 });
    expect(two.stats).toMatchObject({ loads: 1, patches: 1, gaps: 0 });
    // Each agrees with a cache that reads the market afresh.
    const fresh = new NetworkCache();
    expect((await check(fresh, [d, a, z])).figures).toEqual((await check(one, [d, a, z])).figures);

    // Two more groups of new merchants; the log pruned to its last change in between the first
    // cache's checks: it is one change behind and applies it, while a cache left two behind
    // finds a gap and reads the market again.
    const more: string[] = [];
    for (let i = 0; i < 6; i++) more.push(await createMerchant(t, t.adminKey, MJY));
    const behind = new NetworkCache();
    await check(behind, [a, b]);
    expect((await form(request(second.server), more.slice(0, 3))).status).toBe(201);
    await check(one, [a, b]);
    expect((await form(t.http, more.slice(3))).status).toBe(201);
    await pruneNetworkChanges(db, 1);
    const left = await db.execute(
      sql`select count(*)::int as n from guarantee_network_changes where market_id = ${MJY}`,
    );
    expect((left as unknown as { rows: { n: number }[] }).rows[0]?.n).toBe(1);
    expect((await check(one, [d, a, z])).figures).toEqual((await check(fresh, [d, a, z])).figures);
    expect(one.stats).toMatchObject({ loads: 1, patches: 4, gaps: 0 });
    await check(behind, [d, a, z]);
    expect(behind.stats).toMatchObject({ loads: 2, patches: 0, gaps: 1 });
  });

  it('formations at once in one market, through both instances, leave one chain of rising versions', async () => {
    const db = t.testDb.database.db;
    const behind = new NetworkCache();
    const start = await behind.network(db, MJY);
    const ids = await createMerchants(t, 24);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, g) =>
        form(g % 2 === 0 ? t.http : request(second.server), ids.slice(3 * g, 3 * g + 3)),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(201));
    const log =
      (await db.execute(sql`select version, previous_version from guarantee_network_changes
      where market_id = ${MJY} and version > ${start.version} order by version`)) as unknown as {
        rows: { version: string | number; previous_version: string | number }[];
      };
    // Each change follows the one before it in version order: the chain has no fork and no gap.
    expect(log.rows).toHaveLength(8);
    let previous = start.version;
    for (const row of log.rows) {
      expect(Number(row.previous_version)).toBe(previous);
      previous = Number(row.version);
    }
    // The cache left before them applies all eight at once and agrees with a fresh read.
    const patched = await behind.network(db, MJY);
    expect(patched).not.toBe(start);
    expect(behind.stats).toMatchObject({ loads: 1, patches: 1, gaps: 0 });
    const fresh = await new NetworkCache().network(db, MJY);
    expect(networkRows(patched.index)).toEqual(networkRows(fresh.index));
  });
});
