/**
 * Cash-flow metrics of a merchant: what the business earns each month, how long cash sits in
 * stock, receivables and prepayments less what suppliers and buyers fund (payables, customer
 * advances), the working capital it needs (CBRC 2010 流动资金贷款管理暂行办法, 附件: the formula
 * in full), and how well it covers its debt service. Ratios are rounded to 4 decimals and
 * money to the fen, so that a serialised decision is byte-stable and the scorecard reads
 * exactly the figures it shows.
 */
import { annuityPayment, roundHalfUp, roundTo } from './money';
import type { Survey } from './survey';

/** Coverage with no debt service is unbounded; shown and scored as this cap instead of Infinity. */
export const RATIO_CAP = 999;
const DAYS_PER_YEAR = 360;
const RATIO_DECIMALS = 4;

export interface MetricParams {
  /** Expected sales growth for the CBRC formula, e.g. 0.1. */
  growthRate: number;
  /** Rate at which the requested loan's instalment is estimated for the coverage after it. */
  assessmentRateBps: number;
  /** Days by which stock days (balance / cost of sales x 360) may differ from the reported turnover. */
  inventoryDaysTolerance: number;
}

export interface Metrics {
  monthlySales: number;
  monthlyNetCashFlow: number;
  annualNetProfit: number;
  /** Stock days the balance implies: inventoryValue / cost of sales x 360 (the reported days when not computable). */
  stockDays: number;
  /** stockDays - reported inventoryTurnoverDays; beyond the policy tolerance the data disagree. */
  inventoryDaysDifference: number;
  /** Stock days the model scores: the reported turnover, or the slower of the two when they disagree. */
  inventoryDays: number;
  receivableDays: number;
  payableDays: number;
  prepaymentDays: number;
  advanceDays: number;
  cashConversionCycleDays: number;
  workingCapitalTurnover: number;
  workingCapitalNeed: number;
  workingCapitalGap: number;
  inventoryToSales: number;
  monthlyDebtService: number;
  newInstalmentEstimate: number;
  dscr: number;
  dscrAfter: number;
  leverage: number;
}

/**
 * The metrics in the order decide() reports them. Stored as jsonb, an object comes back with
 * its keys reordered; views put them back in this order, so an answer read back from storage
 * is byte for byte the answer first sent.
 */
export const METRIC_NAMES = [
  'monthlySales',
  'monthlyNetCashFlow',
  'annualNetProfit',
  'stockDays',
  'inventoryDaysDifference',
  'inventoryDays',
  'receivableDays',
  'payableDays',
  'prepaymentDays',
  'advanceDays',
  'cashConversionCycleDays',
  'workingCapitalTurnover',
  'workingCapitalNeed',
  'workingCapitalGap',
  'inventoryToSales',
  'monthlyDebtService',
  'newInstalmentEstimate',
  'dscr',
  'dscrAfter',
  'leverage',
] as const satisfies readonly (keyof Metrics)[];
// Every metric is named: a new one must join the list.
type Unnamed = Exclude<keyof Metrics, (typeof METRIC_NAMES)[number]>;
const _everyMetricNamed: Unnamed extends never ? true : never = true;
void _everyMetricNamed;

/** The metrics in `METRIC_NAMES` order (keys it does not name follow, sorted). */
export function orderedMetrics(metrics: Record<string, number>): Record<string, number> {
  const ordered: Record<string, number> = {};
  for (const k of METRIC_NAMES) if (k in metrics) ordered[k] = metrics[k] as number;
  for (const k of Object.keys(metrics).sort())
    if (!(k in ordered)) ordered[k] = metrics[k] as number;
  return ordered;
}

function ratio(numerator: number, denominator: number): number {
  if (denominator <= 0) return numerator > 0 ? RATIO_CAP : 0;
  return roundTo(Math.min(numerator / denominator, RATIO_CAP), RATIO_DECIMALS);
}

function coverage(cashFlow: number, debtService: number): number {
  if (debtService <= 0) return RATIO_CAP;
  return roundTo(Math.max(-RATIO_CAP, Math.min(cashFlow / debtService, RATIO_CAP)), RATIO_DECIMALS);
}

