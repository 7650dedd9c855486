import { loanRequestSchema, type Survey, surveySchema } from '../../src/credit/survey';
import { sampleMerchants } from './sample';

const base: Survey = {
  businessForm: 'individual',
  businessModel: 'distributor',
  tenureMonths: 72,
  storeCount: 2,
  annualSales: 2_000_000_000,
  netMargin: 0.1,
  inventoryValue: 300_000_000,
  inventoryTurnoverDays: 45,
  receivables: 100_000_000,
  payables: 60_000_000,
  existingDebt: 0,
  monthlyDebtService: 0,
  creditHistory: 'clean',
};

function issues(input: unknown) {
  const r = surveySchema.safeParse(input);
  return r.success ? [] : r.error.issues;
}

describe('surveySchema', () => {
  it('accepts every merchant of the synthetic sample', () => {
    for (const m of sampleMerchants) expect(issues(m.survey)).toEqual([]);
  });

  it('rejects out-of-bound values with their path', () => {
    const bad = issues({ ...base, tenureMonths: 601, netMargin: 1.5, payables: -1, storeCount: 0 });
    expect(bad.map((i) => i.path.join('.')).sort()).toEqual(
      ['netMargin', 'payables', 'storeCount', 'tenureMonths'].sort(),
    );
  });

  it('rejects money that is not an integer or not safe', () => {
    expect(issues({ ...base, annualSales: 1.5 }).map((i) => i.path[0])).toEqual(['annualSales']);
    expect(issues({ ...base, payables: 2 ** 53 }).map((i) => i.path[0])).toEqual(['payables']);
  });

  it('rejects unknown enum values', () => {
    expect(issues({ ...base, creditHistory: 'bad' }).map((i) => i.path[0])).toEqual([
      'creditHistory',
    ]);
  });

  it('reports cross-field problems with English and Chinese messages', () => {
    const bad = issues({
      ...base,
      inventoryValue: 5 * base.annualSales + 1,
      monthlyDebtService: base.annualSales + 1,
      existingDebt: 1,
    });
    expect(bad.map((i) => i.path.join('.'))).toEqual(['inventoryValue', 'monthlyDebtService']);
    for (const i of bad) {
      expect(i.message).toMatch(/must not exceed/);
      expect((i as { params?: { messageZh?: string } }).params?.messageZh).toMatch(/不得超过/);
    }
  });

  it('flags debt service without debt', () => {
    const bad = issues({ ...base, monthlyDebtService: 100 });
    expect(bad.map((i) => i.path.join('.'))).toEqual(['monthlyDebtService']);
  });

  it('accepts the boundaries themselves', () => {
    expect(issues({ ...base, tenureMonths: 600, inventoryValue: 5 * base.annualSales })).toEqual(
      [],
    );
  });
});

describe('loanRequestSchema', () => {
  it('accepts a valid request and rejects bad ones', () => {
    const ok = { product: 'any', amount: 100, termMonths: 12, purpose: 'working_capital' };
    expect(loanRequestSchema.safeParse(ok).success).toBe(true);
    expect(loanRequestSchema.safeParse({ ...ok, amount: 0 }).success).toBe(false);
    expect(loanRequestSchema.safeParse({ ...ok, termMonths: 61 }).success).toBe(false);
    expect(loanRequestSchema.safeParse({ ...ok, product: 'mortgage' }).success).toBe(false);
  });
});
