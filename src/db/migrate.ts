import { readMigrationFiles } from 'drizzle-orm/migrator';

/** Any fixed 64-bit number: instances starting together queue on it while migrating. */
export const MIGRATION_LOCK_KEY = 7_204_118_301;

/** One connection's queries, whichever driver: rows for a statement with or without values. */
export interface MigrationSession {
  query(text: string, values?: unknown[]): Promise<Record<string, unknown>[]>;
}

/**
 * Applies the pending migrations in ONE transaction that first takes a transaction-scoped
 * advisory lock. A session lock (pg_advisory_lock) does not hold behind a transaction-mode
 * pooler, where each statement may run on another server connection; a transaction keeps one.
 * The bookkeeping table is drizzle-kit's own (drizzle.__drizzle_migrations, newest created_at
 * wins), so databases migrated before this runner carry on where they were.
 */
export async function applyMigrations(session: MigrationSession, folder: string): Promise<number> {
  const migrations = readMigrationFiles({ migrationsFolder: folder });
  await session.query('begin');
  try {
    await session.query(`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`);
    await session.query('create schema if not exists drizzle');
    await session.query(
      'create table if not exists drizzle.__drizzle_migrations (id serial primary key, hash text not null, created_at bigint)',
    );
    const [last] = await session.query(
      'select created_at from drizzle.__drizzle_migrations order by created_at desc limit 1',
    );
    const appliedUpTo = last ? Number(last.created_at) : Number.NEGATIVE_INFINITY;
    let applied = 0;
    for (const migration of migrations) {
      if (migration.folderMillis <= appliedUpTo) continue;
      for (const statement of migration.sql) {
        if (statement.trim()) await session.query(statement);
      }
      await session.query(
        'insert into drizzle.__drizzle_migrations (hash, created_at) values ($1, $2)',
        [migration.hash, migration.folderMillis],
      );
      applied++;
    }
    await session.query('commit');
    return applied;
  } catch (err) {
    await session.query('rollback').catch(() => {});
    throw err;
  }
}
