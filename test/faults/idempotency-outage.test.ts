import { sql } from 'drizzle-orm';
import { seedDemo, strongSurvey } from '../helpers/fixtures';
import { startTcpProxy, type TcpProxy, viaProxy } from '../helpers/tcp-proxy';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { usingPostgres } from '../helpers/test-database';
import {
  accept,
  applicationBody,
  offerOf,
  submit,
} from '../modules/origination/applications/helpers';

/**
 * PostgreSQL vanishes right after an accept claimed its Idempotency-Key: the accept answers
 * 503 and cannot free the key then. Once the database is back, a retry with the same key must
 * go through at once, not be told "in flight" until the claim goes stale.
 */
const describePg = usingPostgres ? describe : describe.skip;

describePg('an accept cut off by a database outage (TCP proxy)', () => {
  let proxy: TcpProxy;
  let t: TestApp;
  let officer: string;

  beforeAll(async () => {
    const target = new URL(process.env.DATABASE_URL ?? '');
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    t = await createTestApp({ databaseUrl: (url) => viaProxy(url, proxy) });
    await seedDemo(t);
    officer = await t.issueKey('officer', { marketIds: ['mkt_demo_majiayan'] });
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    proxy?.restore();
    await t?.close();
    await proxy?.close();
  });

  it('lets the retry with the same key through as soon as the database is back', async () => {
    const app = await submit(t, officer, applicationBody('mer_demo_mjy01', strongSurvey()));
    expect(app.status).toBe(201);
    const offerId = offerOf(app.body, 'operator_guarantee').id;

    const db = t.appDatabase.db;
    const realTransaction = db.transaction.bind(db);
    // The key is claimed; the database goes away before the acceptance's transaction.
    jest.spyOn(db, 'transaction').mockImplementationOnce(((...args: never[]) => {
      proxy.cut();
      return (realTransaction as (...a: never[]) => unknown)(...args);
    }) as never);
    const failed = await accept(t, officer, offerId, 'outage-accept-1');
    expect(failed.status).toBe(503);

    proxy.restore();
    const from = performance.now();
    let retry = await accept(t, officer, offerId, 'outage-accept-1');
    const answers = [retry.status];
    while (retry.status !== 200 && performance.now() - from < 5_000) {
      await new Promise((r) => setTimeout(r, 100));
      retry = await accept(t, officer, offerId, 'outage-accept-1');
      answers.push(retry.status);
    }
    expect({ status: retry.status, code: retry.body.code }).toEqual({
      status: 200,
      code: undefined,
    });
    expect(retry.body.status).toBe('accepted');
    // Well under the in-flight window (10 s; 30 s before): the first retry, or one after a 503.
    expect(performance.now() - from).toBeLessThan(2_000);
    expect(answers.filter((s) => s === 409)).toEqual([]);

    const { rows } = (await t.testDb.database.db.execute(
      sql`select count(*)::int as n from audit_events where action = 'offer.accepted' and entity_id = ${offerId}`,
    )) as unknown as { rows: { n: number }[] };
    expect(rows[0]?.n).toBe(1);
  });
});
