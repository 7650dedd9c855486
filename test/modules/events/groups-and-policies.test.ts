/**
 * Issue #14 item 5: the outbox's group and policy events. A group decided writes one
 * guarantee_group.decided (and offer.withdrawn for the pending loans of a declined group); a
 * member's refusal dissolves the group: offer.declined, then offer.withdrawn for each other
 * member. Policy events are the bank's own: partners and officers never see them.
 */
import { defaultPolicyDocument } from '../../../src/credit';
import { seedDemo } from '../../helpers/fixtures';
import { bearer, createTestApp, type TestApp } from '../../helpers/test-app';
import {
  type ApplicationBody,
  applicationBody,
  createMerchant,
  decline,
  MJY,
  referSurvey,
  strongSurvey,
  submit,
} from '../origination/applications/helpers';
import { expectFeedAsStored, feedCaughtUp } from './helpers';

interface Ev {
  id: string;
  type: string;
  objectId: string;
  data: Record<string, unknown>;
}

describe('events: guarantee groups and policies', () => {
  let t: TestApp;
  let officer: string;
  let partner: string;
  let riskA: string;
  let riskB: string;

  const feed = async (key: string) => {
    await feedCaughtUp(t);
    const res = await t.http.get('/v1/events?limit=200').set(bearer(key));
    expect(res.status).toBe(200);
    return res.body.data as Ev[];
  };
  const ofObject = (evs: Ev[], id: string) =>
    evs.filter((e) => e.objectId === id).map((e) => e.type);
  const group = async (n = 3) => {
    const members: string[] = [];
    for (let i = 0; i < n; i++) members.push(await createMerchant(t, officer, MJY));
    const res = await t.http
      .post('/v1/guarantee-groups')
      .set(bearer(officer))
      .send({ marketId: MJY, memberIds: members });
    expect(res.status).toBe(201);
    return { id: res.body.id as string, members };
  };
  const joint = async (merchantId: string, groupId: string, survey = strongSurvey()) => {
    const res = await submit(
      t,
      officer,
      applicationBody(merchantId, survey, {
        product: 'joint_guarantee',
        guaranteeGroupId: groupId,
        amount: 20_000_000,
        termMonths: 12,
      }),
    );
    expect(res.status).toBe(201);
    return res.body as ApplicationBody;
  };

  beforeAll(async () => {
    t = await createTestApp();
    await seedDemo(t);
    officer = await t.issueKey('officer', { marketIds: [MJY] });
    partner = await t.issueKey('partner', { partnerId: 'partner-g' });
    riskA = await t.issueKey('risk');
    riskB = await t.issueKey('risk');
  });
  afterAll(() => t.close());

  it('an offered group: one guarantee_group.decided; a refusal dissolves it with one event per offer', async () => {
    const g = await group();
    const apps: ApplicationBody[] = [];
    for (const m of g.members) apps.push(await joint(m, g.id));
    let evs = await feed(t.adminKey);
    expect(ofObject(evs, g.id)).toEqual(['guarantee_group.decided']);
    const decided = evs.find((e) => e.objectId === g.id);
    expect(decided?.data).toMatchObject({ guaranteeGroupId: g.id, status: 'offered' });
    expect((decided?.data.offers as unknown[] | undefined)?.length).toBe(3);
    for (const a of apps) expect(ofObject(evs, a.id)).toEqual(['application.decided']);

    const [first, ...others] = apps.map((a) => a.offers[0]?.id as string);
    expect((await decline(t, officer, first as string)).status).toBe(200);
    evs = await feed(t.adminKey);
    expect(ofObject(evs, first as string)).toEqual(['offer.declined']);
    for (const o of others) expect(ofObject(evs, o)).toEqual(['offer.withdrawn']);
    expect(evs.find((e) => e.objectId === others[0])?.data).toMatchObject({
      reason: 'group_dissolved',
      status: 'withdrawn',
    });
    // The officer of the market sees the group's events.
    expect(ofObject(await feed(officer), g.id)).toEqual(['guarantee_group.decided']);
  });

  it('a declined group: guarantee_group.decided and offer.withdrawn for each pending loan', async () => {
    const g = await group();
    const a = await joint(g.members[0] as string, g.id);
    const b = await joint(g.members[1] as string, g.id);
    const weak = await joint(g.members[2] as string, g.id, referSurvey());
    const evs = await feed(t.adminKey);
    expect(ofObject(evs, g.id)).toEqual(['guarantee_group.decided']);
    expect(evs.find((e) => e.objectId === g.id)?.data).toMatchObject({ status: 'declined' });
    for (const app of [a, b])
      expect(ofObject(evs, app.offers[0]?.id as string)).toEqual(['offer.withdrawn']);
    expect(ofObject(evs, weak.id)).toEqual(['application.referred']);
  });

  it('policy.published and policy.activated once each, for admin, risk and reviewer only', async () => {
    const champion = (await t.http.get('/v1/policies/active').set(bearer(riskA))).body.id;
    const draft = await t.http
      .post('/v1/policies')
      .set(bearer(riskA))
      .send({ cloneOf: champion, changes: { name: 'challenger' } });
    expect(draft.status).toBe(201);
    const id = draft.body.id as string;
    // Refused: the author may not publish (four eyes), and an unpublished policy is not activated.
    expect((await t.http.post(`/v1/policies/${id}/publish`).set(bearer(riskA))).status).toBe(403);
    expect(
      (
        await t.http
          .post(`/v1/policies/${id}/activate`)
          .set(bearer(riskA))
          .send({ role: 'challenger', share: 0.2 })
      ).status,
    ).toBe(409);
    expect(ofObject(await feed(riskA), id)).toEqual([]);

    await t.http.post(`/v1/policies/${id}/publish`).set(bearer(riskB)).expect(200);
    await t.http
      .post(`/v1/policies/${id}/activate`)
      .set(bearer(riskA))
      .send({ role: 'challenger', share: 0.2 })
      .expect(200);
    const evs = await feed(riskA);
    expect(ofObject(evs, id)).toEqual(['policy.published', 'policy.activated']);
    expect(evs.find((e) => e.type === 'policy.activated')?.data).toMatchObject({
      policyId: id,
      role: 'challenger',
      shareBps: 2000,
      version: defaultPolicyDocument.version + 1,
    });
    expect(ofObject(await feed(await t.issueKey('reviewer')), id)).toHaveLength(2);
    expect((await feed(officer)).some((e) => e.type.startsWith('policy.'))).toBe(false);
    expect((await feed(partner)).some((e) => e.type.startsWith('policy.'))).toBe(false);
  });

  it("shows each event's data as stored, for every type the scenarios above wrote", async () => {
    expect(await expectFeedAsStored(t, t.adminKey)).toEqual([
      'application.decided',
      'application.referred',
      'guarantee_group.decided',
      'offer.declined',
      'offer.withdrawn',
      'policy.activated',
      'policy.published',
    ]);
  });
});
