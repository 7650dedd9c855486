/**
 * The command runner stores every write's answer in the command's own transaction. A command
 * whose key was taken over while it ran (its holder looked dead) therefore rolls back instead
 * of applying twice; before, routes such as PATCH of a guarantee agreement stored their answer
 * after the commit, so both attempts committed.
 */
import { sql } from 'drizzle-orm';
import { bearer, createTestApp, type TestApp } from '../helpers/test-app';

describe('the command runner', () => {
  let t: TestApp;
  let now = new Date('2026-11-26T09:30:00.000Z');
  let operatorId: string;
  const db = () => t.testDb.database.db;

  beforeAll(async () => {
    t = await createTestApp({ clock: () => now });
    const res = await t.http
      .post('/v1/operators')
      .set(bearer(t.adminKey))
      .send({
        name: 'Runner Co',
        guaranteeAgreement: {
          capacity: 1_000_000_00,
          perMerchantCap: 100_000_00,
          maxTermMonths: 12,
          depositRatioBps: 0,
          status: 'active',
        },
      });
    expect(res.status).toBe(201);
    operatorId = res.body.id;
  });
  afterAll(() => t.close());
  afterEach(() => jest.restoreAllMocks());

  const updates = async () => {
    const { rows } = (await db().execute(
      sql`select count(*)::int as n from audit_events where entity_id = ${operatorId} and action = 'operator.guarantee_agreement_updated'`,
    )) as unknown as { rows: { n: number }[] };
    return rows[0]?.n;
  };

  it('rolls back an attempt whose key was taken over while it ran, on a PATCH too', async () => {
    const patch = () =>
      t.http
        .patch(`/v1/operators/${operatorId}/guarantee-agreement`)
        .set(bearer(t.adminKey))
        .set('idempotency-key', 'patch-slow-1')
        .send({ capacity: 2_000_000_00 });
    const realTransaction = db().transaction.bind(db());
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => {
      entered = resolve;
    });
    let letGo!: () => void;
    const gate = new Promise<void>((resolve) => {
      letGo = resolve;
    });
    jest.spyOn(db(), 'transaction').mockImplementationOnce((async (...args: never[]) => {
      entered();
      await gate;
      return (realTransaction as (...a: never[]) => unknown)(...args);
    }) as never);
    const first = patch().then((res) => res);
    await inside;
    let second: Awaited<ReturnType<typeof patch>>;
    try {
      now = new Date(now.getTime() + 11_000);
      second = await patch();
    } finally {
      letGo();
    }
    expect(second.status).toBe(200);
    const late = await first;
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('IDEMPOTENCY_KEY_IN_USE');
    expect(await updates()).toBe(1);
    const again = await patch();
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(second.body);
  });
});
