import { asc, eq, sql } from 'drizzle-orm';
import { applications, decisions } from '../../../src/db/schema';
import { storedInputs } from '../../../src/modules/simulation/repository';
import { seedDemo } from '../../helpers/fixtures';
import { createTestApp, type TestApp } from '../../helpers/test-app';
import { KAI, MJY, referSurvey, strongSurvey, submitOk } from '../origination/applications/helpers';

/** The keyset pages the simulation streams stored applications in. */
describe('storedInputs', () => {
  let t: TestApp;
  const now = new Date('2026-11-26T09:30:00.000Z');
  const ids: string[] = [];

  beforeAll(async () => {
    t = await createTestApp({ clock: () => now });
    await seedDemo(t);
    const officer = await t.issueKey('officer', { marketIds: [MJY, KAI] });
    for (let i = 0; i < 7; i++) {
      const merchant = i % 2 ? 'mer_demo_mjy01' : 'mer_demo_kai01';
      const app = await submitOk(t, officer, merchant, i % 3 ? strongSurvey() : referSurvey(), {
        amount: 10_000_000 + i * 1_000_000,
      });
      ids.push(app.id);
    }
  });
  afterAll(() => t.close());

  const db = () => t.testDb.database.db;

  async function collect(batchSize: number, filter = {}) {
    const batches: string[][] = [];
    for await (const batch of storedInputs(db(), filter, batchSize)) {
      batches.push(batch.map((b) => b.id));
    }
    return batches;
  }

  it('pages through every application once, oldest first, ties broken by id', async () => {
    // All seven share one created_at (one clock): only the id orders them.
    const batches = await collect(2);
    expect(batches.map((b) => b.length)).toEqual([2, 2, 2, 1]);
    expect(batches.flat()).toEqual([...ids].sort());
  });

  it('an exact multiple of the batch size ends with an empty page, not a repeat', async () => {
    const batches = await collect(7);
    expect(batches.map((b) => b.length)).toEqual([7, 0]);
  });

  it('keeps microseconds in the cursor: nothing skipped or repeated', async () => {
    // Timestamps 1 microsecond apart, pairs equal: a millisecond cursor would lose rows.
    await db().execute(sql`
      update applications a set created_at = a.created_at + (r.n / 2) * interval '1 microsecond'
      from (select id, row_number() over (order by id) as n from applications) r
      where r.id = a.id`);
    const ordered = await db()
      .select({ id: applications.id })
      .from(applications)
      .orderBy(asc(applications.createdAt), asc(applications.id));
    for (const size of [1, 2, 3]) {
      expect((await collect(size)).flat()).toEqual(ordered.map((r) => r.id));
    }
  });

  it('gives the survey, the request and the context of the first model decision', async () => {
    const first = ids[0] as string;
    const [app] = await db().select().from(applications).where(eq(applications.id, first));
    const [decision] = await db()
      .select()
      .from(decisions)
      .where(eq(decisions.applicationId, first));
    const all = (await collect(100, { marketId: app?.marketId })).flat();
    expect(all).toContain(first);
    for await (const batch of storedInputs(db(), {}, 100)) {
      const input = batch.find((b) => b.id === first);
      if (!input) continue;
      expect(input.survey).toEqual(app?.survey);
      expect(input.request).toEqual({
        product: app?.product,
        amount: app?.amount,
        termMonths: app?.termMonths,
        purpose: app?.purpose,
      });
      expect(input.context).toEqual(decision?.context);
    }
  });
});
