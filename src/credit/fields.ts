/**
 * The fields a policy may score or knock out on: survey fields and derived metrics.
 * A policy that names anything else is rejected, so a typo cannot silently score zero.
 */
import type { Metrics } from './metrics';
import { BUSINESS_FORMS, BUSINESS_MODELS, CREDIT_HISTORIES, type Survey } from './survey';

type NumericSurveyField =
  | 'tenureMonths'
  | 'storeCount'
  | 'annualSales'
  | 'netMargin'
  | 'inventoryValue'
  | 'inventoryTurnoverDays'
  | 'receivables'
  | 'payables'
  | 'supplierPrepayments'
  | 'customerAdvances'
  | 'ownFunds'
  | 'existingDebt'
  | 'monthlyDebtService';

const NUMERIC_SURVEY_FIELDS: readonly NumericSurveyField[] = [
  'tenureMonths',
  'storeCount',
  'annualSales',
  'netMargin',
  'inventoryValue',
  'inventoryTurnoverDays',
  'receivables',
  'payables',
  'supplierPrepayments',
  'customerAdvances',
  'ownFunds',
  'existingDebt',
  'monthlyDebtService',
];

const METRIC_FIELDS: readonly (keyof Metrics)[] = [
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
  'newInstalmentEstimate',
  'dscr',
  'dscrAfter',
  'leverage',
];

/** Categorical survey fields and their complete domains (bins must cover each value once). */
export const CATEGORICAL_FIELDS: Readonly<Record<string, readonly string[]>> = {
  businessForm: BUSINESS_FORMS,
  businessModel: BUSINESS_MODELS,
  creditHistory: CREDIT_HISTORIES,
};

export type NumericReader = (survey: Survey, metrics: Metrics) => number;
export type CategoricalReader = (survey: Survey) => string;

export function isNumericField(field: string): boolean {
  return (
    (NUMERIC_SURVEY_FIELDS as readonly string[]).includes(field) ||
    (METRIC_FIELDS as readonly string[]).includes(field)
  );
}

export function isCategoricalField(field: string): boolean {
  return Object.hasOwn(CATEGORICAL_FIELDS, field);
}

export function numericReader(field: string): NumericReader {
  if ((NUMERIC_SURVEY_FIELDS as readonly string[]).includes(field)) {
    const f = field as NumericSurveyField;
    // Optional money fields (own funds, advances, prepayments) default to 0, as in the formula.
    return (survey) => survey[f] ?? 0;
  }
  if ((METRIC_FIELDS as readonly string[]).includes(field)) {
    const f = field as keyof Metrics;
    return (_survey, metrics) => metrics[f];
  }
  throw new Error(`unknown numeric field ${field}`);
}

export function categoricalReader(field: string): CategoricalReader {
  if (!isCategoricalField(field)) throw new Error(`unknown categorical field ${field}`);
  const f = field as 'businessForm' | 'businessModel' | 'creditHistory';
  return (survey) => survey[f];
}
