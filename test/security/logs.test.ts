/**
 * Personal data and secrets never reach the logs. A realistic flow runs against the app with a
 * pino logger built exactly as production builds it (loggerOptions: redaction, serializers) but
 * at level trace, so anything that logged a request, a body or an error would be caught; then
 * the captured lines are searched for every identity number, phone and API key used.
 */
import type { LoggerOptions } from 'pino';
import { usccCheckChar } from '../../src/lib/personal-data';
import { loggerOptions } from '../../src/platform/logging';
import { captureLogger } from '../helpers/capture-logger';
import { seedDemo } from '../helpers/fixtures';
import { bearer, createTestApp, type TestApp } from '../helpers/test-app';
import {
  applicationBody,
  KAI,
  MJY,
  residentId,
  strongSurvey,
} from '../modules/origination/applications/helpers';

/** A wrong check character: the same person's number, refused by validation. */
const wrongCheck = (valid: string) => {
  const chars = '0123456789X';
  return valid.slice(0, 17) + (chars[(chars.indexOf(valid.slice(-1)) + 1) % chars.length] ?? '0');
};

describe('logs carry no personal data and no secrets', () => {
  let t: TestApp;
  const capture = captureLogger(loggerOptions('trace') as LoggerOptions);
  const people = {
    individual: { idNumber: residentId('11010519491231002'), phone: '13912345678' },
    enterprise: {
      idNumber: `91500000MA5U7X${'0'.repeat(2)}9`.slice(0, 17),
      phone: '15800001111',
    },
    refused: { idNumber: wrongCheck(residentId('32010219800101123')), phone: '23912345678' },
  };
  people.enterprise.idNumber += usccCheckChar(people.enterprise.idNumber);
  const secrets: string[] = [];

  beforeAll(async () => {
    t = await createTestApp({ loggerInstance: capture.logger as never });
    await seedDemo(t);
  });
  afterAll(() => t.close());

  it('through merchants, applications, validation errors, 404s and bad keys', async () => {
    const officer = await t.issueKey('officer', { marketIds: [MJY] });
    const partner = await t.issueKey('partner', { partnerId: 'partner-logs' });
    const reviewer = await t.issueKey('reviewer');
    secrets.push(t.adminKey, officer, partner, reviewer);
    const merchant = (idNumber: string, phone: string, extra: Record<string, unknown> = {}) => ({
      name: '日志测试商户',
      idNumber,
      phone,
      marketId: MJY,
      stallNo: 'L-1',
      ...extra,
    });
    const { individual, enterprise, refused } = people;

    // Registered, by an officer and by a partner; then the same person again (409).
    const a = await t.http
      .post('/v1/merchants')
      .set(bearer(officer))
      .set('x-request-id', 'logs-create')
      .send(merchant(individual.idNumber, individual.phone));
    expect(a.status).toBe(201);
    const b = await t.http
      .post('/v1/merchants')
      .set(bearer(partner))
      .send(merchant(enterprise.idNumber, enterprise.phone, { stallNo: 'L-2' }));
    expect(b.status).toBe(201);
    const dup = await t.http
      .post('/v1/merchants')
      .set(bearer(officer))
      .send(merchant(individual.idNumber.toLowerCase(), individual.phone, { stallNo: 'L-3' }));
    expect(dup.status).toBe(409);

    // Validation errors on the personal fields themselves, and with them in odd places.
    const invalid = [
      merchant(refused.idNumber, refused.phone),
      merchant(individual.idNumber, individual.phone, { marketId: KAI, idNo: individual.idNumber }),
      merchant(individual.idNumber, individual.phone, { phone: [individual.phone] }),
      { ...merchant(individual.idNumber, individual.phone), stallNo: '' },
    ];
    for (const body of invalid) {
      const res = await t.http.post('/v1/merchants').set(bearer(officer)).send(body);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
    const broken = await t.http
      .post('/v1/merchants')
      .set(bearer(officer))
      .set('content-type', 'application/json')
      .send(`{"idNumber":"${individual.idNumber}","phone":"${individual.phone}",`);
    expect(broken.status).toBe(400);

    // 404s (and lists: an unknown market is an empty page) with personal data in the path or query.
    for (const path of [
      `/v1/merchants/${individual.idNumber}`,
      `/v1/merchants/${individual.phone}`,
      `/v1/people/${enterprise.idNumber}`,
      `/v1/merchants?marketId=${individual.phone}`,
      `/v1/merchants?idNumber=${individual.idNumber}`,
    ]) {
      const res = await t.http.get(path).set(bearer(reviewer));
      expect(res.status).toBeLessThan(500);
    }

    // An application, its reads and the merchant's exposure.
    const app = await t.http
      .post('/v1/applications')
      .set(bearer(officer))
      .set('idempotency-key', 'logs-app-1')
      .send(applicationBody(a.body.id, strongSurvey()));
    expect(app.status).toBe(201);
    await t.http.get(`/v1/applications/${app.body.id}`).set(bearer(reviewer));
    await t.http.get(`/v1/merchants/${a.body.id}/exposure`).set(bearer(officer));
    await t.http.get('/v1/merchants?limit=200').set(bearer(reviewer));

    // Keys that do not work, including a real key's secret with a wrong tail.
    await t.http.get('/v1/merchants').set('authorization', `Bearer ${officer}x`);
    await t.http.get('/v1/merchants').set('authorization', `Basic ${officer}`);
    await t.http.get('/v1/merchants').set('authorization', officer);
    secrets.push(`${officer}x`);

    const all = capture.lines.join('');
    // The flow was logged (at trace, with request ids), so the absence below means something.
    expect(capture.lines.length).toBeGreaterThan(40);
    expect(all).toContain('"reqId":"logs-create"');
    expect(all).toContain('incoming request');
    // The mistaken lookups were logged, with the personal segment redacted.
    expect(all).toContain('"url":"/v1/merchants/[redacted]"');
    expect(all).toContain('"url":"/v1/people/[redacted]"');

    const forbidden = [individual, enterprise, refused].flatMap((p) => [
      p.idNumber,
      p.idNumber.toLowerCase(),
      p.phone,
    ]);
    const leaks = forbidden.filter((v) => all.includes(v));
    if (process.env.SHOW_LEAKS)
      console.log(capture.lines.filter((l) => forbidden.some((v) => l.includes(v))).join(''));
    expect(leaks).toEqual([]);
    // Nor the secret part of any API key (the public prefix may appear; the secret never).
    const secretPart = (s: string) => (s.startsWith('mlk_') ? s.split('_').slice(2).join('_') : s);
    const secretLeaks = secrets.filter((s) => all.includes(s) || all.includes(secretPart(s)));
    expect(secretLeaks).toEqual([]);
  });
});
