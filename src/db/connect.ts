import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { Pool } from 'pg';
import { isDatabaseUnavailable } from './database-errors';
import { applyMigrations } from './migrate';
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
   * named prepared statement (parsed and planned once per connection, sent as Bind/Execute)
   * unless prepared statements are off.
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

export interface ConnectOptions {
  /** postgres:// URL; absent means embedded PGlite. */
  url?: string;
  /** PGlite data folder, or 'memory' for a throwaway database. */
  dataDir?: string;
  /**
   * PGlite in memory: start from this data directory (a `dumpDataDir()` tarball) instead of
   * running initdb. The tests load one migrated snapshot per file this way.
   */
  loadDataDir?: Blob;
  poolMax?: number;
  /** PostgreSQL: a query without an answer this long fails (503), and its connection is dropped. */
  queryTimeoutMs?: number;
  /**
   * PostgreSQL: named prepared statements (default true). Off behind a transaction-mode pooler
   * (PgBouncer before 1.21), which runs each transaction on any server connection: a statement
   * prepared on one is missing on the next ("does not exist") or already there ("exists").
   */
  preparedStatements?: boolean;
  /** PostgreSQL: a direct URL for migrations (past the pooler); absent means `url`. */
  migrationUrl?: string;
}

export async function connect(options: ConnectOptions): Promise<Database> {
  return options.url
    ? connectPostgres(options.url, {
        poolMax: options.poolMax ?? 20,
        queryTimeoutMs: options.queryTimeoutMs ?? 30_000,
        preparedStatements: options.preparedStatements ?? true,
        migrationUrl: options.migrationUrl ?? options.url,
      })
    : connectPglite(options.dataDir ?? 'memory', options.loadDataDir);
}

/** A query config (drizzle's prepared queries are plain objects) without its statement name. */
const unnamed = (query: unknown) =>
  query && typeof query === 'object' && 'name' in query && !('submit' in query)
    ? { ...query, name: undefined }
    : query;

const isBegin = (query: unknown) => {
  const text = typeof query === 'string' ? query : (query as { text?: unknown } | null)?.text;
  return typeof text === 'string' && /^\s*begin\b/i.test(text);
};

async function connectPostgres(
  url: string,
  options: {
    poolMax: number;
    queryTimeoutMs: number;
    preparedStatements: boolean;
    migrationUrl: string;
  },
): Promise<Database> {
  const { Client, Pool } = await import('pg');
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const { poolMax, queryTimeoutMs, preparedStatements } = options;
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
      // Every named statement (drizzle's .prepare(name) and run() alike) sent unnamed instead.
      if (!preparedStatements) args[0] = unnamed(args[0]);
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
      // Its own connection: no pool query timeout (a migration may wait for another instance's).
      const client = new Client({ connectionString: options.migrationUrl });
      client.on('error', () => {});
      await client.connect();
      try {
        await applyMigrations(
          { query: async (text, values) => (await client.query(text, values)).rows },
          MIGRATIONS_FOLDER,
        );
      } finally {
        await client.end().catch(() => {});
      }
    },
    async close() {
      await pool.end();
    },
  };
}

async function connectPglite(dataDir: string, loadDataDir?: Blob): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  let client: PGlite;
  if (dataDir === 'memory') {
    client = new PGlite(loadDataDir ? { loadDataDir } : undefined);
  } else {
    if (loadDataDir) throw new Error('loadDataDir is for an in-memory PGlite only');
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
      // One connection, so no race is possible; the same runner keeps the code path the same.
      await applyMigrations(
        {
          // Without values a migration chunk may hold several statements: the simple protocol.
          query: async (text, values) =>
            values
              ? (await client.query<Record<string, unknown>>(text, values)).rows
              : ((await client.exec(text)).at(-1)?.rows ?? []),
        },
        MIGRATIONS_FOLDER,
      );
    },
    async close() {
      await client.close();
    },
  };
}
