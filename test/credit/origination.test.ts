import {
  applicationStatusOf,
  compilePolicy,
  type Decision,
  decide,
  formationProblem,
  groupSizeProblem,
  METRIC_NAMES,
  type OfferProposal,
  offersToMake,
  orderedMetrics,
  reviewOutcome,
} from '../../src/credit';
import { goodSurvey, policyCopy } from './helpers';

const goodRequest = {
  product: 'any' as const,
  amount: 20_000_000,
  termMonths: 12,
  purpose: 'working_capital' as const,
};

const offer = (product: OfferProposal['product']) => ({ product }) as OfferProposal;
const decision = (outcome: Decision['outcome'], overridden = false) => ({
  outcome,
  overridden,
  offers: [offer('operator_guarantee'), offer('joint_guarantee'), offer('credit_card')],
});

describe('origination rules', () => {
  it('maps an outcome to the application status', () => {
    expect(applicationStatusOf({ outcome: 'approve' })).toBe('approved');
    expect(applicationStatusOf({ outcome: 'refer' })).toBe('referred');
    expect(applicationStatusOf({ outcome: 'decline' })).toBe('declined');
  });

  it('makes offers only on an approval (or a reviewer override), a group member only its group loan', () => {
    expect(offersToMake(decision('approve'), false).map((o) => o.product)).toEqual([
      'operator_guarantee',
      'joint_guarantee',
      'credit_card',
    ]);
    expect(offersToMake(decision('approve'), true).map((o) => o.product)).toEqual([
      'joint_guarantee',
    ]);
    expect(offersToMake(decision('refer'), false)).toEqual([]);
    expect(offersToMake(decision('decline'), false)).toEqual([]);
    expect(offersToMake(decision('refer', true), false)).toHaveLength(3);
  });

  it('keeps a review approval without any offer a decline', () => {
    expect(reviewOutcome('approve', 2)).toEqual({ status: 'approved', outcome: 'approve' });
    expect(reviewOutcome('approve', 0)).toEqual({ status: 'declined', outcome: 'decline' });
    expect(reviewOutcome('decline', 2)).toEqual({ status: 'declined', outcome: 'decline' });
  });
});

describe('guarantee-group formation', () => {
  const candidate = (id: string, extra: Partial<Record<string, string>> = {}) => ({
    merchantId: id,
    marketId: 'mkt_a',
    idNumberDigest: `id-${id}`,
    phoneDigest: `phone-${id}`,
    ...extra,
  });

  it('reads the group size from the policy', () => {
    const doc = policyCopy();
    const policy = compilePolicy(doc);
    expect(groupSizeProblem(2, policy)).toEqual({
      code: 'GROUP_SIZE_OUT_OF_RANGE',
      min: 3,
      max: 5,
    });
    expect(groupSizeProblem(3, policy)).toBeNull();
    expect(groupSizeProblem(6, policy)).not.toBeNull();
    doc.products.joint_guarantee.minGroupSize = 2;
    doc.products.joint_guarantee.maxGroupSize = 8;
    const wider = compilePolicy(doc);
    expect(groupSizeProblem(2, wider)).toBeNull();
    expect(groupSizeProblem(8, wider)).toBeNull();
    expect(groupSizeProblem(9, wider)).toEqual({ code: 'GROUP_SIZE_OUT_OF_RANGE', min: 2, max: 8 });
  });

  it('keeps a group in one market, and one person out of guaranteeing themself', () => {
    expect(formationProblem([candidate('a'), candidate('b'), candidate('c')], 'mkt_a')).toBeNull();
    expect(
      formationProblem([candidate('a'), candidate('b', { marketId: 'mkt_b' })], 'mkt_a'),
    ).toEqual({ code: 'GROUP_MARKETS_MIXED', merchantIds: ['b'] });
    expect(
      formationProblem([candidate('a'), candidate('b', { idNumberDigest: 'id-a' })], 'mkt_a'),
    ).toEqual({ code: 'GROUP_MEMBERS_RELATED', shared: 'idNumber' });
    expect(
      formationProblem([candidate('a'), candidate('b', { phoneDigest: 'phone-a' })], 'mkt_a'),
    ).toEqual({ code: 'GROUP_MEMBERS_RELATED', shared: 'phone' });
  });
});

describe('metrics order', () => {
  it('names every metric in the order decide() reports them', () => {
    const decision = decide(goodSurvey, goodRequest, compilePolicy(policyCopy()), {});
    expect(Object.keys(decision.metrics)).toEqual([...METRIC_NAMES]);
    const shuffled = Object.fromEntries(Object.entries(decision.metrics).reverse());
    expect(Object.keys(orderedMetrics(shuffled))).toEqual([...METRIC_NAMES]);
  });
});
