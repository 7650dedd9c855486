import { makeChampion } from '../../../helpers/policies';
import { bearer, type TestApp } from '../../../helpers/test-app';
import {
  applicationBody,
  createMerchants,
  MJY,
  strongSurvey,
  submit,
} from '../applications/helpers';

/** Forming groups and changing the network rules of the active policy, for the network's tests. */
export function networkHelpers(
  t: TestApp,
  keys: { officer: string; riskA: string; riskB: string },
) {
  const merchants = (n: number) => createMerchants(t, n);
  const form = (memberIds: string[]) =>
    t.http
      .post('/v1/guarantee-groups')
      .set(bearer(keys.officer))
      .send({ marketId: MJY, memberIds });
  const formOk = async (memberIds: string[]) => {
    const res = await form(memberIds);
    if (res.status !== 201) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  /** Publishes (four eyes) and activates the active policy with its network rules changed. */
  const networkRules = (network: Record<string, unknown>) =>
    makeChampion(t, { guaranteeNetwork: network }, { author: keys.riskA, publisher: keys.riskB });
  /** Two groups {A,B,X} and {B,C,Y}: a new group {C,A,Z} closes a circle of 6. */
  const triangle = async () => {
    const [a, b, c, x, y, z] = (await merchants(6)) as [
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    await formOk([a, b, x]);
    await formOk([b, c, y]);
    return { closing: [c, a, z], circle: [a, b, c, x, y, z].sort() };
  };
  /** Every member applies for a joint-guarantee loan of 20万 in the group (201 each). */
  const applyAll = async (memberIds: string[], groupId: string) => {
    for (const m of memberIds) {
      const res = await submit(
        t,
        keys.officer,
        applicationBody(m, strongSurvey(), {
          product: 'joint_guarantee',
          guaranteeGroupId: groupId,
          amount: 20_000_000,
          termMonths: 12,
        }),
      );
      if (res.status !== 201) throw new Error(`apply: ${res.status} ${JSON.stringify(res.body)}`);
    }
  };
  return { merchants, form, formOk, networkRules, triangle, applyAll };
}
