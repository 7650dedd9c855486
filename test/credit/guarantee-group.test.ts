import {
  compilePolicy,
  type Decision,
  decide,
  type GroupMemberInput,
  type LoanRequest,
  resolveGuaranteeGroup,
  type Survey,
} from '../../src/credit';
import { goodSurvey, policyCopy } from './helpers';

const policy = compilePolicy(policyCopy());
const request: LoanRequest = {
  product: 'joint_guarantee',
  amount: 80_000_000,
  termMonths: 12,
  purpose: 'working_capital',
};

function member(
  id: string,
  survey: Survey = goodSurvey,
  market = 'mkt_majiayan',
  size = 4,
): GroupMemberInput {
  const decision: Decision = decide(survey, request, policy, {
    guaranteeGroup: { id: 'grp_1', memberCount: size },
  });
  return {
    merchantId: id,
    marketId: market,
    decision,
    annualNetProfit: decision.metrics.annualNetProfit,
  };
}

describe('resolveGuaranteeGroup', () => {
  it('gives every member its offer when all conditions hold', () => {
    const members = ['a', 'b', 'c', 'd'].map((id) => member(id));
    const r = resolveGuaranteeGroup(members, policy);
    expect(r.approved).toBe(true);
    expect(r.reasons).toEqual([]);
    for (const m of r.members) {
      expect(m.offer?.product).toBe('joint_guarantee');
      expect(m.offer?.amount).toBe(80_000_000);
      expect(m.contingentLiability).toBe(240_000_000);
      expect(m.contingentLiabilityLimit).toBe(3 * 240_000_000);
    }
  });

  it('gives nobody an offer when one member is below the minimum grade', () => {
    const weak = member('d', {
      ...goodSurvey,
      tenureMonths: 20,
      netMargin: 0.06,
      creditHistory: 'late_30',
    });
    expect(weak.decision.grade).toMatch(/[DE]/);
    const r = resolveGuaranteeGroup([member('a'), member('b'), member('c'), weak], policy);
    expect(r.approved).toBe(false);
    expect(r.members.every((m) => m.offer === null)).toBe(true);
    expect(r.reasons.map((x) => x.code)).toContain('GROUP_MEMBER_BELOW_MIN_GRADE');
    expect(r.members[3]?.reasons.map((x) => x.code)).toContain('GROUP_MEMBER_BELOW_MIN_GRADE');
    expect(r.members[0]?.reasons).toEqual([]);
  });

  it('refuses a group in which a member would guarantee without borrowing (approved with no loan, or referred)', () => {
    const c = member('c');
    const noLoan = { ...c, decision: { ...c.decision, offers: [] } };
    const r = resolveGuaranteeGroup([member('a'), member('b'), noLoan], policy);
    expect(r.verdict).toBe('decline');
    expect(r.members[2]?.reasons.map((x) => x.code)).toEqual(['GROUP_MEMBER_NO_LOAN']);
    expect(r.members.every((m) => m.offer === null)).toBe(true);
    const referred = { ...c, decision: { ...c.decision, outcome: 'refer' as const } };
    const withReferred = resolveGuaranteeGroup([member('a'), member('b'), referred], policy);
    expect(withReferred.reasons.map((x) => x.code)).toEqual(['GROUP_MEMBER_NO_LOAN']);
  });

  it('refuses when a member would guarantee more than its profit multiple', () => {
    const small = member('d');
    const r = resolveGuaranteeGroup(
      [member('a'), member('b'), member('c'), { ...small, annualNetProfit: 50_000_000 }],
      policy,
    );
    expect(r.approved).toBe(false);
    expect(r.members[3]?.reasons.map((x) => x.code)).toEqual(['CONTINGENT_LIABILITY_EXCEEDED']);
    expect(r.members[3]?.contingentLiabilityLimit).toBe(150_000_000);
  });

  it('refuses groups out of 3..5 members or spread across markets', () => {
    expect(
      resolveGuaranteeGroup([member('a'), member('b')], policy).reasons.map((x) => x.code),
    ).toEqual(['GROUP_SIZE_OUT_OF_RANGE']);
    const six = ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => member(id));
    expect(resolveGuaranteeGroup(six, policy).approved).toBe(false);
    const mixed = [member('a'), member('b'), member('c', goodSurvey, 'mkt_kaien')];
    expect(resolveGuaranteeGroup(mixed, policy).reasons.map((x) => x.code)).toEqual([
      'GROUP_MARKETS_MIXED',
    ]);
  });

  describe("the guarantee network's rules at the group's decision", () => {
    const withNetwork = (action: 'refuse' | 'refer') => {
      const doc = policyCopy();
      doc.guaranteeNetwork = {
        ...(doc.guaranteeNetwork as NonNullable<typeof doc.guaranteeNetwork>),
        action,
        maxCircleSize: 4,
      };
      return compilePolicy(doc);
    };
    const circleOfSix = {
      figures: {
        circle: ['a', 'b', 'c', 'x', 'y', 'z'],
        sharedPairs: [] as [string, string][],
        chainLength: 3,
        circleBorrowing: 0,
        truncated: false,
      },
    };
    const three = () => ['a', 'b', 'c'].map((id) => member(id, goodSurvey, 'mkt_majiayan', 3));

    it('refers the group when only the network failed and the policy refers: the loans wait as proposed', () => {
      const r = resolveGuaranteeGroup(three(), withNetwork('refer'), circleOfSix);
      expect(r).toMatchObject({ approved: false, verdict: 'refer' });
      expect(r.reasons.map((x) => x.code)).toEqual(['GUARANTEE_CIRCLE_TOO_LARGE']);
      for (const m of r.members) expect(m.offer?.product).toBe('joint_guarantee');
    });

    it('declines it when the policy refuses, or when anything besides the network failed', () => {
      const refused = resolveGuaranteeGroup(three(), withNetwork('refuse'), circleOfSix);
      expect(refused.verdict).toBe('decline');
      expect(refused.members.every((m) => m.offer === null)).toBe(true);
      const [a, b, c] = three() as [GroupMemberInput, GroupMemberInput, GroupMemberInput];
      const alsoTooSmall = resolveGuaranteeGroup(
        [a, b, { ...c, annualNetProfit: 10_000_000 }],
        withNetwork('refer'),
        circleOfSix,
      );
      expect(alsoTooSmall.reasons.map((x) => x.code)).toEqual([
        'GUARANTEE_CIRCLE_TOO_LARGE',
        'CONTINGENT_LIABILITY_EXCEEDED',
      ]);
      expect(alsoTooSmall.verdict).toBe('decline');
    });

    it('approves a group the network does not object to, whatever the action', () => {
      const clean = { figures: { ...circleOfSix.figures, circle: [] } };
      expect(resolveGuaranteeGroup(three(), withNetwork('refer'), clean).verdict).toBe('approve');
    });
  });
});
