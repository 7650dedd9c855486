/**
 * A guarantee group's size comes from the champion policy (products.joint_guarantee
 * minGroupSize-maxGroupSize), not from a 3-5 written into the route: the risk team may allow
 * pairs or larger groups without a release.
 */

import { seedDemo } from '../../../helpers/fixtures';
import { makeChampion } from '../../../helpers/policies';
import { bearer, createTestApp, type TestApp } from '../../../helpers/test-app';
import { createMerchants, MJY, paths } from '../applications/helpers';

describe('group size read from the policy', () => {
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
  });
  afterAll(() => t.close());

  const members = (n: number) => createMerchants(t, n);
  const form = async (n: number) =>
    t.http
      .post('/v1/guarantee-groups')
      .set(bearer(officer))
      .send({ marketId: MJY, memberIds: await members(n) });

  it('refuses 2 and 6 under the default policy (3-5), 400 naming body.memberIds', async () => {
    for (const n of [2, 6]) {
      const res = await form(n);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(paths(res.body)).toEqual(['body.memberIds']);
      expect(res.body.details[0].messageZh).toEqual(expect.any(String));
    }
  });

  it('forms a pair and a group of 6 once the champion allows 2-6', async () => {
    await makeChampion(
      t,
      { products: { joint_guarantee: { minGroupSize: 2, maxGroupSize: 6 } } },
      { author: riskA, publisher: riskB },
    );

    expect((await form(2)).status).toBe(201);
    expect((await form(6)).status).toBe(201);
    const seven = await form(7);
    expect(seven.status).toBe(400);
    expect(paths(seven.body)).toEqual(['body.memberIds']);
  });
});
