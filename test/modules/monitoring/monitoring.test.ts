import { policies } from '../../../src/db/schema';
import { seedDemo } from '../../helpers/fixtures';
import { bearer, createTestApp, type TestApp } from '../../helpers/test-app';
import { usingPostgres } from '../../helpers/test-database';
import { paths } from '../origination/applications/helpers';
import {
  apply,
  type Loan,
  loan,
  movableClock,
  recordOk,
  reviewApprove,
  type SurveyName,
  takeFirstOffer,
} from './helpers';

/**
 * A small book made through the API under the default policy, with outcomes recorded through
 * the API, and every number of the monitoring answer computed by hand below.
 *
 * Period [2026-03-01, 2026-06-01); default baseline: the 92 days before, [2025-11-29, 2026-03-01).
 *
 * Loans decided in the period, latest outcome dated before 2026-06-01:
 *   L1 635 B  current                                   good
 *   L2 645 B  late_30, then late_90                     bad
 *   L3 620 C  default                                   bad
 *   L4 610 C  repaid                                    good
 *   L5 655 B  late_90, then current (cured)             good
 *   L6 605 C  default                                   bad
 *   L7 665 A  current; late_90 on 2026-06-05 (after the period: ignored)   good
 * Not counted: L8 605 C (its only outcome is dated 2026-06-02), L10 675 A (offer never
 * taken), L9 575 D (declined), B1 635 B (decided in February, default in March).
 *
 * count 7, bads 3, badRate 3/7 = 0.428571
 * by grade: A 1/0 = 0; B 3/1 = 0.333333; C 3/2 = 0.666667
 *
 * goods 635 610 655 665, bads 645 620 605 (12 pairs); good beats bad:
 *   635 > 620, 605 -> 2;  610 > 605 -> 1;  655 -> 3;  665 -> 3;  total 9
 *   AUC = 9/12 = 0.75, Gini = 2·0.75 − 1 = 0.5
 * KS, cumulative shares at each score:
 *   t:      605  610  620  635  645  655  665
 *   F_bad:  1/3  1/3  2/3  2/3  1    1    1
 *   F_good: 0    1/4  1/4  2/4  2/4  3/4  1
 *   gap:    1/3  1/12 5/12 1/6  1/2  1/4  0     -> KS = 0.5
 *
 * PSI, model decisions of the policy:
 *   period:   575 605 605 610 620 635 645 655 665 675 (L9 at 2026-03-01T00:00Z is in;
 *             a decision at 2026-06-01T00:00Z is out)                        10 decisions
 *   baseline: 610 (2025-12-01), 645 (2025-12-10), 635 (2026-01-05), 635 (B1), 620 (2026-02-20)
 *             (a 675 on 2025-11-20 is before the baseline)                    5 decisions
 *   bins      [560,580) [580,600) [600,620) [620,640) [640,660) [660,680)
 *   expected   0         0         .2        .6        .2        0
 *   actual     .1        0         .3        .2        .2        .2
 *   PSI = (.1 − .0001)·ln(.1/.0001) + 0 + (.3 − .2)·ln(.3/.2) + (.2 − .6)·ln(.2/.6) + 0
 *         + (.2 − .0001)·ln(.2/.0001)
 *       = 0.6900848 + 0.0405465 + 0.4394449 + 1.5194204 = 2.6894966
 * (an empty bin in both samples adds (ε − ε)·ln(1) = 0)
 */
