/**
 * Helpers for the outcome and monitoring API tests: loans made through the API (submit, then
 * accept) at chosen instants of an injected clock. Not a test file: jest only runs *.test.ts.
 */
import type { Survey } from '../../../src/credit';
import { strongSurvey } from '../../helpers/fixtures';
import { bearer, type TestApp } from '../../helpers/test-app';
import {
  type ApplicationBody,
  accept,
  applicationBody,
  freshKey,
  submit,
} from '../origination/applications/helpers';

/** A clock the test moves: every request reads it once. */
export function movableClock(start: string) {
  let now = new Date(start);
  return {
    clock: () => now,
    set(at: string) {
      now = new Date(at);
    },
  };
}

/**
 * Variations of the strong survey and the score and grade the default policy gives them
 * (checked by the tests that use them, so a policy change shows here first).
 */
export const SURVEYS = {
  a665: { tenureMonths: 180, storeCount: 3, netMargin: 0.2 },
  // Stock of 20 days of its cost of sales, so that the balance agrees with the turnover.
  a675: {
    tenureMonths: 150,
    netMargin: 0.18,
    inventoryTurnoverDays: 20,
    inventoryValue: 68_333_333,
  },
  b655: { netMargin: 0.2 },
  b645: { tenureMonths: 150 },
  b635: {},
  c620: { tenureMonths: 40 },
  c610: { creditHistory: 'none' },
  c605: { tenureMonths: 40, netMargin: 0.06 },
  /** Referred (a late payment on record); approved only in review. */
  d590: { creditHistory: 'late_30' },
  /** Declined: tenure under 12 months is a knock-out. */
  d575: { tenureMonths: 10 },
} as const satisfies Record<string, Partial<Survey>>;
export type SurveyName = keyof typeof SURVEYS;

export const survey = (name: SurveyName): Survey =>
  ({ ...strongSurvey(), ...SURVEYS[name] }) as Survey;

const MERCHANTS = [
  'mer_demo_mjy01',
  'mer_demo_mjy02',
  'mer_demo_mjy04',
  'mer_demo_mjy05',
  'mer_demo_mjy06',
  'mer_demo_kai01',
  'mer_demo_kai02',
  'mer_demo_kai04',
];
let next = 0;

/** Submits an application (admin key) for one of the demo merchants; insists on 201. */
export async function apply(t: TestApp, name: SurveyName): Promise<ApplicationBody> {
  const merchantId = MERCHANTS[next++ % MERCHANTS.length] as string;
  const res = await submit(
    t,
    t.adminKey,
    applicationBody(merchantId, survey(name), { amount: 5_000_000 }),
  );
  if (res.status !== 201)
    throw new Error(`submit failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as ApplicationBody;
}

export interface Loan {
  applicationId: string;
  offerId: string;
  /** The decision that made the accepted offer. */
  decisionId: string;
  score: number;
  grade: string;
  policyId: string;
  policyVersion: number;
}

/** Accepts the application's first offer; answers the loan. */
export async function takeFirstOffer(t: TestApp, app: ApplicationBody): Promise<Loan> {
  const offer = app.offers[0];
  if (!offer) throw new Error(`no offer in ${JSON.stringify(app)}`);
  const res = await accept(t, t.adminKey, offer.id);
  if (res.status !== 200)
    throw new Error(`accept failed: ${res.status} ${JSON.stringify(res.body)}`);
  return {
    applicationId: app.id,
    offerId: offer.id,
    decisionId: app.decision.id,
    score: app.decision.score,
    grade: app.decision.grade,
    policyId: app.decision.policyId,
    policyVersion: app.decision.policyVersion,
  };
}

/** A loan: submit an approvable survey and accept its first offer. */
export async function loan(t: TestApp, name: SurveyName): Promise<Loan> {
  return takeFirstOffer(t, await apply(t, name));
}

/** A referred application approved in review by `reviewerKey`: a new decision with offers. */
export async function reviewApprove(t: TestApp, reviewerKey: string, app: ApplicationBody) {
  const res = await t.http
    .post(`/v1/applications/${app.id}/review`)
    .set(bearer(reviewerKey))
    .send({ action: 'approve', note: 'Late payment explained by a supplier dispute' });
  if (res.status !== 200)
    throw new Error(`review failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as ApplicationBody;
}

export function recordOutcome(
  t: TestApp,
  key: string,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
) {
  return t.http.post('/v1/outcomes').set(bearer(key)).set(headers).send(body);
}

/** Records an outcome and insists on 201. */
export async function recordOk(
  t: TestApp,
  key: string,
  offerId: string,
  status: string,
  asOf: string,
) {
  const res = await recordOutcome(t, key, { offerId, status, asOf });
  if (res.status !== 201)
    throw new Error(`outcome failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export { freshKey };
