/**
 * A key claimed by an attempt that failed must not stay "in flight": its release is retried
 * when the database is back, and a claim whose attempt went silent is taken over after
 * IDEMPOTENCY_IN_FLIGHT_MS. A takeover never applies a command twice: the first attempt, if it
 * was alive after all, fails to store its answer and rolls back.
 */
import { eq } from 'drizzle-orm';
import { type idempotencyKeys, operators } from '../../src/db/schema';
import { seedDemo } from '../helpers/fixtures';
import { bearer, createTestApp, type TestApp } from '../helpers/test-app';
import {
  accept,
  applicationBody,
  offerOf,
  strongSurvey,
  submit,
} from '../modules/origination/applications/helpers';

/** What pg reports when the server went away mid-request. */
const connectionLost = () =>
  Object.assign(new Error('Connection terminated unexpectedly'), { code: 'ECONNRESET' });

describe('idempotency keys of failed and silent attempts', () => {
  let t: TestApp;
  let now = new Date('2026-11-26T09:30:00.000Z');
  let officer: string;
  const db = () => t.testDb.database.db;

  beforeAll(async () => {
    t = await createTestApp({ clock: () => now });
    await seedDemo(t);
    officer = await t.issueKey('officer', { marketIds: ['mkt_demo_majiayan'] });
  });
  afterAll(() => t.close());
  afterEach(() => jest.restoreAllMocks());

  const newOffer = async (merchantId: string) => {
    const app = await submit(t, officer, applicationBody(merchantId, strongSurvey()));
    expect(app.status).toBe(201);
    return offerOf(app.body, 'operator_guarantee').id;
  };

  it('frees the key of an accept that failed while its release failed too', async () => {
    const offerId = await newOffer('mer_demo_mjy01');
    jest.spyOn(db(), 'transaction').mockRejectedValueOnce(connectionLost());
    jest.spyOn(db(), 'delete').mockImplementationOnce(() => {
      throw connectionLost();
    });
    const failed = await accept(t, officer, offerId, 'acc-outage-1');
    expect(failed.status).toBe(503);
    jest.restoreAllMocks();

    const retry = await accept(t, officer, offerId, 'acc-outage-1');
    expect(retry.body.code).toBeUndefined();
    expect(retry.status).toBe(200);
    expect(retry.body.status).toBe('accepted');
  });

  it('frees a key whose claim reached the database but whose answer was lost', async () => {
    const offerId = await newOffer('mer_demo_mjy02');
    const realInsert = db().insert.bind(db());
    // The claim's insert commits, then the connection drops before its answer arrives.
    jest.spyOn(db(), 'insert').mockImplementationOnce(((table: typeof idempotencyKeys) => ({
      values: (v: never) => ({
        onConflictDoUpdate: (c: never) => ({
          returning: async (r: never) => {
            await realInsert(table).values(v).onConflictDoUpdate(c).returning(r);
            throw connectionLost();
          },
        }),
      }),
    })) as never);
    const failed = await accept(t, officer, offerId, 'acc-outage-2');
    expect(failed.status).toBe(503);
    jest.restoreAllMocks();

    const retry = await accept(t, officer, offerId, 'acc-outage-2');
    expect(retry.body.code).toBeUndefined();
    expect(retry.status).toBe(200);
  });

  it('lets a retry take over a silent attempt after 10 s; the first then fails and rolls back', async () => {
    const body = {
      name: 'Slow Co',
      guaranteeAgreement: {
        capacity: 1_000_000_00,
        perMerchantCap: 100_000_00,
        maxTermMonths: 12,
        depositRatioBps: 0,
        status: 'active',
      },
    };
    const create = () =>
      t.http
        .post('/v1/operators')
        .set(bearer(t.adminKey))
        .set('idempotency-key', 'slow-1')
        .send(body);
    const realTransaction = db().transaction.bind(db());
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => {
      entered = resolve;
    });
    let letGo!: () => void;
    const gate = new Promise<void>((resolve) => {
      letGo = resolve;
    });
    // The first attempt holds its claim, then stalls before its transaction.
    jest.spyOn(db(), 'transaction').mockImplementationOnce((async (...args: never[]) => {
      entered();
      await gate;
      return (realTransaction as (...a: never[]) => unknown)(...args);
    }) as never);
    const first = create().then((res) => res);
    await inside;
    let early: Awaited<ReturnType<typeof create>>;
    let second: Awaited<ReturnType<typeof create>>;
    try {
      now = new Date(now.getTime() + 5_000);
      early = await create();
      now = new Date(now.getTime() + 6_000);
      second = await create();
    } finally {
      letGo();
    }
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('IDEMPOTENCY_KEY_IN_USE');
    expect(second.status).toBe(201);
    const late = await first;
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('IDEMPOTENCY_KEY_IN_USE');
    expect(await db().select().from(operators).where(eq(operators.name, 'Slow Co'))).toHaveLength(
      1,
    );
    const again = await create();
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(second.body);
  });
});
