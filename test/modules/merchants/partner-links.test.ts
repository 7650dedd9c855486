import { eq } from 'drizzle-orm';
import { merchantPartnerLinks, merchants } from '../../../src/db/schema';
import { residentIdCheckChar } from '../../../src/lib/personal-data';
import { seedDemo, strongSurvey } from '../../helpers/fixtures';
import { bearer, createTestApp, type TestApp } from '../../helpers/test-app';
import { applicationBody } from '../origination/applications/helpers';

/**
 * One person is one customer of the bank whoever onboards them (issue #10, finding 4): a
 * partner registering a person another tenant registered gets its own link to the one record,
 * with no field of the other tenant's and no hint that it exists; a caller's own duplicate is
 * 409 naming its existing id.
 */
const MJY = 'mkt_demo_majiayan';
const residentId = (first17: string) => first17 + residentIdCheckChar(first17);
let serial = 0;
function person(extra: Record<string, unknown> = {}) {
  serial += 1;
  const seq = String(100 + serial).slice(-3);
  return {
    name: `联营商户 ${serial}`,
    idNumber: residentId(`51010219850203${seq}`),
    phone: `1370000${String(1000 + serial).slice(-4)}`,
    marketId: MJY,
    stallNo: `L-${serial}`,
    ...extra,
  };
}

describe('merchants onboarded by several tenants', () => {
  let t: TestApp;
  const keys = {} as Record<'p1' | 'p2' | 'officer', string>;
  const register = (body: object, key: string) =>
    t.http.post('/v1/merchants').set(bearer(key)).send(body);
  const db = () => t.testDb.database.db;

  beforeAll(async () => {
    t = await createTestApp();
    await seedDemo(t);
    keys.p1 = await t.issueKey('partner', { partnerId: 'ptn_one' });
    keys.p2 = await t.issueKey('partner', { partnerId: 'ptn_two' });
    keys.officer = await t.issueKey('officer', { marketIds: [MJY] });
  });
  afterAll(() => t.close());

  it("gives a second partner the same merchant through its own link, showing none of the first's fields", async () => {
    const body = person();
    const first = await register(body, keys.p2);
    expect(first.status).toBe(201);
    expect(first.body.partnerId).toBe('ptn_two');

    const second = await register(body, keys.p1);
    expect(second.status).toBe(201);
    expect(second.body.id).toBe(first.body.id);
    expect(second.body.partnerId).toBe('ptn_one');
    expect(second.body.createdBy).not.toBe(first.body.createdBy);
    expect(JSON.stringify(second.body)).not.toContain('ptn_two');
    expect(second.body.code).toBeUndefined();

    // Each partner reads, lists and applies for it through its own link.
    for (const [key, partnerId] of [
      [keys.p1, 'ptn_one'],
      [keys.p2, 'ptn_two'],
    ] as const) {
      const one = await t.http.get(`/v1/merchants/${first.body.id}`).set(bearer(key));
      expect(one.status).toBe(200);
      expect(one.body.partnerId).toBe(partnerId);
      const list = await t.http.get('/v1/merchants?limit=200').set(bearer(key));
      expect(list.body.data.map((m: { id: string }) => m.id)).toContain(first.body.id);
      expect(JSON.stringify(list.body)).not.toContain(
        partnerId === 'ptn_one' ? 'ptn_two' : 'ptn_one',
      );
    }

    const rows = await db().select().from(merchants).where(eq(merchants.id, first.body.id));
    expect(rows).toHaveLength(1);
    const links = await db()
      .select()
      .from(merchantPartnerLinks)
      .where(eq(merchantPartnerLinks.merchantId, first.body.id));
    expect(links.map((l) => l.partnerId).sort()).toEqual(['ptn_one', 'ptn_two']);
  });

  it("answers a caller's own duplicate with 409 naming its existing id", async () => {
    const body = person();
    const first = await register(body, keys.p1);
    const again = await register(body, keys.p1);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('DUPLICATE_MERCHANT');
    expect(again.body.existingId).toBe(first.body.id);
    expect(again.body.messageZh).toContain(first.body.id);
    expect(again.body.details.map((d: { path: string }) => d.path)).toEqual(['body.idNumber']);
  });

  it("links a partner to a merchant the bank's officer registered; the officer's own duplicate is 409", async () => {
    const body = person();
    const byOfficer = await register(body, keys.officer);
    expect(byOfficer.status).toBe(201);
    expect(byOfficer.body.partnerId).toBeNull();
    const byPartner = await register(body, keys.p1);
    expect(byPartner.status).toBe(201);
    expect(byPartner.body.id).toBe(byOfficer.body.id);
    expect(byPartner.body.partnerId).toBe('ptn_one');
    const officerAgain = await register(body, keys.officer);
    expect(officerAgain.status).toBe(409);
    expect(officerAgain.body.existingId).toBe(byOfficer.body.id);
  });

  it('keeps a partner without a link out: 404 on read, exposure and application, absent from its list', async () => {
    const body = person();
    const mine = await register(body, keys.p2);
    const id = mine.body.id as string;
    const read = await t.http.get(`/v1/merchants/${id}`).set(bearer(keys.p1));
    expect(read.status).toBe(404);
    const exposure = await t.http.get(`/v1/merchants/${id}/exposure`).set(bearer(keys.p1));
    expect(exposure.status).toBe(404);
    const list = await t.http.get('/v1/merchants?limit=200').set(bearer(keys.p1));
    expect(list.body.data.map((m: { id: string }) => m.id)).not.toContain(id);
    const apply = await t.http
      .post('/v1/applications')
      .set(bearer(keys.p1))
      .set('idempotency-key', `unlinked-${id}`)
      .send(
        applicationBody(id, strongSurvey(), { product: 'operator_guarantee', amount: 10_000_000 }),
      );
    expect(apply.status).toBe(404);
  });

  it("lets the linked partner apply, and shows it only its own lines in the merchant's exposure", async () => {
    const body = person();
    const id = (await register(body, keys.p2)).body.id as string;
    expect((await register(body, keys.p1)).status).toBe(201);
    const apply = (key: string, n: string) =>
      t.http
        .post('/v1/applications')
        .set(bearer(key))
        .set('idempotency-key', `linked-${n}-${id}`)
        .send(
          applicationBody(id, strongSurvey(), {
            product: 'operator_guarantee',
            amount: 10_000_000,
          }),
        );
    const a1 = await apply(keys.p1, 'p1');
    expect(a1.status).toBe(201);
    const a2 = await apply(keys.p2, 'p2');
    expect(a2.status).toBe(201);
    const acceptFirst = async (key: string, app: { offers: { id: string }[] }) => {
      const offer = app.offers[0];
      if (!offer) throw new Error('no offer');
      const res = await t.http
        .post(`/v1/offers/${offer.id}/accept`)
        .set(bearer(key))
        .set('idempotency-key', `accept-${offer.id}`)
        .send({});
      expect(res.status).toBe(200);
      return offer.id;
    };
    const o1 = await acceptFirst(keys.p1, a1.body);
    const o2 = await acceptFirst(keys.p2, a2.body);

    const seen = await t.http.get(`/v1/merchants/${id}/exposure`).set(bearer(keys.p1));
    expect(seen.status).toBe(200);
    const offerIds = seen.body.loans.map((l: { offerId: string }) => l.offerId);
    expect(offerIds).toEqual([o1]);
    const bank = await t.http.get(`/v1/merchants/${id}/exposure`).set(bearer(t.adminKey));
    expect(bank.body.loans.map((l: { offerId: string }) => l.offerId).sort()).toEqual(
      [o1, o2].sort(),
    );
  });
});