export function computeMetrics(
  survey: Survey,
  params: MetricParams,
  request?: { amount: number; termMonths: number },
): Metrics {
  const sales = survey.annualSales;
  const margin = survey.netMargin;
  const annualNetProfit = roundHalfUp(sales * margin);
  const monthlyNetCashFlow = roundHalfUp((sales * margin) / 12);
  const costOfSales = sales * (1 - margin);

  // Days of sales (receivables, advances) or of cost of sales (payables, prepayments), per the
  // formula's 附件: 周转天数 = 360 / 周转次数.
  const perSales = sales > 0 ? DAYS_PER_YEAR / sales : 0;
  const perCost = costOfSales > 0 ? DAYS_PER_YEAR / costOfSales : 0;
  const receivable = survey.receivables * perSales;
  const advance = (survey.customerAdvances ?? 0) * perSales;
  const payable = survey.payables * perCost;
  const prepayment = (survey.supplierPrepayments ?? 0) * perCost;
  // Stock balance against reported turnover. When they disagree beyond the tolerance the model
  // takes the prudent figure for each use: the slower turnover for the score and the shown
  // cycle (a risk view no better than either figure), the faster for the need (a loan no larger
  // than either figure supports). The decision is referred so that an officer rechecks.
  const reported = survey.inventoryTurnoverDays;
  const stock = costOfSales > 0 ? (survey.inventoryValue / costOfSales) * DAYS_PER_YEAR : reported;
  const disagree = Math.abs(stock - reported) > params.inventoryDaysTolerance;
  const slowDays = disagree ? Math.max(stock, reported) : reported;
  const fastDays = disagree ? Math.min(stock, reported) : reported;
  const funded = receivable + prepayment - payable - advance;
  const cycle = slowDays + funded;
  const needCycle = fastDays + funded;
  // 营运资金量 = 销售成本 x (1 + 增长率) / 周转次数, 周转次数 = 360 / cycle; divided through to
  // stay exact. A cycle that is not positive means suppliers and buyers fund the stock: no need.
  const workingCapitalNeed =
    needCycle > 0
      ? roundHalfUp((costOfSales * (1 + params.growthRate) * needCycle) / DAYS_PER_YEAR)
      : 0;
  const workingCapitalTurnover =
    needCycle > 0
      ? roundTo(Math.min(DAYS_PER_YEAR / needCycle, RATIO_CAP), RATIO_DECIMALS)
      : RATIO_CAP;
  // 新增流动资金贷款额度 = 营运资金量 - 自有资金 - 现有借款; below zero there is no gap.
  const workingCapitalGap = Math.max(
    0,
    workingCapitalNeed - (survey.ownFunds ?? 0) - survey.existingDebt,
  );

  const newInstalmentEstimate = request
    ? roundHalfUp(annuityPayment(request.amount, params.assessmentRateBps, request.termMonths))
    : 0;

  return {
    monthlySales: roundHalfUp(sales / 12),
    monthlyNetCashFlow,
    annualNetProfit,
    stockDays: roundTo(Math.min(stock, RATIO_CAP), RATIO_DECIMALS),
    inventoryDaysDifference: roundTo(Math.min(stock, RATIO_CAP) - reported, RATIO_DECIMALS),
    inventoryDays: roundTo(Math.min(slowDays, RATIO_CAP), RATIO_DECIMALS),
    receivableDays: roundTo(receivable, RATIO_DECIMALS),
    payableDays: roundTo(payable, RATIO_DECIMALS),
    prepaymentDays: roundTo(prepayment, RATIO_DECIMALS),
    advanceDays: roundTo(advance, RATIO_DECIMALS),
    cashConversionCycleDays: roundTo(cycle, RATIO_DECIMALS),
    workingCapitalTurnover,
    workingCapitalNeed,
    workingCapitalGap,
    inventoryToSales: ratio(survey.inventoryValue, sales),
    monthlyDebtService: survey.monthlyDebtService,
    newInstalmentEstimate,
    dscr: coverage(monthlyNetCashFlow, survey.monthlyDebtService),
    dscrAfter: coverage(monthlyNetCashFlow, survey.monthlyDebtService + newInstalmentEstimate),
    leverage: ratio(survey.existingDebt, sales),
  };
}
