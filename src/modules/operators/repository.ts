import { and, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/connect';
import { newestFirst } from '../../db/keyset';
import { markets, operators } from '../../db/schema';
import type { Cursor } from '../../lib/cursor';
import type { Principal } from '../../lib/principal';

export type OperatorRow = typeof operators.$inferSelect;
export type OperatorChange = Partial<
  Pick<
    OperatorRow,
    'capacity' | 'perMerchantCap' | 'maxTermMonths' | 'depositRatioBps' | 'agreementStatus'
  >
>;

export async function insertOperator(
  db: Db,
  row: typeof operators.$inferInsert,
): Promise<OperatorRow> {
  const [inserted] = await db.insert(operators).values(row).returning();
  if (!inserted) throw new Error('insert returned no row');
  return inserted;
}

export async function findOperator(
  db: Db,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<OperatorRow | undefined> {
  const q = db.select().from(operators).where(eq(operators.id, id)).limit(1);
  const [row] = options.forUpdate ? await q.for('update') : await q;
  return row;
}

/**
 * An officer sees the operators of its own markets only (their capacity is another market's
 * business); every other role sees all. Undefined: no restriction.
 */
export function operatorsVisibleTo(principal: Principal): SQL | undefined {
  if (principal.role !== 'officer') return undefined;
  if (principal.marketIds.length === 0) return sql`false`;
  return sql`${operators.id} in (select ${markets.operatorId} from ${markets} where ${inArray(markets.id, principal.marketIds)})`;
}

export async function findVisibleOperator(
  db: Db,
  id: string,
  principal: Principal,
): Promise<OperatorRow | undefined> {
  const [row] = await db
    .select()
    .from(operators)
    .where(and(eq(operators.id, id), operatorsVisibleTo(principal)))
    .limit(1);
  return row;
}

export async function listOperators(
  db: Db,
  principal: Principal,
  limit: number,
  after: Cursor | null,
): Promise<OperatorRow[]> {
  const page = newestFirst(operators.createdAt, operators.id, after);
  return db
    .select()
    .from(operators)
    .where(and(operatorsVisibleTo(principal), page.after))
    .orderBy(...page.order)
    .limit(limit);
}

export async function updateOperator(
  db: Db,
  id: string,
  change: OperatorChange,
): Promise<OperatorRow> {
  const [row] = await db.update(operators).set(change).where(eq(operators.id, id)).returning();
  if (!row) throw new Error('update returned no row');
  return row;
}

/**
 * Guarantee capacity an offer held: `release` gives it back to available, `use` turns it into
 * use (the loan was taken). Holding capacity is part of origination's one decision write
 * (origination/repository.ts `recordDecision`), a conditional UPDATE inside that statement.
 */
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
