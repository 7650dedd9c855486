import { eq } from 'drizzle-orm';
import { auditEvents } from '../../../src/db/schema';
import { bearer, createTestApp, type TestApp } from '../../helpers/test-app';

/**
 * Four eyes on policies compare people: every person who wrote a draft (created it or changed
 * it with PUT) is one of its authors, and publishing needs a risk user who is none of them.
 */
describe('policy four eyes: authors are people, and every writer is an author', () => {
  let t: TestApp;
  let riskA: string;
  let riskB: string;
  let riskC: string;
  let riskA2: string;
  let championId: string;
  beforeAll(async () => {
    t = await createTestApp();
    riskA = await t.issueKey('risk', { owner: 'alice@bank.example' });
    riskB = await t.issueKey('risk', { owner: 'bob@bank.example' });
    riskC = await t.issueKey('risk', { owner: 'carol@bank.example' });
    // A second key of Alice's (say a new laptop): the same person, another key.
    riskA2 = await t.issueKey('risk', { owner: 'Alice@Bank.example' });
    championId = (await t.http.get('/v1/policies/active').set(bearer(riskA))).body.id;
  });
  afterAll(() => t.close());

  const draft = async (key: string, name: string) => {
    const res = await t.http
      .post('/v1/policies')
      .set(bearer(key))
      .send({ cloneOf: championId, changes: { name } });
    expect(res.status).toBe(201);
    return res.body as { id: string; document: Record<string, unknown> };
  };
  const publish = (key: string, id: string) =>
    t.http.post(`/v1/policies/${id}/publish`).set(bearer(key));

  it("refuses a second risk user who rewrote a colleague's draft and then publishes it alone", async () => {
    const honest = await draft(riskA, 'honest draft');
    // Bob loosens Alice's draft: approve from grade D (560, the lowest a product takes; 300
    // would no longer validate), no knock-outs, and no test cases that would catch it, so that
    // only four eyes stand in his way.
    const rewritten = await t.http
      .put(`/v1/policies/${honest.id}`)
      .set(bearer(riskB))
      .send({
        document: {
          ...honest.document,
          outcomes: { approveMinScore: 560, referMinScore: 560 },
          knockouts: [],
          testCases: [],
        },
      });
    expect(rewritten.status).toBe(200);
    expect(rewritten.body.valid).toBe(true);

    const refused = await publish(riskB, honest.id);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('FORBIDDEN');
    expect(refused.body.message).toMatch(/author/i);
    expect(refused.body.messageZh).toMatch(/作者/);
    const still = await t.http.get(`/v1/policies/${honest.id}`).set(bearer(riskC));
    expect(still.body.status).toBe('draft');
    expect(still.body.authors).toEqual(['alice@bank.example', 'bob@bank.example']);

    // Nor can Alice publish it (she wrote it too); Carol, who wrote none of it, may.
    expect((await publish(riskA, honest.id)).status).toBe(403);
    const published = await publish(riskC, honest.id);
    expect(published.status).toBe(200);
    expect(published.body.status).toBe('published');

    // The trail names each writer as the person they are.
    const events = await t.testDb.database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.entityId, honest.id));
    const byAction = Object.fromEntries(events.map((e) => [e.action, e]));
    expect(byAction['policy.drafted']?.actorOwner).toBe('alice@bank.example');
    expect(byAction['policy.updated']?.actorOwner).toBe('bob@bank.example');
    expect(byAction['policy.published']?.actorOwner).toBe('carol@bank.example');
    expect(byAction['policy.published']?.data).toMatchObject({
      authors: ['alice@bank.example', 'bob@bank.example'],
    });
  });

  it('compares people, not keys: another key of the author may not publish', async () => {
    const own = await draft(riskA, 'second key');
    const res = await publish(riskA2, own.id);
    expect(res.status).toBe(403);
    expect((await publish(riskB, own.id)).status).toBe(200);
  });

  it("a draft cloned from a colleague's unpublished draft keeps its authors", async () => {
    const alices = await draft(riskA, 'alice unpublished');
    const clone = await t.http.post('/v1/policies').set(bearer(riskB)).send({ cloneOf: alices.id });
    expect(clone.status).toBe(201);
    expect(clone.body.authors).toEqual(['alice@bank.example', 'bob@bank.example']);
    expect((await publish(riskA, clone.body.id)).status).toBe(403);
    expect((await publish(riskC, clone.body.id)).status).toBe(200);
    // Cloned from a published policy, only the new writer is an author.
    const fresh = await draft(riskB, 'from the champion');
    const view = await t.http.get(`/v1/policies/${fresh.id}`).set(bearer(riskB));
    expect(view.body.authors).toEqual(['bob@bank.example']);
  });
});
