import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/connect';
import { newestFirst } from '../../db/keyset';
import { markets, operators } from '../../db/schema';
import type { Cursor } from '../../lib/cursor';
import type { Principal } from '../../lib/principal';
import { marketFilter } from './access';

export type MarketRow = typeof markets.$inferSelect;

export async function insertMarket(db: Db, row: typeof markets.$inferInsert): Promise<MarketRow> {
  const [inserted] = await db.insert(markets).values(row).returning();
  if (!inserted) throw new Error('insert returned no row');
  return inserted;
}

export async function findMarket(db: Db, id: string): Promise<MarketRow | undefined> {
  const [row] = await db.select().from(markets).where(eq(markets.id, id)).limit(1);
  return row;
}

export async function operatorExists(db: Db, id: string): Promise<boolean> {
  const rows = await db
    .select({ id: operators.id })
    .from(operators)
    .where(eq(operators.id, id))
    .limit(1);
  return rows.length > 0;
}

export async function listMarkets(
  db: Db,
  limit: number,
  after: Cursor | null,
  principal: Principal,
): Promise<MarketRow[]> {
  const page = newestFirst(markets.createdAt, markets.id, after);
  return db
    .select()
    .from(markets)
    .where(and(marketFilter(principal, markets.id), page.after))
    .orderBy(...page.order)
    .limit(limit);
}
