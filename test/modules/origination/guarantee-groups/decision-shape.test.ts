/**
 * The group decision's published shape (GuaranteeGroupDecision) keeps everything the credit model
 * stores: an answer is encoded through it, and a key it does not name would be dropped silently.
 */
import {
  compilePolicy,
  decide,
  type GroupMemberInput,
  type GroupResolution,
  resolveGuaranteeGroup,
} from '../../../../src/credit';
import { groupDecisionSchema } from '../../../../src/modules/origination/schemas';
import { goodSurvey, policyCopy } from '../../../credit/helpers';

const policy = compilePolicy(policyCopy());

function member(id: string): GroupMemberInput {
  const decision = decide(
    goodSurvey,
    { product: 'joint_guarantee', amount: 80_000_000, termMonths: 12, purpose: 'working_capital' },
    policy,
    { guaranteeGroup: { id: 'grp_1', memberCount: 4 } },
  );
  return {
    merchantId: id,
    marketId: 'mkt_majiayan',
    decision,
    annualNetProfit: decision.metrics.annualNetProfit,
    contingentElsewhere: 1_000,
  };
}

const network = {
  figures: {
    circle: ['mer_a', 'mer_b', 'mer_x'],
    sharedPairs: [['mer_a', 'mer_b']] as [string, string][],
    chainLength: 2,
    circleBorrowing: 5_000_000,
    truncated: false,
  },
};

/** Every key path of a JSON value, arrays' items included. */
function keyPaths(value: unknown, at = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => keyPaths(v, `${at}[${i}]`));
  if (typeof value !== 'object' || value === null) return [at];
  return Object.entries(value).flatMap(([k, v]) => keyPaths(v, `${at}.${k}`));
}

describe('the group decision schema', () => {
  it.each([
    ['approved, with network figures', ['a', 'b', 'c', 'd'], network],
    ['declined (size), without network rules', ['a', 'b'], null],
  ])('encodes a stored resolution %s without dropping or changing anything', (_, ids, net) => {
    const resolution: GroupResolution = resolveGuaranteeGroup(ids.map(member), policy, net);
    const stored = JSON.parse(JSON.stringify(resolution));
    // The case holds what it says: offers and figures when approved, reasons when declined.
    expect(keyPaths(stored).length).toBeGreaterThan(10);
    expect(stored.network !== undefined).toBe(net !== null);
    expect(stored.members[0].offer !== null).toBe(stored.approved);
    expect(groupDecisionSchema.encode(stored)).toEqual(stored);
  });

  it('still shows a group decided before issue #16 (no network, no contingentAcrossGroups)', () => {
    const stored = JSON.parse(
      JSON.stringify(resolveGuaranteeGroup(['a', 'b', 'c'].map(member), policy)),
    );
    for (const m of stored.members) delete m.contingentAcrossGroups;
    expect(groupDecisionSchema.encode(stored)).toEqual(stored);
  });
});
