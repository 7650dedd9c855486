import { and, desc, eq, lt, or, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Cursor } from '../lib/cursor';

/**
 * Every list is newest first over (created_at, id), keyset-paged so that a page never shifts
 * under concurrent inserts: the condition for rows after a cursor, and the order to read them.
 */
export function newestFirst(
  createdAt: AnyPgColumn,
  id: AnyPgColumn,
  after: Cursor | null,
): { after: SQL | undefined; order: [SQL, SQL] } {
  return {
    after: after
      ? or(lt(createdAt, after.createdAt), and(eq(createdAt, after.createdAt), lt(id, after.id)))
      : undefined,
    order: [desc(createdAt), desc(id)],
  };
}
