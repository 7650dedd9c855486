import { eq } from 'drizzle-orm';
import { auditEvents, operators } from '../../../src/db/schema';
import { seedDemoData } from '../../../src/db/seed';
import { bearer, createTestApp, type TestApp } from '../../helpers/test-app';

const agreement = {
  capacity: 10_000_000_00,
  perMerchantCap: 1_000_000_00,
  maxTermMonths: 24,
  depositRatioBps: 1_000,
  status: 'active',
};

const paths = (body: { details?: { path: string }[] }) =>
  (body.details ?? []).map((d) => d.path).sort();

describe('/v1/operators', () => {
  let t: TestApp;
  let now = new Date('2026-11-26T09:00:00.000Z');
  const admin = () => bearer(t.adminKey);
  const create = (body: unknown, auth = admin()) =>
    t.http
      .post('/v1/operators')
      .set(auth)
      .send(body as object);

  beforeAll(async () => {
    t = await createTestApp({ clock: () => now });
    await seedDemoData(t.testDb.database.db, {
      clock: () => new Date('2026-01-01T00:00:00.000Z'),
      piiDigestKey: t.config.PII_DIGEST_KEY,
      demoKeys: false,
    });
  });
  afterAll(() => t.close());

  it('creates an operator with its agreement, capacity figures and an audit event', async () => {
    const res = await create({ name: '马家岩市场管理公司', guaranteeAgreement: agreement });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^opr_/),
      name: '马家岩市场管理公司',
      guaranteeAgreement: agreement,
      used: 0,
      reserved: 0,
      available: agreement.capacity,
      createdAt: now.toISOString(),
    });
    const events = await t.testDb.database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.entityId, res.body.id));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      entityType: 'operator',
      action: 'operator.created',
      actorRole: 'admin',
      at: now,
    });
  });

  it('rejects missing, malformed and unknown fields, listing every path', async () => {
    const missing = await create({});
    expect(missing.status).toBe(400);
    expect(missing.body.code).toBe('VALIDATION_FAILED');
    expect(paths(missing.body)).toEqual(['body.guaranteeAgreement', 'body.name']);

    const bad = await create({
      name: '',
      guaranteeAgreement: {
        capacity: -1,
        perMerchantCap: 1.5,
        maxTermMonths: 61,
        depositRatioBps: 10_001,
        status: 'open',
      },
    });
    expect(bad.status).toBe(400);
    expect(paths(bad.body)).toEqual([
      'body.guaranteeAgreement.capacity',
      'body.guaranteeAgreement.depositRatioBps',
      'body.guaranteeAgreement.maxTermMonths',
      'body.guaranteeAgreement.perMerchantCap',
      'body.guaranteeAgreement.status',
      'body.name',
    ]);

    const extra = await create({
      name: 'x',
      id: 'opr_mine',
      used: 0,
      guaranteeAgreement: { ...agreement, reserved: 5 },
    });
    expect(extra.status).toBe(400);
    expect(paths(extra.body)).toEqual(['body.guaranteeAgreement.reserved', 'body.id', 'body.used']);

    const overCap = await create({
      name: 'x',
      guaranteeAgreement: { ...agreement, perMerchantCap: agreement.capacity + 1 },
    });
    expect(overCap.status).toBe(400);
    expect(paths(overCap.body)).toEqual(['body.guaranteeAgreement.perMerchantCap']);
    expect(overCap.body.details[0].messageZh).toBeTruthy();
  });

  it('lets only admins create or change operators (403 for every other role)', async () => {
    const { body: op } = await create({ name: 'Op', guaranteeAgreement: agreement });
    for (const role of ['officer', 'partner', 'reviewer', 'risk'] as const) {
      const key = await t.issueKey(
        role,
        role === 'partner'
          ? { partnerId: 'ptn_a' }
          : role === 'officer'
            ? { marketIds: ['mkt_demo_kaien'] }
            : {},
      );
      const post = await create({ name: 'Op', guaranteeAgreement: agreement }, bearer(key));
      expect(post.status).toBe(403);
      expect(post.body.code).toBe('FORBIDDEN');
      const patch = await t.http
        .patch(`/v1/operators/${op.id}/guarantee-agreement`)
        .set(bearer(key))
        .send({ capacity: 1 });
      expect(patch.status).toBe(403);
      // An officer reads only the operators of its markets; this one runs none of them.
      const read = await t.http.get(`/v1/operators/${op.id}`).set(bearer(key));
      expect(read.status).toBe(role === 'officer' ? 404 : 200);
      if (role !== 'officer') expect(read.body.id).toBe(op.id);
    }
  });

  it("keeps an officer to the operators of its own markets (another market's capacity is 404)", async () => {
    const officer = bearer(await t.issueKey('officer', { marketIds: ['mkt_demo_majiayan'] }));
    const own = await t.http.get('/v1/operators/opr_demo_majiayan').set(officer);
    expect(own.status).toBe(200);
    expect(own.body.available).toEqual(expect.any(Number));
    const other = await t.http.get('/v1/operators/opr_demo_kaien').set(officer);
    expect(other.status).toBe(404);
    expect(other.body.code).toBe('NOT_FOUND');
    expect(JSON.stringify(other.body)).not.toMatch(/capacity|available/);
    const list = await t.http.get('/v1/operators?limit=200').set(officer);
    expect(list.status).toBe(200);
    expect(list.body.data.map((o: { id: string }) => o.id)).toEqual(['opr_demo_majiayan']);
  });

  it('answers 404 for an unknown operator', async () => {
    const res = await t.http.get('/v1/operators/opr_nope').set(admin());
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('NOT_FOUND');
    const patch = await t.http
      .patch('/v1/operators/opr_nope/guarantee-agreement')
      .set(admin())
      .send({ status: 'suspended' });
    expect(patch.status).toBe(404);
  });

  it('lists newest first with a working keyset cursor, even for equal timestamps', async () => {
    now = new Date('2026-11-26T10:00:00.000Z');
    for (let i = 0; i < 3; i++) await create({ name: `same-${i}`, guaranteeAgreement: agreement });
    now = new Date('2026-11-26T11:00:00.000Z');
    await create({ name: 'latest', guaranteeAgreement: agreement });
    const all = await t.http.get('/v1/operators?limit=200').set(admin());
    expect(all.status).toBe(200);
    expect(all.body.nextCursor).toBeNull();
    expect(all.body.data[0].name).toBe('latest');
    expect(
      all.body.data
        .slice(-2)
        .map((o: { id: string }) => o.id)
        .sort(),
    ).toEqual(['opr_demo_kaien', 'opr_demo_majiayan']);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { status: number; body: { data: { id: string }[]; nextCursor: string | null } } =
        await t.http.get(`/v1/operators?limit=2${cursor ? `&cursor=${cursor}` : ''}`).set(admin());
      expect(res.status).toBe(200);
      expect(res.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.data.map((o) => o.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.body.data.map((o: { id: string }) => o.id));
    expect(new Set(seen).size).toBe(seen.length);
    expect((await t.http.get('/v1/operators?limit=201').set(admin())).status).toBe(400);
    expect((await t.http.get('/v1/operators?cursor=zzz').set(admin())).status).toBe(400);
  });

  describe('PATCH /v1/operators/:id/guarantee-agreement', () => {
    let id: string;
    beforeEach(async () => {
      const res = await create({ name: 'Capacity Co', guaranteeAgreement: agreement });
      id = res.body.id;
      // Loans booked and offers open against the capacity (written by the applications module).
      await t.testDb.database.db
        .update(operators)
        .set({ used: 3_000_000_00, reserved: 2_000_000_00 })
        .where(eq(operators.id, id));
    });
    const patch = (body: unknown) =>
      t.http
        .patch(`/v1/operators/${id}/guarantee-agreement`)
        .set(admin())
        .send(body as object);

    it('changes only the fields sent, shows the capacity figures and audits before/after', async () => {
      const res = await patch({ capacity: 6_000_000_00, maxTermMonths: 12, status: 'suspended' });
      expect(res.status).toBe(200);
      expect(res.body.guaranteeAgreement).toEqual({
        ...agreement,
        capacity: 6_000_000_00,
        maxTermMonths: 12,
        status: 'suspended',
      });
      expect(res.body).toMatchObject({
        used: 3_000_000_00,
        reserved: 2_000_000_00,
        available: 1_000_000_00,
      });
      const read = await t.http.get(`/v1/operators/${id}`).set(admin());
      expect(read.body).toEqual(res.body);
      const events = await t.testDb.database.db
        .select()
        .from(auditEvents)
        .where(eq(auditEvents.entityId, id));
      const updated = events.find((e) => e.action === 'operator.guarantee_agreement_updated');
      expect(updated?.data).toMatchObject({
        before: { capacity: agreement.capacity, status: 'active' },
        after: { capacity: 6_000_000_00, status: 'suspended', maxTermMonths: 12 },
      });
    });

    it('accepts capacity equal to used + reserved and refuses less (409 naming body.capacity)', async () => {
      const below = await patch({ capacity: 5_000_000_00 - 1 });
      expect(below.status).toBe(409);
      expect(below.body.code).toBe('CAPACITY_EXCEEDED');
      expect(below.body.details[0].path).toBe('body.capacity');
      expect(below.body.messageZh).toBeTruthy();
      const [row] = await t.testDb.database.db.select().from(operators).where(eq(operators.id, id));
      expect(row?.capacity).toBe(agreement.capacity);
      const events = await t.testDb.database.db
        .select()
        .from(auditEvents)
        .where(eq(auditEvents.entityId, id));
      expect(events.map((e) => e.action)).toEqual(['operator.created']);

      const exact = await patch({ capacity: 5_000_000_00, perMerchantCap: 500_000_00 });
      expect(exact.status).toBe(200);
      expect(exact.body.available).toBe(0);
    });

    it('keeps perMerchantCap within capacity, against the stored values too', async () => {
      const both = await patch({ capacity: 6_000_000_00, perMerchantCap: 7_000_000_00 });
      expect(both.status).toBe(400);
      expect(paths(both.body)).toEqual(['body.perMerchantCap']);
      const capOnly = await patch({ perMerchantCap: agreement.capacity + 1 });
      expect(capOnly.status).toBe(400);
      expect(paths(capOnly.body)).toEqual(['body.perMerchantCap']);
      const lowered = await patch({ capacity: agreement.perMerchantCap - 1 });
      // Below used + reserved as well: the capacity rule answers first.
      expect(lowered.status).toBe(409);
    });

    it('rejects an empty change, unknown fields and bad values', async () => {
      expect((await patch({})).status).toBe(400);
      const extra = await patch({ used: 0, reserved: 0, name: 'x' });
      expect(extra.status).toBe(400);
      // The unknown keys, and "nothing to change" since no known field was sent.
      expect(paths(extra.body)).toEqual(['body', 'body.name', 'body.reserved', 'body.used']);
      const sneaky = await patch({ status: 'active', used: 0 });
      expect(paths(sneaky.body)).toEqual(['body.used']);
      const bad = await patch({ maxTermMonths: 0, depositRatioBps: -1, status: 'closed' });
      expect(paths(bad.body)).toEqual([
        'body.depositRatioBps',
        'body.maxTermMonths',
        'body.status',
      ]);
    });
  });

  it('replays a creation sent twice with the same Idempotency-Key', async () => {
    const body = { name: 'Once Co', guaranteeAgreement: agreement };
    const first = await t.http
      .post('/v1/operators')
      .set(admin())
      .set('idempotency-key', 'op-once-1')
      .send(body);
    const second = await t.http
      .post('/v1/operators')
      .set(admin())
      .set('idempotency-key', 'op-once-1')
      .send(body);
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body).toEqual(first.body);
    const rows = await t.testDb.database.db
      .select()
      .from(operators)
      .where(eq(operators.name, 'Once Co'));
    expect(rows).toHaveLength(1);
  });
});
