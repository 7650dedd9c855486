import { computeMetrics, RATIO_CAP } from '../../src/credit/metrics';
import type { Survey } from '../../src/credit/survey';

const survey: Survey = {
  businessForm: 'individual',
  businessModel: 'distributor',
  tenureMonths: 72,
  storeCount: 2,
  annualSales: 2_000_000_000,
  netMargin: 0.1,
  inventoryValue: 225_000_000, // 45 days of the cost of sales 1.8e9: agrees with the turnover
  inventoryTurnoverDays: 45,
  receivables: 100_000_000,
  payables: 60_000_000,
  existingDebt: 50_000_000,
  monthlyDebtService: 5_000_000,
  ownFunds: 30_000_000,
  creditHistory: 'clean',
};
const params = { growthRate: 0.1, assessmentRateBps: 800, inventoryDaysTolerance: 15 };

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
    expect(m.inventoryToSales).toBe(0.1125);
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
    expect(z.workingCapitalTurnover).toBe(RATIO_CAP); // no cycle: turnover unbounded
    expect(z.workingCapitalNeed).toBe(0);
    expect(z.dscr).toBe(RATIO_CAP);
    expect(z.leverage).toBe(0);
    expect(Object.values(z).every(Number.isFinite)).toBe(true);
  });

  it('checks the stock balance against the reported turnover', () => {
    expect(m.stockDays).toBe(45);
    expect(m.inventoryDaysDifference).toBe(0);
    expect(m.inventoryDays).toBe(45);
    // 300M of stock is 60 days of cost of sales: 15 days off, the tolerance itself.
    const edge = computeMetrics({ ...survey, inventoryValue: 300_000_000 }, params);
    expect(edge.inventoryDaysDifference).toBe(15);
    expect(edge.inventoryDays).toBe(45);
    expect(edge.workingCapitalNeed).toBe(m.workingCapitalNeed);
  });

  it('scores the slower and sizes the need on the faster figure when they disagree', () => {
    // 450M of stock is 90 days, reported 45: the score sees 90, the need 45.
    const slowStock = computeMetrics({ ...survey, inventoryValue: 450_000_000 }, params);
    expect(slowStock.stockDays).toBe(90);
    expect(slowStock.inventoryDaysDifference).toBe(45);
    expect(slowStock.inventoryDays).toBe(90);
    expect(slowStock.cashConversionCycleDays).toBe(90 + 18 - 12);
    expect(slowStock.workingCapitalNeed).toBe(m.workingCapitalNeed);
    // 90M of stock is 18 days, reported 45: the score sees 45, the need 18 days of stock.
    const fastStock = computeMetrics({ ...survey, inventoryValue: 90_000_000 }, params);
    expect(fastStock.inventoryDaysDifference).toBe(-27);
    expect(fastStock.inventoryDays).toBe(45);
    expect(fastStock.cashConversionCycleDays).toBe(51);
    expect(fastStock.workingCapitalNeed).toBe(132_000_000); // 1.8e9 * 1.1 * (18 + 18 - 12) / 360
  });

  it('never reports a negative gap', () => {
    const rich = computeMetrics({ ...survey, ownFunds: 10_000_000_000 }, params);
    expect(rich.workingCapitalNeed).toBe(280_500_000);
    expect(rich.workingCapitalGap).toBe(0);
  });

  it('counts prepayments in the cycle and takes customer advances and payables out of it', () => {
    // prepayments 9e7 / 1.8e9 * 360 = 18 days; advances 5e7 / 2e9 * 360 = 9 days
    const m2 = computeMetrics(
      { ...survey, supplierPrepayments: 90_000_000, customerAdvances: 50_000_000 },
      params,
    );
    expect(m2.prepaymentDays).toBe(18);
    expect(m2.advanceDays).toBe(9);
    expect(m2.cashConversionCycleDays).toBe(51 + 18 - 9);
    // 1.8e9 * 1.1 * 60 / 360 = 330,000,000
    expect(m2.workingCapitalNeed).toBe(330_000_000);
  });

  it('finds no need when the cycle is not positive, however short the floor once was', () => {
    // A Kai'en shop: buyers' deposits fund the order, the factory is paid on shipping.
    const deposits = { ...survey, ownFunds: 0, existingDebt: 0, monthlyDebtService: 0 };
    const zero = computeMetrics({ ...deposits, customerAdvances: 51 * (2e9 / 360) }, params);
    expect(zero.cashConversionCycleDays).toBe(0);
    expect(zero.workingCapitalNeed).toBe(0);
    expect(zero.workingCapitalGap).toBe(0);
    const negative = computeMetrics({ ...deposits, payables: 1_500_000_000 }, params);
    expect(negative.cashConversionCycleDays).toBeLessThan(0);
    expect(negative.workingCapitalNeed).toBe(0);
    expect(negative.workingCapitalGap).toBe(0);
    expect(negative.workingCapitalTurnover).toBe(RATIO_CAP);
    const short = computeMetrics({ ...deposits, customerAdvances: 50 * (2e9 / 360) }, params);
    expect(short.cashConversionCycleDays).toBe(1);
    expect(short.workingCapitalNeed).toBe(5_500_000); // 1.8e9 * 1.1 / 360: a day, not five
  });
});
