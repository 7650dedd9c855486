/** The 200 synthetic merchants of the survey (shared domain folder), typed for tests and the bench. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoanRequest, Survey } from '../../src/credit/survey';

export interface SampleMerchant {
  id: string;
  market: 'majiayan' | 'kaien';
  category: string;
  survey: Survey;
  /** The CBRC 2010 gap the sample's author computed from the survey fields (fen). */
  workingCapitalGap: number;
  request: LoanRequest | null;
}

const file = join(__dirname, '..', '..', 'fixtures', 'survey-sample.json');

const sample = JSON.parse(readFileSync(file, 'utf8'));

/** Version 2: stock agrees with turnover, own funds, advances and prepayments, the gap. */
export const sampleVersion: number = sample.version;
export const sampleGrowthRate: number = sample.formula.growthRate;
export const sampleMerchants: SampleMerchant[] = sample.merchants;

/** Merchants without a request in the survey ask for a card-sized turnover line. */
export const defaultRequest: LoanRequest = {
  product: 'any',
  amount: 20_000_000,
  termMonths: 12,
  purpose: 'short_term_turnover',
};
