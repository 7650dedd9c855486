import { seedDemo } from '../helpers/fixtures';
import { bearer, createTestApp, type TestApp } from '../helpers/test-app';
import { usingPostgres } from '../helpers/test-database';
import { MJY } from '../modules/origination/applications/helpers';
import { networkHelpers } from '../modules/origination/guarantee-groups/network-helpers';

/**
 * Reviewers deciding one referred group at once (PostgreSQL only: PGlite is one connection):
 * the group's lock lets exactly one decide it; every other answers 409 and changes nothing, and
 * the members' loans end all offered or all withdrawn.
 */
const describePg = usingPostgres ? describe : describe.skip;

describePg('parallel reviews of a referred group (PostgreSQL)', () => {
  let t: TestApp;
  let h: ReturnType<typeof networkHelpers>;
  const reviewers: string[] = [];

  beforeAll(async () => {
    t = await createTestApp({ env: { DATABASE_POOL_MAX: '20' } });
    await seedDemo(t);
    const officer = await t.issueKey('officer', { marketIds: [MJY] });
    h = networkHelpers(t, {
      officer,
      riskA: await t.issueKey('risk'),
      riskB: await t.issueKey('risk'),
    });
    await h.networkRules({
      action: 'refer',
      maxCircleSize: 5,
      allowSharedPairs: false,
      maxCircleBorrowing: 100_000_000_000,
    });
    for (let i = 0; i < 4; i++) reviewers.push(await t.issueKey('reviewer'));
  });
  afterAll(() => t.close());

  it('16 reviews at once, approvals and declines: one decides, the rest get 409', async () => {
    for (let round = 0; round < 3; round++) {
      const { closing } = await h.triangle();
      const group = await h.formOk(closing);
      await h.applyAll(closing, group.id);
      const results = await Promise.all(
        Array.from({ length: 16 }, (_, i) =>
          t.http
            .post(`/v1/guarantee-groups/${group.id}/review`)
            .set(bearer(reviewers[i % reviewers.length] as string))
            .send({ action: i % 2 === 0 ? 'approve' : 'decline', note: `review ${i}` }),
        ),
      );
      const decided = results.filter((r) => r.status === 200);
      expect(decided).toHaveLength(1);
      for (const r of results.filter((x) => x.status !== 200)) {
        expect(r.status).toBe(409);
        expect(r.body.code).toBe('INVALID_STATE');
      }
      const read = await t.http.get(`/v1/guarantee-groups/${group.id}`).set(bearer(t.adminKey));
      const status = decided[0]?.body.status;
      expect(read.body.status).toBe(status);
      const offerStatuses = new Set(
        read.body.members.map((m: { offerStatus: string }) => m.offerStatus),
      );
      expect([...offerStatuses]).toEqual([status === 'offered' ? 'offered' : 'withdrawn']);
      expect(read.body.decision.review.note).toBe(decided[0]?.body.decision.review.note);
    }
  });
});
