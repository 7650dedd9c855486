import { seedDemo } from '../../../helpers/fixtures';
import { bearer, createTestApp, type TestApp } from '../../../helpers/test-app';
import { events, MJY, referSurvey, submitOk } from './helpers';

/**
 * 审贷分离 compares people: a reviewer key belonging to the person who submitted an application
 * (its `owner`) may not decide it, whichever key that person holds.
 */
describe('manual review: the submitter, as a person, never reviews their own application', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await seedDemo(t);
  });
  afterAll(() => t.close());

  const review = (key: string, id: string, action = 'approve') =>
    t.http
      .post(`/v1/applications/${id}/review`)
      .set(bearer(key))
      .send({ action, note: 'looked at it' });
  const status = async (id: string) =>
    (await t.http.get(`/v1/applications/${id}`).set(bearer(t.adminKey))).body.status;

  it('refuses an admin who submitted, then issued itself a reviewer key; another person may approve', async () => {
    const app = await submitOk(t, t.adminKey, 'mer_demo_mjy03', referSurvey());
    expect(app.status).toBe('referred');
    // The environment admin key belongs to ADMIN_API_KEY_OWNER (default "admin").
    const selfIssued = await t.issueKey('reviewer', { owner: 'admin' });
    const own = await review(selfIssued, app.id);
    expect(own.status).toBe(403);
    expect(own.body.code).toBe('FORBIDDEN');
    expect(own.body.message).toMatch(/submitted/);
    expect(own.body.messageZh).toMatch(/审贷分离/);
    expect(await status(app.id)).toBe('referred');

    const independent = await t.issueKey('reviewer', { owner: 'dave@bank.example' });
    const res = await review(independent, app.id);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('approved');
    const trail = await events(t, t.adminKey, app.id);
    const submitted = trail.find((e) => e.action === 'application.submitted');
    const approved = trail.find((e) => e.action === 'application.review_approve');
    expect(submitted).toMatchObject({ actorOwner: 'admin' });
    expect(approved).toMatchObject({ actorOwner: 'dave@bank.example' });
  });

  it('refuses an officer reviewing through a second key of theirs, of another role', async () => {
    const officer = await t.issueKey('officer', { marketIds: [MJY], owner: 'erin@bank.example' });
    const app = await submitOk(t, officer, 'mer_demo_mjy04', referSurvey());
    const adminOfErin = await t.issueKey('admin', { owner: 'ERIN@bank.example' });
    expect((await review(adminOfErin, app.id, 'decline')).status).toBe(403);
    expect(await status(app.id)).toBe('referred');
    const other = await t.issueKey('reviewer', { owner: 'frank@bank.example' });
    expect((await review(other, app.id, 'decline')).status).toBe(200);
  });

  it('knows the environment admin key as ADMIN_API_KEY_OWNER', async () => {
    const other = await createTestApp({ env: { ADMIN_API_KEY_OWNER: 'ops.lead@bank.example' } });
    try {
      await seedDemo(other);
      const app = await submitOk(other, other.adminKey, 'mer_demo_mjy03', referSurvey());
      const hers = await other.issueKey('reviewer', { owner: 'OPS.LEAD@bank.example' });
      const res = await other.http
        .post(`/v1/applications/${app.id}/review`)
        .set(bearer(hers))
        .send({ action: 'approve', note: 'mine' });
      expect(res.status).toBe(403);
      // "admin" is nobody in particular here.
      const admin = await other.issueKey('reviewer', { owner: 'admin' });
      const ok = await other.http
        .post(`/v1/applications/${app.id}/review`)
        .set(bearer(admin))
        .send({ action: 'decline', note: 'independent' });
      expect(ok.status).toBe(200);
    } finally {
      await other.close();
    }
  });
});
