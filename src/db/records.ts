import { getTableColumns, type Table } from 'drizzle-orm';

/** [property, SQL column name] of each table, read once: toRecord runs on the hot path. */
const columnNames = new WeakMap<Table, [string, string][]>();

function namesOf(table: Table): [string, string][] {
  let names = columnNames.get(table);
  if (!names) {
    names = Object.entries(getTableColumns(table)).map(([key, column]) => [key, column.name]);
    columnNames.set(table, names);
  }
  return names;
}

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
  for (const [key, name] of namesOf(table)) {
    const value = given[key];
    record[name] = value instanceof Date ? value.toISOString() : (value ?? null);
  }
  return record;
}
