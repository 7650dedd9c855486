import { eq } from 'drizzle-orm';
import { apiKeys, applications, idempotencyKeys } from '../../../../src/db/schema';
import { parseApiKey } from '../../../../src/lib/api-key-secret';
import { hashRequest } from '../../../../src/platform/idempotency';
import { seedDemo } from '../../../helpers/fixtures';
import { bearer, createTestApp, type TestApp } from '../../../helpers/test-app';
import {
  type ApplicationBody,
  applicationBody,
  declineSurvey,
  MJY,
  OPR_MJY,
  offerOf,
  operator,
  paths,
  referSurvey,
  strongSurvey,
  submit,
} from './helpers';

const DAY_MS = 24 * 60 * 60 * 1000;

describe('POST /v1/applications', () => {
  let t: TestApp;
  const now = new Date('2026-11-26T09:30:00.000Z');
  let officer: string;
  let officerKai: string;
  let reviewer: string;
  let risk: string;
  let policy: { id: string; version: number; document: { offerValidityDays: number } };

  beforeAll(async () => {
    t = await createTestApp({ clock: () => now });
    await seedDemo(t);
    officer = await t.issueKey('officer', { marketIds: [MJY] });
    officerKai = await t.issueKey('officer', { marketIds: ['mkt_demo_kaien'] });
    reviewer = await t.issueKey('reviewer');
    risk = await t.issueKey('risk');
    const res = await t.http.get('/v1/policies/active').set(bearer(t.adminKey));
    expect(res.status).toBe(200);
    policy = res.body;
  });
  afterAll(() => t.close());

  const keyIdOf = async (secret: string) => {
    const prefix = parseApiKey(secret)?.prefix ?? '';
    const [row] = await t.testDb.database.db
      .select()
      .from(apiKeys)
      .where(eq(apiKeys.prefix, prefix));
    return row?.id ?? '';
  };

  describe('decides in the same request', () => {
    it('approves a strong survey with offers that reserve operator capacity', async () => {
      const before = await operator(t, OPR_MJY);
      const res = await submit(
        t,
        officer,
        applicationBody('mer_demo_mjy01', strongSurvey(), { amount: 100_000_000 }),
      );
      expect(res.status).toBe(201);
      const app = res.body as ApplicationBody;
      expect(app.id).toMatch(/^app_/);
      expect(app.status).toBe('approved');
      expect(app.merchantId).toBe('mer_demo_mjy01');
      expect(app.marketId).toBe(MJY);
      expect(app.decision).toMatchObject({
        outcome: 'approve',
        policyVersion: policy.version,
        policyId: policy.id,
        source: 'model',
      });
      expect(app.decision.id).toMatch(/^dec_/);
      expect(app.decision.score).toBeGreaterThanOrEqual(600);
      expect(['A', 'B', 'C']).toContain(app.decision.grade);
      expect(app.decision.pd).toBeGreaterThan(0);
      expect(app.decision.pd).toBeLessThan(0.03);
      expect(Array.isArray(app.decision.reasons)).toBe(true);
      expect(typeof app.decision.metrics.dscr).toBe('number');
      expect(app.decision.metrics.annualNetProfit).toBe(180_000_000); // 15M 元 x 12%

      expect(app.offers.length).toBeGreaterThanOrEqual(1);
      const expires = new Date(now.getTime() + policy.document.offerValidityDays * DAY_MS);
      for (const o of app.offers) {
        expect(o.id).toMatch(/^off_/);
        expect(o.applicationId).toBe(app.id);
        expect(o.status).toBe('offered');
        expect(o.expiresAt).toBe(expires.toISOString());
        expect(o.amount).toBeGreaterThan(0);
        expect(o.amount).toBeLessThanOrEqual(100_000_000);
        expect(Number.isInteger(o.annualRateBps)).toBe(true);
        expect(o.annualRateBps).toBeGreaterThan(0);
      }
      const og = offerOf(app, 'operator_guarantee');
      expect(og.operatorId).toBe(OPR_MJY);
      expect(og.method).toBe('equal_instalment');
      expect(og.schedule).toHaveLength(og.termMonths);
      expect(og.schedule.reduce((s, r) => s + r.principal, 0)).toBe(og.amount);

      const after = await operator(t, OPR_MJY);
      expect(after.reserved - before.reserved).toBe(og.amount);
      expect(after.used).toBe(before.used);
      expect(after.available).toBe(before.available - og.amount);
    });

    it('never offers more than asked', async () => {
      const res = await submit(
        t,
        officer,
        applicationBody('mer_demo_mjy02', strongSurvey(), { amount: 8_000_000 }),
      );
      expect(res.status).toBe(201);
      expect(res.body.offers.length).toBeGreaterThan(0);
      for (const o of res.body.offers) expect(o.amount).toBeLessThanOrEqual(8_000_000);
    });

    it('refers a borderline survey: no offers, no capacity held', async () => {
      const before = await operator(t, OPR_MJY);
      const res = await submit(t, officer, applicationBody('mer_demo_mjy03', referSurvey()));
      expect(res.status).toBe(201);
      expect(res.body.status).toBe('referred');
      expect(res.body.decision.outcome).toBe('refer');
      expect(res.body.decision.score).toBeGreaterThanOrEqual(560);
      expect(res.body.decision.score).toBeLessThan(600);
      expect(res.body.decision.reasons.length).toBeGreaterThan(0);
      expect(res.body.offers).toEqual([]);
      expect(await operator(t, OPR_MJY)).toEqual(before);
    });

    it('refers a survey whose stock and turnover disagree, with the data-check reason', async () => {
      // 600M of stock is 164 days of the cost of sales, against 45 days reported.
      const survey = { ...strongSurvey(), inventoryValue: 600_000_000 };
      const res = await submit(t, officer, applicationBody('mer_demo_mjy02', survey));
      expect(res.status).toBe(201);
      expect(res.body.decision.outcome).toBe('refer');
      expect(res.body.decision.reasons[0]).toEqual({
        code: 'INCONSISTENT_INVENTORY',
        kind: 'data',
        textZh: expect.any(String),
        textEn: expect.any(String),
      });
      expect(res.body.offers).toEqual([]);
    });

    it('offers the unsecured credit loan when asked: no guarantee, no operator capacity held', async () => {
      const before = await operator(t, OPR_MJY);
      const body = applicationBody('mer_demo_mjy03', strongSurvey(), {
        product: 'credit_loan',
        amount: 60_000_000,
      });
      const res = await submit(t, officer, body);
      expect(res.status).toBe(201);
      const [first] = res.body.offers;
      expect(first).toMatchObject({
        product: 'credit_loan',
        operatorId: null,
        guaranteeGroupId: null,
      });
      expect(first.amount).toBeLessThanOrEqual(60_000_000);
      const operatorOffer = res.body.offers.find(
        (o: { product: string }) => o.product === 'operator_guarantee',
      );
      expect((await operator(t, OPR_MJY)).reserved).toBe(
        before.reserved + (operatorOffer?.amount ?? 0),
      );
    });

    it('declines a knocked-out survey with its reason', async () => {
      const res = await submit(t, officerKai, applicationBody('mer_demo_kai03', declineSurvey()));
      expect(res.status).toBe(201);
      expect(res.body.status).toBe('declined');
      expect(res.body.decision.outcome).toBe('decline');
      expect(res.body.decision.reasons.map((r: { code: string }) => r.code)).toContain(
        'TENURE_UNDER_12_MONTHS',
      );
      expect(res.body.offers).toEqual([]);
    });

    it('stores what it answered: GET returns the same decision and offers', async () => {
      const res = await submit(t, officer, applicationBody('mer_demo_mjy04', strongSurvey()));
      expect(res.status).toBe(201);
      const got = await t.http.get(`/v1/applications/${res.body.id}`).set(bearer(officer));
      expect(got.status).toBe(200);
      expect(got.body).toEqual(res.body);
    });
  });

  describe('idempotency', () => {
    it('replays the same key and body: same status and body, no second application', async () => {
      const body = applicationBody('mer_demo_mjy05', strongSurvey());
      const first = await submit(t, officer, body, 'idem-replay-1');
      expect(first.status).toBe(201);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      const reserved = (await operator(t, OPR_MJY)).reserved;

      // Same body, keys in another order: still the same request.
      const reordered = { request: body.request, survey: body.survey, merchantId: body.merchantId };
      const again = await submit(t, officer, reordered, 'idem-replay-1');
      expect(again.status).toBe(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
      expect((await operator(t, OPR_MJY)).reserved).toBe(reserved);

      const list = await t.http
        .get('/v1/applications?limit=200')
        .set(bearer(t.adminKey))
        .expect(200);
      expect(
        list.body.data.filter((a: { merchantId: string }) => a.merchantId === 'mer_demo_mjy05'),
      ).toHaveLength(1);
    });

    it('answers 422 IDEMPOTENCY_KEY_REUSED for the same key with another body', async () => {
      const first = await submit(
        t,
        officer,
        applicationBody('mer_demo_mjy06', strongSurvey()),
        'idem-reuse-1',
      );
      expect(first.status).toBe(201);
      const other = await submit(
        t,
        officer,
        applicationBody('mer_demo_mjy06', strongSurvey(), { amount: 60_000_000 }),
        'idem-reuse-1',
      );
      expect(other.status).toBe(422);
      expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    });

    it('scopes keys to the API key: another key with the same Idempotency-Key is a new request', async () => {
      const other = await t.issueKey('officer', { marketIds: [MJY] });
      const body = applicationBody('mer_demo_mjy06', strongSurvey(), { amount: 7_000_000 });
      const a = await submit(t, officer, body, 'idem-scope-1');
      const b = await submit(t, other, body, 'idem-scope-1');
      expect(a.status).toBe(201);
      expect(b.status).toBe(201);
      expect(b.headers['idempotent-replayed']).toBeUndefined();
      expect(b.body.id).not.toBe(a.body.id);
    });

    it('takes over an expired key: a new application, its answer stored under the key', async () => {
      const keyId = await keyIdOf(officer);
      await t.testDb.database.db.insert(idempotencyKeys).values({
        apiKeyId: keyId,
        key: 'idem-expired-1',
        method: 'POST',
        path: '/v1/applications',
        requestHash: 'an older request',
        lockToken: 'old-attempt',
        responseStatus: 201,
        responseBody: { id: 'app_old' },
        createdAt: new Date(now.getTime() - 2 * DAY_MS),
        expiresAt: new Date(now.getTime() - DAY_MS),
      });
      const body = applicationBody('mer_demo_mjy06', strongSurvey(), { amount: 8_000_000 });
      const first = await submit(t, officer, body, 'idem-expired-1');
      expect(first.status).toBe(201);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      expect(first.body.id).not.toBe('app_old');
      const again = await submit(t, officer, body, 'idem-expired-1');
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
    });

    it('answers 409 while an earlier attempt with the key is in flight, writing nothing', async () => {
      const keyId = await keyIdOf(officer);
      const body = applicationBody('mer_demo_mjy06', strongSurvey(), { amount: 9_000_000 });
      await t.testDb.database.db.insert(idempotencyKeys).values({
        apiKeyId: keyId,
        key: 'idem-busy-1',
        method: 'POST',
        path: '/v1/applications',
        requestHash: hashRequest(t.config.PII_DIGEST_KEY, {
          method: 'POST',
          path: '/v1/applications',
          query: {},
          body,
        }),
        lockToken: 'other-attempt',
        createdAt: now,
        expiresAt: new Date(now.getTime() + DAY_MS),
      });
      const before = await t.testDb.database.db.select().from(applications);
      const res = await submit(t, officer, body, 'idem-busy-1');
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('IDEMPOTENCY_KEY_IN_USE');
      expect(await t.testDb.database.db.select().from(applications)).toHaveLength(before.length);
    });

    it('requires Idempotency-Key (400 naming the header)', async () => {
      const res = await t.http
        .post('/v1/applications')
        .set(bearer(officer))
        .send(applicationBody('mer_demo_mjy01', strongSurvey()));
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(paths(res.body)).toContain('headers.idempotency-key');
    });

    it('rejects an Idempotency-Key over 255 characters', async () => {
      const res = await submit(
        t,
        officer,
        applicationBody('mer_demo_mjy01', strongSurvey()),
        'x'.repeat(256),
      );
      expect(res.status).toBe(400);
    });
  });

  describe('bad input', () => {
    const valid = () => applicationBody('mer_demo_mjy01', strongSurvey());
    const expect400 = async (body: unknown, path: string) => {
      const res = await submit(t, officer, body);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(paths(res.body)).toContain(path);
      return res;
    };

    it.each([
      ['status', 'approved'],
      ['score', 700],
      ['decision', { outcome: 'approve' }],
      ['id', 'app_mine'],
      ['offers', []],
    ])('refuses a client-set %s (mass assignment)', async (field, value) => {
      await expect400({ ...valid(), [field]: value }, `body.${field}`);
    });

    it.each([
      ['annualRateBps', 100],
      ['status', 'approved'],
      ['id', 'off_x'],
    ])('refuses request.%s', async (field, value) => {
      const body = valid();
      await expect400(
        { ...body, request: { ...body.request, [field]: value } },
        `body.request.${field}`,
      );
    });

    it('refuses an unknown survey field', async () => {
      const body = valid();
      await expect400({ ...body, survey: { ...body.survey, score: 999 } }, 'body.survey.score');
    });

    it('refuses wrong types and names each field', async () => {
      const body = valid();
      const res = await submit(t, officer, {
        ...body,
        survey: { ...body.survey, annualSales: '1500000000', netMargin: 'high' },
        request: { ...body.request, amount: 1.5, termMonths: '12' },
      });
      expect(res.status).toBe(400);
      expect(paths(res.body)).toEqual(
        expect.arrayContaining([
          'body.survey.annualSales',
          'body.survey.netMargin',
          'body.request.amount',
          'body.request.termMonths',
        ]),
      );
    });

    it.each([
      ['merchantId', 'body.merchantId'],
      ['survey', 'body.survey'],
      ['request', 'body.request'],
    ])('refuses a body without %s', async (field, path) => {
      const body: Record<string, unknown> = valid();
      delete body[field];
      await expect400(body, path);
    });

    it('refuses a survey missing a required field', async () => {
      const body = valid();
      const { annualSales: _, ...survey } = body.survey;
      await expect400({ ...body, survey }, 'body.survey.annualSales');
    });

    it.each([
      ['product', 'mortgage'],
      ['purpose', 'holiday'],
      ['amount', -5],
      ['amount', 0],
      ['termMonths', 0],
      ['termMonths', 61],
    ])('refuses request.%s = %p', async (field, value) => {
      const body = valid();
      await expect400(
        { ...body, request: { ...body.request, [field]: value } },
        `body.request.${field}`,
      );
    });

    it('refuses inventory above 5x annual sales (cross-field)', async () => {
      const body = valid();
      await expect400(
        {
          ...body,
          survey: { ...body.survey, annualSales: 10_000_000, inventoryValue: 50_000_001 },
        },
        'body.survey.inventoryValue',
      );
    });

    it('accepts inventory at exactly 5x annual sales', async () => {
      const body = valid();
      const res = await submit(t, officer, {
        ...body,
        survey: {
          ...body.survey,
          annualSales: 10_000_000,
          inventoryValue: 50_000_000,
          receivables: 0,
        },
      });
      expect(res.status).toBe(201);
    });

    it('refuses receivables above annual sales and debt service without debt', async () => {
      const body = valid();
      const res = await expect400(
        {
          ...body,
          survey: {
            ...body.survey,
            receivables: body.survey.annualSales + 1,
            existingDebt: 0,
            monthlyDebtService: 100,
          },
        },
        'body.survey.receivables',
      );
      expect(paths(res.body)).toContain('body.survey.monthlyDebtService');
    });

    it('refuses a joint_guarantee request without a group, and a group on another product', async () => {
      const body = valid();
      await expect400(
        { ...body, request: { ...body.request, product: 'joint_guarantee' } },
        'body.request.guaranteeGroupId',
      );
      await expect400(
        { ...body, request: { ...body.request, guaranteeGroupId: 'grp_x' } },
        'body.request.guaranteeGroupId',
      );
    });

    it('answers 404 for an unknown merchant and writes nothing', async () => {
      const res = await submit(t, officer, applicationBody('mer_nope', strongSurvey()));
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('NOT_FOUND');
    });

    it('answers 415 for a body that is not JSON', async () => {
      const res = await t.http
        .post('/v1/applications')
        .set(bearer(officer))
        .set('idempotency-key', 'idem-415')
        .set('content-type', 'text/plain')
        .send('merchantId=mer_demo_mjy01');
      expect(res.status).toBe(415);
    });

    it('a refused request leaves the key free for a corrected retry', async () => {
      const body = valid();
      const bad = await submit(t, officer, { ...body, merchantId: 'mer_nope' }, 'idem-fix-1');
      expect(bad.status).toBe(404);
      const good = await submit(t, officer, body, 'idem-fix-1');
      // The failed attempt stored nothing: the corrected body is a fresh request.
      expect(good.status).toBe(201);
      expect(good.headers['idempotent-replayed']).toBeUndefined();
    });
  });

  describe('who may submit', () => {
    it.each([['reviewer'], ['risk']])('a %s key may not submit (403)', async (role) => {
      const key = role === 'reviewer' ? reviewer : risk;
      const res = await submit(t, key, applicationBody('mer_demo_mjy01', strongSurvey()));
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('FORBIDDEN');
    });

    it("an officer cannot submit for another market's merchant (404)", async () => {
      const res = await submit(t, officerKai, applicationBody('mer_demo_mjy01', strongSurvey()));
      expect(res.status).toBe(404);
    });

    it('answers 401 without a key', async () => {
      const res = await t.http
        .post('/v1/applications')
        .set('idempotency-key', 'idem-401')
        .send(applicationBody('mer_demo_mjy01', strongSurvey()));
      expect(res.status).toBe(401);
    });
  });
});
