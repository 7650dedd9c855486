import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { Pool } from 'pg';
import { isDatabaseUnavailable } from '../platform/database-errors';
import * as schema from './schema';

/** One handle type for both drivers, so repositories never care which one runs. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Cheap round trip for readiness checks. */
  ping(): Promise<void>;
  /**
   * One hand-written statement outside any transaction, for the hot path: on PostgreSQL a
   * named prepared statement (parsed and planned once per connection, sent as Bind/Execute).
   */
  run<T>(statement: NamedStatement, values: unknown[]): Promise<T[]>;
  migrate(): Promise<void>;
  close(): Promise<void>;
}

/** A fixed SQL text with $1..$n parameters and a name unique to that text. */
export interface NamedStatement {
  name: string;
  text: string;
}

export const MIGRATIONS_FOLDER = path.resolve(__dirname, '../../migrations');
/** Any fixed 64-bit number: instances starting together queue on it while migrating. */
const MIGRATION_LOCK_KEY = 7_204_118_301;

export interface ConnectOptions {
  /** postgres:// URL; absent means embedded PGlite. */
  url?: string;
  /** PGlite data folder, or 'memory' for a throwaway database. */
  dataDir?: string;
  poolMax?: number;
  /** PostgreSQL: a query without an answer this long fails (503), and its connection is dropped. */
  queryTimeoutMs?: number;
}

export async function connect(options: ConnectOptions): Promise<Database> {
  return options.url
    ? connectPostgres(options.url, options.poolMax ?? 20, options.queryTimeoutMs ?? 30_000)
    : connectPglite(options.dataDir ?? 'memory');
}

const isBegin = (query: unknown) => {
  const text = typeof query === 'string' ? query : (query as { text?: unknown } | null)?.text;
  return typeof text === 'string' && /^\s*begin\b/i.test(text);
};

async function connectPostgres(
  url: string,
  poolMax: number,
  queryTimeoutMs: number,
): Promise<Database> {
  const { Pool } = await import('pg');
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const { migrate } = await import('drizzle-orm/node-postgres/migrator');
  const pool: Pool = new Pool({
    connectionString: url,
    max: poolMax,
    connectionTimeoutMillis: 2_000,
    // A server that went silent (packets dropped, no reset) must not hold requests forever.
    query_timeout: queryTimeoutMs,
    keepAlive: true,
  });
  // A client whose query timed out or lost its server is never handed out again: a timed-out
  // query leaves the connection waiting for an answer that may never come.
  const broken = new WeakSet<object>();
  // An idle client that loses its server must not crash the process; the next query reports it.
  pool.on('error', () => {});
  // A checked-out client (inside a transaction) that loses its server emits 'error' too, and
  // the pool listens only to idle ones: unheard, that event would kill the process. Its query
  // rejects anyway (the request answers 503) and the pool drops the client on release.
  pool.on('connect', (client) => {
    client.on('error', () => {});
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (...args: unknown[]) => {
      const result = query(...args);
      if (result instanceof Promise)
        result.catch((err: unknown) => {
          if (!isDatabaseUnavailable(err)) return;
          broken.add(client);
          // drizzle sends BEGIN before its try/finally, so a failed BEGIN is never released:
          // release it here, or every such failure would leak a pooled connection for good.
          if (isBegin(args[0])) client.release(err as Error);
        });
      return result;
    };
  });
  pool.on('release', (err, client) => {
    if (!err && broken.has(client)) client.end().catch(() => {});
  });
  const db = drizzle(pool, { schema }) as unknown as Db;
  return {
    db,
    kind: 'postgres',
    async ping() {
      await pool.query('select 1');
    },
    async run<T>(statement: NamedStatement, values: unknown[]) {
      const result = await pool.query({ name: statement.name, text: statement.text, values });
      return result.rows as T[];
    },
    async migrate() {
      const client = await pool.connect();
      try {
        await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
        try {
          await migrate(drizzle(client), { migrationsFolder: MIGRATIONS_FOLDER });
        } finally {
          await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
        }
      } finally {
        client.release();
      }
    },
    async close() {
      await pool.end();
    },
  };
}

async function connectPglite(dataDir: string): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  let client: PGlite;
  if (dataDir === 'memory') {
    client = new PGlite();
  } else {
    mkdirSync(dataDir, { recursive: true });
    client = new PGlite(path.resolve(dataDir));
  }
  await client.waitReady;
  const db = drizzle(client, { schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    async ping() {
      await client.query('select 1');
    },
    async run<T>(statement: NamedStatement, values: unknown[]) {
      const result = await client.query<T>(statement.text, values);
      return result.rows;
    },
    async migrate() {
      // One connection, so no race is possible; the lock keeps the code path the same.
      await client.query(`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
      try {
        await migrate(drizzle(client), { migrationsFolder: MIGRATIONS_FOLDER });
      } finally {
        await client.query(`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`);
      }
    },
    async close() {
      await client.close();
    },
  };
}
