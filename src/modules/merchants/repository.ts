import { and, eq, ilike, inArray, or, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/connect';
import { newestFirst } from '../../db/keyset';
import { markets, merchantPartnerLinks, merchants } from '../../db/schema';
import type { Cursor } from '../../lib/cursor';
import type { Principal } from '../../lib/principal';
import { visibleTo } from './access';

export type MerchantRow = typeof merchants.$inferSelect;
export type MerchantLinkRow = typeof merchantPartnerLinks.$inferSelect;
/** A merchant as one caller reaches it: a partner through its own link, others directly. */
export interface MerchantRecord {
  merchant: MerchantRow;
  link: MerchantLinkRow | null;
}

export async function insertMerchant(
  db: Db,
  row: typeof merchants.$inferInsert,
): Promise<MerchantRow> {
  const [inserted] = await db.insert(merchants).values(row).returning();
  if (!inserted) throw new Error('insert returned no row');
  return inserted;
}

export async function insertLink(db: Db, row: MerchantLinkRow): Promise<MerchantLinkRow> {
  const [inserted] = await db.insert(merchantPartnerLinks).values(row).returning();
  if (!inserted) throw new Error('insert returned no row');
  return inserted;
}

/** The caller's partner, whose link is joined; null for the bank's own roles. */
const linkedPartnerOf = (principal: Principal) =>
  principal.role === 'partner' ? (principal.partnerId ?? '') : null;

const linkJoin = (partnerId: string) =>
  and(
    eq(merchantPartnerLinks.merchantId, merchants.id),
    eq(merchantPartnerLinks.partnerId, partnerId),
  );

/** Merchants by id with the caller's link, if the caller is a partner and has one. */
export async function findMerchantsFor(
  db: Db,
  ids: string[],
  principal: Principal,
): Promise<MerchantRecord[]> {
  if (ids.length === 0) return [];
  const partnerId = linkedPartnerOf(principal);
  if (partnerId === null) {
    const rows = await db.select().from(merchants).where(inArray(merchants.id, ids));
    return rows.map((merchant) => ({ merchant, link: null }));
  }
  return db
    .select({ merchant: merchants, link: merchantPartnerLinks })
    .from(merchants)
    .leftJoin(merchantPartnerLinks, linkJoin(partnerId))
    .where(inArray(merchants.id, ids));
}

export async function findMerchantFor(
  db: Db,
  id: string,
  principal: Principal,
): Promise<MerchantRecord | undefined> {
  const [record] = await findMerchantsFor(db, [id], principal);
  return record;
}

export async function findLink(
  db: Db,
  merchantId: string,
  partnerId: string,
): Promise<MerchantLinkRow | undefined> {
  const [row] = await db
    .select()
    .from(merchantPartnerLinks)
    .where(
      and(
        eq(merchantPartnerLinks.merchantId, merchantId),
        eq(merchantPartnerLinks.partnerId, partnerId),
      ),
    )
    .limit(1);
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

/** What a search looks for: a person by digest, or a piece of a name or stall number. */
export type MerchantSearch =
  | { kind: 'idNumber'; digest: string }
  | { kind: 'phone'; digest: string }
  | { kind: 'text'; text: string };

export interface MerchantFilter {
  marketId?: string;
  search?: MerchantSearch;
}

function searchCondition(search: MerchantSearch | undefined): SQL | undefined {
  if (!search) return undefined;
  if (search.kind === 'idNumber') return eq(merchants.idNumberDigest, search.digest);
  if (search.kind === 'phone') return eq(merchants.phoneDigest, search.digest);
  // LIKE's own wildcards in the text are matched literally (backslash is LIKE's escape).
  const pattern = `%${search.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return or(ilike(merchants.name, pattern), ilike(merchants.stallNo, pattern));
}

/**
 * One page of the merchants the caller sees, newest first: a partner's are those it linked
 * (ordered by when it linked them), an officer's those of its markets, everyone else's all.
 */
export async function listMerchants(
  db: Db,
  principal: Principal,
  filter: MerchantFilter,
  limit: number,
  after: Cursor | null,
): Promise<MerchantRecord[]> {
  const partnerId = linkedPartnerOf(principal);
  const market = and(
    filter.marketId ? eq(merchants.marketId, filter.marketId) : undefined,
    searchCondition(filter.search),
  );
  if (partnerId !== null) {
    const linked = newestFirst(
      merchantPartnerLinks.createdAt,
      merchantPartnerLinks.merchantId,
      after,
    );
    const rows = await db
      .select({ merchant: merchants, link: merchantPartnerLinks })
      .from(merchantPartnerLinks)
      .innerJoin(merchants, eq(merchants.id, merchantPartnerLinks.merchantId))
      .where(and(eq(merchantPartnerLinks.partnerId, partnerId), market, linked.after))
      .orderBy(...linked.order)
      .limit(limit);
    return rows;
  }
  const page = newestFirst(merchants.createdAt, merchants.id, after);
  const rows = await db
    .select()
    .from(merchants)
    .where(
      and(
        visibleTo(principal, { marketId: merchants.marketId, partnerId: merchants.partnerId }),
        market,
        page.after,
      ),
    )
    .orderBy(...page.order)
    .limit(limit);
  return rows.map((merchant) => ({ merchant, link: null }));
}
