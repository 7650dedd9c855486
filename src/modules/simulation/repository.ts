import { type SQL, sql } from 'drizzle-orm';
import type { DecisionContext, LoanRequest, Survey } from '../../credit';
import type { Db } from '../../db/connect';

/** Rows per round trip: large enough to amortise it, small enough to keep memory flat. */
export const STORED_BATCH_SIZE = 5_000;

export interface StoredFilter {
  since?: Date;
  until?: Date;
  marketId?: string;
  product?: string;
}

/** What a stored application gave the model: its survey, request and decision context. */
export interface StoredInput {
  id: string;
  survey: Survey;
  request: LoanRequest;
  context: DecisionContext;
}

interface Row {
  id: string;
  created_at: string;
  survey: Survey | string;
  product: LoanRequest['product'];
  amount: number | string;
  term_months: number;
  purpose: LoanRequest['purpose'];
  guarantee_group_id: string | null;
  context: DecisionContext | string;
}

interface Cursor {
  createdAt: string;
  id: string;
}

/**
 * Stored applications with the context of their first model decision, oldest first, in
 * keyset-paginated batches of `batchSize`. Only the columns decide() needs are read, and
 * the next batch is requested before the current one is handed over, so the database reads
 * while the caller decides.
 */
export async function* storedInputs(
  db: Db,
  filter: StoredFilter,
  batchSize = STORED_BATCH_SIZE,
): AsyncGenerator<StoredInput[]> {
  let pending: Promise<Row[]> | null = fetchBatch(db, filter, null, batchSize);
  while (pending) {
    const rows: Row[] = await pending;
    const last = rows[rows.length - 1];
    pending =
      rows.length === batchSize && last
        ? fetchBatch(db, filter, { createdAt: last.created_at, id: last.id }, batchSize)
        : null;
    // A consumer that stops early must not leave a rejected prefetch unobserved.
    pending?.catch(() => {});
    yield rows.map(toInput);
  }
}

async function fetchBatch(
  db: Db,
  filter: StoredFilter,
  after: Cursor | null,
  limit: number,
): Promise<Row[]> {
  const where: SQL[] = [];
  if (filter.since) where.push(sql`a.created_at >= ${filter.since.toISOString()}::timestamptz`);
  if (filter.until) where.push(sql`a.created_at < ${filter.until.toISOString()}::timestamptz`);
  if (filter.marketId) where.push(sql`a.market_id = ${filter.marketId}`);
  if (filter.product) where.push(sql`a.product = ${filter.product}`);
  // The text form of the timestamp keeps its microseconds: the keyset neither skips nor repeats.
  if (after) where.push(sql`(a.created_at, a.id) > (${after.createdAt}::timestamptz, ${after.id})`);
  const condition = where.length ? sql`where ${sql.join(where, sql` and `)}` : sql``;
  const result = await db.execute(sql`
    select a.id, a.created_at::text as created_at, a.survey, a.product,
           a.amount::float8 as amount, a.term_months, a.purpose, a.guarantee_group_id,
           d.context
    from applications a
    join lateral (
      select context from decisions
      where application_id = a.id and source = 'model'
      order by created_at, id
      limit 1
    ) d on true
    ${condition}
    order by a.created_at, a.id
    limit ${limit}
  `);
  return (result as unknown as { rows: Row[] }).rows;
}

function toInput(r: Row): StoredInput {
  const request: LoanRequest = {
    product: r.product,
    amount: Number(r.amount),
    termMonths: r.term_months,
    purpose: r.purpose,
  };
  if (r.guarantee_group_id) request.guaranteeGroupId = r.guarantee_group_id;
  return {
    id: r.id,
    survey: typeof r.survey === 'string' ? JSON.parse(r.survey) : r.survey,
    request,
    context: typeof r.context === 'string' ? JSON.parse(r.context) : r.context,
  };
}
