/**
 * A guarantee group's size comes from the champion policy (products.joint_guarantee
 * minGroupSize-maxGroupSize), not from a 3-5 written into the route: the risk team may allow
 * pairs or larger groups without a release.
 */

import { seedDemo } from '../../../helpers/fixtures';
import { bearer, createTestApp, type TestApp } from '../../../helpers/test-app';
import { createMerchant, MJY, paths } from '../applications/helpers';

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

  const members = async (n: number) => {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) ids.push(await createMerchant(t, t.adminKey, MJY));
    return ids;
  };
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
    const active = await t.http.get('/v1/policies/active').set(bearer(riskA));
    const draft = await t.http
      .post('/v1/policies')
      .set(bearer(riskA))
      .send({
        cloneOf: active.body.id,
        changes: { products: { joint_guarantee: { minGroupSize: 2, maxGroupSize: 6 } } },
      });
    expect(draft.status).toBe(201);
    await t.http.post(`/v1/policies/${draft.body.id}/publish`).set(bearer(riskB)).expect(200);
    await t.http
      .post(`/v1/policies/${draft.body.id}/activate`)
      .set(bearer(riskA))
      .send({ role: 'champion' })
      .expect(200);

    expect((await form(2)).status).toBe(201);
    expect((await form(6)).status).toBe(201);
    const seven = await form(7);
    expect(seven.status).toBe(400);
    expect(paths(seven.body)).toEqual(['body.memberIds']);
  });
});
