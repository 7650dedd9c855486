import { z } from 'zod';
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

/** What the OpenAPI document shows of a schema's fields. */
function jsonProperties(schema: z.ZodType): Record<string, { description?: string }> {
  return (z.toJSONSchema(schema) as { properties: Record<string, { description?: string }> })
    .properties;
}

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

  it('takes customer advances and supplier prepayments in fen, both optional', () => {
    expect(issues({ ...base, customerAdvances: 50_000_000, supplierPrepayments: 0 })).toEqual([]);
    expect(issues({ ...base, customerAdvances: 1.5 }).map((i) => i.path[0])).toEqual([
      'customerAdvances',
    ]);
    const tooMuch = issues({ ...base, supplierPrepayments: base.annualSales + 1 });
    expect(tooMuch.map((i) => i.path[0])).toEqual(['supplierPrepayments']);
  });

  it('says fen (1/100 元) in every money field, and the Chinese names of the new ones', () => {
    const props = jsonProperties(surveySchema);
    const money = [
      'annualSales',
      'inventoryValue',
      'receivables',
      'payables',
      'supplierPrepayments',
      'customerAdvances',
      'existingDebt',
      'monthlyDebtService',
      'ownFunds',
    ];
    for (const f of money) {
      expect([f, props[f]?.description]).toEqual([f, expect.stringContaining('fen (1/100 元)')]);
    }
    expect(props.customerAdvances?.description).toContain('预收账款');
    expect(props.supplierPrepayments?.description).toContain('预付账款');
    expect(jsonProperties(loanRequestSchema).amount?.description).toContain('fen (1/100 元)');
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
