import { defaultPolicyDocument } from '../../../src/credit';
import { seedDemo, strongSurvey } from '../../helpers/fixtures';
import { bearer, createTestApp, type TestApp } from '../../helpers/test-app';

describe('policy workflow: draft, validate, diff, publish with four eyes, roll out, replay', () => {
  let t: TestApp;
  let riskA: string;
  let riskB: string;
  let officer: string;
  let championId: string;
  beforeAll(async () => {
    t = await createTestApp();
    await seedDemo(t);
    riskA = await t.issueKey('risk');
    riskB = await t.issueKey('risk');
    officer = await t.issueKey('officer', { marketIds: ['mkt_demo_majiayan'] });
    championId = (await t.http.get('/v1/policies/active').set(bearer(riskA))).body.id;
  });
  afterAll(() => t.close());

  const draftClone = async (changes: object, key = riskA) => {
    const res = await t.http
      .post('/v1/policies')
      .set(bearer(key))
      .send({ cloneOf: championId, changes });
    expect(res.status).toBe(201);
    return res.body;
  };

  it('drafts from a whole document and from a clone with a JSON merge patch, with increasing versions', async () => {
    const whole = await t.http
      .post('/v1/policies')
      .set(bearer(riskA))
      .send({ document: { ...defaultPolicyDocument, name: 'whole copy' } });
    expect(whole.status).toBe(201);
    expect(whole.body).toMatchObject({
      status: 'draft',
      version: 2,
      valid: true,
      name: 'whole copy',
      role: null,
    });
    expect(whole.body.document.version).toBe(2);
    const clone = await draftClone({ name: 'cloned', offerValidityDays: 7 });
    expect(clone.version).toBe(3);
    expect(clone.document.offerValidityDays).toBe(7);
    expect(clone.document.scorecard).toEqual(defaultPolicyDocument.scorecard);
  });

  it('rejects a request with both or neither of document and cloneOf, and an unknown clone source', async () => {
    expect((await t.http.post('/v1/policies').set(bearer(riskA)).send({})).status).toBe(400);
    const both = await t.http
      .post('/v1/policies')
      .set(bearer(riskA))
      .send({ document: {}, cloneOf: championId });
    expect(both.status).toBe(400);
    const unknown = await t.http
      .post('/v1/policies')
      .set(bearer(riskA))
      .send({ cloneOf: 'pol_nope' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.details[0].path).toBe('body.cloneOf');
  });

  it('validates reporting every problem with its path, and diffs field by field', async () => {
    const broken = await draftClone({ outcomes: null, offerValidityDays: -3 });
    const res = await t.http.post(`/v1/policies/${broken.id}/validate`).set(bearer(riskA));
    expect(res.status).toBe(200);
    expect(res.body.valid).toBe(false);
    const paths = res.body.problems.map((p: { path: string }) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['outcomes', 'offerValidityDays']));
    const diff = await t.http
      .get(`/v1/policies/${broken.id}/diff?against=${championId}`)
      .set(bearer(riskA));
    expect(diff.status).toBe(200);
    const byPath = Object.fromEntries(diff.body.changes.map((c: { path: string }) => [c.path, c]));
    expect(byPath.offerValidityDays).toMatchObject({
      kind: 'changed',
      before: defaultPolicyDocument.offerValidityDays,
      after: -3,
    });
    expect(byPath.outcomes).toMatchObject({ kind: 'removed' });
    expect(byPath.version).toMatchObject({ kind: 'changed' });
  });

  it('lets only drafts change; published policies are frozen', async () => {
    const draft = await draftClone({ name: 'editable' });
    const put = await t.http
      .put(`/v1/policies/${draft.id}`)
      .set(bearer(riskA))
      .send({ document: { ...draft.document, name: 'edited' } });
    expect(put.status).toBe(200);
    expect(put.body.name).toBe('edited');
    expect(put.body.version).toBe(draft.version);
    const frozen = await t.http
      .put(`/v1/policies/${championId}`)
      .set(bearer(riskA))
      .send({ document: defaultPolicyDocument });
    expect(frozen.status).toBe(409);
    expect(frozen.body.code).toBe('INVALID_STATE');
    expect(frozen.body.details[0].message).toBe('published');
  });

  it('publishes with four eyes only, and never an invalid draft', async () => {
    const draft = await draftClone({ name: 'four eyes' });
    const own = await t.http.post(`/v1/policies/${draft.id}/publish`).set(bearer(riskA));
    expect(own.status).toBe(403);
    const officerTry = await t.http.post(`/v1/policies/${draft.id}/publish`).set(bearer(officer));
    expect(officerTry.status).toBe(403);
    const other = await t.http.post(`/v1/policies/${draft.id}/publish`).set(bearer(riskB));
    expect(other.status).toBe(200);
    expect(other.body).toMatchObject({
      status: 'published',
      publishedBy: expect.stringMatching(/^key_/),
    });
    const again = await t.http.post(`/v1/policies/${draft.id}/publish`).set(bearer(riskB));
    expect(again.status).toBe(409);

    const invalid = await draftClone({ offerValidityDays: -1 });
    const refused = await t.http.post(`/v1/policies/${invalid.id}/publish`).set(bearer(riskB));
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('POLICY_INVALID');
    expect(refused.body.details[0].path).toBe('document.offerValidityDays');
  });

  it('rolls out a challenger on a share of traffic, records the arm on decisions, and stops it in one call', async () => {
    const draft = await draftClone({ name: 'challenger' });
    expect(
      (
        await t.http
          .post(`/v1/policies/${draft.id}/activate`)
          .set(bearer(riskA))
          .send({ role: 'challenger', share: 0.5 })
      ).status,
    ).toBe(409);
    await t.http.post(`/v1/policies/${draft.id}/publish`).set(bearer(riskB)).expect(200);
    const on = await t.http
      .post(`/v1/policies/${draft.id}/activate`)
      .set(bearer(riskA))
      .send({ role: 'challenger', share: 0.5 });
    expect(on.status).toBe(200);
    expect(on.body).toMatchObject({ role: 'challenger', shareBps: 5000 });
    const active = await t.http.get('/v1/policies/active').set(bearer(riskA));
    expect(active.body.challenger).toEqual({
      id: draft.id,
      version: draft.version,
      shareBps: 5000,
    });

    const merchants = [
      'mer_demo_mjy01',
      'mer_demo_mjy02',
      'mer_demo_mjy03',
      'mer_demo_mjy04',
      'mer_demo_mjy05',
      'mer_demo_mjy06',
    ];
    const arms = new Map<string, string>();
    for (const merchantId of merchants) {
      const res = await t.http
        .post('/v1/applications')
        .set(bearer(officer))
        .set('idempotency-key', `arm-${merchantId}`)
        .send({
          merchantId,
          survey: strongSurvey(),
          request: {
            product: 'credit_card',
            amount: 20_000_000,
            termMonths: 12,
            purpose: 'short_term_turnover',
          },
        });
      expect(res.status).toBe(201);
      arms.set(merchantId, `${res.body.decision.arm}:${res.body.decision.policyVersion}`);
    }
    for (const v of arms.values())
      expect([`champion:1`, `challenger:${draft.version}`]).toContain(v);
    expect(new Set(arms.values()).size).toBe(2);

    const off = await t.http.post(`/v1/policies/${draft.id}/deactivate`).set(bearer(riskA));
    expect(off.status).toBe(200);
    expect((await t.http.get('/v1/policies/active').set(bearer(riskA))).body.challenger).toBeNull();
    const champOff = await t.http.post(`/v1/policies/${championId}/deactivate`).set(bearer(riskA));
    expect(champOff.status).toBe(409);
  });

  it('replays a stored decision identically, and shows what another version would decide', async () => {
    const submitted = await t.http
      .post('/v1/applications')
      .set(bearer(officer))
      .set('idempotency-key', 'replay-1')
      .send({
        merchantId: 'mer_demo_mjy01',
        survey: strongSurvey(),
        request: { product: 'any', amount: 80_000_000, termMonths: 12, purpose: 'working_capital' },
      });
    expect(submitted.status).toBe(201);
    const decisionId = submitted.body.decision.id;
    const same = await t.http.post(`/v1/decisions/${decisionId}/replay`).set(bearer(riskA));
    expect(same.status).toBe(200);
    expect(same.body).toMatchObject({ identical: true, differences: [] });

    // The strong survey scores about 635: a cutoff of 700 turns its approve into a decline.
    // A what-if for replay: its own test cases (written for the default cutoffs) are dropped.
    const strict = await draftClone({
      outcomes: { approveMinScore: 700, referMinScore: 690 },
      testCases: null,
    });
    expect(strict.valid).toBe(true);
    const other = await t.http
      .post(`/v1/decisions/${decisionId}/replay?policy=${strict.id}`)
      .set(bearer(riskA));
    expect(other.status).toBe(200);
    expect(other.body.identical).toBe(false);
    expect(other.body.replayPolicy.version).toBe(strict.version);
    expect(other.body.stored.outcome).toBe('approve');
    expect(other.body.replayed.outcome).not.toBe('approve');
    expect(other.body.differences.map((d: { path: string }) => d.path)).toContain('outcome');
    expect(
      (await t.http.post(`/v1/decisions/${decisionId}/replay`).set(bearer(officer))).status,
    ).toBe(403);
    expect((await t.http.post('/v1/decisions/dec_nope/replay').set(bearer(riskA))).status).toBe(
      404,
    );
  });

  it('makes a new champion and retires the old one, with audit events', async () => {
    const draft = await draftClone({ name: 'next champion' });
    await t.http.post(`/v1/policies/${draft.id}/publish`).set(bearer(riskB)).expect(200);
    const res = await t.http
      .post(`/v1/policies/${draft.id}/activate`)
      .set(bearer(riskA))
      .send({ role: 'champion' });
    expect(res.status).toBe(200);
    expect(res.body.role).toBe('champion');
    const old = await t.http.get(`/v1/policies/${championId}`).set(bearer(riskA));
    expect(old.body.status).toBe('retired');
    const active = await t.http.get('/v1/policies/active').set(bearer(riskA));
    expect(active.body.id).toBe(draft.id);
    const list = await t.http.get('/v1/policies?status=retired').set(bearer(riskA));
    expect(list.body.data.map((p: { id: string }) => p.id)).toContain(championId);
    expect(list.body.data[0].document).toBeUndefined();
  });
});
