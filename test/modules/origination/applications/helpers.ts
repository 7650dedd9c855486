/**
 * Shared helpers for the origination API tests (applications, offers, guarantee groups,
 * exposure, authorization). Not a test file: jest only runs *.test.ts.
 */
import type { Survey } from '../../../../src/credit';
import type { AppDeps } from '../../../../src/deps';
import { residentIdCheckChar } from '../../../../src/lib/personal-data';
import { expireDueOffers } from '../../../../src/modules/origination/expire-offers';
import { sampleSurvey, strongSurvey } from '../../../helpers/fixtures';
import { bearer, type TestApp } from '../../../helpers/test-app';

export const MJY = 'mkt_demo_majiayan';
export const KAI = 'mkt_demo_kaien';
export const OPR_MJY = 'opr_demo_majiayan';
export const OPR_KAI = 'opr_demo_kaien';

/** The default policy refers this seeded survey (score 590, grade D: weak history, thin margin). */
export const referSurvey = (): Survey => sampleSurvey('mjy-015');
/** The default policy declines this seeded survey (tenure under 12 months: a knock-out). */
export const declineSurvey = (): Survey => sampleSurvey('kaien-011');
export { strongSurvey };
/**
 * Approved at grade C (620): an operator-guaranteed loan and a card, and no credit loan (whose
 * minimum grade is B), for tests of what happens to an application's other offers.
 */
export const twoOfferSurvey = (): Survey => ({ ...strongSurvey(), tenureMonths: 40 });

export const residentId = (first17: string) => first17 + residentIdCheckChar(first17);

let serial = 0;
/** A fresh, valid merchant body (a new identity and phone each call). */
export function merchantBody(marketId: string, extra: Record<string, unknown> = {}) {
  serial += 1;
  const seq = String(serial).padStart(3, '0');
  return {
    name: `测试商户 ${serial}`,
    idNumber: residentId(`50010419850101${seq}`),
    phone: `1370000${String(serial).padStart(4, '0')}`,
    marketId,
    stallNo: `T-${serial}`,
    leaseEndsOn: '2030-12-31',
    ...extra,
  };
}

/** Registers a merchant through the API with the given key; answers its id. */
export async function createMerchant(
  t: TestApp,
  key: string,
  marketId: string,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const res = await t.http
    .post('/v1/merchants')
    .set(bearer(key))
    .send(merchantBody(marketId, extra));
  if (res.status !== 201)
    throw new Error(`createMerchant failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

/** Registers `n` merchants in the market through the API (the admin key); answers their ids. */
export async function createMerchants(t: TestApp, n: number, marketId = MJY): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push(await createMerchant(t, t.adminKey, marketId));
  return ids;
}

export interface RequestPart {
  product?: string;
  amount?: number;
  termMonths?: number;
  purpose?: string;
  guaranteeGroupId?: string;
}

export function applicationBody(merchantId: string, survey: Survey, request: RequestPart = {}) {
  return {
    merchantId,
    survey,
    request: {
      product: 'any',
      amount: 50_000_000,
      termMonths: 12,
      purpose: 'working_capital',
      ...request,
    },
  };
}

let keySerial = 0;
export const freshKey = (prefix = 'k') => `${prefix}-${++keySerial}-${Date.now()}`;

/** POST /v1/applications with a fresh Idempotency-Key (or the one given). */
export function submit(
  t: TestApp,
  key: string,
  body: unknown,
  idempotencyKey: string = freshKey('app'),
  headers: Record<string, string> = {},
) {
  return t.http
    .post('/v1/applications')
    .set(bearer(key))
    .set('idempotency-key', idempotencyKey)
    .set(headers)
    .send(body as object);
}

/** Submits and insists on 201; answers the application. */
export async function submitOk(
  t: TestApp,
  key: string,
  merchantId: string,
  survey: Survey,
  request: RequestPart = {},
) {
  const res = await submit(t, key, applicationBody(merchantId, survey, request));
  if (res.status !== 201)
    throw new Error(`submit failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as ApplicationBody;
}

export function accept(t: TestApp, key: string, offerId: string, idem = freshKey('acc')) {
  return t.http
    .post(`/v1/offers/${offerId}/accept`)
    .set(bearer(key))
    .set('idempotency-key', idem)
    .send();
}

export function decline(t: TestApp, key: string, offerId: string) {
  return t.http.post(`/v1/offers/${offerId}/decline`).set(bearer(key)).send();
}

export async function operator(t: TestApp, id: string) {
  const res = await t.http.get(`/v1/operators/${id}`).set(bearer(t.adminKey));
  if (res.status !== 200) throw new Error(`operator read failed: ${res.status}`);
  return res.body as { used: number; reserved: number; available: number };
}

export async function events(t: TestApp, key: string, applicationId: string) {
  const res = await t.http.get(`/v1/applications/${applicationId}/events`).set(bearer(key));
  if (res.status !== 200) throw new Error(`events failed: ${res.status}`);
  return res.body.data as AuditEvent[];
}

export interface OfferBody {
  id: string;
  applicationId: string;
  merchantId: string;
  product: string;
  amount: number;
  termMonths: number;
  annualRateBps: number;
  method: string;
  schedule: { principal: number; interest: number; dueDate: string | null }[];
  monthlyInstalment: number;
  bindingLimit: string;
  limitReason: { code: string; kind: string; textZh: string; textEn: string } | null;
  operatorId: string | null;
  guaranteeGroupId: string | null;
  expiresAt: string;
  status: string;
}

export interface ApplicationBody {
  id: string;
  status: string;
  merchantId: string;
  marketId: string;
  decision: {
    id: string;
    outcome: string;
    score: number;
    grade: string;
    pd: number;
    reasons: { code: string }[];
    metrics: Record<string, number>;
    policyVersion: number;
    policyId: string;
    source: string;
    note: string | null;
  };
  offers: OfferBody[];
}

export interface AuditEvent {
  id: string;
  entityType: string;
  entityId: string;
  action: string;
  actorKeyId: string | null;
  actorRole: string | null;
  actorOwner: string | null;
  requestId: string | null;
  data: Record<string, unknown> | null;
  at: string;
}

export const offerOf = (app: ApplicationBody, product: string) => {
  const o = app.offers.find((x) => x.product === product);
  if (!o) throw new Error(`no ${product} offer in ${JSON.stringify(app.offers)}`);
  return o;
};

export const paths = (body: { details?: { path: string }[] }) =>
  (body.details ?? []).map((d) => d.path).sort();

/** The id of the API key behind a secret (`mlk_<prefix>_...`), looked up as an admin. */
export async function keyIdOf(t: TestApp, secret: string): Promise<string> {
  const res = await t.http.get('/v1/api-keys?limit=200').set(bearer(t.adminKey));
  const row = (res.body.data as { id: string; prefix: string }[]).find((k) =>
    secret.startsWith(`mlk_${k.prefix}_`),
  );
  if (!row) throw new Error('key not found');
  return row.id;
}

/** Runs the offer expiry job once at `now`, as its timer would; answers how many expired. */
export function runExpiry(t: TestApp, now: Date) {
  return expireDueOffers({ db: t.testDb.database.db } as unknown as AppDeps, {
    actor: {
      keyId: 'test_expiry',
      role: 'admin',
      name: 'expiry',
      owner: 'system:test-expiry',
      marketIds: [],
      partnerId: null,
    },
    requestId: 'req-expiry-job',
    now,
  });
}
