import { defaultPolicyDocument } from '../../../src/credit';
import { bearer, createTestApp, type TestApp } from '../../helpers/test-app';

describe('GET /v1/policies/active', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('answers the default policy, installed as version 1 and published', async () => {
    const risk = await t.issueKey('risk');
    const res = await t.http.get('/v1/policies/active').set(bearer(risk));
    expect(res.status).toBe(200);
    expect(res.body.id).toMatch(/^pol_/);
    expect(res.body.version).toBe(1);
    expect(res.body.status).toBe('published');
    expect(res.body.document).toEqual(JSON.parse(JSON.stringify(defaultPolicyDocument)));
    expect(res.body.challenger).toBeNull();
  });

  it('is not shown to partners', async () => {
    const partner = await t.issueKey('partner', { partnerId: 'ptn_x' });
    expect((await t.http.get('/v1/policies/active').set(bearer(partner))).status).toBe(403);
  });
});
