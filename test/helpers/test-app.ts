import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import request from 'supertest';
import { buildApp } from '../../src/app';
import { type Config, loadConfig } from '../../src/config';
import { connect, type Database } from '../../src/db/connect';
import type { Role } from '../../src/lib/principal';
import { createTestDatabase, type TestDatabase } from './test-database';

export const TEST_ADMIN_KEY = 'test-admin-key-0123456789abcdef';

export interface TestApp {
  app: FastifyInstance;
  testDb: TestDatabase;
  /** The app's own database: `testDb.database`, or its pool through `databaseUrl`. */
  appDatabase: Database;
  config: Config;
  /** supertest agent on the running server. */
  http: ReturnType<typeof request>;
  adminKey: string;
  /**
   * Issues a key through the API, as an admin would. Each key belongs to a person of its own
   * unless `owner` names one (partner keys: their partner).
   */
  issueKey(
    role: Role,
    extra?: { marketIds?: string[]; partnerId?: string; owner?: string },
  ): Promise<string>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  clock?: () => Date;
  loggerInstance?: FastifyBaseLogger;
  /**
   * PostgreSQL only: the app gets its own pool on this URL (given the scratch database's),
   * e.g. through a fault-injecting proxy; `testDb` keeps its direct connection.
   */
  databaseUrl?: (scratchUrl: string) => string;
}

let ownerSerial = 0;

export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const testDb = await createTestDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    ADMIN_API_KEY: TEST_ADMIN_KEY,
    RATE_LIMIT_MAX: '100000',
    AUTH_FAILURE_LIMIT: '100000',
    OFFER_EXPIRY_INTERVAL_MS: '0',
    ...options.env,
  });
  let appDatabase: Database = testDb.database;
  if (options.databaseUrl) {
    if (!testDb.url) throw new Error('databaseUrl needs DATABASE_URL (PostgreSQL)');
    appDatabase = await connect({
      url: options.databaseUrl(testDb.url),
      poolMax: config.DATABASE_POOL_MAX,
      queryTimeoutMs: config.DATABASE_QUERY_TIMEOUT_MS,
      preparedStatements: config.DATABASE_PREPARED_STATEMENTS,
    });
  }
  const app = await buildApp({
    config,
    database: appDatabase,
    clock: options.clock,
    loggerInstance: options.loggerInstance,
  });
  await app.ready();
  const http = request(app.server);
  return {
    app,
    testDb,
    appDatabase,
    config,
    http,
    adminKey: TEST_ADMIN_KEY,
    async issueKey(role, extra = {}) {
      const res = await http
        .post('/v1/api-keys')
        .set('authorization', `Bearer ${TEST_ADMIN_KEY}`)
        .send({
          role,
          name: `test ${role}`,
          ...(role === 'partner' ? {} : { owner: `${role}-${++ownerSerial}@test.example` }),
          ...extra,
        });
      if (res.status !== 201)
        throw new Error(`issueKey failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.secret as string;
    },
    async close() {
      await app.close();
      if (appDatabase !== testDb.database) await appDatabase.close();
      await testDb.dispose();
    },
  };
}

export const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
