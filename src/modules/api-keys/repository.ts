import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../../db/connect';
import { newestFirst } from '../../db/keyset';
import { apiKeys, markets } from '../../db/schema';
import type { Cursor } from '../../lib/cursor';

export type ApiKeyRow = typeof apiKeys.$inferSelect;

export async function insertApiKey(db: Db, row: typeof apiKeys.$inferInsert): Promise<ApiKeyRow> {
  const [inserted] = await db.insert(apiKeys).values(row).returning();
  if (!inserted) throw new Error('insert returned no row');
  return inserted;
}

export async function listApiKeys(
  db: Db,
  limit: number,
  after: Cursor | null,
): Promise<ApiKeyRow[]> {
  const page = newestFirst(apiKeys.createdAt, apiKeys.id, after);
  return db
    .select()
    .from(apiKeys)
    .where(page.after)
    .orderBy(...page.order)
    .limit(limit);
}

export async function revokeApiKey(db: Db, id: string, at: Date): Promise<ApiKeyRow | undefined> {
  const [row] = await db
    .update(apiKeys)
    .set({ revokedAt: at })
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .returning();
  return row ?? (await db.select().from(apiKeys).where(eq(apiKeys.id, id)).limit(1))[0];
}

/** The person a stored key belongs to (keys are revoked, never deleted). */
export async function ownerOfKey(db: Db, id: string): Promise<string | undefined> {
  const [row] = await db
    .select({ owner: apiKeys.owner })
    .from(apiKeys)
    .where(eq(apiKeys.id, id))
    .limit(1);
  return row?.owner;
}

export async function existingMarketIds(db: Db, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.select({ id: markets.id }).from(markets).where(inArray(markets.id, ids));
  return new Set(rows.map((r) => r.id));
}
