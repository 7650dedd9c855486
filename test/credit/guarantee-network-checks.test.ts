import {
  compilePolicy,
  decide,
  type GuaranteeNetworkRules,
  groupNetworkFigures,
  type NetworkEdge,
  networkFindings,
  validatePolicy,
} from '../../src/credit';
import { supportedLgd } from '../../src/credit/individual-guarantee';
import { activeOperator, goodSurvey, policyCopy } from './helpers';

/** Every member of a group guarantees every other: a clique of directed edges. */
const clique = (groupId: string, members: string[]): NetworkEdge[] =>
  members.flatMap((a) =>
    members.filter((b) => b !== a).map((b) => ({ guarantor: a, borrower: b, groupId })),
  );

const rules: GuaranteeNetworkRules = {
  action: 'refuse',
  maxCircleSize: 5,
  allowSharedPairs: false,
  maxCircleBorrowing: 100,
};

describe('guarantee network checks at formation (pure)', () => {
  it('a group sharing one member with a live group closes no circle: a chain', () => {
    const f = groupNetworkFigures(['A', 'D', 'E'], clique('g1', ['A', 'B', 'C']), 8);
    expect(f.circle).toEqual([]);
    expect(f.sharedPairs).toEqual([]);
    expect(f.chainLength).toBe(1);
    expect(networkFindings(f, rules)).toEqual([]);
  });

  it('a group sharing a pair makes them each other guarantors twice', () => {
    const f = groupNetworkFigures(['A', 'B', 'E'], clique('g1', ['A', 'B', 'C']), 8);
    expect(f.sharedPairs).toEqual([['A', 'B']]);
    expect(f.circle).toEqual(['A', 'B', 'C', 'E']);
    expect(networkFindings(f, rules)).toEqual(['GUARANTEE_PAIR_SHARED']);
    expect(networkFindings(f, { ...rules, allowSharedPairs: true })).toEqual([]);
  });

  it('a triangle through three groups is a circle of its members and the paths between them', () => {
    const edges = [...clique('g1', ['A', 'B', 'X']), ...clique('g2', ['B', 'C', 'Y'])];
    const f = groupNetworkFigures(
      ['C', 'A', 'Z'],
      edges,
      8,
      new Map([
        ['B', 60],
        ['Z', 50],
      ]),
    );
    expect(f.circle).toEqual(['A', 'B', 'C', 'X', 'Y', 'Z']);
    expect(f.sharedPairs).toEqual([]);
    expect(f.circleBorrowing).toBe(110);
    expect(networkFindings(f, rules)).toEqual([
      'GUARANTEE_CIRCLE_TOO_LARGE',
      'GUARANTEE_CIRCLE_CAP_EXCEEDED',
    ]);
    expect(networkFindings(f, { ...rules, maxCircleSize: 6, maxCircleBorrowing: null })).toEqual(
      [],
    );
    expect(networkFindings(f, null)).toEqual([]);
  });

  it('a one-way chain (an individual guarantee) closes a circle only with a path back', () => {
    // A guarantees X, X guarantees B: a new group of A and B closes A -> X -> B -> A.
    const chain = [
      { guarantor: 'A', borrower: 'X', groupId: null },
      { guarantor: 'X', borrower: 'B', groupId: null },
    ];
    expect(groupNetworkFigures(['A', 'B', 'C'], chain, 8).circle).toEqual(['A', 'B', 'C', 'X']);
    // X guarantees both: no path from one member to another, no circle.
    const star = [
      { guarantor: 'X', borrower: 'A', groupId: null },
      { guarantor: 'X', borrower: 'B', groupId: null },
    ];
    expect(groupNetworkFigures(['A', 'B', 'C'], star, 8).circle).toEqual([]);
  });

  it("at the group's decision its own edges are left out", () => {
    const own = clique('g9', ['A', 'B', 'C']);
    expect(groupNetworkFigures(['A', 'B', 'C'], own, 8, new Map(), 'g9')).toMatchObject({
      circle: [],
      sharedPairs: [],
    });
    expect(groupNetworkFigures(['A', 'B', 'C'], own, 8).sharedPairs).toHaveLength(3);
  });

  it('sees circles closed by paths of at most `depth` hops, all of their merchants', () => {
    // A ring A - 1 - 2 - 3 - 4 - B of individual guarantees: 5 hops from A to B.
    const ring = ['A', '1', '2', '3', '4', 'B'].flatMap((n, i, all) =>
      i === 0 ? [] : [{ guarantor: all[i - 1] as string, borrower: n, groupId: null }],
    );
    expect(groupNetworkFigures(['A', 'B', 'C'], ring, 5).circle).toEqual([
      '1',
      '2',
      '3',
      '4',
      'A',
      'B',
      'C',
    ]);
    expect(groupNetworkFigures(['A', 'B', 'C'], ring, 4).circle).toEqual([]);
  });
});

describe('individual guarantors lower the LGD (pure)', () => {
  const doc = policyCopy();
  it('by lgdReduction x coverage, coverage at most 1', () => {
    const ctx = (amount: number) => ({ guarantors: [{ merchantId: 'g', amount }] });
    expect(supportedLgd(0.5, doc, {}, 1000)).toBe(0.5);
    expect(supportedLgd(0.5, doc, ctx(500), 1000)).toBeCloseTo(0.5 * (1 - 0.3 * 0.5));
    expect(supportedLgd(0.5, doc, ctx(5000), 1000)).toBeCloseTo(0.5 * 0.7);
  });

  it('a guaranteed loan is priced lower; the card is not', () => {
    const policy = compilePolicy(doc);
    const survey = { ...goodSurvey, tenureMonths: 20, netMargin: 0.08 };
    const request = {
      product: 'operator_guarantee',
      amount: 30_000_000,
      termMonths: 12,
      purpose: 'working_capital',
    } as const;
    const plain = decide(survey, request, policy, { operator: activeOperator });
    const backed = decide(survey, request, policy, {
      operator: activeOperator,
      guarantors: [{ merchantId: 'mer_g', amount: 30_000_000 }],
    });
    const rate = (d: typeof plain, p: string) =>
      d.offers.find((o) => o.product === p)?.annualRateBps ?? Number.NaN;
    expect(rate(backed, 'operator_guarantee')).toBeLessThan(rate(plain, 'operator_guarantee'));
    expect(rate(backed, 'credit_card')).toBe(rate(plain, 'credit_card'));
  });
});

describe('guaranteeNetwork validation', () => {
  it("refuses a circle cap below the smallest group's loans, naming the field", () => {
    const doc = policyCopy();
    if (!doc.guaranteeNetwork) throw new Error('the default has network rules');
    doc.guaranteeNetwork.maxCircleBorrowing = doc.products.joint_guarantee.minAmount;
    const refused = validatePolicy(doc);
    expect(refused.ok ? [] : refused.problems.map((p) => p.path)).toEqual([
      'guaranteeNetwork.maxCircleBorrowing',
    ]);
    doc.guaranteeNetwork.maxCircleBorrowing = null;
    expect(validatePolicy(doc).ok).toBe(true);
  });
});
