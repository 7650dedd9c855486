/**
 * Runs the examples' scenario (scenario.ts) against a fresh app on `database` (migrated, with
 * the default policy), seeded with the demo data at the scenario's clock.
 */
import { sql } from 'drizzle-orm';
import { buildApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import type { Database } from '../../src/db/connect';
import { seedDemoData } from '../../src/db/seed';
import {
  type Answers,
  type ExampleRole,
  type ExampleStep,
  given,
  pathOf,
  SCENARIO_NOW,
  scenario,
} from './scenario';

const ADMIN_KEY = 'examples-admin-key-0123456789abcdef';

export interface StepResult {
  step: ExampleStep;
  params?: Record<string, string>;
  query?: Record<string, string | number>;
  body?: unknown;
  url: string;
  status: number;
  contentType: string;
  response: unknown;
}

const OWNERS: Record<Exclude<ExampleRole, 'none' | 'admin' | 'partner'>, string> = {
  officer: 'officer.zhang@bank.example',
  reviewer: 'reviewer.chen@bank.example',
  risk: 'risk.li@bank.example',
  risk2: 'risk.wang@bank.example',
};

export async function runScenario(database: Database): Promise<StepResult[]> {
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    ADMIN_API_KEY: ADMIN_KEY,
    RATE_LIMIT_MAX: '100000',
    AUTH_FAILURE_LIMIT: '100000',
    OFFER_EXPIRY_INTERVAL_MS: '0',
  });
  const clock = () => SCENARIO_NOW;
  await seedDemoData(database.db, {
    clock,
    piiDigestKey: config.PII_DIGEST_KEY,
    demoKeys: false,
  });
  const app = await buildApp({ config, database, clock });
  await app.ready();
  try {
    const keys: Partial<Record<ExampleRole, string>> = { admin: ADMIN_KEY };
    for (const [role, owner] of Object.entries(OWNERS)) {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/api-keys',
        headers: { authorization: `Bearer ${ADMIN_KEY}` },
        payload: {
          role: role === 'risk2' ? 'risk' : role,
          name: `examples ${role}`,
          owner,
          ...(role === 'officer' ? { marketIds: ['mkt_demo_majiayan', 'mkt_demo_kaien'] } : {}),
        },
      });
      if (res.statusCode !== 201) throw new Error(`examples: key for ${role}: ${res.body}`);
      keys[role as ExampleRole] = res.json().secret;
    }

    const answers: Answers = {};
    const results: StepResult[] = [];
    for (const step of scenario) {
      const params = given(step.params, answers);
      const query = given(step.query, answers);
      const body = given(step.body, answers);
      const search = query
        ? `?${new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]))}`
        : '';
      const url = pathOf(step, params) + search;
      const headers: Record<string, string> = { ...step.headers };
      // The partner app's key is the one the scenario's createApiKey step issued.
      const key = step.role === 'partner' ? answers.createApiKey?.secret : keys[step.role];
      if (key) headers.authorization = `Bearer ${key}`;
      if (step.method === 'GET' && step.path === '/v1/events') await feedCaughtUp(database);
      const res = await app.inject({
        method: step.method,
        url,
        headers,
        ...(body === undefined ? {} : { payload: body as object }),
      });
      const contentType = String(res.headers['content-type'] ?? '');
      const response = contentType.startsWith('application/json') ? res.json() : res.body;
      answers[step.as ?? step.operationId] = response;
      results.push({
        step,
        params,
        query,
        body,
        url,
        status: res.statusCode,
        contentType,
        response,
      });
    }
    return results;
  } finally {
    await app.close();
  }
}

/**
 * The feed shows a transaction's events once every older transaction of the server has ended;
 * on a PostgreSQL server shared with other databases' work that can lag a moment, and the
 * scenario reads the events it has just written.
 */
async function feedCaughtUp(database: Database, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = (await database.db.execute(
      sql`select count(*)::int as n from events where tx_id >= pg_snapshot_xmin(pg_current_snapshot())`,
    )) as unknown as { rows: { n: number }[] };
    if (rows[0]?.n === 0 || Date.now() > deadline) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
