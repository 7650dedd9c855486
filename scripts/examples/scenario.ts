/**
 * The OpenAPI document's examples, as one partner-and-bank scenario on the demo data (a
 * Majiayan building-materials wholesaler and Kai'en furniture retailers, surveys from the survey
 * sample): every operation at least once, in an order where each step finds what it needs.
 * `npm run openapi:examples` runs it against a fresh seeded database and stores the requests
 * and answers in openapi/examples.json (the document shows them); test/contract/examples.test.ts
 * runs it again and checks each step still gets its documented status.
 *
 * A new route adds a step here (its request, the key that sends it, the status it answers),
 * then `npm run openapi:examples && npm run openapi`.
 */
import sample from '../../fixtures/survey-sample.json';
import { residentIdCheckChar } from '../../src/lib/personal-data';

export type ExampleRole = 'none' | 'admin' | 'officer' | 'partner' | 'reviewer' | 'risk' | 'risk2';

/** What earlier steps answered, by step name (`as`, else the operationId). */
// biome-ignore lint/suspicious/noExplicitAny: answers are read by path, as a partner would.
export type Answers = Record<string, any>;
type Given<T> = T | ((answers: Answers) => T);

export interface ExampleStep {
  operationId: string;
  /** Stores the answer under this name (when an operation runs twice). */
  as?: string;
  role: ExampleRole;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The path template as routed (`/v1/offers/:id/accept`). */
  path: string;
  params?: Given<Record<string, string>>;
  query?: Given<Record<string, string | number>>;
  headers?: Record<string, string>;
  body?: Given<unknown>;
  status: number;
  /** Not the operation's documented example (a setup step, or a second run of one). */
  setup?: boolean;
}

/** The clock the scenario runs at: offers, outcomes and monitoring periods are relative to it. */
export const SCENARIO_NOW = new Date('2026-12-02T02:30:00.000Z');

type SampleMerchant = {
  id: string;
  survey: Record<string, unknown>;
  request?: Record<string, unknown>;
};
const merchants = (sample as { merchants: SampleMerchant[] }).merchants;
const surveyOf = (id: string) => {
  const m = merchants.find((x) => x.id === id);
  if (!m) throw new Error(`no sample merchant ${id}`);
  return m;
};
const mjy001 = surveyOf('mjy-001');
const kai001 = surveyOf('kaien-001');
const mjy002 = surveyOf('mjy-002');
/** A Kai'en shop whose working-capital gap supports a joint-guarantee loan of 20万. */
const kai002 = surveyOf('kaien-002');

const NEW_IDENTITY = `50010719850614${'201'}`;
const idem = (key: string) => ({ 'idempotency-key': key });
const first = (xs: { id: string }[] | undefined, what: string) => {
  const x = xs?.[0];
  if (!x) throw new Error(`scenario: no ${what}`);
  return x.id;
};

