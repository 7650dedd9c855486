import sample from '../../fixtures/survey-sample.json';
import type { LoanRequest, Survey } from '../../src/credit';
import { demoMerchants } from '../../src/db/demo-data';
import { seedDemoData } from '../../src/db/seed';
import type { TestApp } from './test-app';

export interface SampleMerchant {
  id: string;
  market: string;
  category: string;
  survey: Survey;
  workingCapitalGap: number;
  request: LoanRequest | null;
}

export const sampleMerchants = sample.merchants as unknown as SampleMerchant[];

export function sampleSurvey(id: string): Survey {
  const m = sampleMerchants.find((s) => s.id === id);
  if (!m) throw new Error(`no sample merchant ${id}`);
  return structuredClone(m.survey);
}

/** The demo merchant seeded for a sample survey, with its survey. */
export function demoMerchant(sampleId: string) {
  const m = demoMerchants.find((d) => d.sampleId === sampleId);
  if (!m) throw new Error(`no demo merchant for ${sampleId}`);
  return { ...m, survey: sampleSurvey(sampleId) };
}

export async function seedDemo(t: TestApp) {
  await seedDemoData(t.testDb.database.db, {
    clock: () => new Date(),
    piiDigestKey: t.config.PII_DIGEST_KEY,
    demoKeys: false,
  });
}

/** A survey the default policy approves comfortably (Majiayan wholesaler, long tenure, clean). */
export const strongSurvey = (): Survey => ({
  businessForm: 'individual',
  businessModel: 'distributor',
  tenureMonths: 96,
  storeCount: 2,
  annualSales: 1_500_000_000,
  netMargin: 0.12,
  inventoryValue: 200_000_000,
  inventoryTurnoverDays: 45,
  receivables: 60_000_000,
  payables: 40_000_000,
  existingDebt: 0,
  monthlyDebtService: 0,
  creditHistory: 'clean',
  leaseRemainingMonths: 36,
});
