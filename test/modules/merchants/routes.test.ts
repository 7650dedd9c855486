import { eq, sql } from 'drizzle-orm';
import { demoMerchants } from '../../../src/db/demo-data';
import { apiKeys, auditEvents, merchantPartnerLinks, merchants } from '../../../src/db/schema';
import { seedDemoData } from '../../../src/db/seed';
import { personalDigest, residentIdCheckChar, usccCheckChar } from '../../../src/lib/personal-data';
import { lockIdentity } from '../../../src/modules/merchants/repository';
import { REDACT_PATHS } from '../../../src/platform/logging';
import { captureLogger } from '../../helpers/capture-logger';
import { bearer, createTestApp, type TestApp } from '../../helpers/test-app';
import { usingPostgres } from '../../helpers/test-database';

const residentId = (first17: string) => first17 + residentIdCheckChar(first17);
const uscc = (first17: string) => first17 + usccCheckChar(first17);
/** The same 17 characters with a wrong check character. */
const wrongCheck = (valid: string) => {
  const chars = '0123456789X';
  const last = valid.slice(-1);
  return valid.slice(0, 17) + (chars[(chars.indexOf(last) + 1) % chars.length] ?? '0');
};
const paths = (body: { details?: { path: string }[] }) =>
  (body.details ?? []).map((d) => d.path).sort();

let serial = 0;
/** A fresh, valid merchant body for a market (a new identity each time). */
function merchantBody(marketId: string, extra: Record<string, unknown> = {}) {
  serial += 1;
  const seq = String(100 + serial).slice(-3);
  return {
    name: `测试商户 ${serial}`,
    idNumber: residentId(`50010319900101${seq}`),
    phone: `1390000${String(1000 + serial).slice(-4)}`,
    marketId,
    stallNo: `T-${serial}`,
    ...extra,
  };
}