describe('GET /v1/policies/:id/monitoring', () => {
  let t: TestApp;
  const time = movableClock('2025-11-20T10:00:00.000Z');
  let risk: string;
  let officer: string;
  let reviewer: string;
  let policy: { id: string; version: number };
  const L: Record<string, Loan> = {};

  const at = async (instant: string, name: SurveyName) => {
    time.set(instant);
    return loan(t, name);
  };
  const decisionOnly = async (instant: string, name: SurveyName) => {
    time.set(instant);
    return apply(t, name);
  };
  const monitoring = (query: string, key = risk, id = policy.id) =>
    t.http.get(`/v1/policies/${id}/monitoring?${query}`).set(bearer(key));

  beforeAll(async () => {
    t = await createTestApp({ clock: time.clock });
    await seedDemo(t);
    risk = await t.issueKey('risk');
    officer = await t.issueKey('officer', { marketIds: ['mkt_demo_majiayan'] });
    reviewer = await t.issueKey('reviewer');

    // Before the baseline, and the baseline.
    await decisionOnly('2025-11-20T10:00:00.000Z', 'a675');
    await decisionOnly('2025-12-01T10:00:00.000Z', 'c610');
    await decisionOnly('2025-12-10T10:00:00.000Z', 'b645');
    await decisionOnly('2026-01-05T10:00:00.000Z', 'b635');
    L.B1 = await at('2026-02-10T10:00:00.000Z', 'b635');
    await decisionOnly('2026-02-20T10:00:00.000Z', 'c620');

    // The period.
    const declined = await decisionOnly('2026-03-01T00:00:00.000Z', 'd575');
    expect(declined.status).toBe('declined');
    L.L1 = await at('2026-03-02T10:00:00.000Z', 'b635');
    L.L2 = await at('2026-03-05T10:00:00.000Z', 'b645');
    L.L3 = await at('2026-03-09T10:00:00.000Z', 'c620');
    L.L4 = await at('2026-03-12T10:00:00.000Z', 'c610');
    L.L5 = await at('2026-03-16T10:00:00.000Z', 'b655');
    L.L6 = await at('2026-03-20T10:00:00.000Z', 'c605');
    L.L7 = await at('2026-04-02T10:00:00.000Z', 'a665');
    L.L8 = await at('2026-04-20T10:00:00.000Z', 'c605');
    await decisionOnly('2026-05-31T23:59:59.000Z', 'a675');
    await decisionOnly('2026-06-01T00:00:00.000Z', 'c605');

    time.set('2026-06-10T10:00:00.000Z');
    const outcomes: [string, string, string][] = [
      ['B1', 'default', '2026-03-15'],
      ['L1', 'current', '2026-04-15'],
      ['L2', 'late_30', '2026-04-10'],
      ['L2', 'late_90', '2026-05-10'],
      ['L3', 'default', '2026-05-20'],
      ['L4', 'repaid', '2026-05-25'],
      ['L5', 'late_90', '2026-04-20'],
      ['L5', 'current', '2026-05-20'],
      ['L6', 'default', '2026-05-01'],
      ['L7', 'current', '2026-05-05'],
      ['L7', 'late_90', '2026-06-05'],
      ['L8', 'late_90', '2026-06-02'],
    ];
    for (const [name, status, asOf] of outcomes)
      await recordOk(t, risk, (L[name] as Loan).offerId, status, asOf);
    policy = { id: (L.L1 as Loan).policyId, version: (L.L1 as Loan).policyVersion };
  });
  afterAll(() => t.close());

  it('the book is what the hand computation assumes', () => {
    const seen = Object.fromEntries(
      Object.entries(L).map(([k, v]) => [k, `${v.score} ${v.grade}`]),
    );
    expect(seen).toEqual({
      B1: '635 B',
      L1: '635 B',
      L2: '645 B',
      L3: '620 C',
      L4: '610 C',
      L5: '655 B',
      L6: '605 C',
      L7: '665 A',
      L8: '605 C',
    });
    for (const l of Object.values(L)) expect(l.policyId).toBe(policy.id);
  });

  it('answers the hand-computed numbers', async () => {
    const res = await monitoring('since=2026-03-01&until=2026-06-01');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      policy,
      period: { since: '2026-03-01', until: '2026-06-01' },
      count: 7,
      bads: 3,
      badRate: 0.428571,
      badRateByGrade: [
        { grade: 'A', count: 1, bads: 0, badRate: 0 },
        { grade: 'B', count: 3, bads: 1, badRate: 0.333333 },
        { grade: 'C', count: 3, bads: 2, badRate: 0.666667 },
      ],
      gini: 0.5,
      ks: 0.5,
      psi: {
        value: expect.any(Number),
        baseline: { since: '2025-11-29', until: '2026-03-01', count: 5 },
        current: { count: 10 },
        bins: [
          { from: 560, to: 580, expected: 0, actual: 0.1 },
          { from: 580, to: 600, expected: 0, actual: 0 },
          { from: 600, to: 620, expected: 0.2, actual: 0.3 },
          { from: 620, to: 640, expected: 0.6, actual: 0.2 },
          { from: 640, to: 660, expected: 0.2, actual: 0.2 },
          { from: 660, to: 680, expected: 0, actual: 0.2 },
        ],
      },
    });
    expect(res.body.psi.value).toBeCloseTo(2.6894966, 6);
  });

  it('takes an explicit baseline', async () => {
    /*
     * baseline [2025-11-01, 2025-12-01): only the 675 of 2025-11-20 (the 610 is on 2025-12-01)
     * expected: [660,680) 1, every other bin 0; actual as above
     * PSI = (.1 − .0001)·ln(1000) + 0 + (.3 − .0001)·ln(3000) + 2·(.2 − .0001)·ln(2000)
     *       + (.2 − 1)·ln(.2)
     *     = 0.6900848 + 2.4011096 + 3.0388408 + 1.2875503 = 7.4175855
     */
    const res = await monitoring(
      'since=2026-03-01&until=2026-06-01&baselineSince=2025-11-01&baselineUntil=2025-12-01',
    );
    expect(res.status).toBe(200);
    expect(res.body.psi.baseline).toEqual({ since: '2025-11-01', until: '2025-12-01', count: 1 });
    expect(res.body.psi.value).toBeCloseTo(7.4175855, 6);
    expect(res.body.count).toBe(7);
  });

  it('outcomes count only when dated before until', async () => {
    /*
     * until 2026-05-15: decisions L1..L8 are in, outcomes before 05-15 only:
     *   L1 current (good), L2 late_90 on 05-10 (bad), L5 late_90 on 04-20 (bad, not yet cured),
     *   L6 default 05-01 (bad), L7 current 05-05 (good); L3, L4, L8 have none yet.
     * count 5, bads 3; goods 635 665, bads 645 655 605:
     *   635 > 605 -> 1; 665 -> 3; AUC = 4/6, Gini = 1/3
     *   KS: t 605 635 645 655 665 ; F_bad 1/3 1/3 2/3 1 1 ; F_good 0 1/2 1/2 1/2 1
     *       gaps 1/3 1/6 1/6 1/2 0 -> 1/2
     */
    const res = await monitoring('since=2026-03-01&until=2026-05-15');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ count: 5, bads: 3, badRate: 0.6, gini: 0.333333, ks: 0.5 });
    expect(res.body.psi.baseline).toEqual({
      since: '2025-12-16',
      until: '2026-03-01',
      count: 3,
    });
  });

  it('a period without outcomes: zero counts, null ratios', async () => {
    const res = await monitoring('since=2027-01-01&until=2027-02-01');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      policy,
      period: { since: '2027-01-01', until: '2027-02-01' },
      count: 0,
      bads: 0,
      badRate: null,
      badRateByGrade: [],
      gini: null,
      ks: null,
      psi: {
        value: null,
        baseline: { since: '2026-12-01', until: '2027-01-01', count: 0 },
        current: { count: 0 },
        bins: [],
      },
    });
  });

  it('an empty baseline: PSI null, the current shares still shown', async () => {
    const res = await monitoring(
      'since=2026-03-01&until=2026-06-01&baselineSince=2020-01-01&baselineUntil=2020-02-01',
    );
    expect(res.status).toBe(200);
    expect(res.body.psi.value).toBeNull();
    expect(res.body.psi.baseline.count).toBe(0);
    expect(res.body.psi.bins.map((b: { actual: number }) => b.actual)).toEqual([
      0.1, 0, 0.3, 0.2, 0.2, 0.2,
    ]);
  });

  it('another policy sees none of these decisions', async () => {
    await t.testDb.database.db.insert(policies).values({
      id: 'pol_monitoring_other',
      version: 9001,
      status: 'draft',
      document: {},
    });
    const res = await monitoring('since=2026-03-01&until=2026-06-01', risk, 'pol_monitoring_other');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      policy: { id: 'pol_monitoring_other', version: 9001 },
      count: 0,
      psi: { value: null, current: { count: 0 } },
    });
  });

  it('unknown policy: 404', async () => {
    const res = await monitoring('since=2026-03-01&until=2026-06-01', risk, 'pol_nope');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('NOT_FOUND');
  });

  describe('query validation', () => {
    it.each([
      ['until=2026-06-01', ['querystring.since']],
      ['since=2026-03-01', ['querystring.until']],
      ['since=2026-03-01&until=2026-03-01', ['querystring.until']],
      ['since=2026-03-01&until=2026-02-01', ['querystring.until']],
      ['since=2026-02-30&until=2026-06-01', ['querystring.since']],
      ['since=2026-03-01T00:00:00Z&until=2026-06-01', ['querystring.since']],
      ['since=2026-03-01&until=2026-06-01&baselineSince=2025-01-01', ['querystring.baselineUntil']],
      ['since=2026-03-01&until=2026-06-01&baselineUntil=2025-01-01', ['querystring.baselineSince']],
      [
        'since=2026-03-01&until=2026-06-01&baselineSince=2025-02-01&baselineUntil=2025-01-01',
        ['querystring.baselineUntil'],
      ],
      ['since=2026-03-01&until=2026-06-01&limit=5', ['querystring.limit']],
    ])('%s -> 400 naming %p', async (query, expected) => {
      const res = await monitoring(query);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(paths(res.body)).toEqual(expected);
      for (const d of res.body.details) expect(d.messageZh).toBeDefined();
    });
  });

  /*
   * Last: it adds to the book. On PGlite a review approval deadlocks today (reviewApplication
   * reads the policy through deps.db inside its transaction, and PGlite has one connection),
   * so this runs on PostgreSQL only until that is fixed.
   */
  (usingPostgres ? it : it.skip)(
    'a loan approved in review counts once: its review decision for the outcome, its model decision for PSI',
    async () => {
      /*
       * Add L11 590 D: referred 2026-03-25, approved in review, default on 2026-05-01.
       * count 8, bads 4, D 1/1; goods 635 610 655 665, bads 645 620 605 590 (16 pairs):
       *   635 -> 3, 610 -> 2, 655 -> 4, 665 -> 4: AUC = 13/16, Gini = 2·13/16 − 1 = 0.625
       * PSI period: 11 model decisions (the review decision is not counted a second time).
       */
      time.set('2026-03-25T09:00:00.000Z');
      const referred = await apply(t, 'd590');
      expect(referred.status).toBe('referred');
      expect(referred.decision.score).toBe(590);
      time.set('2026-03-25T10:00:00.000Z');
      const reviewed = await reviewApprove(t, reviewer, referred);
      const l11 = await takeFirstOffer(t, reviewed);
      expect(l11.decisionId).not.toBe(referred.decision.id);
      time.set('2026-06-10T10:00:00.000Z');
      await recordOk(t, risk, l11.offerId, 'default', '2026-05-01');

      const res = await monitoring('since=2026-03-01&until=2026-06-01');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ count: 8, bads: 4, badRate: 0.5, gini: 0.625 });
      expect(res.body.badRateByGrade.at(-1)).toEqual({ grade: 'D', count: 1, bads: 1, badRate: 1 });
      expect(res.body.psi.current.count).toBe(11);
    },
  );

  describe('roles', () => {
    it('admin reads', async () => {
      const res = await monitoring('since=2026-03-01&until=2026-06-01', t.adminKey);
      expect(res.status).toBe(200);
      expect(res.body).toEqual((await monitoring('since=2026-03-01&until=2026-06-01')).body);
    });

    it.each([
      ['officer', () => officer],
      ['reviewer', () => reviewer],
    ])('%s: 403', async (_role, key) => {
      const res = await monitoring('since=2026-03-01&until=2026-06-01', key());
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('FORBIDDEN');
    });
  });
});
