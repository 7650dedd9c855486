import { seedDemo } from '../../../helpers/fixtures';
import { bearer, createTestApp, type TestApp } from '../../../helpers/test-app';
import {
  type ApplicationBody,
  createMerchant,
  declineSurvey,
  KAI,
  MJY,
  referSurvey,
  strongSurvey,
  submitOk,
} from './helpers';

interface Summary {
  id: string;
  status: string;
  merchantId: string;
  marketId: string;
  outcome: string;
  score: number;
  grade: string;
  request: { product: string };
  createdAt: string;
}

describe('GET /v1/applications and /v1/applications/:id', () => {
  let t: TestApp;
  let now = new Date('2026-11-20T08:00:00.000Z');
  const keys = {} as Record<
    'officerMjy' | 'officerKai' | 'partnerA' | 'partnerB' | 'reviewer' | 'risk',
    string
  >;
  const apps: Record<string, ApplicationBody> = {};
  let partnerMerchant: string;

  const list = (key: string, query = '') =>
    t.http.get(`/v1/applications${query ? `?${query}` : ''}`).set(bearer(key));
  const ids = (body: { data: Summary[] }) => body.data.map((a) => a.id);

  beforeAll(async () => {
    t = await createTestApp({ clock: () => now });
    await seedDemo(t);
    keys.officerMjy = await t.issueKey('officer', { marketIds: [MJY] });
    keys.officerKai = await t.issueKey('officer', { marketIds: [KAI] });
    keys.partnerA = await t.issueKey('partner', { partnerId: 'partner-a' });
    keys.partnerB = await t.issueKey('partner', { partnerId: 'partner-b' });
    keys.reviewer = await t.issueKey('reviewer');
    keys.risk = await t.issueKey('risk');
    partnerMerchant = await createMerchant(t, keys.partnerA, MJY);

    // One application a day, oldest first.
    const plan: [string, string, string, ReturnType<typeof strongSurvey>, string][] = [
      ['mjyApproved', keys.officerMjy, 'mer_demo_mjy01', strongSurvey(), 'any'],
      ['mjyReferred', keys.officerMjy, 'mer_demo_mjy03', referSurvey(), 'operator_guarantee'],
      ['kaiDeclined', keys.officerKai, 'mer_demo_kai03', declineSurvey(), 'any'],
      ['kaiCard', keys.officerKai, 'mer_demo_kai01', strongSurvey(), 'credit_card'],
      ['partner', keys.partnerA, partnerMerchant, strongSurvey(), 'any'],
    ];
    for (const [name, key, merchantId, survey, product] of plan) {
      now = new Date(now.getTime() + 24 * 60 * 60 * 1000);
      apps[name] = await submitOk(t, key, merchantId, survey, { product });
    }
  });
  afterAll(() => t.close());

  it('an application by id carries its latest decision and offers', async () => {
    const res = await t.http
      .get(`/v1/applications/${apps.mjyApproved?.id}`)
      .set(bearer(keys.officerMjy));
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(apps.mjyApproved?.id);
    expect(res.body.status).toBe('approved');
    expect(res.body.decision.id).toBe(apps.mjyApproved?.decision.id);
    expect(res.body.offers.map((o: { id: string }) => o.id).sort()).toEqual(
      apps.mjyApproved?.offers.map((o) => o.id).sort(),
    );
    expect(res.body.request).toEqual({
      product: 'any',
      amount: 50_000_000,
      termMonths: 12,
      purpose: 'working_capital',
      guaranteeGroupId: null,
    });
  });

  it('answers 404 for an unknown id', async () => {
    const res = await t.http.get('/v1/applications/app_doesnotexist').set(bearer(t.adminKey));
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('NOT_FOUND');
  });

  it('lists newest first with summaries, not the whole decision', async () => {
    const res = await list(t.adminKey);
    expect(res.status).toBe(200);
    expect(ids(res.body)).toEqual(
      ['partner', 'kaiCard', 'kaiDeclined', 'mjyReferred', 'mjyApproved'].map((n) => apps[n]?.id),
    );
    expect(res.body.nextCursor).toBeNull();
    const first = res.body.data[4] as Summary & Record<string, unknown>;
    expect(first).toMatchObject({
      id: apps.mjyApproved?.id,
      status: 'approved',
      outcome: 'approve',
      score: apps.mjyApproved?.decision.score,
      grade: apps.mjyApproved?.decision.grade,
      marketId: MJY,
    });
    expect(first.decision).toBeUndefined();
    expect(first.offers).toBeUndefined();
  });

  it('pages with limit and cursor, without repeats or gaps', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const res = await list(t.adminKey, query);
      expect(res.status).toBe(200);
      expect(res.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...ids(res.body));
      cursor = res.body.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual(ids((await list(t.adminKey)).body));
  });

  it.each([
    ['status=referred', ['mjyReferred']],
    ['status=declined', ['kaiDeclined']],
    ['status=approved', ['partner', 'kaiCard', 'mjyApproved']],
    [`marketId=${KAI}`, ['kaiCard', 'kaiDeclined']],
    ['product=credit_card', ['kaiCard']],
    ['product=operator_guarantee', ['mjyReferred']],
    [`marketId=${MJY}&status=approved`, ['partner', 'mjyApproved']],
  ])('filters by %s', async (query, expected) => {
    const res = await list(t.adminKey, query);
    expect(res.status).toBe(200);
    expect(ids(res.body)).toEqual(expected.map((n) => apps[n]?.id));
  });

  it('filters by since: created at or after the instant', async () => {
    const kaiCard = await t.http
      .get(`/v1/applications/${apps.kaiCard?.id}`)
      .set(bearer(t.adminKey));
    const res = await list(t.adminKey, `since=${encodeURIComponent(kaiCard.body.createdAt)}`);
    expect(res.status).toBe(200);
    expect(ids(res.body)).toEqual([apps.partner?.id, apps.kaiCard?.id]);
    const withOffset = await list(
      t.adminKey,
      `since=${encodeURIComponent('2026-11-24T09:00:00+01:00')}`,
    );
    expect(withOffset.status).toBe(200);
    expect(ids(withOffset.body)).toEqual([apps.partner?.id, apps.kaiCard?.id]);
  });

  it('an officer lists only its markets, even when it asks for another', async () => {
    const mine = await list(keys.officerMjy);
    expect(ids(mine.body).sort()).toEqual(
      [apps.mjyApproved?.id, apps.mjyReferred?.id, apps.partner?.id].sort(),
    );
    const other = await list(keys.officerMjy, `marketId=${KAI}`);
    expect(other.status).toBe(200);
    expect(other.body.data).toEqual([]);
  });

  it('a partner lists only what it submitted; another partner sees nothing', async () => {
    expect(ids((await list(keys.partnerA)).body)).toEqual([apps.partner?.id]);
    expect((await list(keys.partnerB)).body.data).toEqual([]);
  });

  it('reviewers and risk read every application', async () => {
    for (const key of [keys.reviewer, keys.risk]) {
      const res = await list(key);
      expect(res.status).toBe(200);
      expect(res.body.data).toHaveLength(5);
      const one = await t.http.get(`/v1/applications/${apps.kaiCard?.id}`).set(bearer(key));
      expect(one.status).toBe(200);
    }
  });

  it.each([
    'limit=0',
    'limit=201',
    'limit=abc',
    'status=pending',
    'product=mortgage',
    'since=yesterday',
    'cursor=not-a-cursor',
    'colour=red',
  ])('rejects the query %s with 400', async (query) => {
    const res = await list(t.adminKey, query);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });
});
