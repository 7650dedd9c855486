import { compilePolicy, PolicyInvalidError, validatePolicy } from '../../src/credit';
import type {
  CharacteristicDocument,
  KnockoutDocument,
  PolicyDocument,
} from '../../src/credit/policy-schema';
import { policyCopy } from './helpers';

function problemsOf(doc: unknown) {
  const r = validatePolicy(doc);
  if (r.ok) throw new Error('expected problems');
  return r.problems;
}

describe('validatePolicy', () => {
  it('accepts the default policy', () => {
    const r = validatePolicy(policyCopy());
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.policy.version).toBe(1);
  });

  it('reports structural problems with string paths', () => {
    const doc = policyCopy() as unknown as Record<string, unknown>;
    doc.version = 0;
    (doc.cashFlow as Record<string, unknown>).minDscr = 'x';
    const paths = problemsOf(doc).map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['version', 'cashFlow.minDscr']));
  });

  it('reports every semantic problem at once, each with its path', () => {
    const doc = policyCopy();
    const chars = doc.scorecard.characteristics;
    const tenure = chars[0];
    const cycle = chars[3];
    const history = chars[5];
    if (tenure?.kind !== 'numeric' || cycle?.kind !== 'numeric') throw new Error('fixture');
    if (history?.kind !== 'categorical') throw new Error('fixture');
    (tenure.bins[1] as { max: number | null }).max = 30; // gap: next starts at 36
    (cycle.bins[1] as { max: number | null }).max = 70; // overlap: next starts at 60
    cycle.bins.push({ min: 200, max: null, points: 0 }); // previous last is now open above mid-list
    chars[1] = { ...(chars[1] as (typeof chars)[number]), field: 'shoeSize' };
    history.bins[0]?.values.push('excellent');
    history.bins.pop(); // late_90_plus and default no longer covered
    doc.grades.C = 640; // above B 630
    doc.outcomes.referMinScore = 700; // above approve
    doc.products.joint_guarantee.perMemberCap = doc.products.joint_guarantee.maxAmount + 1;
    doc.products.credit_card.rateFloorBps = 2_000; // above cap 1800
    doc.knockouts.push({
      ...(doc.knockouts[0] as KnockoutDocument),
      code: 'NEW_RULE',
      field: 'mood',
    });

    const problems = problemsOf(doc);
    const paths = problems.map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'scorecard.characteristics[0].bins[1].max',
        'scorecard.characteristics[3].bins[1].max',
        'scorecard.characteristics[3].bins[3].max',
        'scorecard.characteristics[1].field',
        'scorecard.characteristics[5].bins[0].values[1]',
        'scorecard.characteristics[5].bins',
        'grades.C',
        'outcomes.referMinScore',
        'products.joint_guarantee.perMemberCap',
        'products.credit_card.rateFloorBps',
        'knockouts[4].field',
      ]),
    );
    const message = (path: string) => problems.find((p) => p.path === path)?.message ?? '';
    expect(message('scorecard.characteristics[0].bins[1].max')).toMatch(/gap/);
    expect(message('scorecard.characteristics[3].bins[1].max')).toMatch(/overlap/);
    expect(message('scorecard.characteristics[5].bins')).toMatch(/late_90_plus, default/);
  });

  it('requires points to follow the stated direction', () => {
    const doc = policyCopy();
    const tenure = doc.scorecard.characteristics[0];
    if (tenure?.kind !== 'numeric') throw new Error('fixture');
    (tenure.bins[4] as { points: number }).points = 10;
    expect(problemsOf(doc)).toEqual([
      {
        path: 'scorecard.characteristics[0].bins[4].points',
        message: expect.stringMatching(/direction/),
        messageZh: expect.stringMatching(/[\u4e00-\u9fff]/),
      },
    ]);
  });

  it('checks knock-out categories and reason code format', () => {
    const doc = policyCopy();
    doc.knockouts[3] = { ...(doc.knockouts[3] as KnockoutDocument), value: ['bankrupt'] };
    expect(problemsOf(doc).map((p) => p.path)).toEqual(['knockouts[3].value[0]']);
    const bad = policyCopy();
    bad.knockouts[0] = { ...(bad.knockouts[0] as KnockoutDocument), code: 'tenureShort' };
    expect(problemsOf(bad).map((p) => p.path)).toEqual(['knockouts[0].code']);
  });
});

