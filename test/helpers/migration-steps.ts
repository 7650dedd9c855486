import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { MIGRATIONS_FOLDER } from '../../src/db/connect';
import type { TestDatabase } from './test-database';

/** Migration tags in the order they apply, e.g. `0005_merchant_partner_links`. */
export const migrationTags = () =>
  readdirSync(MIGRATIONS_FOLDER)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => f.replace(/\.sql$/, ''));

/** Runs one migration file's statements, as the migrator would. */
export async function applyMigration(t: TestDatabase, tag: string) {
  const text = readFileSync(path.join(MIGRATIONS_FOLDER, `${tag}.sql`), 'utf8');
  for (const statement of text.split('--> statement-breakpoint')) {
    if (statement.trim()) await t.database.db.execute(sql.raw(statement));
  }
}

/** Every migration before the one tagged, to set up the data it must carry over. */
export async function applyMigrationsBefore(t: TestDatabase, tag: string) {
  const tags = migrationTags();
  const end = tags.indexOf(tag);
  if (end < 0) throw new Error(`no migration ${tag}`);
  for (const earlier of tags.slice(0, end)) await applyMigration(t, earlier);
}

export const rowsOf = async (t: TestDatabase, query: ReturnType<typeof sql>) =>
  ((await t.database.db.execute(query)) as unknown as { rows: Record<string, unknown>[] }).rows;
