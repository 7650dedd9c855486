/**
 * Cash-flow metrics of a merchant: what the business earns each month, how long cash sits in
 * stock and receivables, the working capital it needs (CBRC 2010 流动资金贷款管理暂行办法
 * formula), and how well it covers its debt service. Ratios are rounded to 4 decimals and
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
  /** Floor of the cash cycle (days) before computing the turnover count: avoids dividing by <= 0. */
  minCycleDays: number;
  /** Rate at which the requested loan's instalment is estimated for the coverage after it. */
  assessmentRateBps: number;
}

export interface Metrics {
  monthlySales: number;
  monthlyNetCashFlow: number;
  annualNetProfit: number;
  receivableDays: number;
  payableDays: number;
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
  'receivableDays',
  'payableDays',
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

  const receivableDays =
    sales > 0 ? roundTo((survey.receivables / sales) * DAYS_PER_YEAR, RATIO_DECIMALS) : 0;
  const payableDays =
    costOfSales > 0 ? roundTo((survey.payables / costOfSales) * DAYS_PER_YEAR, RATIO_DECIMALS) : 0;
  const cashConversionCycleDays = roundTo(
    survey.inventoryTurnoverDays + receivableDays - payableDays,
    RATIO_DECIMALS,
  );
  const cycleForTurnover = Math.max(cashConversionCycleDays, params.minCycleDays);
  const workingCapitalTurnover = roundTo(DAYS_PER_YEAR / cycleForTurnover, RATIO_DECIMALS);
  // need = sales x (1 - margin) x (1 + growth) / (360 / cycle); divided through to stay exact.
  const workingCapitalNeed = Math.max(
    0,
    roundHalfUp((costOfSales * (1 + params.growthRate) * cycleForTurnover) / DAYS_PER_YEAR),
  );
  // A negative gap means the merchant funds its cycle already: no working-capital loan is needed.
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
    receivableDays,
    payableDays,
    cashConversionCycleDays,
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
