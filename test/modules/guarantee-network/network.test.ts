import { guaranteeEdges } from '../../../src/db/schema';
import { seedDemo } from '../../helpers/fixtures';
import { bearer, createTestApp, type TestApp } from '../../helpers/test-app';
import { KAI, MJY, OPR_MJY, strongSurvey, submitOk } from '../origination/applications/helpers';

/**
 * The read side of the guarantee network against the real app and database: edges are written
 * straight into guarantee_edges (their writer is origination's settleEdges, tested there), the
 * merchants' profits come from applications submitted through the API.
 *   Majiayan: group g_t1 of mjy01, mjy02, mjy03 (loans 1,000,000 元 each); mjy04 guarantees
 *   100,000 元 of mjy03's loan individually; the operator guarantees 500,000 元 of mjy01's.
 *   Kai'en: kai01 and kai02 guarantee each other (a pair), to show that markets are apart.
 * Profits: mjy01-03 submitted the strong survey: 15,000,000 元 x 0.12 = 1,800,000 元 =
 * 180,000,000 fen a year, buffer 0.5 x that = 90,000,000 fen; mjy04 has no application.
 */
const LOAN = 100_000_000;
const m = (n: number) => `mer_demo_mjy0${n}`;

function edge(
  guarantor: string,
  borrower: string,
  amountFen: number,
  source: 'group' | 'individual' | 'operator',
  marketId = MJY,
) {
  return {
    id: `${source}:${guarantor}:${borrower}`,
    marketId,
    guarantorKind: source === 'operator' ? ('operator' as const) : ('merchant' as const),
    guarantorId: guarantor,
    borrowerMerchantId: borrower,
    source,
    groupId: source === 'group' ? 'grp_t1' : null,
    applicationId: source === 'group' ? null : `app_t_${borrower}`,
    amountFen,
  };
}

