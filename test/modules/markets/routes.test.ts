import { eq } from 'drizzle-orm';
import { auditEvents, markets } from '../../../src/db/schema';
import { seedDemoData } from '../../../src/db/seed';
import { bearer, createTestApp, type TestApp } from '../../helpers/test-app';

const paths = (body: { details?: { path: string }[] }) =>
  (body.details ?? []).map((d) => d.path).sort();

describe('/v1/markets', () => {
  let t: TestApp;
  let now = new Date('2026-11-26T09:00:00.000Z');
  const admin = () => bearer(t.adminKey);
  const body = {
    name: '朝天门批发市场',
    city: '重庆',
    category: 'small_commodities',
    operatorId: 'opr_demo_majiayan',
  };
  const create = (b: unknown, auth = admin()) =>
    t.http
      .post('/v1/markets')
      .set(auth)
      .send(b as object);
  let officerMajiayan: string;
  let officerKaien: string;

  beforeAll(async () => {
    t = await createTestApp({ clock: () => now });
    await seedDemoData(t.testDb.database.db, {
      clock: () => new Date('2026-01-01T00:00:00.000Z'),
      piiDigestKey: t.config.PII_DIGEST_KEY,
      demoKeys: false,
    });
    officerMajiayan = await t.issueKey('officer', { marketIds: ['mkt_demo_majiayan'] });
    officerKaien = await t.issueKey('officer', { marketIds: ['mkt_demo_kaien'] });
  });
  afterAll(() => t.close());

  it('creates a market run by an existing operator, with an audit event', async () => {
    const res = await create(body);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      ...body,
      id: expect.stringMatching(/^mkt_/),
      createdAt: now.toISOString(),
    });
    const [row] = await t.testDb.database.db
      .select()
      .from(markets)
      .where(eq(markets.id, res.body.id));
    expect(row?.operatorId).toBe('opr_demo_majiayan');
    const events = await t.testDb.database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.entityId, res.body.id));
    expect(events.map((e) => e.action)).toEqual(['market.created']);
  });

  it('answers 400 naming body.operatorId for an unknown operator, and writes nothing', async () => {
    const res = await create({ ...body, name: 'Ghost market', operatorId: 'opr_nope' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(paths(res.body)).toEqual(['body.operatorId']);
    const rows = await t.testDb.database.db
      .select()
      .from(markets)
      .where(eq(markets.name, 'Ghost market'));
    expect(rows).toHaveLength(0);
  });

  it('rejects missing, malformed and unknown fields, listing every path', async () => {
    const missing = await create({});
    expect(missing.status).toBe(400);
    expect(paths(missing.body)).toEqual([
      'body.category',
      'body.city',
      'body.name',
      'body.operatorId',
    ]);
    const bad = await create({ ...body, category: 'electronics', city: '  ', name: 42 });
    expect(paths(bad.body)).toEqual(['body.category', 'body.city', 'body.name']);
    const extra = await create({ ...body, id: 'mkt_mine', createdAt: '2020-01-01T00:00:00Z' });
    expect(extra.status).toBe(400);
    expect(paths(extra.body)).toEqual(['body.createdAt', 'body.id']);
  });

  it('lets only admins create markets (403 for officers, partners, reviewers, risk)', async () => {
    const others = [
      officerMajiayan,
      await t.issueKey('partner', { partnerId: 'ptn_a' }),
      await t.issueKey('reviewer'),
      await t.issueKey('risk'),
    ];
    for (const key of others) {
      const res = await create(body, bearer(key));
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('FORBIDDEN');
    }
  });

  it('shows an officer only its markets: others are 404 and absent from the list', async () => {
    const own = await t.http.get('/v1/markets/mkt_demo_majiayan').set(bearer(officerMajiayan));
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ id: 'mkt_demo_majiayan', operatorId: 'opr_demo_majiayan' });
    const other = await t.http.get('/v1/markets/mkt_demo_kaien').set(bearer(officerMajiayan));
    expect(other.status).toBe(404);
    expect(other.body.code).toBe('NOT_FOUND');
    const unknown = await t.http.get('/v1/markets/mkt_nope').set(bearer(officerMajiayan));
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual(other.body);

    const list = await t.http.get('/v1/markets').set(bearer(officerKaien));
    expect(list.status).toBe(200);
    expect(list.body.data.map((m: { id: string }) => m.id)).toEqual(['mkt_demo_kaien']);
    expect(list.body.nextCursor).toBeNull();
  });

  it('shows every market to partners, reviewers, risk and admins', async () => {
    for (const key of [
      await t.issueKey('partner', { partnerId: 'ptn_b' }),
      await t.issueKey('reviewer'),
      await t.issueKey('risk'),
      t.adminKey,
    ]) {
      const list = await t.http.get('/v1/markets?limit=200').set(bearer(key));
      expect(list.status).toBe(200);
      const ids = list.body.data.map((m: { id: string }) => m.id);
      expect(ids).toEqual(expect.arrayContaining(['mkt_demo_majiayan', 'mkt_demo_kaien']));
      expect((await t.http.get('/v1/markets/mkt_demo_kaien').set(bearer(key))).status).toBe(200);
    }
    expect((await t.http.get('/v1/markets/mkt_nope').set(admin())).status).toBe(404);
  });

  it('lists newest first with a working keyset cursor', async () => {
    now = new Date('2026-11-26T10:00:00.000Z');
    for (let i = 0; i < 3; i++) await create({ ...body, name: `tie-${i}` });
    now = new Date('2026-11-26T11:00:00.000Z');
    await create({ ...body, name: 'latest' });
    const all = await t.http.get('/v1/markets?limit=200').set(admin());
    expect(all.body.data[0].name).toBe('latest');
    const times = all.body.data.map((m: { createdAt: string }) => m.createdAt);
    expect([...times].sort().reverse()).toEqual(times);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { data: { id: string }[]; nextCursor: string | null } } = await t.http
        .get(`/v1/markets?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
        .set(admin());
      expect(res.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.data.map((m) => m.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.body.data.map((m: { id: string }) => m.id));
    expect(new Set(seen).size).toBe(seen.length);

    // An officer's pages stay within its markets.
    const officerPage = await t.http.get('/v1/markets?limit=1').set(bearer(officerMajiayan));
    expect(officerPage.body.data.map((m: { id: string }) => m.id)).toEqual(['mkt_demo_majiayan']);
    expect(officerPage.body.nextCursor).toBeNull();
    const bad = await t.http.get('/v1/markets?limit=0').set(admin());
    expect(bad.status).toBe(400);
    expect(paths(bad.body)).toEqual(['querystring.limit']);
  });
});
