/**
 * Authorization by object for every by-id route of origination: a caller who may not see an
 * object gets 404 exactly as for a missing one; a role that may never act gets 403; and a
 * refused command changes nothing.
 */
import { seedDemo } from '../helpers/fixtures';
import { bearer, createTestApp, type TestApp } from '../helpers/test-app';
import {
  type ApplicationBody,
  applicationBody,
  createMerchant,
  freshKey,
  KAI,
  MJY,
  offerOf,
  referSurvey,
  strongSurvey,
  submit,
  submitOk,
} from './origination/applications/helpers';

type Caller =
  | 'admin'
  | 'officerMjy'
  | 'officerKai'
  | 'officerBoth'
  | 'partnerA'
  | 'partnerB'
  | 'reviewer'
  | 'risk';

describe('authorization matrix (by object)', () => {
  let t: TestApp;
  const now = new Date('2026-11-26T09:30:00.000Z');
  const keys = {} as Record<Caller, string>;
  /** Objects owned by the Majiayan officer (no partner) and by partner A (also in Majiayan). */
  const obj = {} as Record<
    | 'officerApp'
    | 'officerOffer'
    | 'officerGroup'
    | 'officerMerchant'
    | 'partnerApp'
    | 'partnerOffer'
    | 'partnerGroup'
    | 'partnerMerchant'
    | 'kaiApp'
    | 'kaiOffer'
    | 'referredOfficer'
    | 'referredPartner',
    string
  >;

  beforeAll(async () => {
    t = await createTestApp({ clock: () => now, env: { OFFER_EXPIRY_INTERVAL_MS: '0' } });
    await seedDemo(t);
    keys.admin = t.adminKey;
    keys.officerMjy = await t.issueKey('officer', { marketIds: [MJY] });
    keys.officerKai = await t.issueKey('officer', { marketIds: [KAI] });
    keys.officerBoth = await t.issueKey('officer', { marketIds: [MJY, KAI] });
    keys.partnerA = await t.issueKey('partner', { partnerId: 'partner-a' });
    keys.partnerB = await t.issueKey('partner', { partnerId: 'partner-b' });
    keys.reviewer = await t.issueKey('reviewer');
    keys.risk = await t.issueKey('risk');

    const officerApp = await submitOk(t, keys.officerMjy, 'mer_demo_mjy01', strongSurvey());
    obj.officerApp = officerApp.id;
    obj.officerOffer = offerOf(officerApp, 'credit_card').id;
    obj.officerMerchant = 'mer_demo_mjy01';
    const kaiApp = await submitOk(t, keys.officerKai, 'mer_demo_kai01', strongSurvey());
    obj.kaiApp = kaiApp.id;
    obj.kaiOffer = offerOf(kaiApp, 'credit_card').id;
    obj.referredOfficer = (await submitOk(t, keys.officerMjy, 'mer_demo_mjy03', referSurvey())).id;

    const partnerMerchants: string[] = [];
    for (let i = 0; i < 4; i++) partnerMerchants.push(await createMerchant(t, keys.partnerA, MJY));
    obj.partnerMerchant = partnerMerchants[0] as string;
    const partnerApp = await submitOk(t, keys.partnerA, obj.partnerMerchant, strongSurvey());
    obj.partnerApp = partnerApp.id;
    obj.partnerOffer = offerOf(partnerApp, 'credit_card').id;
    obj.referredPartner = (
      await submitOk(t, keys.partnerA, partnerMerchants[3] as string, referSurvey())
    ).id;

    const g1 = await t.http
      .post('/v1/guarantee-groups')
      .set(bearer(keys.officerMjy))
      .send({ marketId: MJY, memberIds: ['mer_demo_mjy04', 'mer_demo_mjy05', 'mer_demo_mjy06'] });
    expect(g1.status).toBe(201);
    obj.officerGroup = g1.body.id;
    const g2 = await t.http
      .post('/v1/guarantee-groups')
      .set(bearer(keys.partnerA))
      .send({ marketId: MJY, memberIds: partnerMerchants.slice(0, 3) });
    expect(g2.status).toBe(201);
    obj.partnerGroup = g2.body.id;
  });
  afterAll(() => t.close());

  const reads: [string, (o: typeof obj) => string][] = [
    ['GET application', (o) => `/v1/applications/${o.officerApp}`],
    ['GET application events', (o) => `/v1/applications/${o.officerApp}/events`],
    ['GET offer', (o) => `/v1/offers/${o.officerOffer}`],
    ['GET guarantee group', (o) => `/v1/guarantee-groups/${o.officerGroup}`],
    ['GET merchant exposure', (o) => `/v1/merchants/${o.officerMerchant}/exposure`],
    ['GET merchant', (o) => `/v1/merchants/${o.officerMerchant}`],
  ];
  const partnerReads: [string, (o: typeof obj) => string][] = [
    ['GET application', (o) => `/v1/applications/${o.partnerApp}`],
    ['GET application events', (o) => `/v1/applications/${o.partnerApp}/events`],
    ['GET offer', (o) => `/v1/offers/${o.partnerOffer}`],
    ['GET guarantee group', (o) => `/v1/guarantee-groups/${o.partnerGroup}`],
    ['GET merchant exposure', (o) => `/v1/merchants/${o.partnerMerchant}/exposure`],
    ['GET merchant', (o) => `/v1/merchants/${o.partnerMerchant}`],
  ];
  const missingFor = (path: string) =>
    path.replace(/\/(app|off|grp|mer)_[^/]+/, '/$1_doesnotexist');

  async function expectHidden(caller: Caller, path: string) {
    const res = await t.http.get(path).set(bearer(keys[caller]));
    expect({ caller, path, status: res.status }).toEqual({ caller, path, status: 404 });
    expect(res.body.code).toBe('NOT_FOUND');
    // Indistinguishable from an object that does not exist.
    const missing = await t.http.get(missingFor(path)).set(bearer(keys[caller]));
    expect(missing.status).toBe(404);
    expect(res.body).toEqual(missing.body);
  }
  async function expectVisible(caller: Caller, path: string) {
    const res = await t.http.get(path).set(bearer(keys[caller]));
    expect({ caller, path, status: res.status }).toEqual({ caller, path, status: 200 });
  }

  describe("Majiayan officer's objects", () => {
    it.each(reads)('%s: hidden from the Kaien officer and from partners', async (_, path) => {
      for (const caller of ['officerKai', 'partnerA', 'partnerB'] as const)
        await expectHidden(caller, path(obj));
    });
    it.each(reads)(
      '%s: visible to its officer, a two-market officer, reviewer, risk, admin',
      async (_, path) => {
        for (const caller of ['officerMjy', 'officerBoth', 'reviewer', 'risk', 'admin'] as const)
          await expectVisible(caller, path(obj));
      },
    );
  });

  describe("partner A's objects", () => {
    it.each(partnerReads)('%s: hidden from partner B and the Kaien officer', async (_, path) => {
      for (const caller of ['partnerB', 'officerKai'] as const)
        await expectHidden(caller, path(obj));
    });
    it.each(partnerReads)(
      "%s: visible to partner A, the market's officer, reviewer, risk, admin",
      async (_, path) => {
        for (const caller of ['partnerA', 'officerMjy', 'reviewer', 'risk', 'admin'] as const)
          await expectVisible(caller, path(obj));
      },
    );
  });

  describe('offer commands', () => {
    const command = (caller: Caller, offerId: string, action: 'accept' | 'decline') =>
      t.http
        .post(`/v1/offers/${offerId}/${action}`)
        .set(bearer(keys[caller]))
        .set('idempotency-key', freshKey('authz'))
        .send();
    const status = async (offerId: string) =>
      (await t.http.get(`/v1/offers/${offerId}`).set(bearer(keys.admin))).body.status;

    it.each([
      ['officerKai', 'officerOffer'],
      ['partnerA', 'officerOffer'],
      ['partnerB', 'partnerOffer'],
      ['officerMjy', 'kaiOffer'],
      ['partnerA', 'kaiOffer'],
    ] as const)(
      '%s cannot accept or decline %s (404) and nothing changes',
      async (caller, which) => {
        for (const action of ['accept', 'decline'] as const) {
          const res = await command(caller, obj[which], action);
          expect({ action, status: res.status }).toEqual({ action, status: 404 });
          expect(res.body.code).toBe('NOT_FOUND');
        }
        expect(await status(obj[which])).toBe('offered');
      },
    );

    it.each([['reviewer'], ['risk']] as const)(
      '%s may not accept or decline (403)',
      async (caller) => {
        for (const action of ['accept', 'decline'] as const) {
          const res = await command(caller, obj.officerOffer, action);
          expect({ action, status: res.status }).toEqual({ action, status: 403 });
        }
        expect(await status(obj.officerOffer)).toBe('offered');
      },
    );

    it('the owners may: partner A accepts its offer, the Majiayan officer declines its', async () => {
      const a = await command('partnerA', obj.partnerOffer, 'accept');
      expect(a.status).toBe(200);
      expect(a.body.status).toBe('accepted');
      const d = await command('officerMjy', obj.officerOffer, 'decline');
      expect(d.status).toBe(200);
      expect(d.body.status).toBe('declined');
    });
  });

  describe('review', () => {
    const review = (caller: Caller, id: string) =>
      t.http
        .post(`/v1/applications/${id}/review`)
        .set(bearer(keys[caller]))
        .send({ action: 'decline', note: 'authorization check' });
    const appStatus = async (id: string) =>
      (await t.http.get(`/v1/applications/${id}`).set(bearer(keys.admin))).body.status;

    it.each([['officerMjy'], ['officerKai'], ['partnerA'], ['partnerB'], ['risk']] as const)(
      '%s may never review (403), even what it can see',
      async (caller) => {
        for (const id of [obj.referredOfficer, obj.referredPartner]) {
          const res = await review(caller, id);
          expect(res.status).toBe(403);
          expect(res.body.code).toBe('FORBIDDEN');
        }
        expect(await appStatus(obj.referredOfficer)).toBe('referred');
        expect(await appStatus(obj.referredPartner)).toBe('referred');
      },
    );

    it("a reviewer reviews any market's or partner's referred application", async () => {
      expect((await review('reviewer', obj.referredOfficer)).status).toBe(200);
      expect((await review('reviewer', obj.referredPartner)).status).toBe(200);
    });
  });

  describe('creating across the lines', () => {
    it("a partner cannot apply for another partner's or the officer's merchant (404)", async () => {
      for (const [caller, merchant] of [
        ['partnerB', obj.partnerMerchant],
        ['partnerA', 'mer_demo_mjy02'],
        ['officerKai', 'mer_demo_mjy02'],
      ] as const) {
        const res = await submit(t, keys[caller], applicationBody(merchant, strongSurvey()));
        expect({ caller, status: res.status }).toEqual({ caller, status: 404 });
      }
    });

    it("an officer may apply for a partner's merchant in its market, and the partner then sees it", async () => {
      const res = await submit(
        t,
        keys.officerMjy,
        applicationBody(obj.partnerMerchant, strongSurvey()),
      );
      expect(res.status).toBe(201);
      const app = res.body as ApplicationBody;
      expect(
        (await t.http.get(`/v1/applications/${app.id}`).set(bearer(keys.partnerA))).status,
      ).toBe(200);
      expect(
        (await t.http.get(`/v1/applications/${app.id}`).set(bearer(keys.partnerB))).status,
      ).toBe(404);
    });

    it("a partner cannot group another partner's merchants (404)", async () => {
      const b = [] as string[];
      for (let i = 0; i < 2; i++) b.push(await createMerchant(t, keys.partnerB, MJY));
      const res = await t.http
        .post('/v1/guarantee-groups')
        .set(bearer(keys.partnerB))
        .send({ marketId: MJY, memberIds: [...b, obj.partnerMerchant] });
      expect(res.status).toBe(404);
    });

    it.each([['reviewer'], ['risk']] as const)(
      '%s may not create anything (403)',
      async (caller) => {
        const app = await submit(
          t,
          keys[caller],
          applicationBody('mer_demo_mjy02', strongSurvey()),
        );
        expect(app.status).toBe(403);
        const grp = await t.http
          .post('/v1/guarantee-groups')
          .set(bearer(keys[caller]))
          .send({
            marketId: MJY,
            memberIds: ['mer_demo_mjy01', 'mer_demo_mjy02', 'mer_demo_mjy03'],
          });
        expect(grp.status).toBe(403);
      },
    );
  });
});
