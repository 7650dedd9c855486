import { eq } from 'drizzle-orm';
import { policies } from '../../../src/db/schema';
import { bearer, createTestApp, type TestApp } from '../../helpers/test-app';

/** A policy's validity is checked once, when its document is written, and stored with it. */
describe('policy validity stored with the document', () => {
  let t: TestApp;
  let risk: string;
  let championId: string;
  beforeAll(async () => {
    t = await createTestApp();
    risk = await t.issueKey('risk');
    championId = (await t.http.get('/v1/policies/active').set(bearer(risk))).body.id;
  });
  afterAll(() => t.close());
  const stored = async (id: string) =>
    (await t.testDb.database.db.select().from(policies).where(eq(policies.id, id)))[0];

  it('stores valid=false for a draft that fails, true once a PUT fixes it, and lists what was stored', async () => {
    const bad = await t.http
      .post('/v1/policies')
      .set(bearer(risk))
      .send({
        cloneOf: championId,
        changes: { outcomes: { approveMinScore: 100, referMinScore: 900 } },
      });
    expect(bad.status).toBe(201);
    expect(bad.body.valid).toBe(false);
    expect((await stored(bad.body.id))?.valid).toBe(false);

    const champion = await t.http.get(`/v1/policies/${championId}`).set(bearer(risk));
    const fixed = await t.http
      .put(`/v1/policies/${bad.body.id}`)
      .set(bearer(risk))
      .send({ document: champion.body.document });
    expect(fixed.status).toBe(200);
    expect(fixed.body.valid).toBe(true);
    expect((await stored(bad.body.id))?.valid).toBe(true);

    // The list answers the stored fact, not a fresh check (a row flagged invalid stays so).
    await t.testDb.database.db
      .update(policies)
      .set({ valid: false })
      .where(eq(policies.id, bad.body.id));
    const list = await t.http.get('/v1/policies?limit=200').set(bearer(risk));
    const row = list.body.data.find((p: { id: string }) => p.id === bad.body.id);
    expect(row.valid).toBe(false);
  });

  it('seeds the default policy as valid', async () => {
    expect((await stored(championId))?.valid).toBe(true);
  });
});
