import { seedDemo } from '../../../helpers/fixtures';
import { bearer, createTestApp, type TestApp } from '../../../helpers/test-app';
import {
  type ApplicationBody,
  accept,
  applicationBody,
  createMerchants,
  decline,
  KAI,
  MJY,
  merchantBody,
  paths,
  referSurvey,
  runExpiry,
  strongSurvey,
  submit,
} from '../applications/helpers';

const DAY_MS = 24 * 60 * 60 * 1000;

interface GroupBody {
  id: string;
  marketId: string;
  status: string;
  members: {
    merchantId: string;
    applicationId: string | null;
    applicationStatus: string | null;
    offerId: string | null;
    offerStatus: string | null;
  }[];
  decision: unknown;
}

describe('guarantee groups (联保)', () => {
  let t: TestApp;
  let now = new Date('2026-11-26T09:30:00.000Z');
  let officer: string;
  let officerKai: string;
  let reviewer: string;
  let risk: string;

  const form = (key: string, body: unknown) =>
    t.http
      .post('/v1/guarantee-groups')
      .set(bearer(key))
      .send(body as object);
  const getGroup = async (id: string, key = officer) => {
    const res = await t.http.get(`/v1/guarantee-groups/${id}`).set(bearer(key));
    expect(res.status).toBe(200);
    return res.body as GroupBody;
  };
  const joint = (merchantId: string, groupId: string, survey = strongSurvey()) =>
    submit(
      t,
      officer,
      applicationBody(merchantId, survey, {
        product: 'joint_guarantee',
        guaranteeGroupId: groupId,
        amount: 20_000_000,
        termMonths: 12,
      }),
    );
  const jointOk = async (merchantId: string, groupId: string, survey = strongSurvey()) => {
    const res = await joint(merchantId, groupId, survey);
    if (res.status !== 201) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
    return res.body as ApplicationBody;
  };
  const newMembers = (n = 3, marketId = MJY) => createMerchants(t, n, marketId);
  const formOk = async (memberIds: string[], marketId = MJY) => {
    const res = await form(officer, { marketId, memberIds });
    if (res.status !== 201) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
    return res.body as GroupBody;
  };
  const getOfferStatus = async (id: string) =>
    (await t.http.get(`/v1/offers/${id}`).set(bearer(officer))).body.status;
  const getAppStatus = async (id: string) =>
    (await t.http.get(`/v1/applications/${id}`).set(bearer(officer))).body.status;

  beforeAll(async () => {
    t = await createTestApp({ clock: () => now, env: { OFFER_EXPIRY_INTERVAL_MS: '0' } });
    await seedDemo(t);
    officer = await t.issueKey('officer', { marketIds: [MJY] });
    officerKai = await t.issueKey('officer', { marketIds: [KAI] });
    reviewer = await t.issueKey('reviewer');
    risk = await t.issueKey('risk');
  });
  afterAll(() => t.close());

  describe('formation rules', () => {
    it('forms a group of 3 merchants of one market', async () => {
      const members = await newMembers(3);
      const res = await form(officer, { marketId: MJY, memberIds: members });
      expect(res.status).toBe(201);
      expect(res.body.id).toMatch(/^grp_/);
      expect(res.body).toMatchObject({ marketId: MJY, status: 'forming', decision: null });
      expect(res.body.members.map((m: { merchantId: string }) => m.merchantId).sort()).toEqual(
        [...members].sort(),
      );
      for (const m of res.body.members) {
        expect(m).toMatchObject({ applicationId: null, offerId: null });
      }
      expect(await getGroup(res.body.id)).toEqual(res.body);
    });

    it('forms a group of 5', async () => {
      expect((await form(officer, { marketId: MJY, memberIds: await newMembers(5) })).status).toBe(
        201,
      );
    });

    it.each([
      [2, 'body.memberIds'],
      [6, 'body.memberIds'],
    ])('refuses a group of %i (400)', async (n, path) => {
      const members = await newMembers(n);
      const res = await form(officer, { marketId: MJY, memberIds: members });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(paths(res.body)).toContain(path);
    });

    it('refuses a merchant listed twice (400)', async () => {
      const [a, b] = await newMembers(2);
      const res = await form(officer, { marketId: MJY, memberIds: [a, b, a] });
      expect(res.status).toBe(400);
      expect(paths(res.body)).toContain('body.memberIds');
    });

    it.each([
      [{ memberIds: ['a', 'b', 'c'] }, 'body.marketId'],
      [{ marketId: MJY }, 'body.memberIds'],
      [{ marketId: MJY, memberIds: 'mer_x' }, 'body.memberIds'],
      [{ marketId: 42, memberIds: ['a', 'b', 'c'] }, 'body.marketId'],
      [{ marketId: MJY, memberIds: ['a', 'b', 'c'], status: 'active' }, 'body.status'],
      [{ marketId: MJY, memberIds: ['a', 'b', 'c'], id: 'grp_mine' }, 'body.id'],
      [{ marketId: MJY, memberIds: ['a', 'b', 'c'], decision: {} }, 'body.decision'],
    ])('refuses %j (400 naming %s)', async (body, path) => {
      const res = await form(officer, body);
      expect(res.status).toBe(400);
      expect(paths(res.body)).toContain(path);
    });

    it('refuses two members sharing a phone (422 GROUP_MEMBERS_RELATED)', async () => {
      const a = merchantBody(MJY);
      const twin = merchantBody(MJY, { phone: a.phone });
      const ids: string[] = [];
      for (const b of [a, twin]) {
        const res = await t.http.post('/v1/merchants').set(bearer(t.adminKey)).send(b);
        expect(res.status).toBe(201);
        ids.push(res.body.id);
      }
      const [third] = await newMembers(1);
      const res = await form(officer, { marketId: MJY, memberIds: [...ids, third] });
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('GROUP_MEMBERS_RELATED');
      expect(res.body.message).toMatch(/phone/);
    });

    it('two members can never share an identity number: the market registers an identity once (409)', async () => {
      // A group is of one market, and merchants_market_identity_uq keeps one merchant per
      // identity in a market, so the service's shared-identity check is a second line: the
      // first is this refusal at registration.
      const a = merchantBody(MJY);
      const first = await t.http.post('/v1/merchants').set(bearer(t.adminKey)).send(a);
      expect(first.status).toBe(201);
      const twin = merchantBody(MJY, { idNumber: a.idNumber });
      const dup = await t.http.post('/v1/merchants').set(bearer(t.adminKey)).send(twin);
      expect(dup.status).toBe(409);
      expect(dup.body.code).toBe('DUPLICATE_MERCHANT');
    });

    it('a merchant may be in two live groups (the default policy), not three (409)', async () => {
      const [a, b, c, d, e, f, g] = await newMembers(7);
      await formOk([a, b, c] as string[]);
      // Sharing one member closes no circle: accepted.
      await formOk([c, d, e] as string[]);
      const res = await form(officer, { marketId: MJY, memberIds: [c, f, g] });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('MERCHANT_GROUP_LIMIT_REACHED');
      expect(res.body.messageZh).toContain('2');
      expect(res.body.details.map((x: { message: string }) => x.message).join()).toContain(c);
    });

    it('refuses members of another market (422 GROUP_MARKETS_MIXED)', async () => {
      const mjy = await newMembers(2, MJY);
      const [kai] = await newMembers(1, KAI);
      const res = await form(t.adminKey, { marketId: MJY, memberIds: [...mjy, kai] });
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('GROUP_MARKETS_MIXED');
      expect(res.body.details[0].message).toContain(kai);
      // The group's market must be the members' market too.
      const wrongMarket = await form(t.adminKey, {
        marketId: KAI,
        memberIds: await newMembers(3, MJY),
      });
      expect(wrongMarket.status).toBe(422);
      expect(wrongMarket.body.code).toBe('GROUP_MARKETS_MIXED');
    });

    it("an officer cannot group another market's merchants (404), nor read another market's group", async () => {
      const members = await newMembers(3, MJY);
      const res = await form(officerKai, { marketId: MJY, memberIds: members });
      expect(res.status).toBe(404);
      const group = await formOk(members);
      const read = await t.http.get(`/v1/guarantee-groups/${group.id}`).set(bearer(officerKai));
      expect(read.status).toBe(404);
    });

    it('reviewers and risk read groups but may not form them (403)', async () => {
      const members = await newMembers(3);
      for (const key of [reviewer, risk]) {
        const res = await form(key, { marketId: MJY, memberIds: members });
        expect(res.status).toBe(403);
      }
      const group = await formOk(members);
      expect((await getGroup(group.id, reviewer)).id).toBe(group.id);
      expect((await getGroup(group.id, risk)).id).toBe(group.id);
    });

    it('answers 404 for an unknown group or merchant', async () => {
      expect((await t.http.get('/v1/guarantee-groups/grp_nope').set(bearer(officer))).status).toBe(
        404,
      );
      const [a, b] = await newMembers(2);
      const res = await form(officer, { marketId: MJY, memberIds: [a, b, 'mer_nope'] });
      expect(res.status).toBe(404);
    });
  });

  describe('the full flow', () => {
    const members = ['mer_demo_mjy01', 'mer_demo_mjy02', 'mer_demo_mjy04'];
    let group: GroupBody;
    const apps: ApplicationBody[] = [];

    it('members apply; the group is decided when the last one has applied', async () => {
      group = await formOk(members);

      const first = await jointOk(members[0] as string, group.id);
      expect(first.status).toBe('approved');
      expect(first.offers).toHaveLength(1);
      expect(first.offers[0]).toMatchObject({
        product: 'joint_guarantee',
        status: 'pending',
        guaranteeGroupId: group.id,
        method: 'equal_principal',
      });
      apps.push(first);
      // A pending offer cannot be accepted yet.
      const early = await accept(t, officer, first.offers[0]?.id as string);
      expect(early.status).toBe(409);
      expect(early.body.code).toBe('INVALID_STATE');
      expect(early.body.message).toContain('pending');

      // Applying twice in the same group is refused.
      const dup = await joint(members[0] as string, group.id);
      expect(dup.status).toBe(409);
      expect(dup.body.code).toBe('ALREADY_APPLIED');

      // A merchant outside the group cannot apply with its id.
      const outsider = await joint('mer_demo_mjy05', group.id);
      expect(outsider.status).toBe(404);

      apps.push(await jointOk(members[1] as string, group.id));
      expect((await getGroup(group.id)).status).toBe('forming');

      now = new Date(now.getTime() + 60_000);
      const last = await jointOk(members[2] as string, group.id);
      apps.push(last);
      // The last member's answer already carries the group's decision.
      expect(last.offers[0]?.status).toBe('offered');
      expect(last.offers[0]?.expiresAt).toBe(new Date(now.getTime() + 14 * DAY_MS).toISOString());

      const decided = await getGroup(group.id);
      expect(decided.status).toBe('offered');
      expect(decided.decision).toMatchObject({ approved: true });
      for (const m of decided.members) {
        expect(m.applicationStatus).toBe('approved');
        expect(m.offerStatus).toBe('offered');
      }
      for (const a of apps) expect(await getOfferStatus(a.offers[0]?.id as string)).toBe('offered');

      // No more applications once decided.
      const late = await joint(members[0] as string, group.id);
      expect(late.status).toBe(409);
    });

    it('acceptance waits for every member; the last acceptance books the group', async () => {
      const offerIds = apps.map((a) => a.offers[0]?.id as string);
      const r1 = await accept(t, officer, offerIds[0] as string);
      expect(r1.status).toBe(200);
      expect(r1.body.status).toBe('accepted');
      const r2 = await accept(t, officer, offerIds[1] as string);
      expect(r2.body.status).toBe('accepted');
      expect((await getGroup(group.id)).status).toBe('offered');

      const r3 = await accept(t, officer, offerIds[2] as string);
      expect(r3.status).toBe(200);
      expect(r3.body.status).toBe('booked');
      for (const id of offerIds) expect(await getOfferStatus(id)).toBe('booked');
      const active = await getGroup(group.id);
      expect(active.status).toBe('active');
      for (const m of active.members) expect(m.offerStatus).toBe('booked');
    });

    it("exposure shows each member's loan and the partners' loans it guarantees", async () => {
      const amounts = apps.map((a) => a.offers[0]?.amount as number);
      const res = await t.http.get(`/v1/merchants/${members[0]}/exposure`).set(bearer(officer));
      expect(res.status).toBe(200);
      expect(res.body.loans).toEqual([
        expect.objectContaining({
          offerId: apps[0]?.offers[0]?.id,
          product: 'joint_guarantee',
          amount: amounts[0],
          status: 'booked',
        }),
      ]);
      expect(
        res.body.guaranteesGiven
          .map((g: { borrowerMerchantId: string; groupId: string }) => [
            g.groupId,
            g.borrowerMerchantId,
          ])
          .sort(),
      ).toEqual(
        [
          [group.id, members[1]],
          [group.id, members[2]],
        ].sort(),
      );
      expect(res.body.totals).toMatchObject({
        loans: amounts[0],
        cardLimits: 0,
        guaranteesGiven: (amounts[1] as number) + (amounts[2] as number),
      });
    });

    it('a member of an active group may join one more, not two', async () => {
      const others = await newMembers(4);
      const second = await form(officer, {
        marketId: MJY,
        memberIds: [members[0], others[0], others[1]],
      });
      expect(second.status).toBe(201);
      const third = await form(officer, {
        marketId: MJY,
        memberIds: [members[0], others[2], others[3]],
      });
      expect(third.status).toBe(409);
      expect(third.body.code).toBe('MERCHANT_GROUP_LIMIT_REACHED');
    });
  });

  it('a member declining dissolves the group: every other offer withdrawn, members freed', async () => {
    const members = await newMembers(3);
    const group = await formOk(members);
    const apps: ApplicationBody[] = [];
    for (const m of members) apps.push(await jointOk(m, group.id));
    const offerIds = apps.map((a) => a.offers[0]?.id as string);
    for (const id of offerIds) expect(await getOfferStatus(id)).toBe('offered');

    expect((await accept(t, officer, offerIds[0] as string)).status).toBe(200);
    const res = await decline(t, officer, offerIds[1] as string);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('declined');

    const after = await getGroup(group.id);
    expect(after.status).toBe('dissolved');
    expect(await getOfferStatus(offerIds[0] as string)).toBe('withdrawn');
    expect(await getOfferStatus(offerIds[2] as string)).toBe('withdrawn');
    expect(await getAppStatus(apps[0]?.id as string)).toBe('withdrawn');
    expect(await getAppStatus(apps[2]?.id as string)).toBe('withdrawn');
    expect(await getAppStatus(apps[1]?.id as string)).toBe('closed');
    // Nothing was booked: no exposure.
    const exp = await t.http.get(`/v1/merchants/${members[0]}/exposure`).set(bearer(officer));
    expect(exp.body.totals).toMatchObject({
      loans: 0,
      cardLimits: 0,
      guaranteesGiven: 0,
      contingent: 0,
      total: 0,
    });
    // The withdrawn offers cannot be accepted.
    const late = await accept(t, officer, offerIds[2] as string);
    expect(late.status).toBe(409);
    expect(late.body.message).toContain('withdrawn');
    // The members are free to form a new group.
    expect((await form(officer, { marketId: MJY, memberIds: members })).status).toBe(201);
  });

  it('a group the model cannot back is declined as a whole: no member gets an offer', async () => {
    const members = await newMembers(3);
    const group = await formOk(members);
    const a = await jointOk(members[0] as string, group.id);
    const b = await jointOk(members[1] as string, group.id);
    const weak = await jointOk(members[2] as string, group.id, referSurvey());
    expect(weak.status).toBe('referred');

    const decided = await getGroup(group.id);
    expect(decided.status).toBe('declined');
    expect(decided.decision).toMatchObject({ approved: false });
    for (const app of [a, b]) {
      expect(await getAppStatus(app.id)).toBe('withdrawn');
      expect(await getOfferStatus(app.offers[0]?.id as string)).toBe('withdrawn');
    }
    // The members are free again.
    expect((await form(officer, { marketId: MJY, memberIds: members })).status).toBe(201);
  });

  it('when a member lets its offer expire the group falls through: the others are freed, nothing stays accepted', async () => {
    const members = await newMembers(3);
    const group = await formOk(members);
    const apps: ApplicationBody[] = [];
    for (const m of members) apps.push(await jointOk(m, group.id));
    const offerIds = apps.map((a) => a.offers[0]?.id as string);
    expect((await accept(t, officer, offerIds[0] as string)).status).toBe(200);

    now = new Date(now.getTime() + 15 * DAY_MS);
    await runExpiry(t, now);
    // The first unaccepted offer the job reaches expires and ends the group; the other is
    // expired or already withdrawn with the group, depending on which came first.
    const ended = [
      await getOfferStatus(offerIds[1] as string),
      await getOfferStatus(offerIds[2] as string),
    ];
    expect(ended).toContain('expired');
    for (const s of ended) expect(['expired', 'withdrawn']).toContain(s);
    const after = await getGroup(group.id);
    expect(after.status).toBe('dissolved');
    // The member who accepted is not left holding an accepted loan that can never be booked.
    expect(await getOfferStatus(offerIds[0] as string)).toBe('withdrawn');
    expect(await getAppStatus(apps[0]?.id as string)).toBe('withdrawn');
    expect((await form(officer, { marketId: MJY, memberIds: members })).status).toBe(201);
  });
});
