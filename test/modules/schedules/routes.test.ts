import { bearer, createTestApp, type TestApp } from '../../helpers/test-app';

describe('POST /v1/schedules/quote', () => {
  let t: TestApp;
  let key: string;
  beforeAll(async () => {
    t = await createTestApp();
    key = await t.issueKey('reviewer');
  });
  afterAll(() => t.close());

  it('quotes an equal-instalment schedule matching Excel PMT(8%/12, 10, 10000) = 1,037.03', async () => {
    const res = await t.http
      .post('/v1/schedules/quote')
      .set(bearer(key))
      .send({ amount: 1_000_000, annualRateBps: 800, termMonths: 10, method: 'equal_instalment' });
    expect(res.status).toBe(200);
    expect(res.body.schedule).toHaveLength(10);
    expect(res.body.schedule[0].payment).toBe(103_703);
    const principal = res.body.schedule.reduce(
      (s: number, r: { principal: number }) => s + r.principal,
      0,
    );
    expect(principal).toBe(1_000_000);
    expect(res.body.schedule[9].balance).toBe(0);
    const interest = res.body.schedule.reduce(
      (s: number, r: { interest: number }) => s + r.interest,
      0,
    );
    expect(res.body.totalInterest).toBe(interest);
  });

  it('quotes equal principal: 120,000 at 6% over 12 months pays 10,600 down to 10,050', async () => {
    const res = await t.http
      .post('/v1/schedules/quote')
      .set(bearer(key))
      .send({ amount: 12_000_000, annualRateBps: 600, termMonths: 12, method: 'equal_principal' });
    expect(res.status).toBe(200);
    expect(res.body.schedule.map((r: { payment: number }) => r.payment)).toEqual(
      Array.from({ length: 12 }, (_, i) => 1_060_000 - i * 5_000),
    );
    expect(res.body.totalInterest).toBe(390_000);
  });

  it('rejects bad input naming each field', async () => {
    const res = await t.http
      .post('/v1/schedules/quote')
      .set(bearer(key))
      .send({ amount: 10.5, annualRateBps: -1, termMonths: 0, method: 'balloon' });
    expect(res.status).toBe(400);
    expect(res.body.details.map((d: { path: string }) => d.path).sort()).toEqual([
      'body.amount',
      'body.annualRateBps',
      'body.method',
      'body.termMonths',
    ]);
  });

  it('needs an API key', async () => {
    const res = await t.http
      .post('/v1/schedules/quote')
      .send({ amount: 100, annualRateBps: 0, termMonths: 1, method: 'equal_instalment' });
    expect(res.status).toBe(401);
  });
});
