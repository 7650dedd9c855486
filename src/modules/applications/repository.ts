import { and, desc, eq, gte, inArray, lt, or, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/connect';
import {
  applications,
  decisions,
  guaranteeGroupMembers,
  guaranteeGroups,
  markets,
  merchantPartnerLinks,
  merchants,
  offers,
  operators,
} from '../../db/schema';
import type { Cursor } from '../../lib/cursor';

export type ApplicationRow = typeof applications.$inferSelect;
export type DecisionRow = typeof decisions.$inferSelect;
export type OfferRow = typeof offers.$inferSelect;
export type OperatorRow = typeof operators.$inferSelect;
export type MerchantRow = typeof merchants.$inferSelect;

function applicantQuery(db: Db) {
  return db
    .select({
      merchant: merchants,
      operator: operators,
      groupStatus: guaranteeGroups.status,
      groupMarketId: guaranteeGroups.marketId,
      memberActive: guaranteeGroupMembers.active,
      /** The calling partner's link to the merchant, if it has one (partners see only linked merchants). */
      linkedPartnerId: sql<
        string | null
      >`(select ${merchantPartnerLinks.partnerId} from ${merchantPartnerLinks} where ${merchantPartnerLinks.merchantId} = ${merchants.id} and ${merchantPartnerLinks.partnerId} = ${sql.placeholder('partnerId')})`,
    })
    .from(merchants)
    .innerJoin(markets, eq(markets.id, merchants.marketId))
    .leftJoin(operators, eq(operators.id, markets.operatorId))
    .leftJoin(guaranteeGroups, eq(guaranteeGroups.id, sql.placeholder('groupId')))
    .leftJoin(
      guaranteeGroupMembers,
      and(
        eq(guaranteeGroupMembers.groupId, guaranteeGroups.id),
        eq(guaranteeGroupMembers.merchantId, merchants.id),
      ),
    )
    .where(eq(merchants.id, sql.placeholder('merchantId')))
    .limit(1)
    .prepare('load_applicant_v2');
}

/** Built once per database handle: the hot path neither rebuilds nor re-plans this join. */
const applicantQueries = new WeakMap<Db, ReturnType<typeof applicantQuery>>();

/**
 * The merchant, its market's operator and (if named) its guarantee-group membership, in one
 * query. A retry with a used Idempotency-Key is found out by the write (its key collides).
 */
export async function loadApplicant(
  db: Db,
  merchantId: string,
  groupId: string | null,
  partnerId: string | null,
) {
  let query = applicantQueries.get(db);
  if (!query) {
    query = applicantQuery(db);
    applicantQueries.set(db, query);
  }
  const [row] = await query.execute({
    merchantId,
    groupId: groupId ?? '',
    partnerId: partnerId ?? '',
  });
  return row;
}

export async function findApplication(db: Db, id: string): Promise<ApplicationRow | undefined> {
  const [row] = await db.select().from(applications).where(eq(applications.id, id)).limit(1);
  return row;
}

export async function findApplicationForUpdate(
  db: Db,
  id: string,
): Promise<ApplicationRow | undefined> {
  const [row] = await db
    .select()
    .from(applications)
    .where(eq(applications.id, id))
    .limit(1)
    .for('update');
  return row;
}

/** The latest decision of each application (a review decision supersedes the model's). */
export async function latestDecisions(
  db: Db,
  applicationIds: string[],
): Promise<Map<string, DecisionRow>> {
  if (applicationIds.length === 0) return new Map();
  const rows = await db
    .select()
    .from(decisions)
    .where(inArray(decisions.applicationId, applicationIds))
    .orderBy(decisions.createdAt, decisions.id);
  const latest = new Map<string, DecisionRow>();
  for (const r of rows) latest.set(r.applicationId, r);
  return latest;
}

export async function offersOf(db: Db, applicationIds: string[]): Promise<OfferRow[]> {
  if (applicationIds.length === 0) return [];
  return db
    .select()
    .from(offers)
    .where(inArray(offers.applicationId, applicationIds))
    .orderBy(offers.createdAt, offers.id);
}

export interface ApplicationFilter {
  visibility?: SQL;
  status?: string;
  marketId?: string;
  product?: string;
  since?: Date;
}

export async function listApplications(
  db: Db,
  filter: ApplicationFilter,
  limit: number,
  after: Cursor | null,
) {
  const conditions = [
    filter.visibility,
    filter.status ? eq(applications.status, filter.status as ApplicationRow['status']) : undefined,
    filter.marketId ? eq(applications.marketId, filter.marketId) : undefined,
    filter.product ? eq(applications.product, filter.product) : undefined,
    filter.since ? gte(applications.createdAt, filter.since) : undefined,
    after
      ? or(
          lt(applications.createdAt, after.createdAt),
          and(eq(applications.createdAt, after.createdAt), lt(applications.id, after.id)),
        )
      : undefined,
  ];
  return db
    .select()
    .from(applications)
    .where(and(...conditions))
    .orderBy(desc(applications.createdAt), desc(applications.id))
    .limit(limit);
}

/**
 * Holds guarantee capacity for an offer, only if it is there: the check and the change are one
 * statement, so concurrent offers can never oversubscribe the operator.
 */
export async function reserveCapacity(
  db: Db,
  operatorId: string,
  amount: number,
): Promise<boolean> {
  const rows = await db
    .update(operators)
    .set({ reserved: sql`${operators.reserved} + ${amount}` })
    .where(
      and(
        eq(operators.id, operatorId),
        eq(operators.agreementStatus, 'active'),
        sql`${operators.capacity} - ${operators.used} - ${operators.reserved} >= ${amount}`,
      ),
    )
    .returning({ id: operators.id });
  return rows.length === 1;
}

/** Moves capacity: `release` from reserved back to available, `use` from reserved to used. */
export async function settleCapacity(
  db: Db,
  operatorId: string,
  amount: number,
  how: 'release' | 'use',
) {
  if (amount <= 0) return;
  await db
    .update(operators)
    .set(
      how === 'use'
        ? {
            reserved: sql`${operators.reserved} - ${amount}`,
            used: sql`${operators.used} + ${amount}`,
          }
        : { reserved: sql`${operators.reserved} - ${amount}` },
    )
    .where(eq(operators.id, operatorId));
}

export { applications, decisions, offers };
