import { and, desc, eq, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/connect';
import { markets, merchants } from '../../db/schema';
import type { Cursor } from '../../lib/cursor';
import type { Principal } from '../../platform/auth';
import { visibleTo } from './access';

export type MerchantRow = typeof merchants.$inferSelect;

export async function insertMerchant(
  db: Db,
  row: typeof merchants.$inferInsert,
): Promise<MerchantRow> {
  const [inserted] = await db.insert(merchants).values(row).returning();
  if (!inserted) throw new Error('insert returned no row');
  return inserted;
}

export async function findMerchant(db: Db, id: string): Promise<MerchantRow | undefined> {
  const [row] = await db.select().from(merchants).where(eq(merchants.id, id)).limit(1);
  return row;
}

export async function marketExists(db: Db, id: string): Promise<boolean> {
  const rows = await db.select({ id: markets.id }).from(markets).where(eq(markets.id, id)).limit(1);
  return rows.length > 0;
}

/**
 * Serialises registrations of one identity in one market until the transaction ends, so two
 * concurrent requests cannot both pass the duplicate check (there is no unique index on
 * (market_id, id_number_digest)).
 */
export async function lockIdentity(db: Db, marketId: string, idNumberDigest: string) {
  await db.execute(
    sql`select pg_advisory_xact_lock(hashtextextended(${`merchant:${marketId}:${idNumberDigest}`}, 0))`,
  );
}

export async function findByIdentity(
  db: Db,
  marketId: string,
  idNumberDigest: string,
): Promise<MerchantRow | undefined> {
  const [row] = await db
    .select()
    .from(merchants)
    .where(and(eq(merchants.marketId, marketId), eq(merchants.idNumberDigest, idNumberDigest)))
    .limit(1);
  return row;
}

export async function listMerchants(
  db: Db,
  principal: Principal,
  filter: { marketId?: string },
  limit: number,
  after: Cursor | null,
): Promise<MerchantRow[]> {
  const keyset = after
    ? or(
        lt(merchants.createdAt, after.createdAt),
        and(eq(merchants.createdAt, after.createdAt), lt(merchants.id, after.id)),
      )
    : undefined;
  return db
    .select()
    .from(merchants)
    .where(
      and(
        visibleTo(principal, { marketId: merchants.marketId, partnerId: merchants.partnerId }),
        filter.marketId ? eq(merchants.marketId, filter.marketId) : undefined,
        keyset,
      ),
    )
    .orderBy(desc(merchants.createdAt), desc(merchants.id))
    .limit(limit);
}