describe('/v1/merchants', () => {
  let t: TestApp;
  let now = new Date('2026-11-26T09:00:00.000Z');
  const capture = captureLogger({
    level: 'trace',
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
  });
  const db = () => t.testDb.database.db;
  const admin = () => bearer(t.adminKey);
  const create = (b: unknown, key: string) =>
    t.http
      .post('/v1/merchants')
      .set(bearer(key))
      .send(b as object);
  const keys = {} as Record<
    'officerMjy' | 'officerKai' | 'partnerA' | 'partnerB' | 'reviewer' | 'risk',
    string
  >;
  const keyId = async (secret: string) => {
    const rows = await db().select().from(apiKeys);
    return rows.find((r) => secret.startsWith(`mlk_${r.prefix}_`))?.id;
  };

  beforeAll(async () => {
    t = await createTestApp({ clock: () => now, loggerInstance: capture.logger });
    await seedDemoData(db(), {
      clock: () => new Date('2026-01-01T00:00:00.000Z'),
      piiDigestKey: t.config.PII_DIGEST_KEY,
      demoKeys: false,
    });
    keys.officerMjy = await t.issueKey('officer', { marketIds: ['mkt_demo_majiayan'] });
    keys.officerKai = await t.issueKey('officer', { marketIds: ['mkt_demo_kaien'] });
    keys.partnerA = await t.issueKey('partner', { partnerId: 'ptn_a' });
    keys.partnerB = await t.issueKey('partner', { partnerId: 'ptn_b' });
    keys.reviewer = await t.issueKey('reviewer');
    keys.risk = await t.issueKey('risk');
  });
  afterAll(() => t.close());

  describe('POST', () => {
    it('registers a merchant, answering and storing identity number and phone masked only', async () => {
      const body = {
        name: '李记石材',
        idNumber: residentId('50010319900307123'),
        phone: '13912345678',
        marketId: 'mkt_demo_majiayan',
        stallNo: 'D-301',
        leaseEndsOn: '2028-12-31',
        businessForm: 'individual',
      };
      const res = await create(body, keys.officerMjy);
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^mer_/),
        name: '李记石材',
        idNumber: `5001**********${body.idNumber.slice(-4)}`,
        phone: '139****5678',
        businessForm: 'individual',
        marketId: 'mkt_demo_majiayan',
        stallNo: 'D-301',
        leaseEndsOn: '2028-12-31',
        partnerId: null,
        createdBy: await keyId(keys.officerMjy),
        createdAt: now.toISOString(),
      });
      const read = await t.http.get(`/v1/merchants/${res.body.id}`).set(bearer(keys.officerMjy));
      expect(read.body).toEqual(res.body);

      // The database holds the keyed digests and the masked copies, never the clear values.
      const [row] = await db().select().from(merchants).where(eq(merchants.id, res.body.id));
      expect(row).toMatchObject({
        idNumberDigest: personalDigest(t.config.PII_DIGEST_KEY, body.idNumber),
        idNumberMasked: res.body.idNumber,
        phoneDigest: personalDigest(t.config.PII_DIGEST_KEY, body.phone),
        phoneMasked: '139****5678',
      });
      const events = await db().select().from(auditEvents);
      const everything = JSON.stringify({ row, events });
      expect(everything).not.toContain(body.idNumber);
      expect(everything).not.toContain(body.phone);
      const created = events.filter((e) => e.entityId === res.body.id);
      expect(created).toHaveLength(1);
      expect(created[0]).toMatchObject({
        entityType: 'merchant',
        action: 'merchant.created',
        actorRole: 'officer',
        data: { marketId: 'mkt_demo_majiayan', businessForm: 'individual' },
      });
      // Nor do the logs.
      const logs = capture.lines.join('');
      expect(logs).not.toContain(body.idNumber);
      expect(logs).not.toContain(body.phone);
    });

    it('accepts an enterprise credit code and a lower-case x check character', async () => {
      const code = uscc('91500105MA61ABCD1');
      const ent = await create(
        merchantBody('mkt_demo_kaien', { idNumber: code, businessForm: 'enterprise' }),
        t.adminKey,
      );
      expect(ent.status).toBe(201);
      expect(ent.body.idNumber).toBe(`${code.slice(0, 4)}**********${code.slice(-4)}`);

      let first17 = '11010519491231000';
      for (let i = 0; residentIdCheckChar(first17) !== 'X'; i++)
        first17 = `1101051949123${String(1000 + i).slice(-4)}`;
      const lower = `${first17}x`;
      const res = await create(merchantBody('mkt_demo_kaien', { idNumber: lower }), t.adminKey);
      expect(res.status).toBe(201);
      expect(res.body.idNumber).toMatch(/X$/);
      const [row] = await db().select().from(merchants).where(eq(merchants.id, res.body.id));
      expect(row?.idNumberDigest).toBe(personalDigest(t.config.PII_DIGEST_KEY, `${first17}X`));
      // The upper-case spelling is the same person: a duplicate.
      const again = await create(
        merchantBody('mkt_demo_kaien', { idNumber: `${first17}X` }),
        t.adminKey,
      );
      expect(again.status).toBe(409);
    });

    it('rejects a bad check digit, a bad phone and a business form that does not fit', async () => {
      const good = merchantBody('mkt_demo_majiayan');
      const badCheck = await create({ ...good, idNumber: wrongCheck(good.idNumber) }, t.adminKey);
      expect(badCheck.status).toBe(400);
      expect(paths(badCheck.body)).toEqual(['body.idNumber']);
      expect(badCheck.body.details[0].messageZh).toMatch(/身份证/);
      // The error never echoes the value.
      expect(JSON.stringify(badCheck.body)).not.toContain(good.idNumber.slice(0, 17));

      const code = uscc('91500105MA61ABCD1');
      const usccChars = '0123456789ABCDEFGHJKLMNPQRTUWXY';
      const badCode = code.slice(0, 17) + (code.endsWith('0') ? '1' : '0');
      expect(usccChars).toContain(badCode.slice(-1));
      const badUscc = await create(
        { ...merchantBody('mkt_demo_majiayan'), idNumber: badCode },
        t.adminKey,
      );
      expect(badUscc.status).toBe(400);
      expect(paths(badUscc.body)).toEqual(['body.idNumber']);

      for (const phone of [
        '1390000123',
        '23900001234',
        '12900001234',
        '139-0000-1234',
        13900001234,
      ]) {
        const res = await create({ ...merchantBody('mkt_demo_majiayan'), phone }, t.adminKey);
        expect(res.status).toBe(400);
        expect(paths(res.body)).toEqual(['body.phone']);
      }

      const mismatch = await create(
        { ...merchantBody('mkt_demo_majiayan'), businessForm: 'enterprise' },
        t.adminKey,
      );
      expect(mismatch.status).toBe(400);
      expect(paths(mismatch.body)).toEqual(['body.idNumber']);
      const mismatch2 = await create(
        { ...merchantBody('mkt_demo_majiayan'), idNumber: code, businessForm: 'individual' },
        t.adminKey,
      );
      expect(paths(mismatch2.body)).toEqual(['body.idNumber']);
    });

    it('rejects missing, malformed and unknown fields, listing every path', async () => {
      const missing = await create({}, t.adminKey);
      expect(missing.status).toBe(400);
      expect(paths(missing.body)).toEqual([
        'body.idNumber',
        'body.marketId',
        'body.name',
        'body.phone',
        'body.stallNo',
      ]);
      const bad = await create(
        {
          ...merchantBody('mkt_demo_majiayan'),
          name: '',
          stallNo: '',
          leaseEndsOn: '2027-02-30',
          businessForm: 'partnership',
        },
        t.adminKey,
      );
      expect(paths(bad.body)).toEqual([
        'body.businessForm',
        'body.leaseEndsOn',
        'body.name',
        'body.stallNo',
      ]);
      const extra = await create(
        {
          ...merchantBody('mkt_demo_majiayan'),
          id: 'mer_mine',
          partnerId: 'ptn_other',
          createdBy: 'key_x',
          idNumberDigest: 'x',
        },
        keys.partnerA,
      );
      expect(extra.status).toBe(400);
      expect(paths(extra.body)).toEqual([
        'body.createdBy',
        'body.id',
        'body.idNumberDigest',
        'body.partnerId',
      ]);
    });

    it('refuses the same identity number twice in one market (409), allows it in another', async () => {
      const seeded = demoMerchants[0];
      if (!seeded) throw new Error('no demo merchant');
      const dup = await create(
        merchantBody(seeded.marketId, { idNumber: seeded.idNumber }),
        t.adminKey,
      );
      expect(dup.status).toBe(409);
      expect(dup.body.code).toBe('DUPLICATE_MERCHANT');
      expect(paths(dup.body)).toEqual(['body.idNumber']);
      expect(dup.body.messageZh).toBeTruthy();

      const elsewhere = await create(
        merchantBody('mkt_demo_kaien', { idNumber: seeded.idNumber }),
        t.adminKey,
      );
      expect(elsewhere.status).toBe(201);
    });

    it('keeps one merchant under concurrent registrations of one identity: one record, one link per partner', async () => {
      const body = merchantBody('mkt_demo_majiayan');
      const callers = [t.adminKey, keys.officerMjy, keys.partnerA, keys.partnerB];
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          create({ ...body, stallNo: `S-${i}` }, callers[i % callers.length] ?? t.adminKey),
        ),
      );
      // Per caller (two requests each): the bank's two roles share one record, so at most one
      // of their four wins; each partner gets its own link once, and 409 the second time.
      const created = (i: number) => results.filter((r, j) => j % 4 === i && r.status === 201);
      expect(created(0).length + created(1).length).toBeLessThanOrEqual(1);
      expect(created(2)).toHaveLength(1);
      expect(created(3)).toHaveLength(1);
      for (const r of results) expect([201, 409]).toContain(r.status);
      const ids = new Set(results.map((r) => r.body.id ?? r.body.existingId));
      expect(ids.size).toBe(1);
      const rows = await db()
        .select()
        .from(merchants)
        .where(
          eq(merchants.idNumberDigest, personalDigest(t.config.PII_DIGEST_KEY, body.idNumber)),
        );
      expect(rows).toHaveLength(1);
    });

    // PGlite is one connection, so holding a transaction open there would block the request.
    (usingPostgres ? it : it.skip)(
      'waits for an in-flight registration of the same identity, then answers 409',
      async () => {
        const body = merchantBody('mkt_demo_majiayan');
        const digest = personalDigest(t.config.PII_DIGEST_KEY, body.idNumber);
        let release = () => {};
        const held = new Promise<void>((resolve) => {
          release = resolve;
        });
        let signalLocked = () => {};
        const locked = new Promise<void>((resolve) => {
          signalLocked = resolve;
        });
        const inFlight = db().transaction(async (tx) => {
          await lockIdentity(tx, body.marketId, digest);
          await tx.insert(merchants).values({
            id: 'mer_in_flight',
            name: 'in flight',
            idNumberDigest: digest,
            idNumberMasked: 'masked',
            phoneDigest: 'x',
            phoneMasked: 'masked',
            marketId: body.marketId,
            stallNo: 'X-1',
            createdAt: now,
          });
          signalLocked();
          await held;
        });
        await locked;
        const pending = create(body, t.adminKey).then((r) => r);
        // Released once the request is seen waiting on the identity's advisory lock, not after
        // a fixed 300 ms: under load it could arrive after the release and find the row
        // committed, a 409 that never waited.
        const from = performance.now();
        for (;;) {
          const { rows } = (await db().execute(
            sql`select count(*)::int as n from pg_stat_activity
                where datname = current_database() and wait_event_type = 'Lock'
                  and wait_event = 'advisory'`,
          )) as unknown as { rows: { n: number }[] };
          if ((rows[0]?.n ?? 0) >= 1) break;
          if (performance.now() - from > 20_000) throw new Error('the request never waited');
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        release();
        await inFlight;
        const res = await pending;
        expect(res.status).toBe(409);
        expect(res.body.code).toBe('DUPLICATE_MERCHANT');
      },
    );

    it('keeps officers in their markets: another or unknown market is 404', async () => {
      const other = await create(merchantBody('mkt_demo_kaien'), keys.officerMjy);
      expect(other.status).toBe(404);
      expect(other.body.code).toBe('NOT_FOUND');
      expect(paths(other.body)).toEqual(['body.marketId']);
      const unknown = await create(merchantBody('mkt_nope'), keys.officerMjy);
      expect(unknown.status).toBe(404);
      expect(unknown.body).toEqual(other.body);
    });

    it('answers 400 naming body.marketId when an admin or partner names an unknown market', async () => {
      for (const key of [t.adminKey, keys.partnerA]) {
        const res = await create(merchantBody('mkt_nope'), key);
        expect(res.status).toBe(400);
        expect(paths(res.body)).toEqual(['body.marketId']);
      }
    });

    it('forbids reviewers and risk from registering merchants (403)', async () => {
      for (const key of [keys.reviewer, keys.risk]) {
        const res = await create(merchantBody('mkt_demo_majiayan'), key);
        expect(res.status).toBe(403);
        expect(res.body.code).toBe('FORBIDDEN');
      }
    });
  });

  describe('who sees which merchant', () => {
    let byA: { id: string; partnerId: string; createdBy: string };
    let byB: { id: string };
    beforeAll(async () => {
      const a = await create(merchantBody('mkt_demo_kaien'), keys.partnerA);
      expect(a.status).toBe(201);
      byA = a.body;
      const b = await create(merchantBody('mkt_demo_majiayan'), keys.partnerB);
      byB = b.body;
    });
    const get = (id: string, key: string) => t.http.get(`/v1/merchants/${id}`).set(bearer(key));
    const listIds = async (key: string, query = '') => {
      const res = await t.http.get(`/v1/merchants?limit=200${query}`).set(bearer(key));
      expect(res.status).toBe(200);
      return res.body.data.map((m: { id: string }) => m.id) as string[];
    };

    it("records the partner's partnerId and the creating key", async () => {
      expect(byA.partnerId).toBe('ptn_a');
      expect(byA.createdBy).toBe(await keyId(keys.partnerA));
      const [row] = await db().select().from(merchants).where(eq(merchants.id, byA.id));
      expect(row?.partnerId).toBe('ptn_a');
    });

    it('shows a partner only the merchants registered under its partnerId', async () => {
      expect((await get(byA.id, keys.partnerA)).status).toBe(200);
      const cross = await get(byA.id, keys.partnerB);
      expect(cross.status).toBe(404);
      expect(cross.body.code).toBe('NOT_FOUND');
      expect((await get('mer_demo_mjy01', keys.partnerA)).status).toBe(404);
      // Each partner lists what it registered or linked itself, never the other's.
      const linked = async (partnerId: string) =>
        (await db().select().from(merchantPartnerLinks))
          .filter((l) => l.partnerId === partnerId)
          .map((l) => l.merchantId)
          .sort();
      const listA = await listIds(keys.partnerA);
      expect(listA).toContain(byA.id);
      expect(listA).not.toContain(byB.id);
      expect([...listA].sort()).toEqual(await linked('ptn_a'));
      const listB = await listIds(keys.partnerB);
      expect(listB).toContain(byB.id);
      expect([...listB].sort()).toEqual(await linked('ptn_b'));
      expect(await listIds(keys.partnerB, '&marketId=mkt_demo_kaien')).toEqual([]);
    });

    it("shows an officer only its markets' merchants", async () => {
      expect((await get('mer_demo_mjy01', keys.officerMjy)).status).toBe(200);
      expect((await get(byB.id, keys.officerMjy)).status).toBe(200);
      const cross = await get('mer_demo_mjy01', keys.officerKai);
      expect(cross.status).toBe(404);
      const unknown = await get('mer_nope', keys.officerKai);
      expect(cross.body).toEqual({ ...unknown.body });
      expect((await get(byA.id, keys.officerMjy)).status).toBe(404);
      expect((await get(byA.id, keys.officerKai)).status).toBe(200);

      const rows = await db().select().from(merchants);
      const mjy = await listIds(keys.officerMjy);
      expect(mjy.sort()).toEqual(
        rows
          .filter((r) => r.marketId === 'mkt_demo_majiayan')
          .map((r) => r.id)
          .sort(),
      );
      expect(await listIds(keys.officerMjy, '&marketId=mkt_demo_kaien')).toEqual([]);
    });

    it('shows reviewers, risk and admins every merchant, masked', async () => {
      const total = (await db().select().from(merchants)).length;
      for (const key of [keys.reviewer, keys.risk, t.adminKey]) {
        expect((await get(byA.id, key)).status).toBe(200);
        const read = await get('mer_demo_kai01', key);
        expect(read.status).toBe(200);
        expect(read.body.idNumber).toMatch(/^\d{4}\*{10}[\dX]{4}$/);
        expect(read.body.phone).toMatch(/^1\d{2}\*{4}\d{4}$/);
        expect(await listIds(key)).toHaveLength(total);
      }
      const list = await t.http.get('/v1/merchants?limit=200').set(admin());
      const text = JSON.stringify(list.body);
      for (const m of demoMerchants) {
        expect(text).not.toContain(m.idNumber);
        expect(text).not.toContain(m.phone);
      }
      expect((await get('mer_nope', t.adminKey)).status).toBe(404);
    });
  });

  it('filters by market and pages newest first with a keyset cursor', async () => {
    now = new Date('2026-11-27T08:00:00.000Z');
    const made: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await create(merchantBody('mkt_demo_kaien'), t.adminKey);
      made.push(res.body.id);
    }
    now = new Date('2026-11-27T09:00:00.000Z');
    const latest = await create(merchantBody('mkt_demo_kaien'), t.adminKey);

    const all = await t.http.get('/v1/merchants?limit=200&marketId=mkt_demo_kaien').set(admin());
    expect(all.status).toBe(200);
    expect(all.body.data[0].id).toBe(latest.body.id);
    expect(all.body.data.every((m: { marketId: string }) => m.marketId === 'mkt_demo_kaien')).toBe(
      true,
    );
    const times = all.body.data.map((m: { createdAt: string }) => m.createdAt);
    expect([...times].sort().reverse()).toEqual(times);
    expect(all.body.data.map((m: { id: string }) => m.id)).toEqual(
      expect.arrayContaining([...made, 'mer_demo_kai01']),
    );

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { status: number; body: { data: { id: string }[]; nextCursor: string | null } } =
        await t.http
          .get(`/v1/merchants?limit=3&marketId=mkt_demo_kaien${cursor ? `&cursor=${cursor}` : ''}`)
          .set(admin());
      expect(res.status).toBe(200);
      expect(res.body.data.length).toBeLessThanOrEqual(3);
      seen.push(...res.body.data.map((m) => m.id));
      cursor = res.body.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBeGreaterThan(2);
    expect(seen).toEqual(all.body.data.map((m: { id: string }) => m.id));

    const defaults = await t.http.get('/v1/merchants').set(admin());
    expect(defaults.body.data.length).toBeLessThanOrEqual(50);
    expect((await t.http.get('/v1/merchants?limit=201').set(admin())).status).toBe(400);
    const bad = await t.http.get('/v1/merchants?cursor=zzz').set(admin());
    expect(paths(bad.body)).toEqual(['querystring.cursor']);
    const unknownParam = await t.http.get('/v1/merchants?partnerId=ptn_a').set(admin());
    expect(unknownParam.status).toBe(400);
  });
});
