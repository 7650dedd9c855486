/**
 * The guarantee network at group formation and at the group's decision (issue #16): how many
 * live groups a merchant may join, shared pairs, circles beyond the policy's size, the circle's
 * borrowing cap, refusal or referral as the policy says, and the figures the decision shows.
 */
import { seedDemo } from '../../../helpers/fixtures';
import { bearer, createTestApp, type TestApp } from '../../../helpers/test-app';
import { MJY } from '../applications/helpers';
import { networkHelpers } from './network-helpers';

describe('guarantee network rules (担保圈)', () => {
  let t: TestApp;
  let riskA: string;
  let riskB: string;
  let officer: string;

  beforeAll(async () => {
    t = await createTestApp();
    await seedDemo(t);
    riskA = await t.issueKey('risk');
    riskB = await t.issueKey('risk');
    officer = await t.issueKey('officer', { marketIds: [MJY] });
    h = networkHelpers(t, { officer, riskA, riskB });
  });
  afterAll(() => t.close());

  let h: ReturnType<typeof networkHelpers>;
  const merchants = (n: number) => h.merchants(n);
  const form = (memberIds: string[]) => h.form(memberIds);
  const formOk = (memberIds: string[]) => h.formOk(memberIds);
  const networkRules = (network: Record<string, unknown>) => h.networkRules(network);
  const triangle = () => h.triangle();

  describe('under the default policy (two groups, no shared pairs, circles of at most 8)', () => {
    it('a group that shares one member with a live group is accepted: no circle', async () => {
      const [a, b, c, d, e] = (await merchants(5)) as string[];
      await formOk([a, b, c] as string[]);
      const second = await formOk([a, d, e] as string[]);
      expect(second.network).toMatchObject({ circle: [], sharedPairs: [], referred: false });
      expect(second.network.chainLength).toBe(1);
    });

    it('one that shares a pair is refused (409), naming the pair in Chinese and English', async () => {
      const [a, b, c, d] = (await merchants(4)) as string[];
      await formOk([a, b, c] as string[]);
      const res = await form([a, b, d] as string[]);
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('GUARANTEE_NETWORK_REFUSED');
      expect(res.body.messageZh).toContain('互相担保');
      expect(res.body.details[0].message).toContain('GUARANTEE_PAIR_SHARED');
      expect(res.body.details[0].message).toContain([a, b].sort().join(' & '));
      expect(res.body.details[0].path).toBe('body.memberIds');
    });

    it('a third live group for one merchant is refused (maxGroupsPerMerchant 2)', async () => {
      const [a, ...rest] = (await merchants(7)) as string[];
      await formOk([a, rest[0], rest[1]] as string[]);
      await formOk([a, rest[2], rest[3]] as string[]);
      const res = await form([a, rest[4], rest[5]] as string[]);
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('MERCHANT_GROUP_LIMIT_REACHED');
    });

    it('a circle within the size is formed and its figures shown', async () => {
      const { closing, circle } = await triangle();
      const group = await formOk(closing);
      expect(group.network).toMatchObject({ circle, sharedPairs: [], referred: false });
      expect(group.network.chainLength).toBeGreaterThanOrEqual(2);
      const read = await t.http.get(`/v1/guarantee-groups/${group.id}`).set(bearer(officer));
      expect(read.body.network).toEqual(group.network);
    });
  });

  it('a circle beyond the policy size is refused, or formed for review when the policy refers', async () => {
    await networkRules({
      action: 'refuse',
      maxCircleSize: 5,
      allowSharedPairs: false,
      maxCircleBorrowing: 100_000_000_000,
    });
    const refused = await triangle();
    const res = await form(refused.closing);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('GUARANTEE_NETWORK_REFUSED');
    expect(res.body.details[0].message).toContain('GUARANTEE_CIRCLE_TOO_LARGE');
    expect(res.body.details[0].messageZh).toContain('担保圈');

    await networkRules({
      action: 'refer',
      maxCircleSize: 5,
      allowSharedPairs: false,
      maxCircleBorrowing: 100_000_000_000,
    });
    const referred = await triangle();
    const group = await formOk(referred.closing);
    expect(group.network.referred).toBe(true);
    expect(group.network.circle).toEqual(referred.circle);
    expect(group.network.findings.map((f: { code: string }) => f.code)).toEqual([
      'GUARANTEE_CIRCLE_TOO_LARGE',
    ]);
    expect(group.network.findings[0].textEn).toMatch(/circle/);
  });

  it('a refusal names the first members of a large circle and how many it holds', async () => {
    await networkRules({
      action: 'refuse',
      maxCircleSize: 8,
      allowSharedPairs: false,
      maxCircleBorrowing: 100_000_000_000,
    });
    // A ring of five groups {a_i, a_i+1, b_i}; a sixth {a_5, a_0, z} closes a circle of 12.
    const a = await merchants(6);
    const b = await merchants(5);
    for (let i = 0; i < 5; i++) await formOk([a[i], a[i + 1], b[i]] as string[]);
    const [z] = await merchants(1);
    const res = await form([a[5], a[0], z] as string[]);
    expect(res.status).toBe(409);
    const detail = res.body.details[0];
    expect(detail.message).toContain('GUARANTEE_CIRCLE_TOO_LARGE');
    expect(detail.message).toMatch(/, … 12 in all\)$/);
    expect(detail.messageZh).toMatch(/ 等共 12 户\)$/);
    expect(detail.message.split(', ')).toHaveLength(11);
  });

  it("at the decision the circle's borrowing counts against the per-circle cap: the group is declined with the figures", async () => {
    await networkRules({
      action: 'refuse',
      maxCircleSize: 8,
      allowSharedPairs: false,
      maxCircleBorrowing: 50_000_000,
    });
    const { closing, circle } = await triangle();
    const group = await formOk(closing);
    expect(group.network.circleBorrowing).toBe(0);
    await h.applyAll(closing, group.id);
    const decided = await t.http.get(`/v1/guarantee-groups/${group.id}`).set(bearer(officer));
    expect(decided.body.status).toBe('declined');
    const decision = decided.body.decision;
    expect(decision.reasons.map((r: { code: string }) => r.code)).toContain(
      'GUARANTEE_CIRCLE_CAP_EXCEEDED',
    );
    expect(decision.network).toMatchObject({
      circle,
      circleBorrowingCap: 50_000_000,
      findings: ['GUARANTEE_CIRCLE_CAP_EXCEEDED'],
    });
    // The three members' pending loans of 200,000 元 each.
    expect(decision.network.circleBorrowing).toBeGreaterThan(50_000_000);
    for (const m of decision.members) {
      expect(m.contingentAcrossGroups).toBeGreaterThanOrEqual(m.contingentLiability);
    }
    const reason = decision.reasons.find(
      (r: { code: string }) => r.code === 'GUARANTEE_CIRCLE_CAP_EXCEEDED',
    );
    expect(reason.textZh).toContain('担保圈');
    // Declined: the group's edges are gone, its members' ledgers hold nothing of it.
    const edges = await t.testDb.database.db.execute(
      `select count(*)::int as n from guarantee_edges where group_id = '${group.id}'`,
    );
    expect((edges as unknown as { rows: { n: number }[] }).rows[0]?.n).toBe(0);
  });
});
