/** A policy's own test cases through the API: validate runs them, publish refuses failures. */
import { seedDemo } from '../../helpers/fixtures';
import { bearer, createTestApp, type TestApp } from '../../helpers/test-app';

describe('policy test cases and strict documents through the API', () => {
  let t: TestApp;
  let riskA: string;
  let riskB: string;
  let championId: string;
  beforeAll(async () => {
    t = await createTestApp();
    await seedDemo(t);
    riskA = await t.issueKey('risk');
    riskB = await t.issueKey('risk');
    championId = (await t.http.get('/v1/policies/active').set(bearer(riskA))).body.id;
  });
  afterAll(() => t.close());

  const draftClone = async (changes: object) => {
    const res = await t.http
      .post('/v1/policies')
      .set(bearer(riskA))
      .send({ cloneOf: championId, changes });
    expect(res.status).toBe(201);
    return res.body as { id: string; valid: boolean };
  };
  const paths = (problems: { path: string }[]) => problems.map((p) => p.path);

  it('validate runs the test cases and reports each failure with the case name', async () => {
    const draft = await draftClone({ outcomes: { approveMinScore: 670 }, grades: { A: 680 } });
    expect(draft.valid).toBe(false);
    const res = await t.http.post(`/v1/policies/${draft.id}/validate`).set(bearer(riskA));
    expect(res.status).toBe(200);
    expect(res.body.valid).toBe(false);
    expect(paths(res.body.problems)).toEqual(
      expect.arrayContaining(['testCases[0].expect.outcome', 'testCases[0].expect.products']),
    );
    const outcome = res.body.problems.find(
      (p: { path: string }) => p.path === 'testCases[0].expect.outcome',
    );
    expect(outcome.message).toMatch(/Majiayan wholesaler.*expected approve, got refer/);
  });

  it('publish refuses a policy whose test cases fail, and publishes one whose cases pass', async () => {
    const failing = await draftClone({ outcomes: { approveMinScore: 670 }, grades: { A: 680 } });
    const refused = await t.http.post(`/v1/policies/${failing.id}/publish`).set(bearer(riskB));
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('POLICY_INVALID');
    expect(paths(refused.body.details)).toContain('document.testCases[0].expect.outcome');
    const passing = await draftClone({ name: 'same rules, cases pass' });
    const published = await t.http.post(`/v1/policies/${passing.id}/publish`).set(bearer(riskB));
    expect(published.status).toBe(200);
  });

  it('names unknown keys instead of dropping them', async () => {
    const draft = await draftClone({ cashFlow: { minDscrr: 1.5 }, products: { store_loan: {} } });
    const res = await t.http.post(`/v1/policies/${draft.id}/validate`).set(bearer(riskA));
    expect(res.body.problems).toEqual([
      {
        path: 'cashFlow.minDscrr',
        message: 'unknown key minDscrr',
        messageZh: '未知字段 minDscrr',
      },
      {
        path: 'products.store_loan',
        message: 'unknown key store_loan',
        messageZh: '未知字段 store_loan',
      },
    ]);
  });
});
