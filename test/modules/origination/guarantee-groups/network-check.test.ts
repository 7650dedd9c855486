/**
 * groupNetworkCheck (the formation check form-group runs): when the policy refuses and the
 * circle's size already refuses the group, the circle's borrowing is not read (the answer cannot
 * change); when the policy refers, it is read and every finding is recorded.
 */
import { sql } from 'drizzle-orm';
import { defaultPolicyDocument } from '../../../../src/credit';
import { NetworkCache } from '../../../../src/modules/origination/network-cache';
import { groupNetworkCheck } from '../../../../src/modules/origination/network-check';
import { seedDemo } from '../../../helpers/fixtures';
import { createTestApp, type TestApp } from '../../../helpers/test-app';
import { MJY } from '../applications/helpers';
import { networkHelpers } from './network-helpers';

describe('groupNetworkCheck', () => {
  let t: TestApp;
  let h: ReturnType<typeof networkHelpers>;

  beforeAll(async () => {
    t = await createTestApp();
    await seedDemo(t);
    h = networkHelpers(t, {
      officer: await t.issueKey('officer', { marketIds: [MJY] }),
      riskA: await t.issueKey('risk'),
      riskB: await t.issueKey('risk'),
    });
  });
  afterAll(() => t.close());

  it("reads the circle's borrowing only when it can change the answer", async () => {
    const { closing, circle } = await h.triangle();
    // Each merchant of the circle owes 10万元 (its ledger row), 60万 in all.
    await t.testDb.database.db.execute(sql`
      insert into exposure_ledger (borrower, held, updated_at)
      select id_number_digest, 10000000, now() from merchants
      where id in (select jsonb_array_elements_text(${JSON.stringify(circle)}::jsonb))
      on conflict (borrower) do update set held = excluded.held, loans = 0, card_limits = 0`);
    const base = defaultPolicyDocument.guaranteeNetwork;
    if (!base) throw new Error('no network rules');
    const rules = { ...base, maxCircleSize: 5, maxCircleBorrowing: 50_000_000 };
    const db = t.testDb.database.db;

    const referred = await groupNetworkCheck(db, new NetworkCache(), MJY, closing, {
      ...rules,
      action: 'refer',
    });
    expect(referred.figures.circle).toEqual(circle);
    expect(referred.figures.circleBorrowing).toBe(60_000_000);
    expect(referred.findings).toEqual([
      'GUARANTEE_CIRCLE_TOO_LARGE',
      'GUARANTEE_CIRCLE_CAP_EXCEEDED',
    ]);

    const refused = await groupNetworkCheck(db, new NetworkCache(), MJY, closing, {
      ...rules,
      action: 'refuse',
    });
    expect(refused.findings).toEqual(['GUARANTEE_CIRCLE_TOO_LARGE']);
    expect(refused.figures.circleBorrowing).toBe(0);

    // A circle within the size: the cap alone decides, so the borrowing is read to refuse it.
    const wide = await groupNetworkCheck(db, new NetworkCache(), MJY, closing, {
      ...rules,
      maxCircleSize: 8,
      action: 'refuse',
    });
    expect(wide.figures.circleBorrowing).toBe(60_000_000);
    expect(wide.findings).toEqual(['GUARANTEE_CIRCLE_CAP_EXCEEDED']);
  });
});
