import { computeMetrics, RATIO_CAP } from '../../src/credit/metrics';
import type { Survey } from '../../src/credit/survey';

const survey: Survey = {
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
  existingDebt: 50_000_000,
  monthlyDebtService: 5_000_000,
  ownFunds: 30_000_000,
  creditHistory: 'clean',
};
const params = { growthRate: 0.1, minCycleDays: 5, assessmentRateBps: 800 };

describe('computeMetrics', () => {
  const m = computeMetrics(survey, params, { amount: 1_000_000, termMonths: 10 });

  it('derives monthly cash flow and profit from sales and margin', () => {
    expect(m.monthlySales).toBe(166_666_667);
    expect(m.monthlyNetCashFlow).toBe(16_666_667);
    expect(m.annualNetProfit).toBe(200_000_000);
  });

  it('computes the cash conversion cycle', () => {
    expect(m.receivableDays).toBe(18); // 1e8 / 2e9 * 360
    expect(m.payableDays).toBe(12); // 6e7 / (2e9 * 0.9) * 360
    expect(m.cashConversionCycleDays).toBe(51);
  });

  it('computes the CBRC working-capital need and gap', () => {
    // 2e9 * 0.9 * 1.1 / (360 / 51) = 280,500,000
    expect(m.workingCapitalTurnover).toBe(7.0588);
    expect(m.workingCapitalNeed).toBe(280_500_000);
    expect(m.workingCapitalGap).toBe(280_500_000 - 30_000_000 - 50_000_000);
  });

  it('computes coverage before and after the requested instalment, and leverage', () => {
    expect(m.newInstalmentEstimate).toBe(103_703); // the Excel PMT vector
    expect(m.dscr).toBe(3.3333);
    expect(m.dscrAfter).toBe(3.2656); // 16,666,667 / 5,103,703
    expect(m.leverage).toBe(0.025);
    expect(m.inventoryToSales).toBe(0.15);
  });

  it('guards zero divisions and clamps the cycle', () => {
    const z = computeMetrics(
      {
        ...survey,
        annualSales: 0,
        receivables: 0,
        payables: 0,
        inventoryValue: 0,
        inventoryTurnoverDays: 0,
        existingDebt: 0,
        monthlyDebtService: 0,
      },
      params,
    );
    expect(z.receivableDays).toBe(0);
    expect(z.payableDays).toBe(0);
    expect(z.workingCapitalTurnover).toBe(72); // 360 / minCycleDays
    expect(z.dscr).toBe(RATIO_CAP);
    expect(z.leverage).toBe(0);
    expect(Object.values(z).every(Number.isFinite)).toBe(true);
  });

  it('never reports a negative gap and clamps a negative cycle', () => {
    const rich = computeMetrics(
      { ...survey, ownFunds: 10_000_000_000, payables: 1_500_000_000 },
      params,
    );
    expect(rich.cashConversionCycleDays).toBeLessThan(0);
    expect(rich.workingCapitalTurnover).toBe(72);
    expect(rich.workingCapitalGap).toBe(0);
  });
});