describe('guarantee network routes', () => {
  let t: TestApp;
  let risk: string;
  let officer: string;

  beforeAll(async () => {
    t = await createTestApp();
    await seedDemo(t);
    officer = await t.issueKey('officer', { marketIds: [MJY, KAI] });
    risk = await t.issueKey('risk');
    for (const n of [1, 2, 3]) await submitOk(t, officer, m(n), strongSurvey());
    const members = [1, 2, 3].map(m);
    const rows = members.flatMap((g) =>
      members.filter((b) => b !== g).map((b) => edge(g, b, LOAN, 'group')),
    );
    rows.push(edge(m(4), m(3), 10_000_000, 'individual'));
    rows.push(edge(OPR_MJY, m(1), 50_000_000, 'operator'));
    rows.push(edge('mer_demo_kai01', 'mer_demo_kai02', 1_000, 'individual', KAI));
    rows.push(edge('mer_demo_kai02', 'mer_demo_kai01', 1_000, 'individual', KAI));
    await t.testDb.database.db.delete(guaranteeEdges);
    await t.testDb.database.db.insert(guaranteeEdges).values(rows);
  });
  afterAll(async () => {
    await t.close();
  });

  const get = (query: string, key = risk, accept = 'application/json') =>
    t.app.inject({
      method: 'GET',
      url: `/v1/risk/guarantee-network${query}`,
      headers: { ...bearer(key), accept },
    });
  const stress = (body: object, key = risk) =>
    t.http.post('/v1/risk/guarantee-network/stress').set(bearer(key)).send(body);

  it('answers the market as JSON: nodes, edges, circles, figures', async () => {
    const res = await get(`?marketId=${MJY}`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.market.id).toBe(MJY);
    expect(body.edges).toHaveLength(8);
    expect(body.circles).toEqual([
      {
        id: 'circle-1',
        members: [m(1), m(2), m(3)],
        shape: 'triangle',
        mutualPairs: 3,
        riskiest: true,
        cluster: 1,
        groupIds: ['grp_t1'],
        guaranteed: 6 * LOAN,
      },
    ]);
    const node = (id: string) => body.nodes.find((n: { id: string }) => n.id === id);
    expect(node(m(1))).toMatchObject({
      kind: 'merchant',
      annualNetProfit: 180_000_000,
      contingentLiability: 2 * LOAN,
      // The group loan once, plus the operator's guarantee.
      guaranteedBorrowing: LOAN + 50_000_000,
      circleIds: ['circle-1'],
    });
    expect(node(m(4))).toMatchObject({
      annualNetProfit: null,
      contingentLiability: 10_000_000,
      chainLength: 1,
    });
    expect(node(OPR_MJY)).toMatchObject({ kind: 'operator', chainLength: 1 });
    expect(body.figures).toMatchObject({
      operators: 1,
      circles: 1,
      riskiestCircles: 1,
      longestChain: 1,
    });
    // Kai'en's pair is another market's.
    expect(body.nodes.some((n: { id: string }) => n.id.startsWith('mer_demo_kai'))).toBe(false);
  });

  it('answers an SVG picture when asked for one', async () => {
    const res = await get(`?marketId=${MJY}`, risk, 'image/svg+xml');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.payload.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(res.payload).toContain('马家岩建材市场');
    expect(res.payload.match(/<polygon /g)).toHaveLength(1);
    // JSON preferred by q-values wins over SVG.
    const json = await get(`?marketId=${MJY}`, risk, 'image/svg+xml;q=0.5, application/json');
    expect(json.headers['content-type']).toMatch(/^application\/json/);
  });

  it('is the risk team’s only: officers 403, unknown market 404, missing market 400', async () => {
    expect((await get(`?marketId=${MJY}`, officer)).statusCode).toBe(403);
    expect((await get('?marketId=mkt_nowhere')).statusCode).toBe(404);
    const missing = await get('');
    expect(missing.statusCode).toBe(400);
    expect(missing.json().details[0].path).toContain('marketId');
    expect((await stress({ marketId: MJY, defaults: [m(1)] }, officer)).status).toBe(403);
  });

  it('stresses one market: a default the guarantors can carry stops after one round', async () => {
    const res = await stress({ marketId: MJY, defaults: [m(1)] });
    expect(res.status).toBe(200);
    // mjy01's group loan 100,000,000 shared by mjy02 and mjy03: 50,000,000 each, within their
    // 90,000,000 buffers; the operator pays its 50,000,000.
    expect(res.body.rounds).toHaveLength(1);
    expect(res.body.rounds[0]).toMatchObject({
      defaulted: [m(1)],
      called: 150_000_000,
      calledFromMerchants: 100_000_000,
      calledFromOperators: 50_000_000,
      lenderLoss: 0,
    });
    expect(res.body.failureShareOfAnnualNetProfit).toBe(0.5);
    expect(res.body.totals).toEqual({ called: 150_000_000, paid: 150_000_000, lenderLoss: 0 });
    // Only mjy01 defaulted: the cascade's one central merchant. DebtRank by hand: W(1->2) =
    // W(1->3) = 50,000,000 / 90,000,000 = 5/9; step 2: mjy02 and mjy03 distress each other,
    // h = 5/9 + 5/9 x 5/9 = 70/81, and mjy03 distresses mjy04 (no buffer: W = 1, h = 5/9).
    // Values (guaranteed borrowing, 360,000,000 in all): mjy02 100/360, mjy03 110/360, mjy04 0.
    // DebtRank = 70/81 x 210/360 = 0.504115.
    expect(res.body.central).toEqual([{ merchantId: m(1), debtRank: 0.504115, reach: 3 }]);
  });

  it('cascades to a guarantor without a known profit', async () => {
    const res = await stress({ marketId: MJY, defaults: [m(3)] });
    expect(res.status).toBe(200);
    // Round 1: mjy01 and mjy02 pay 50,000,000 each of mjy03's loan; mjy04 is called for its
    // 10,000,000 with no known profit (buffer 0): it fails. Round 2: mjy04 defaults, guarantees
    // nobody's loan of its own and leaves its 10,000,000 unpaid: the lender's loss.
    expect(res.body.rounds.map((r: { defaulted: string[] }) => r.defaulted)).toEqual([
      [m(3)],
      [m(4)],
    ]);
    expect(res.body.rounds[0].calls).toContainEqual({
      guarantorId: m(4),
      guarantorKind: 'merchant',
      amount: 10_000_000,
      calledTotal: 10_000_000,
      buffer: 0,
      fails: true,
    });
    expect(res.body.failed).toEqual([m(4)]);
    expect(res.body.totals).toEqual({
      called: 110_000_000,
      paid: 100_000_000,
      lenderLoss: 10_000_000,
    });
  });

  it('draws defaults by seed reproducibly, across every market when none is given', async () => {
    const body = { defaults: { share: 0.3, seed: 42 } };
    const a = await stress(body);
    const b = await stress(body);
    expect(a.status).toBe(200);
    expect(a.body.marketId).toBeNull();
    expect(a.body.initialDefaults).toEqual(b.body.initialDefaults);
    expect(a.body.rounds).toEqual(b.body.rounds);
    // 12 demo merchants, 30%: 4.
    expect(a.body.initialDefaults).toHaveLength(4);
  });

  it('names the field of an id that is no merchant in scope', async () => {
    const res = await stress({ marketId: MJY, defaults: [m(1), 'mer_demo_kai01'] });
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([expect.objectContaining({ path: 'body.defaults.1' })]);
    expect(res.body.details[0].messageZh).toBeTruthy();
    expect((await stress({ defaults: { share: 2, seed: 1 } })).status).toBe(400);
    expect((await stress({ marketId: 'mkt_nowhere', defaults: [m(1)] })).status).toBe(404);
  });
});
