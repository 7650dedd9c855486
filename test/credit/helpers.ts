/** Shared fixtures for the credit tests: a fresh copy of the default policy and a good survey. */
import type { DecisionContext, PolicyDocument, Survey } from '../../src/credit';
import { defaultPolicyDocument } from '../../src/credit';

export function policyCopy(): PolicyDocument {
  return structuredClone(defaultPolicyDocument);
}

/** A Majiayan-like distributor with ten years of trade, no debt, 12% margin. */
export const goodSurvey: Survey = {
  businessForm: 'individual',
  businessModel: 'distributor',
  tenureMonths: 130,
  storeCount: 2,
  annualSales: 2_000_000_000,
  netMargin: 0.12,
  inventoryValue: 200_000_000,
  inventoryTurnoverDays: 30,
  receivables: 50_000_000,
  payables: 80_000_000,
  existingDebt: 0,
  monthlyDebtService: 0,
  creditHistory: 'clean',
  leaseRemainingMonths: 24,
};

export const activeOperator: NonNullable<DecisionContext['operator']> = {
  agreementStatus: 'active',
  perMerchantCap: 300_000_000,
  available: 5_000_000_000,
  maxTermMonths: 36,
  depositRatioBps: 1_000,
};
