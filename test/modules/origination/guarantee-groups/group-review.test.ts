/**
 * A group the guarantee network's rules refer (policy `guaranteeNetwork.action: refer`, issue
 * #16) waits at its decision for a reviewer: its members' loans stay pending, and a reviewer who
 * neither formed it nor applied in it approves (the loans are offered) or declines it.
 */
import { seedDemo } from '../../../helpers/fixtures';
import { bearer, createTestApp, type TestApp } from '../../../helpers/test-app';
import { feedCaughtUp } from '../../events/helpers';
import { MJY } from '../applications/helpers';
import { networkHelpers } from './network-helpers';

describe('a referred guarantee group and its review', () => {
  let t: TestApp;
  let officer: string;
  let reviewer: string;
  let h: ReturnType<typeof networkHelpers>;

  beforeAll(async () => {
    t = await createTestApp();
    await seedDemo(t);
    const riskA = await t.issueKey('risk');
    const riskB = await t.issueKey('risk');
    officer = await t.issueKey('officer', { marketIds: [MJY], owner: 'officer-li@test.example' });
    reviewer = await t.issueKey('reviewer');
    h = networkHelpers(t, { officer, riskA, riskB });
    await h.networkRules({
      action: 'refer',
      maxCircleSize: 5,
      allowSharedPairs: false,
      maxCircleBorrowing: 100_000_000_000,
    });
  });
  afterAll(() => t.close());

  /** A group closing a circle of 6 (over the policy's 5), whose members have all applied. */
  const referredGroup = async () => {
    const { closing } = await h.triangle();
    const group = await h.formOk(closing);
    expect(group.network.referred).toBe(true);
    await h.applyAll(closing, group.id);
    const read = await t.http.get(`/v1/guarantee-groups/${group.id}`).set(bearer(officer));
    return read.body;
  };
  const review = (key: string, id: string, body: Record<string, unknown>) =>
    t.http.post(`/v1/guarantee-groups/${id}/review`).set(bearer(key)).send(body);

  it('waits for a reviewer: referred, its loans pending, the circle among its reasons', async () => {
    const group = await referredGroup();
    expect(group.status).toBe('referred');
    expect(group.decision.verdict).toBe('refer');
    expect(group.decision.reasons.map((r: { code: string }) => r.code)).toEqual([
      'GUARANTEE_CIRCLE_TOO_LARGE',
    ]);
    for (const m of group.members) {
      expect(m.offerStatus).toBe('pending');
      expect(m.applicationStatus).toBe('approved');
    }
    // Members of a referred group are in a live group: it counts towards their limit.
    // The feed shows a transaction once every older one has ended, in any database of the server.
    await feedCaughtUp(t);
    const events = await t.http
      .get('/v1/events')
      .query({ type: 'guarantee_group.decided', limit: 100 })
      .set(bearer(t.adminKey));
    const mine = events.body.data.filter(
      (e: { data: { guaranteeGroupId: string } }) => e.data.guaranteeGroupId === group.id,
    );
    expect(mine.map((e: { data: { status: string } }) => e.data.status)).toEqual(['referred']);
    // The reviewer's queue lists it, with its reasons; an officer of another market sees nothing.
    const queue = await t.http
      .get('/v1/guarantee-groups')
      .query({ status: 'referred', limit: 200 })
      .set(bearer(reviewer));
    expect(queue.status).toBe(200);
    const listed = queue.body.data.find((g: { id: string }) => g.id === group.id);
    expect(listed).toMatchObject({
      status: 'referred',
      reasons: ['GUARANTEE_CIRCLE_TOO_LARGE'],
      memberIds: group.members.map((m: { merchantId: string }) => m.merchantId).sort(),
    });
    expect(queue.body.data.every((g: { status: string }) => g.status === 'referred')).toBe(true);
    const elsewhere = await t.issueKey('officer', { marketIds: ['mkt_demo_kaien'] });
    const hidden = await t.http
      .get('/v1/guarantee-groups')
      .query({ status: 'referred' })
      .set(bearer(elsewhere));
    expect(hidden.body.data).toEqual([]);
  });

  it("a reviewer's approval offers the members' loans, and says who and why", async () => {
    const group = await referredGroup();
    const res = await review(reviewer, group.id, {
      action: 'approve',
      note: '市场方核实，圈内经营独立',
    });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('offered');
    expect(res.body.decision.review).toMatchObject({
      action: 'approve',
      note: '市场方核实，圈内经营独立',
    });
    for (const m of res.body.members) expect(m.offerStatus).toBe('offered');
    const offer = await t.http
      .get(`/v1/offers/${res.body.members[0].offerId}`)
      .set(bearer(officer));
    expect(Date.parse(offer.body.expiresAt)).toBeGreaterThan(Date.now());
    // Decided once: a second review finds it offered.
    const again = await review(reviewer, group.id, { action: 'decline', note: 'again' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('INVALID_STATE');
  });

  it("a reviewer's decline withdraws the loans and frees the members; the group's guarantees are gone", async () => {
    const group = await referredGroup();
    const res = await review(reviewer, group.id, { action: 'decline', note: '担保圈过大' });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('declined');
    for (const m of res.body.members) {
      expect(m.offerStatus).toBe('withdrawn');
      expect(m.applicationStatus).toBe('withdrawn');
    }
    const edges = await t.testDb.database.db.execute(
      `select count(*)::int as n from guarantee_edges where group_id = '${group.id}'`,
    );
    expect((edges as unknown as { rows: { n: number }[] }).rows[0]?.n).toBe(0);
    const trail = await t.http
      .get(`/v1/applications/${res.body.members[0].applicationId}/events`)
      .set(bearer(officer));
    expect(trail.body.data.map((e: { action: string }) => e.action)).toContain(
      'guarantee_group.review_decline',
    );
  });

  it('审贷分离: the officer who formed the group may not review it with a reviewer key of theirs', async () => {
    const group = await referredGroup();
    const ownReviewerKey = await t.issueKey('reviewer', { owner: 'officer-li@test.example' });
    const res = await review(ownReviewerKey, group.id, { action: 'approve', note: 'mine' });
    expect(res.status).toBe(403);
    expect(res.body.messageZh).toMatch(/审贷分离/);
    const officerTry = await review(officer, group.id, { action: 'approve', note: 'x' });
    expect(officerTry.status).toBe(403);
    const unchanged = await t.http.get(`/v1/guarantee-groups/${group.id}`).set(bearer(officer));
    expect(unchanged.body.status).toBe('referred');
  });

  it('only a referred group is reviewed; a note is required', async () => {
    const [a, b, c] = await h.merchants(3);
    const forming = await h.formOk([a as string, b as string, c as string]);
    const res = await review(reviewer, forming.id, { action: 'approve', note: 'early' });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('INVALID_STATE');
    const noNote = await review(reviewer, forming.id, { action: 'approve' });
    expect(noNote.status).toBe(400);
    expect(JSON.stringify(noNote.body.details)).toContain('body.note');
  });
});