describe('compilePolicy', () => {
  it('throws PolicyInvalidError listing the problems', () => {
    const doc = policyCopy();
    doc.grades.D = 700;
    expect(() => compilePolicy(doc)).toThrow(PolicyInvalidError);
    try {
      compilePolicy(doc);
    } catch (e) {
      expect((e as PolicyInvalidError).problems.map((p) => p.path)).toEqual(['grades.D']);
    }
  });

  it('scales points to odds: base score at base odds, PDO doubles them', () => {
    const p = compilePolicy(policyCopy());
    expect(p.pdOf(600)).toBeCloseTo(1 / 51, 12);
    expect(p.pdOf(620)).toBeCloseTo(1 / 101, 12);
    expect(p.pdOf(580)).toBeCloseTo(1 / 26, 12);
  });

  it('maps scores to grades and outcomes at the cutoffs', () => {
    const p = compilePolicy(policyCopy());
    expect([660, 659, 630, 600, 599, 560, 559].map(p.gradeOf)).toEqual([
      'A',
      'B',
      'B',
      'C',
      'D',
      'D',
      'E',
    ]);
    expect([600, 599, 560, 559].map(p.outcomeOf)).toEqual(['approve', 'refer', 'refer', 'decline']);
  });
});

describe('validatePolicy: strict documents', () => {
  it('reports unknown keys with their path instead of dropping them', () => {
    const doc = policyCopy() as unknown as Record<string, Record<string, unknown>>;
    (doc.cashFlow as Record<string, unknown>).minDscrr = 1.5;
    (doc.products as Record<string, unknown>).store_loan = { enabled: true };
    doc.colour = { x: 1 };
    const chars = (doc.scorecard as { characteristics: Record<string, unknown>[] }).characteristics;
    (chars[0] as { bins: Record<string, unknown>[] }).bins[0] = {
      min: null,
      max: 12,
      pts: 1,
      points: 0,
    };
    expect(problemsOf(doc).sort((a, b) => a.path.localeCompare(b.path))).toEqual([
      {
        path: 'cashFlow.minDscrr',
        message: 'unknown key minDscrr',
        messageZh: '未知字段 minDscrr',
      },
      { path: 'colour', message: 'unknown key colour', messageZh: '未知字段 colour' },
      {
        path: 'products.store_loan',
        message: 'unknown key store_loan',
        messageZh: '未知字段 store_loan',
      },
      {
        path: 'scorecard.characteristics[0].bins[0].pts',
        message: 'unknown key pts',
        messageZh: '未知字段 pts',
      },
    ]);
  });

  it('reports structural and semantic problems together', () => {
    const doc = policyCopy() as unknown as Record<string, unknown>;
    (doc.cashFlow as Record<string, unknown>).minDscr = 'x';
    (doc.products as { credit_card: Record<string, unknown> }).credit_card.lgd = 7;
    (doc.grades as { C: number }).C = 640; // above B
    const tenure = (doc.scorecard as PolicyDocument['scorecard']).characteristics[0];
    if (tenure?.kind !== 'numeric') throw new Error('fixture');
    (tenure.bins[1] as { max: number | null }).max = 30; // gap
    (doc.products as { joint_guarantee: { minGroupSize: number } }).joint_guarantee.minGroupSize =
      9;
    const paths = problemsOf(doc).map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'cashFlow.minDscr',
        'products.credit_card.lgd',
        'grades.C',
        'scorecard.characteristics[0].bins[1].max',
        'products.joint_guarantee.minGroupSize',
      ]),
    );
  });
});

