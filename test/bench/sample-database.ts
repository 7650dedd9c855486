/**
 * For the write benches: a scratch database on the server at DATABASE_URL, migrated, with the
 * demo markets and the survey sample's 200 merchants, and the app in-process on it.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import sample from '../../fixtures/survey-sample.json';
import { buildApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { connect, type Database } from '../../src/db/connect';
import { demoMarkets } from '../../src/db/demo-data';
import { merchants } from '../../src/db/schema';
import { ensureDefaultPolicy, seedDemoData } from '../../src/db/seed';

export const BASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export async function query<T>(url: string, text: string): Promise<T[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text)).rows as T[];
  } finally {
    await c.end();
  }
}

export const dbUrl = (name: string) => {
  const u = new URL(BASE_URL);
  u.pathname = `/${name}`;
  return u.toString();
};

type SampleMerchant = (typeof sample.merchants)[number];
const sampleOf = (i: number) => sample.merchants[i % sample.merchants.length] as SampleMerchant;

/** `count` merchants `mer_<prefix>_<i>`, each a borrower of its own, in the sample's markets in turn. */
export function sampleMerchants(prefix: string, count: number) {
  return Array.from({ length: count }, (_, i) => ({
    id: `mer_${prefix}_${i}`,
    name: `Sample merchant ${i}`,
    idNumberDigest: `${prefix}-id-${i}`,
    idNumberMasked: '5001**********0000',
    phoneDigest: `${prefix}-phone-${i}`,
    phoneMasked: '139****0000',
    marketId:
      sampleOf(i).market === 'majiayan'
        ? (demoMarkets[0]?.id as string)
        : (demoMarkets[1]?.id as string),
    stallNo: `S-${i}`,
    leaseEndsOn: '2030-12-31',
    createdAt: new Date(),
  }));
}

/** The application of merchant `mer_<prefix>_<i>`: the sample's survey and request in turn. */
export function sampleBody(prefix: string, i: number) {
  const m = sampleOf(i);
  return {
    merchantId: `mer_${prefix}_${i}`,
    survey: m.survey,
    request: m.request ?? {
      product: 'any',
      amount: 20_000_000,
      termMonths: 12,
      purpose: 'short_term_turnover',
    },
  };
}

/** Creates, migrates and seeds `name`; the caller drops it. */
export async function sampleDatabase(name: string): Promise<{ url: string; database: Database }> {
  await query(BASE_URL, `create database ${name}`);
  const url = dbUrl(name);
  const database = await connect({ url, poolMax: 1 });
  await database.migrate();
  await ensureDefaultPolicy(database.db, new Date());
  await seedDemoData(database.db, {
    clock: () => new Date(),
    piiDigestKey: 'cost-digest-key-0123',
    demoKeys: false,
  });
  await database.db.insert(merchants).values(sampleMerchants('cost', sample.merchants.length));
  return { url, database };
}

export const dropDatabase = (name: string) =>
  query(BASE_URL, `drop database if exists ${name} with (force)`);

/** The app in-process on `database`, with an admin key, and the sample's 200 application bodies. */
export async function sampleApp(database: Database) {
  const adminKey = `cost-admin-${randomBytes(12).toString('hex')}`;
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    ADMIN_API_KEY: adminKey,
    RATE_LIMIT_MAX: '1000000',
    OFFER_EXPIRY_INTERVAL_MS: '0',
  });
  const app = await buildApp({ config, database });
  await app.ready();
  const bodies = sample.merchants.map((_, i) => sampleBody('cost', i));
  const submit = (body: unknown, key: string) =>
    app.inject({
      method: 'POST',
      url: '/v1/applications',
      headers: { authorization: `Bearer ${adminKey}`, 'idempotency-key': key },
      payload: body as Record<string, unknown>,
    });
  return { app, bodies, submit };
}
