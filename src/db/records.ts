import { getTableColumns, type Table } from 'drizzle-orm';

/**
 * A row as a JSON object keyed by SQL column names, for `jsonb_populate_record(null::table, $n)`:
 * every column is present (absent values become null, so a missing NOT NULL value fails loudly),
 * times are ISO strings and JSON columns nest as they are.
 */
export function toRecord<T extends Table>(
  table: T,
  values: Partial<T['$inferInsert']>,
): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  const given = values as Record<string, unknown>;
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    const value = given[key];
    record[column.name] = value instanceof Date ? value.toISOString() : (value ?? null);
  }
  return record;
}
