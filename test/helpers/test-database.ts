import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { connect, type Database } from '../../src/db/connect';
import { ensureDefaultPolicy } from '../../src/db/seed';
import { snapshot } from './pglite-snapshots';

/**
 * A fresh, migrated database for one test file: PGlite in memory by default, or a new
 * PostgreSQL database (dropped afterwards) on the server that DATABASE_URL names. Never the
 * user's data: the database named in the URL is only used to create and drop the scratch one.
 * Under jest, PGlite starts from the run's snapshot (test/helpers/pglite-snapshots.ts): a
 * fresh initdb for `migrate: false`, already migrated otherwise (migrate() then finds nothing
 * to apply); the default policy is installed here either way.
 */
export interface TestDatabase {
  database: Database;
  kind: 'pglite' | 'postgres';
  url?: string;
  dispose(): Promise<void>;
}

export const usingPostgres = Boolean(process.env.DATABASE_URL);

export async function createTestDatabase(
  options: { migrate?: boolean } = {},
): Promise<TestDatabase> {
  const migrate = options.migrate ?? true;
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const loadDataDir = snapshot(migrate ? 'migrated' : 'empty');
    const database = await connect({ dataDir: 'memory', loadDataDir });
    if (migrate) await prepare(database);
    return { database, kind: 'pglite', dispose: () => database.close() };
  }
  const name = `mla_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(adminUrl, `create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await connect({ url: url.toString(), poolMax: 10 });
  if (migrate) await prepare(database);
  return {
    database,
    kind: 'postgres',
    url: url.toString(),
    async dispose() {
      await database.close();
      await adminQuery(adminUrl, `drop database if exists ${name} with (force)`);
    },
  };
}

async function adminQuery(url: string, sql: string) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Migrated, with the default credit policy installed as the server does at start. */
async function prepare(database: Database) {
  await database.migrate();
  await ensureDefaultPolicy(database.db, new Date());
}
