/**
 * The input guard through the API: lone UTF-16 surrogates are refused with 400 naming the
 * field (they gave 500 in jsonb and were silently turned into U+FFFD in text), and the
 * structure a request may carry is bounded before any schema runs, with answers of bounded
 * size (issue #10, findings 1 and 5).
 */
import { defaultPolicyDocument } from '../../src/credit';
import { seedDemo } from '../helpers/fixtures';
import { bearer, createTestApp, type TestApp } from '../helpers/test-app';
import {
  MJY,
  merchantBody,
  referSurvey,
  submitOk,
} from '../modules/origination/applications/helpers';

const LONE_HIGH = '\ud800';
const LONE_LOW = '\udc00';

describe('input guard', () => {
  let t: TestApp;
  let risk: string;
  let officer: string;
  let reviewer: string;
  let draftId: string;

  /** Sends `text` as it is: JSON escapes such as \ud800 reach the server untouched. */
  const sendText = (method: 'post' | 'put', path: string, key: string, text: string) =>
    t.http[method](path).set(bearer(key)).set('content-type', 'application/json').send(text);
  const paths = (body: { details?: { path: string }[] }) => (body.details ?? []).map((d) => d.path);

  beforeAll(async () => {
    t = await createTestApp();
    await seedDemo(t);
    risk = await t.issueKey('risk');
    officer = await t.issueKey('officer', { marketIds: [MJY] });
    reviewer = await t.issueKey('reviewer');
    const active = await t.http.get('/v1/policies/active').set(bearer(risk));
    const draft = await t.http
      .post('/v1/policies')
      .set(bearer(risk))
      .send({ cloneOf: active.body.id });
    draftId = draft.body.id;
  });
  afterAll(() => t.close());

  describe('lone UTF-16 surrogates: 400 naming the field', () => {
    it('in a review note (was 500: jsonb refused the audit event)', async () => {
      const app = await submitOk(t, officer, 'mer_demo_mjy03', referSurvey(), {
        amount: 50_000_000,
      });
      const res = await sendText(
        'post',
        `/v1/applications/${app.id}/review`,
        reviewer,
        `{"action":"decline","note":"A\\ud800B"}`,
      );
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.details).toEqual([
        expect.objectContaining({ path: 'body.note', messageZh: expect.any(String) }),
      ]);
      const after = await t.http.get(`/v1/applications/${app.id}`).set(bearer(reviewer));
      expect(after.body.status).toBe('referred');
    });

    it('in a policy document, as a value or as a key', async () => {
      const doc = JSON.stringify({ ...defaultPolicyDocument, name: 'x' });
      const asValue = await sendText(
        'post',
        '/v1/policies',
        risk,
        `{"document":${doc.replace('"name":"x"', `"name":"A\\ud800B"`)}}`,
      );
      expect(asValue.status).toBe(400);
      expect(paths(asValue.body)).toEqual(['body.document.name']);
      const asKey = await sendText(
        'put',
        `/v1/policies/${draftId}`,
        risk,
        `{"document":{"\\udc00k":1}}`,
      );
      expect(asKey.status).toBe(400);
      // The path never echoes the refused character itself.
      expect(paths(asKey.body)).toEqual(['body.document.\ufffdk']);
    });

    it('in a merchant name (was stored as U+FFFD)', async () => {
      for (const bad of [`A${LONE_HIGH}B`, `A${LONE_LOW}`, `${LONE_LOW}${LONE_HIGH}`]) {
        const res = await t.http
          .post('/v1/merchants')
          .set(bearer(officer))
          .send(merchantBody(MJY, { name: bad }));
        expect(res.status).toBe(400);
        expect(paths(res.body)).toEqual(['body.name']);
      }
    });

    it('but takes proper surrogate pairs (characters outside the BMP)', async () => {
      const res = await t.http
        .post('/v1/merchants')
        .set(bearer(officer))
        .send(merchantBody(MJY, { name: '𠮷野家 😀' }));
      expect(res.status).toBe(201);
      expect(res.body.name).toBe('𠮷野家 😀');
    });
  });

  describe('structure limits, before any schema runs', () => {
    const quote = {
      amount: 10_000_000,
      annualRateBps: 800,
      termMonths: 12,
      method: 'equal_instalment',
    };
    const keys = (n: number, from = 0) =>
      Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${from + i}`, 1]));

    it('more than 1,000 keys in an object: one detail naming the object', async () => {
      const res = await t.http
        .post('/v1/schedules/quote')
        .set(bearer(officer))
        .send({ ...quote, ...keys(1_001) });
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([
        expect.objectContaining({ path: 'body', message: 'must not have more than 1000 fields' }),
      ]);
    });

    it('unknown keys under the limit: at most 50 details, none listing the other keys', async () => {
      const res = await t.http
        .post('/v1/schedules/quote')
        .set(bearer(officer))
        .send({ ...quote, ...keys(300) });
      expect(res.status).toBe(400);
      expect(res.body.details).toHaveLength(50);
      expect(res.body.details[0]).toEqual({
        path: 'body.k0',
        message: 'is not an allowed field',
        messageZh: expect.any(String),
      });
      expect(res.body.message).toContain('300 problems');
      expect(res.text.length).toBeLessThan(10_000);
    });

    it('more than 1,000 items in an array, more than 20,000 values in all', async () => {
      const long = await t.http
        .post('/v1/api-keys')
        .set(bearer(t.adminKey))
        .send({ role: 'officer', name: 'x', marketIds: Array.from({ length: 1_001 }, () => MJY) });
      expect(long.status).toBe(400);
      expect(paths(long.body)).toEqual(['body.marketIds']);
      const rows = Array.from({ length: 21 }, () => Array.from({ length: 1_000 }, () => 1));
      const many = await t.http
        .put(`/v1/policies/${draftId}`)
        .set(bearer(risk))
        .send({ document: { rows } });
      expect(many.status).toBe(400);
      expect(many.body.details).toEqual([
        expect.objectContaining({
          path: 'body',
          message: 'must not carry more than 20000 values in all',
        }),
      ]);
    });

    it('more than 100 query parameters', async () => {
      const qs = Array.from({ length: 101 }, (_, i) => `k${i}=1`).join('&');
      const res = await t.http.get(`/v1/merchants?${qs}`).set(bearer(officer));
      expect(res.status).toBe(400);
      expect(paths(res.body)).toEqual(['querystring']);
    });

    it('names the path of the offending part, in arrays too', async () => {
      const res = await t.http
        .put(`/v1/policies/${draftId}`)
        .set(bearer(risk))
        .send({ document: { a: [0, { b: keys(1_001) }] } });
      expect(res.status).toBe(400);
      expect(paths(res.body)).toEqual(['body.document.a.1.b']);
    });

    it('an inline simulation batch may have 10,000 cases; its validation stops at 50 problems', async () => {
      const tooMany = await t.http
        .post(`/v1/policies/${draftId}/simulate`)
        .set(bearer(risk))
        .send({ surveys: Array.from({ length: 10_001 }, () => 1) });
      expect(tooMany.status).toBe(400);
      expect(paths(tooMany.body)).toEqual(['body.surveys']);
      const empty = await t.http
        .post(`/v1/policies/${draftId}/simulate`)
        .set(bearer(risk))
        .send({ surveys: Array.from({ length: 10_000 }, () => ({ survey: {}, request: {} })) });
      expect(empty.status).toBe(400);
      expect(empty.body.details).toHaveLength(50);
      expect(empty.body.details[0].path).toBe('body.surveys.0.survey.businessForm');
      expect(empty.body.message).toContain('validation stopped');
    });
  });
});