describe('validatePolicy: checks across sections', () => {
  it('refuses an approve cutoff whose grade is below every product minimum', () => {
    const doc = policyCopy();
    for (const p of Object.values(doc.products)) p.minGrade = 'B';
    const problems = problemsOf(doc);
    expect(problems).toEqual([
      {
        path: 'outcomes.approveMinScore',
        message: expect.stringMatching(/grade C, below every/),
        messageZh: expect.stringMatching(/低于所有已启用产品/),
      },
    ]);
    doc.outcomes.approveMinScore = doc.grades.B;
    expect(validatePolicy(doc).ok).toBe(true);
  });

  it('refuses a policy with no product enabled', () => {
    const doc = policyCopy();
    for (const p of Object.values(doc.products)) p.enabled = false;
    expect(problemsOf(doc).map((p) => p.path)).toEqual(['products']);
  });

  it('refuses a store-expansion range above every product cap', () => {
    const doc = policyCopy();
    doc.limits.storeExpansion = { minAmount: 400_000_000, maxAmount: 500_000_000 };
    expect(problemsOf(doc)).toEqual([
      {
        path: 'limits.storeExpansion.minAmount',
        message: expect.stringMatching(/every product cap/),
        messageZh: expect.stringMatching(/高于所有产品上限/),
      },
    ]);
  });

  it('refuses duplicate reason codes, including the codes the model gives itself', () => {
    const doc = policyCopy();
    const margin = doc.scorecard.characteristics[1] as CharacteristicDocument;
    doc.scorecard.characteristics[1] = { ...margin, reasonCode: 'TENURE_SHORT' };
    doc.knockouts[1] = { ...(doc.knockouts[1] as KnockoutDocument), code: 'NO_ELIGIBLE_PRODUCT' };
    doc.knockouts[2] = {
      ...(doc.knockouts[2] as KnockoutDocument),
      code: 'INCONSISTENT_INVENTORY',
    };
    expect(problemsOf(doc).map((p) => p.path)).toEqual([
      'scorecard.characteristics[1].reasonCode',
      'knockouts[1].code',
      'knockouts[2].code',
    ]);
  });
});

describe('validatePolicy: the credit loan', () => {
  it('refuses an unsecured loan with a looser coverage than the house minimum', () => {
    const doc = policyCopy();
    doc.products.credit_loan.minDscr = 1.1;
    expect(problemsOf(doc)).toEqual([
      {
        path: 'products.credit_loan.minDscr',
        message: expect.stringMatching(/house coverage 1.25/),
        messageZh: expect.stringMatching(/全行标准 1.25/),
      },
    ]);
  });
});

describe('validatePolicy: problems in Chinese too', () => {
  it('gives every problem of a thoroughly broken document a Chinese text', () => {
    const policy = policyCopy();
    const doc = policy as unknown as Record<string, unknown>;
    doc.colour = 'blue';
    policy.outcomes = { approveMinScore: 100, referMinScore: 900 };
    policy.grades.B = 700;
    const first = policy.scorecard.characteristics[0] as {
      field: string;
      bins: { min: unknown }[];
    };
    first.field = 'shoeSize';
    if (first.bins[0]) first.bins[0].min = 5;
    (policy.knockouts[0] as { operator: string }).operator = 'in';
    if (policy.products.credit_loan) policy.products.credit_loan.minDscr = 1;
    policy.products.credit_card.multiplesByGrade = { A: 1, B: 2, C: 1, D: 1, E: 0 };
    doc.limits = 'none';
    const tc = policy.testCases?.[0];
    if (tc) policy.testCases = [tc, tc];
    const problems = problemsOf(doc);
    expect(problems.length).toBeGreaterThan(6);
    for (const p of problems) {
      expect([p.path, p.messageZh]).toEqual([p.path, expect.stringMatching(/[\u4e00-\u9fff]/)]);
    }
  });
});