describe('GET /v1/merchants?q=', () => {
  let t: TestApp;
  let partner: string;
  const search = (q: string, key: string) =>
    t.http
      .get('/v1/merchants')
      .query({ q, limit: 200 })
      .set(bearer(key))
      .then((r) => {
        expect(r.status).toBe(200);
        return (r.body.data as { id: string; name: string }[]).map((m) => m.id);
      });

  beforeAll(async () => {
    t = await createTestApp();
    await seedDemo(t);
    partner = await t.issueKey('partner', { partnerId: 'ptn_search' });
  });
  afterAll(() => t.close());

  it('finds a person by full identity number or phone (by digest), and by part of a name or stall', async () => {
    const body = person({ name: '鑫盛建材 100%_好', stallNo: 'B2-017' });
    const made = await t.http.post('/v1/merchants').set(bearer(t.adminKey)).send(body);
    expect(made.status).toBe(201);
    const id = made.body.id as string;
    expect(await search(body.idNumber, t.adminKey)).toEqual([id]);
    expect(await search(body.idNumber.toLowerCase(), t.adminKey)).toEqual([id]);
    expect(await search(body.phone, t.adminKey)).toEqual([id]);
    expect(await search('鑫盛', t.adminKey)).toEqual([id]);
    expect(await search('b2-01', t.adminKey)).toEqual([id]);
    // LIKE wildcards are literal: "%_" finds the name that has them, not every merchant.
    expect(await search('%_', t.adminKey)).toEqual([id]);
    // A partial identity number is text, not a lookup: it matches no name or stall.
    expect(await search(body.idNumber.slice(0, 10), t.adminKey)).toEqual([]);
  });

  it('searches only what the caller sees: a partner finds the person once it has linked them', async () => {
    const body = person({ name: '合作方检索测试' });
    const made = await t.http.post('/v1/merchants').set(bearer(t.adminKey)).send(body);
    expect(await search(body.idNumber, partner)).toEqual([]);
    expect(await search('合作方检索', partner)).toEqual([]);
    expect((await t.http.post('/v1/merchants').set(bearer(partner)).send(body)).status).toBe(201);
    expect(await search(body.idNumber, partner)).toEqual([made.body.id]);
    expect(await search('合作方检索', partner)).toEqual([made.body.id]);
  });

  it('refuses an empty or overlong q naming querystring.q', async () => {
    for (const q of ['', ' ', 'x'.repeat(101)]) {
      const res = await t.http.get('/v1/merchants').query({ q }).set(bearer(t.adminKey));
      expect(res.status).toBe(400);
      expect(res.body.details.map((d: { path: string }) => d.path)).toEqual(['querystring.q']);
    }
  });
});
