import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import request from 'supertest';
import { buildApp } from '../../src/app';
import { connect, type Database, MIGRATIONS_FOLDER } from '../../src/db/connect';
import { ensureDefaultPolicy } from '../../src/db/seed';
import { seedRaceMarket } from '../concurrency/race-market';
import { strongSurvey } from '../helpers/fixtures';
import { findPgbouncer, type Pgbouncer, startPgbouncer } from '../helpers/pgbouncer';
import { bearer, createTestApp, type TestApp } from '../helpers/test-app';
import { createTestDatabase, usingPostgres } from '../helpers/test-database';

/**
 * Behind PgBouncer in transaction mode (Debian's 1.18), where each transaction may run on a
 * different server connection: named prepared statements and session advisory locks do not
 * survive that. PostgreSQL only; CI installs pgbouncer, and a PostgreSQL run without it fails.
 */
const describePg = usingPostgres ? describe : describe.skip;
if (!usingPostgres)
  process.stdout.write('pooler tests skipped: they need PostgreSQL (DATABASE_URL) and pgbouncer\n');

const SUBMISSIONS = 50;
const MIGRATION_COUNT = (
  JSON.parse(readFileSync(path.join(MIGRATIONS_FOLDER, 'meta/_journal.json'), 'utf8')) as {
    entries: unknown[];
  }
).entries.length;

/** Rows in drizzle's migration table, and how many distinct migrations they record. */
async function appliedMigrations(database: Database) {
  const [row] = await database.run<{ n: number; hashes: number }>(
    {
      name: 'count_applied_migrations',
      text: 'select count(*)::int as n, count(distinct hash)::int as hashes from drizzle.__drizzle_migrations',
    },
    [],
  );
  return row;
}

describePg('behind a transaction-mode pooler (PgBouncer)', () => {
  let bouncer: Pgbouncer;
  let t: TestApp;
  let officer: string;
  let merchantIds: string[];

  beforeAll(async () => {
    if (!findPgbouncer()) throw new Error('pgbouncer is not installed: CI installs it');
    bouncer = await startPgbouncer(process.env.DATABASE_URL as string, { poolSize: 4 });
    t = await createTestApp({
      env: { DATABASE_POOL_MAX: '20', DATABASE_PREPARED_STATEMENTS: 'false' },
      databaseUrl: (scratch) => bouncer.via(scratch),
    });
    merchantIds = await seedRaceMarket(t, {
      operatorId: 'opr_pool',
      marketId: 'mkt_pool',
      capacity: 1_000_000_000_000,
      perMerchantCap: 100_000_000,
      merchantPrefix: 'mer_pool_',
      count: SUBMISSIONS,
      idSeries: '19800202',
    });
    officer = await t.issueKey('officer', { marketIds: ['mkt_pool'] });
  });
  afterAll(async () => {
    await t?.close();
    await bouncer?.stop();
  });

  const submit = (http: ReturnType<typeof request>, merchantId: string, key: string) =>
    http
      .post('/v1/applications')
      .set(bearer(officer))
      .set('idempotency-key', key)
      .send({
        merchantId,
        survey: strongSurvey(),
        request: {
          product: 'operator_guarantee',
          amount: 50_000_000,
          termMonths: 12,
          purpose: 'working_capital',
        },
      });

  it(`answers ${SUBMISSIONS} concurrent submissions 201 with DATABASE_PREPARED_STATEMENTS=false`, async () => {
    const results = await Promise.all(merchantIds.map((id, i) => submit(t.http, id, `pool-${i}`)));
    const failures = results.filter((r) => r.status !== 201).map((r) => [r.status, r.body.message]);
    expect(failures).toEqual([]);
  });

  describe('with named prepared statements left on', () => {
    let database: Database;
    let app: FastifyInstance;
    beforeAll(async () => {
      database = await connect({
        url: bouncer.via(t.testDb.url as string),
        poolMax: 20,
        preparedStatements: true,
      });
      app = await buildApp({ config: t.config, database });
      await app.ready();
    });
    afterAll(async () => {
      await app?.close();
      await database?.close();
    });

    it('answers the prepared-statement errors 503, never 500', async () => {
      const http = request(app.server);
      const results = await Promise.all(
        merchantIds.map((id, i) => submit(http, id, `pool-named-${i}`)),
      );
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s !== 201 && s !== 503)).toEqual([]);
      // The pooler did break them: the errors were there to classify.
      const unavailable = results.filter((r) => r.status === 503);
      expect(unavailable.length).toBeGreaterThan(0);
      expect(unavailable[0]?.body.code).toBe('SERVICE_UNAVAILABLE');
      expect(unavailable[0]?.headers['retry-after']).toBeTruthy();
    });
  });

  it('migrates a fresh database once when two instances start together', async () => {
    const fresh = await createTestDatabase({ migrate: false });
    const instances = await Promise.all(
      [0, 1].map(() =>
        connect({ url: bouncer.via(fresh.url as string), poolMax: 4, preparedStatements: false }),
      ),
    );
    try {
      // What each instance does at start before it listens.
      await Promise.all(
        instances.map(async (d) => {
          await d.migrate();
          await ensureDefaultPolicy(d.db, new Date());
        }),
      );
      expect(await appliedMigrations(fresh.database)).toEqual({
        n: MIGRATION_COUNT,
        hashes: MIGRATION_COUNT,
      });
    } finally {
      await Promise.all(instances.map((d) => d.close()));
      await fresh.dispose();
    }
  });

  it('migrates through DATABASE_MIGRATION_URL when given, not the pool URL', async () => {
    const fresh = await createTestDatabase({ migrate: false });
    const database = await connect({
      // Nothing listens on port 1: only the migration URL can have done the work.
      url: 'postgres://postgres@127.0.0.1:1/unreachable',
      migrationUrl: fresh.url,
      poolMax: 2,
      preparedStatements: false,
    });
    try {
      await database.migrate();
      expect((await appliedMigrations(fresh.database))?.n).toBe(MIGRATION_COUNT);
    } finally {
      await database.close();
      await fresh.dispose();
    }
  });
});
