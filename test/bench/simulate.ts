/**
 * Benchmark of policy simulation (npm run bench:simulate): 100,000 stored applications with
 * their model decisions on PostgreSQL, replayed through a draft policy and the champion.
 *
 * Creates the scratch database `mla_bench_simulate` on the server DATABASE_URL names (default
 * postgres://postgres@127.0.0.1:5432/test; that database itself is only used to create and
 * drop the scratch one), migrates it, installs the default policy and the demo merchants,
 * bulk-inserts the applications (the 200 survey merchants with small deterministic
 * perturbations) and their model decisions, then times simulatePolicy() (the route's service
 * function) twice and POST /v1/policies/:id/simulate once through buildApp + inject.
 * Decision rows carry the real decide() result, schedules left out to keep the scratch
 * database small (the simulation never reads `result`).
 */
import { Client } from 'pg';
import { buildApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import {
  compilePolicy,
  type DecisionContext,
  decide,
  defaultPolicyDocument,
  type LoanRequest,
  type Survey,
  surveySchema,
} from '../../src/credit';
import { connect } from '../../src/db/connect';
import { demoMerchants, demoOperators } from '../../src/db/demo-data';
import { policies } from '../../src/db/schema';
import { ensureDefaultPolicy, seedDemoData } from '../../src/db/seed';
import { monthsUntil } from '../../src/modules/origination/decision-context';
import { PolicyCache } from '../../src/modules/policies/active-policy';
import { simulatePolicy } from '../../src/modules/simulation/service';
import { sampleMerchants } from '../helpers/fixtures';

const N = Number(process.env.BENCH_APPLICATIONS ?? 100_000);
const INSERT_BATCH = 5_000;
const DB_NAME = 'mla_bench_simulate';
const ADMIN_KEY = 'bench-admin-key-0123456789abcdef';
const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const defaultRequest: LoanRequest = {
  product: 'any',
  amount: 20_000_000,
  termMonths: 12,
  purpose: 'short_term_turnover',
};

/** mulberry32: a small deterministic generator, one stream per application. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The i-th application: a sample merchant's survey and request, nudged by a few percent. */
function perturbed(i: number): { survey: Survey; request: LoanRequest; market: string } {
  const base = sampleMerchants[i % sampleMerchants.length];
  if (!base) throw new Error('no sample merchants');
  const r = rng(i + 1);
  const scale = (v: number, pct: number) => Math.max(0, Math.round(v * (1 + (r() * 2 - 1) * pct)));
  const s = base.survey;
  const survey: Survey = {
    ...s,
    tenureMonths: Math.min(600, Math.max(0, s.tenureMonths + Math.round((r() * 2 - 1) * 6))),
    annualSales: scale(s.annualSales, 0.08),
    netMargin:
      Math.round(Math.min(1, Math.max(-1, s.netMargin + (r() * 2 - 1) * 0.015)) * 1000) / 1000,
    inventoryTurnoverDays: Math.min(720, scale(s.inventoryTurnoverDays, 0.1)),
    receivables: scale(s.receivables, 0.1),
    payables: scale(s.payables, 0.1),
  };
  // Stock that agrees with the nudged turnover, as in the sample: the data check stays quiet.
  survey.inventoryValue = Math.round(
    (survey.annualSales * (1 - survey.netMargin) * survey.inventoryTurnoverDays) / 360,
  );
  const checked = surveySchema.safeParse(survey);
  const req = base.request ?? defaultRequest;
  const request: LoanRequest = {
    ...req,
    amount: Math.max(1_000_000, Math.round(scale(req.amount, 0.2) / 10_000) * 10_000),
  };
  return { survey: checked.success ? checked.data : s, request, market: base.market };
}

async function admin(sql: string) {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function main() {
  const url = new URL(adminUrl);
  url.pathname = `/${DB_NAME}`;
  await admin(`drop database if exists ${DB_NAME} with (force)`);
  await admin(`create database ${DB_NAME}`);
  const database = await connect({ url: url.toString(), poolMax: 4 });
  try {
    await run(database, url.toString());
  } finally {
    await database.close();
    await admin(`drop database if exists ${DB_NAME} with (force)`);
  }
}

async function run(database: Awaited<ReturnType<typeof connect>>, dbUrl: string) {
  const now = new Date('2026-11-26T09:30:00Z');
  await database.migrate();
  await ensureDefaultPolicy(database.db, now);
  await seedDemoData(database.db, {
    clock: () => now,
    piiDigestKey: 'bench-pii-digest-key-0123',
    demoKeys: false,
  });
  const [championRow] = await database.db.select().from(policies);
  if (!championRow) throw new Error('no default policy');

  // --- seed: applications and their model decisions ----------------------------------------
  const seedStart = performance.now();
  const champion = compilePolicy(defaultPolicyDocument);
  const byMarket = {
    majiayan: demoMerchants.filter((m) => m.marketId === 'mkt_demo_majiayan'),
    kaien: demoMerchants.filter((m) => m.marketId === 'mkt_demo_kaien'),
  };
  const operatorOf = (marketId: string) =>
    demoOperators[marketId === 'mkt_demo_majiayan' ? 0 : 1] as (typeof demoOperators)[number];
  const client = new Client({ connectionString: dbUrl });
  await client.connect();
  const start = now.getTime() - N * 60_000;
  for (let from = 0; from < N; from += INSERT_BATCH) {
    const apps: object[] = [];
    const decs: object[] = [];
    for (let i = from; i < Math.min(N, from + INSERT_BATCH); i++) {
      const { survey, request, market } = perturbed(i);
      const list = market === 'majiayan' ? byMarket.majiayan : byMarket.kaien;
      const merchant = list[i % list.length] as (typeof list)[number];
      const op = operatorOf(merchant.marketId);
      const at = new Date(start + i * 60_000).toISOString();
      const context: DecisionContext = {
        operator: {
          agreementStatus: op.agreementStatus,
          perMerchantCap: op.perMerchantCap,
          available: op.capacity,
          maxTermMonths: op.maxTermMonths,
          depositRatioBps: op.depositRatioBps,
        },
        guaranteeGroup: null,
        leaseRemainingMonths: monthsUntil(new Date(at), merchant.leaseEndsOn),
        override: null,
      };
      const d = decide(survey, request, champion, context);
      const id = `app_bench${String(i).padStart(7, '0')}`;
      apps.push({
        id,
        merchant_id: merchant.id,
        market_id: merchant.marketId,
        status:
          d.outcome === 'approve' ? 'approved' : d.outcome === 'refer' ? 'referred' : 'declined',
        product: request.product,
        amount: request.amount,
        term_months: request.termMonths,
        purpose: request.purpose,
        survey,
        created_at: at,
      });
      decs.push({
        id: `dec_bench${String(i).padStart(7, '0')}`,
        application_id: id,
        outcome: d.outcome,
        score: d.score,
        grade: d.grade,
        result: { ...d, offers: d.offers.map((o) => ({ ...o, schedule: [] })) },
        context,
        created_at: at,
      });
    }
    // One JSON document per batch and statement: PostgreSQL parses it far faster than a text[]
    // of escaped JSON strings.
    await client.query(
      `insert into applications (id, merchant_id, market_id, submitted_by, status, product, amount,
         term_months, purpose, survey, created_at, updated_at)
       select id, merchant_id, market_id, 'bench', status, product, amount, term_months, purpose,
              survey, created_at, created_at
       from jsonb_to_recordset($1::jsonb) as t(id text, merchant_id text, market_id text,
         status text, product text, amount bigint, term_months int, purpose text, survey jsonb,
         created_at timestamptz)`,
      [JSON.stringify(apps)],
    );
    await client.query(
      `insert into decisions (id, application_id, policy_id, policy_version, arm, source, outcome,
         score, grade, result, context, decided_by, created_at)
       select id, application_id, $1, $2, 'champion', 'model', outcome, score, grade, result,
              context, 'model', created_at
       from jsonb_to_recordset($3::jsonb) as t(id text, application_id text, outcome text,
         score int, grade text, result jsonb, context jsonb, created_at timestamptz)`,
      [championRow.id, championRow.version, JSON.stringify(decs)],
    );
  }
  await client.query('analyze applications');
  await client.query('analyze decisions');
  await client.end();
  const seedSeconds = (performance.now() - seedStart) / 1000;
  console.log(`seeded ${N} applications + model decisions in ${seedSeconds.toFixed(1)} s`);

  // --- a draft: the default policy with a stricter approve cutoff -----------------------------
  const draft = structuredClone(defaultPolicyDocument) as typeof defaultPolicyDocument;
  draft.version = 2;
  draft.name = 'bench: approve cutoff +10';
  draft.outcomes.approveMinScore += 10;
  const draftId = 'pol_bench_strict';
  await database.db
    .insert(policies)
    .values({ id: draftId, version: 2, status: 'draft', document: draft, createdBy: 'bench' });

  // --- the service function the route calls ------------------------------------------------
  const deps = { db: database.db, policies: new PolicyCache(database.db, 5_000) };
  const line = (label: string, count: number, ms: number) =>
    console.log(
      `${label.padEnd(28)} ${String(count).padStart(7)} applications  ${(ms / 1000).toFixed(2)} s  ${Math.round(
        count / (ms / 1000),
      ).toLocaleString('en-US')} applications/s (x2 decisions each)`,
    );
  let result = await simulatePolicy(deps, draftId);
  for (let run = 1; run <= 2; run++) {
    const t0 = performance.now();
    result = await simulatePolicy(deps, draftId);
    line(`service, run ${run}`, result.count, performance.now() - t0);
  }
  if (result.count !== N) throw new Error(`simulated ${result.count}, expected ${N}`);

  // --- and through HTTP ------------------------------------------------------------------------
  const app = await buildApp({
    config: loadConfig({
      NODE_ENV: 'production',
      PII_DIGEST_KEY: 'bench-pii-digest-key-0123456789abcdef',
      WEBHOOK_SECRET_KEY: 'bench-webhook-secret-key-0123456789abcdef',
      LOG_LEVEL: 'silent',
      DATABASE_URL: dbUrl,
      ADMIN_API_KEY: ADMIN_KEY,
      OFFER_EXPIRY_INTERVAL_MS: '0',
    }),
    database,
  });
  await app.ready();
  const t0 = performance.now();
  const res = await app.inject({
    method: 'POST',
    url: `/v1/policies/${draftId}/simulate`,
    headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
    payload: {},
  });
  const ms = performance.now() - t0;
  if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}: ${res.body}`);
  const body = res.json() as typeof result;
  line('POST .../simulate (inject)', body.count, ms);
  await app.close();

  const o = body.outcomes;
  console.log(
    `\ndraft ${draftId} v2 (approve >= ${draft.outcomes.approveMinScore}) against ${body.against.id} v${body.against.version}:`,
  );
  console.log(
    `  approve ${o.approve.count} (${(o.approve.rate * 100).toFixed(1)}%), refer ${o.refer.count} (${(o.refer.rate * 100).toFixed(1)}%), decline ${o.decline.count} (${(o.decline.rate * 100).toFixed(1)}%)`,
  );
  const swaps = Object.entries(body.swaps)
    .filter(([, s]) => s.count > 0)
    .map(([k, s]) => `${k} ${s.count}`)
    .join(', ');
  console.log(`  swaps: ${swaps || 'none'}`);
  console.log(`  expected loss ${(body.expectedLoss / 100).toLocaleString('en-US')} 元`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
