/** The 200 synthetic merchants of the survey (shared domain folder), typed for tests and the bench. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoanRequest, Survey } from '../../src/credit/survey';

export interface SampleMerchant {
  id: string;
  market: 'majiayan' | 'kaien';
  category: string;
  survey: Survey;
  request: LoanRequest | null;
}

const file = join(__dirname, '..', '..', 'fixtures', 'survey-sample.json');

export const sampleMerchants: SampleMerchant[] = JSON.parse(readFileSync(file, 'utf8')).merchants;

/** Merchants without a request in the survey ask for a card-sized turnover line. */
export const defaultRequest: LoanRequest = {
  product: 'any',
  amount: 20_000_000,
  termMonths: 12,
  purpose: 'short_term_turnover',
};