export const scenario: ExampleStep[] = [
  // Operations
  { operationId: 'getLiveness', role: 'none', method: 'GET', path: '/health/live', status: 200 },
  { operationId: 'getReadiness', role: 'none', method: 'GET', path: '/health/ready', status: 200 },
  { operationId: 'getMetrics', role: 'none', method: 'GET', path: '/metrics', status: 200 },
  { operationId: 'getOpenApi', role: 'none', method: 'GET', path: '/openapi.json', status: 200 },

  // API keys (admin)
  {
    operationId: 'createApiKey',
    role: 'admin',
    method: 'POST',
    path: '/v1/api-keys',
    body: { role: 'partner', name: "Kai'en furniture app", partnerId: 'ptn_kaien_app' },
    status: 201,
  },
  {
    operationId: 'listApiKeys',
    role: 'admin',
    method: 'GET',
    path: '/v1/api-keys',
    query: { limit: 2 },
    status: 200,
  },

  // Operators and markets (admin)
  {
    operationId: 'createOperator',
    role: 'admin',
    method: 'POST',
    path: '/v1/operators',
    body: {
      name: '重庆马家岩建材市场二期经营管理有限公司',
      guaranteeAgreement: {
        capacity: 3_000_000_000,
        perMerchantCap: 200_000_000,
        maxTermMonths: 24,
        depositRatioBps: 1000,
        status: 'active',
      },
    },
    status: 201,
  },
  {
    operationId: 'listOperators',
    role: 'admin',
    method: 'GET',
    path: '/v1/operators',
    query: { limit: 2 },
    status: 200,
  },
  {
    operationId: 'getOperator',
    role: 'admin',
    method: 'GET',
    path: '/v1/operators/:id',
    params: { id: 'opr_demo_majiayan' },
    status: 200,
  },
  {
    operationId: 'updateGuaranteeAgreement',
    role: 'admin',
    method: 'PATCH',
    path: '/v1/operators/:id/guarantee-agreement',
    params: (a: Answers) => ({ id: a.createOperator.id }),
    body: { capacity: 4_000_000_000 },
    status: 200,
  },
  {
    operationId: 'createMarket',
    role: 'admin',
    method: 'POST',
    path: '/v1/markets',
    body: (a: Answers) => ({
      name: '马家岩建材市场二期',
      city: '重庆',
      category: 'building_materials',
      operatorId: a.createOperator.id,
    }),
    status: 201,
  },
  {
    operationId: 'listMarkets',
    role: 'officer',
    method: 'GET',
    path: '/v1/markets',
    status: 200,
  },
  {
    operationId: 'getMarket',
    role: 'officer',
    method: 'GET',
    path: '/v1/markets/:id',
    params: { id: 'mkt_demo_majiayan' },
    status: 200,
  },

  // Merchants (an officer of both demo markets)
  {
    operationId: 'createMerchant',
    role: 'officer',
    method: 'POST',
    path: '/v1/merchants',
    body: {
      name: '刘记五金建材',
      idNumber: NEW_IDENTITY + residentIdCheckChar(NEW_IDENTITY),
      phone: '13908361299',
      marketId: 'mkt_demo_majiayan',
      stallNo: 'B-208',
      leaseEndsOn: '2028-06-30',
    },
    status: 201,
  },
  {
    operationId: 'listMerchants',
    role: 'officer',
    method: 'GET',
    path: '/v1/merchants',
    query: { marketId: 'mkt_demo_kaien', limit: 2 },
    status: 200,
  },
  {
    operationId: 'getMerchant',
    role: 'officer',
    method: 'GET',
    path: '/v1/merchants/:id',
    params: { id: 'mer_demo_mjy01' },
    status: 200,
  },

  // Schedules
  {
    operationId: 'quoteSchedule',
    role: 'officer',
    method: 'POST',
    path: '/v1/schedules/quote',
    body: {
      amount: 20_000_000,
      annualRateBps: 900,
      termMonths: 6,
      method: 'equal_instalment',
      acceptedOn: '2026-12-02',
    },
    status: 200,
  },

  // Applications: the Majiayan wholesaler asks for working capital; a Kai'en retailer too
  {
    operationId: 'submitApplication',
    role: 'officer',
    method: 'POST',
    path: '/v1/applications',
    headers: idem('mjy01-2026-12-02-1'),
    body: { merchantId: 'mer_demo_mjy01', survey: mjy001.survey, request: mjy001.request },
    status: 201,
  },
  {
    operationId: 'submitApplication',
    as: 'kaien',
    setup: true,
    role: 'officer',
    method: 'POST',
    path: '/v1/applications',
    headers: idem('kai01-2026-12-02-1'),
    body: {
      merchantId: 'mer_demo_kai01',
      survey: kai001.survey,
      request: kai001.request ?? {
        product: 'any',
        amount: 30_000_000,
        termMonths: 12,
        purpose: 'working_capital',
      },
    },
    status: 201,
  },
  {
    operationId: 'listApplications',
    role: 'officer',
    method: 'GET',
    path: '/v1/applications',
    query: { marketId: 'mkt_demo_majiayan', limit: 1 },
    status: 200,
  },
  {
    operationId: 'getApplication',
    role: 'officer',
    method: 'GET',
    path: '/v1/applications/:id',
    params: (a: Answers) => ({ id: a.submitApplication.id }),
    status: 200,
  },
  {
    operationId: 'getOffer',
    role: 'officer',
    method: 'GET',
    path: '/v1/offers/:id',
    params: (a: Answers) => ({ id: first(a.submitApplication.offers, 'offer') }),
    status: 200,
  },
  {
    operationId: 'acceptOffer',
    role: 'officer',
    method: 'POST',
    path: '/v1/offers/:id/accept',
    params: (a: Answers) => ({ id: first(a.submitApplication.offers, 'offer') }),
    headers: idem('accept-mjy01-2026-12-02'),
    status: 200,
  },
  {
    operationId: 'declineOffer',
    role: 'officer',
    method: 'POST',
    path: '/v1/offers/:id/decline',
    params: (a: Answers) => ({ id: first(a.kaien.offers, "Kai'en offer") }),
    status: 200,
  },
  {
    operationId: 'listApplicationEvents',
    role: 'officer',
    method: 'GET',
    path: '/v1/applications/:id/events',
    params: (a: Answers) => ({ id: a.submitApplication.id }),
    status: 200,
  },
  {
    operationId: 'getMerchantExposure',
    role: 'officer',
    method: 'GET',
    path: '/v1/merchants/:id/exposure',
    params: { id: 'mer_demo_mjy01' },
    status: 200,
  },
  {
    operationId: 'recordOutcome',
    role: 'risk',
    method: 'POST',
    path: '/v1/outcomes',
    body: (a: Answers) => ({
      offerId: first(a.submitApplication.offers, 'offer'),
      status: 'current',
      asOf: '2026-12-02',
    }),
    status: 201,
  },

  // Joint guarantee: three Kai'en retailers form a group (联保小组)
  {
    operationId: 'createGuaranteeGroup',
    role: 'officer',
    method: 'POST',
    path: '/v1/guarantee-groups',
    body: {
      marketId: 'mkt_demo_kaien',
      memberIds: ['mer_demo_kai02', 'mer_demo_kai03', 'mer_demo_kai04'],
    },
    status: 201,
  },
  {
    operationId: 'getGuaranteeGroup',
    role: 'officer',
    method: 'GET',
    path: '/v1/guarantee-groups/:id',
    params: (a: Answers) => ({ id: a.createGuaranteeGroup.id }),
    status: 200,
  },

  // Reviews: a survey whose stock days disagree with its reported turnover is referred
  {
    operationId: 'submitApplication',
    as: 'referred',
    setup: true,
    role: 'officer',
    method: 'POST',
    path: '/v1/applications',
    headers: idem('mjy02-2026-12-02-1'),
    body: {
      merchantId: 'mer_demo_mjy02',
      survey: { ...mjy002.survey, inventoryTurnoverDays: 150 },
      request: mjy002.request,
    },
    status: 201,
  },
  {
    operationId: 'listReviews',
    role: 'reviewer',
    method: 'GET',
    path: '/v1/reviews',
    query: { marketId: 'mkt_demo_majiayan' },
    status: 200,
  },
  {
    operationId: 'reviewApplication',
    role: 'reviewer',
    method: 'POST',
    path: '/v1/applications/:id/review',
    params: (a: Answers) => ({ id: a.referred.id }),
    body: {
      action: 'approve',
      note: '实地走访：库存与进货单据相符，周转天数按旺季备货解释 (stock checked on site)',
      amount: 150_000_000,
    },
    status: 200,
  },

  // Policies: the risk team drafts, a second person publishes, then a 10% challenger
  {
    operationId: 'getActivePolicy',
    role: 'risk',
    method: 'GET',
    path: '/v1/policies/active',
    status: 200,
  },
  {
    operationId: 'createPolicy',
    role: 'risk',
    method: 'POST',
    path: '/v1/policies',
    body: (a: Answers) => ({
      cloneOf: a.getActivePolicy.id,
      changes: { name: '2027 春季：存货天数容差收紧', dataChecks: { inventoryDaysTolerance: 45 } },
    }),
    status: 201,
  },
  {
    operationId: 'listPolicies',
    role: 'risk',
    method: 'GET',
    path: '/v1/policies',
    query: { status: 'draft' },
    status: 200,
  },
  {
    operationId: 'getPolicy',
    role: 'risk',
    method: 'GET',
    path: '/v1/policies/:id',
    params: (a: Answers) => ({ id: a.createPolicy.id }),
    status: 200,
  },
  {
    operationId: 'updatePolicy',
    role: 'risk',
    method: 'PUT',
    path: '/v1/policies/:id',
    params: (a: Answers) => ({ id: a.createPolicy.id }),
    body: (a: Answers) => ({ document: { ...a.getPolicy.document, offerValidityDays: 10 } }),
    status: 200,
  },
  {
    operationId: 'diffPolicy',
    role: 'risk',
    method: 'GET',
    path: '/v1/policies/:id/diff',
    params: (a: Answers) => ({ id: a.createPolicy.id }),
    query: (a: Answers) => ({ against: a.getActivePolicy.id }),
    status: 200,
  },
  {
    operationId: 'validatePolicy',
    role: 'risk',
    method: 'POST',
    path: '/v1/policies/:id/validate',
    params: (a: Answers) => ({ id: a.createPolicy.id }),
    status: 200,
  },
  {
    operationId: 'simulatePolicy',
    role: 'risk',
    method: 'POST',
    path: '/v1/policies/:id/simulate',
    params: (a: Answers) => ({ id: a.createPolicy.id }),
    body: { filter: { marketId: 'mkt_demo_majiayan' }, sampleSize: 5 },
    status: 200,
  },
  {
    operationId: 'publishPolicy',
    role: 'risk2',
    method: 'POST',
    path: '/v1/policies/:id/publish',
    params: (a: Answers) => ({ id: a.createPolicy.id }),
    status: 200,
  },
  {
    operationId: 'activatePolicy',
    role: 'risk2',
    method: 'POST',
    path: '/v1/policies/:id/activate',
    params: (a: Answers) => ({ id: a.createPolicy.id }),
    body: { role: 'challenger', share: 0.1 },
    status: 200,
  },
  {
    operationId: 'deactivatePolicy',
    role: 'risk2',
    method: 'POST',
    path: '/v1/policies/:id/deactivate',
    params: (a: Answers) => ({ id: a.createPolicy.id }),
    status: 200,
  },
  {
    operationId: 'getPolicyMonitoring',
    role: 'risk',
    method: 'GET',
    path: '/v1/policies/:id/monitoring',
    params: (a: Answers) => ({ id: a.getActivePolicy.id }),
    query: { since: '2026-11-01', until: '2026-12-03' },
    status: 200,
  },
  {
    operationId: 'replayDecision',
    role: 'risk',
    method: 'POST',
    path: '/v1/decisions/:id/replay',
    params: (a: Answers) => ({ id: a.submitApplication.decision.id }),
    status: 200,
  },

  // What changed, for a partner polling instead of waiting for webhooks
  {
    operationId: 'listEvents',
    role: 'officer',
    method: 'GET',
    path: '/v1/events',
    query: { limit: 3, type: 'offer.accepted' },
    status: 200,
  },

  // Webhooks: the partner app's endpoint, and the bank's own for acceptances
  {
    operationId: 'createWebhookEndpoint',
    role: 'partner',
    method: 'POST',
    path: '/v1/webhook-endpoints',
    body: {
      url: 'https://hooks.kaien-app.example/lending/events',
      eventTypes: ['application.decided', 'application.reviewed', 'offer.accepted'],
      description: "Kai'en furniture app: decisions and acceptances",
    },
    status: 201,
  },
  {
    operationId: 'listWebhookEndpoints',
    role: 'partner',
    method: 'GET',
    path: '/v1/webhook-endpoints',
    status: 200,
  },
  {
    operationId: 'getWebhookEndpoint',
    role: 'partner',
    method: 'GET',
    path: '/v1/webhook-endpoints/:id',
    params: (a: Answers) => ({ id: a.createWebhookEndpoint.id }),
    status: 200,
  },
  {
    operationId: 'listWebhookDeliveries',
    role: 'partner',
    method: 'GET',
    path: '/v1/webhook-endpoints/:id/deliveries',
    params: (a: Answers) => ({ id: a.createWebhookEndpoint.id }),
    status: 200,
  },
  {
    operationId: 'createWebhookEndpoint',
    as: 'bankEndpoint',
    role: 'admin',
    method: 'POST',
    path: '/v1/webhook-endpoints',
    body: { url: 'https://lending-hooks.bank.example/offers', eventTypes: ['offer.accepted'] },
    status: 201,
    setup: true,
  },
  {
    operationId: 'redeliverEvent',
    role: 'admin',
    method: 'POST',
    path: '/v1/events/:id/redeliver',
    params: (a: Answers) => ({ id: first(a.listEvents?.data, 'accepted offer event') }),
    status: 202,
  },
  {
    operationId: 'deleteWebhookEndpoint',
    role: 'admin',
    method: 'DELETE',
    path: '/v1/webhook-endpoints/:id',
    params: (a: Answers) => ({ id: a.bankEndpoint.id }),
    status: 200,
  },

  // The guarantee network of a market, and a contagion stress
  {
    operationId: 'getGuaranteeNetwork',
    role: 'risk',
    method: 'GET',
    path: '/v1/risk/guarantee-network',
    query: { marketId: 'mkt_demo_majiayan' },
    status: 200,
  },
  {
    operationId: 'stressGuaranteeNetwork',
    role: 'risk',
    method: 'POST',
    path: '/v1/risk/guarantee-network/stress',
    body: (a: Answers) => ({
      marketId: 'mkt_demo_majiayan',
      defaults: [
        first(
          a.getGuaranteeNetwork?.nodes?.filter((n: { kind: string }) => n.kind === 'merchant'),
          'network merchant',
        ),
      ],
    }),
    status: 200,
  },

  // A group the guarantee network refers: under a policy that refers its findings, Kai'en
  // merchants 02 and 03, already together in a forming group, form a second one (a shared pair);
  // once its members have applied, a reviewer approves it.
  {
    operationId: 'createPolicy',
    as: 'referNetwork',
    setup: true,
    role: 'risk',
    method: 'POST',
    path: '/v1/policies',
    body: (a: Answers) => ({
      cloneOf: a.getActivePolicy.id,
      changes: {
        name: '担保网络：发现即转人工审核 (network findings referred)',
        guaranteeNetwork: { ...a.getActivePolicy.document.guaranteeNetwork, action: 'refer' },
      },
    }),
    status: 201,
  },
  {
    operationId: 'publishPolicy',
    as: 'referNetworkPublished',
    setup: true,
    role: 'risk2',
    method: 'POST',
    path: '/v1/policies/:id/publish',
    params: (a: Answers) => ({ id: a.referNetwork.id }),
    status: 200,
  },
  {
    operationId: 'activatePolicy',
    as: 'referNetworkActive',
    setup: true,
    role: 'risk2',
    method: 'POST',
    path: '/v1/policies/:id/activate',
    params: (a: Answers) => ({ id: a.referNetwork.id }),
    body: { role: 'champion' },
    status: 200,
  },
  {
    operationId: 'createGuaranteeGroup',
    as: 'pairGroup',
    setup: true,
    role: 'officer',
    method: 'POST',
    path: '/v1/guarantee-groups',
    body: {
      marketId: 'mkt_demo_kaien',
      memberIds: ['mer_demo_kai02', 'mer_demo_kai03', 'mer_demo_kai05'],
    },
    status: 201,
  },
  ...['mer_demo_kai02', 'mer_demo_kai03', 'mer_demo_kai05'].map(
    (merchantId): ExampleStep => ({
      operationId: 'submitApplication',
      as: `pairGroup-${merchantId}`,
      setup: true,
      role: 'officer',
      method: 'POST',
      path: '/v1/applications',
      headers: idem(`${merchantId}-pair-2026-12-02`),
      body: (a: Answers) => ({
        merchantId,
        survey: kai002.survey,
        request: {
          product: 'joint_guarantee',
          amount: 20_000_000,
          termMonths: 12,
          purpose: 'working_capital',
          guaranteeGroupId: a.pairGroup.id,
        },
      }),
      status: 201,
    }),
  ),
  {
    operationId: 'listGuaranteeGroups',
    role: 'reviewer',
    method: 'GET',
    path: '/v1/guarantee-groups',
    query: { status: 'referred', marketId: 'mkt_demo_kaien' },
    status: 200,
  },
  {
    operationId: 'reviewGuaranteeGroup',
    role: 'reviewer',
    method: 'POST',
    path: '/v1/guarantee-groups/:id/review',
    params: (a: Answers) => ({ id: a.pairGroup.id }),
    body: {
      action: 'approve',
      note: '两户为同一家具城相邻门店，经营与资金独立，互保额度小 (independent shops, small mutual guarantee)',
    },
    status: 200,
  },

  // Last: the partner app's key is revoked
  {
    operationId: 'revokeApiKey',
    role: 'admin',
    method: 'DELETE',
    path: '/v1/api-keys/:id',
    params: (a: Answers) => ({ id: a.createApiKey.id }),
    status: 200,
  },
];

export const given = <T>(value: Given<T> | undefined, answers: Answers): T | undefined =>
  typeof value === 'function' ? (value as (a: Answers) => T)(answers) : value;

/** The concrete path of a step: its template with its params filled in. */
export const pathOf = (step: ExampleStep, params: Record<string, string> | undefined) =>
  step.path.replace(/:(\w+)/g, (_m, name: string) => encodeURIComponent(params?.[name] ?? ''));
