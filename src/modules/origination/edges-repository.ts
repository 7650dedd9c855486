/**
 * The guarantee network's edges (issue #16, table guarantee_edges): their one definition and
 * their one writer. `settleEdges` runs inside `settleLedgers`, under the ledger rows' locks of
 * the borrowers a command touched, so the edges into a borrower change with its ledger and in
 * the same transaction; a group's formation settles its members too.
 *
 * What is an edge (guarantor -> borrower, amount in fen):
 *  - group: every active member of a live group (forming, referred, offered, active) guarantees every
 *    other active member; the amount is the borrower's live offers in the group (open or taken,
 *    exactly what the ledger's contingent counts), 0 before the group is decided: a group is a
 *    commitment from its formation, which is what a circle check must see;
 *  - individual: a named guarantor while the application has a live offer (open or taken), at
 *    the amount it guarantees, at most the largest live offer (as the ledger's contingent);
 *  - operator: the market operator of an operator-guaranteed loan once taken (accepted or
 *    booked). Its open offers are held in the operator's reserved capacity by the decision's
 *    single statement (ADR 0001), not here: an operator is never a borrower, so it closes no
 *    circle, and it pays only for loans taken.
 * An edge that no longer holds is deleted; one that holds is rewritten in place (its id is the
 * guarantee's natural key).
 */
import { sql } from 'drizzle-orm';
import { NETWORK_NODE_BUDGET } from '../../credit';
import type { Db } from '../../db/connect';

const LIVE = sql.raw(`('pending', 'offered', 'accepted', 'booked')`);
const LIVE_GROUP = sql.raw(`('forming', 'referred', 'offered', 'active')`);

/** The edges into the merchants of `who` (a CTE of merchant ids), as the CTE `target`. */
function targetEdges() {
  return sql`
    target as (
      select 'group:' || g.id || ':' || a.merchant_id || ':' || b.merchant_id as id,
        g.market_id, 'merchant' as guarantor_kind, a.merchant_id as guarantor_id,
        b.merchant_id as borrower_merchant_id, 'group' as source, g.id as group_id,
        null::text as application_id, null::text as offer_id,
        coalesce((select sum(o.amount) from offers o
          where o.guarantee_group_id = g.id and o.merchant_id = b.merchant_id
            and o.status in ${LIVE}), 0)::bigint as amount_fen
      from who
      join guarantee_group_members b on b.merchant_id = who.id and b.active
      join guarantee_groups g on g.id = b.group_id and g.status in ${LIVE_GROUP}
      join guarantee_group_members a on a.group_id = g.id and a.active
        and a.merchant_id <> b.merchant_id
      union all
      select 'individual:' || lv.application_id || ':' || ag.merchant_id, lv.market_id,
        'merchant', ag.merchant_id, lv.merchant_id, 'individual', null, lv.application_id,
        lv.offer_id, least(ag.amount, lv.amount)::bigint
      from (
        select o.application_id, min(o.market_id) as market_id, min(o.merchant_id) as merchant_id,
          max(o.amount) as amount, (array_agg(o.id order by o.amount desc, o.id))[1] as offer_id
        from who join offers o on o.merchant_id = who.id and o.status in ${LIVE}
        group by o.application_id
      ) lv
      join application_guarantors ag on ag.application_id = lv.application_id
      union all
      select 'operator:' || o.application_id, o.market_id, 'operator', o.operator_id,
        o.merchant_id, 'operator', null, o.application_id, o.id, o.amount::bigint
      from who join offers o on o.merchant_id = who.id and o.status in ('accepted', 'booked')
      where o.product = 'operator_guarantee' and o.operator_id is not null
    )`;
}

const whoOfBorrowers = (borrowers: string[]) => sql`
  who as (
    select m.id from merchants m
    where m.id_number_digest in (
      select jsonb_array_elements_text(${JSON.stringify(borrowers)}::jsonb))
  )`;

/**
 * Rewrites the edges into the merchants of these borrowers (identity digests) as their
 * guarantees now stand. The caller holds the borrowers' ledger locks (settleLedgers).
 */
export async function settleEdges(tx: Db, borrowers: string[], now: Date): Promise<void> {
  if (borrowers.length === 0) return;
  const at = now.toISOString();
  await tx.execute(sql`with ${whoOfBorrowers(borrowers)}, ${targetEdges()},
    gone as (
      delete from guarantee_edges e using who
      where e.borrower_merchant_id = who.id and not exists (select 1 from target t where t.id = e.id)
    )
    insert into guarantee_edges (id, market_id, guarantor_kind, guarantor_id, borrower_merchant_id,
      source, group_id, application_id, offer_id, amount_fen, created_at, updated_at)
    select id, market_id, guarantor_kind, guarantor_id, borrower_merchant_id, source, group_id,
      application_id, offer_id, amount_fen, ${at}::timestamptz, ${at}::timestamptz
    from target
    on conflict (id) do update set amount_fen = excluded.amount_fen, offer_id = excluded.offer_id,
      updated_at = excluded.updated_at
    where guarantee_edges.amount_fen is distinct from excluded.amount_fen
      or guarantee_edges.offer_id is distinct from excluded.offer_id`);
}

export interface EdgeRow {
  id: string;
  marketId: string;
  guarantorKind: string;
  guarantorId: string;
  borrowerMerchantId: string;
  source: string;
  groupId: string | null;
  applicationId: string | null;
  offerId: string | null;
  amountFen: number;
}

const edgeOf = (r: Record<string, unknown>): EdgeRow => ({
  id: String(r.id),
  marketId: String(r.market_id),
  guarantorKind: String(r.guarantor_kind),
  guarantorId: String(r.guarantor_id),
  borrowerMerchantId: String(r.borrower_merchant_id),
  source: String(r.source),
  groupId: (r.group_id as string | null) ?? null,
  applicationId: (r.application_id as string | null) ?? null,
  offerId: (r.offer_id as string | null) ?? null,
  amountFen: Number(r.amount_fen),
});

const rowsOf = (result: unknown) => (result as { rows: Record<string, unknown>[] }).rows;

/** Every edge the live guarantees imply now, by the definition (the consistency tests' oracle). */
export async function edgesImplied(db: Db): Promise<EdgeRow[]> {
  const result = await db.execute(sql`with who as (select id from merchants), ${targetEdges()}
    select * from target order by id`);
  return rowsOf(result).map(edgeOf);
}

/** Every stored edge, by id. */
export async function storedEdges(db: Db): Promise<EdgeRow[]> {
  const result = await db.execute(sql`select * from guarantee_edges order by id`);
  return rowsOf(result).map(edgeOf);
}

/**
 * The merchant-to-merchant edges a formation check needs to find every circle closed by a path of
 * at most `depth` hops between two of `members`, in one market: the undirected ball of radius
 * ceil(depth / 2) around the members holds every node of every such path (each is within half
 * the path of one end), so the ball, not `depth` hops, is read: the square root of the work.
 * Hop by hop, each level expands only its new nodes, through the guarantor and borrower indexes,
 * at most NETWORK_NODE_BUDGET of them per level.
 */
export async function neighbourhoodEdges(
  db: Db,
  marketId: string,
  members: string[],
  depth: number,
): Promise<{ guarantor: string; borrower: string; groupId: string | null }[]> {
  const radius = Math.ceil(depth / 2);
  const levels = [
    sql`f0 as (select jsonb_array_elements_text(${JSON.stringify(members)}::jsonb) as node),
    a0 as (select node from f0)`,
  ];
  for (let i = 1; i <= radius; i++) {
    const f = sql.raw(`f${i}`);
    const prevF = sql.raw(`f${i - 1}`);
    const a = sql.raw(`a${i}`);
    const prevA = sql.raw(`a${i - 1}`);
    levels.push(sql`${f} as (
      select node from (
        select e.borrower_merchant_id as node from ${prevF} p
        join guarantee_edges e on e.guarantor_id = p.node and e.market_id = ${marketId}
        union
        select e.guarantor_id from ${prevF} p
        join guarantee_edges e on e.borrower_merchant_id = p.node and e.market_id = ${marketId}
          and e.guarantor_kind = 'merchant'
        except select node from ${prevA}
      ) n limit ${NETWORK_NODE_BUDGET}
    ),
    ${a} as (select node from ${prevA} union all select node from ${f})`);
  }
  const last = sql.raw(`a${radius}`);
  const result = await db.execute(sql`
    with ${sql.join(levels, sql`, `)}
    select e.guarantor_id, e.borrower_merchant_id, e.group_id
    from ${last} n join guarantee_edges e on e.guarantor_id = n.node
    where e.market_id = ${marketId} and e.guarantor_kind = 'merchant'`);
  return rowsOf(result).map((r) => ({
    guarantor: String(r.guarantor_id),
    borrower: String(r.borrower_merchant_id),
    groupId: (r.group_id as string | null) ?? null,
  }));
}

/** Each merchant's borrowing as its ledger holds it (open offers, loans, card limits), fen. */
export async function borrowingOf(db: Db, merchantIds: string[]): Promise<Map<string, number>> {
  if (merchantIds.length === 0) return new Map();
  const result = await db.execute(sql`
    select m.id, coalesce(l.held + l.loans + l.card_limits, 0) as borrowing
    from merchants m left join exposure_ledger l on l.borrower = m.id_number_digest
    where m.id in (select jsonb_array_elements_text(${JSON.stringify(merchantIds)}::jsonb))`);
  return new Map(rowsOf(result).map((r) => [String(r.id), Number(r.borrowing)]));
}

/** What each merchant guarantees outside `groupId` (other groups, individual guarantees), fen. */
export async function contingentOutside(
  db: Db,
  merchantIds: string[],
  groupId: string,
): Promise<Map<string, number>> {
  if (merchantIds.length === 0) return new Map();
  const result = await db.execute(sql`
    select guarantor_id, sum(amount_fen) as amount from guarantee_edges
    where guarantor_id in (select jsonb_array_elements_text(${JSON.stringify(merchantIds)}::jsonb))
      and guarantor_kind = 'merchant' and group_id is distinct from ${groupId}
    group by guarantor_id`);
  return new Map(rowsOf(result).map((r) => [String(r.guarantor_id), Number(r.amount)]));
}

/** How many live groups (forming, referred, offered, active) each merchant belongs to. */
export async function liveGroupCounts(db: Db, merchantIds: string[]): Promise<Map<string, number>> {
  const result = await db.execute(sql`
    select gm.merchant_id, count(*)::int as n from guarantee_group_members gm
    join guarantee_groups g on g.id = gm.group_id and g.status in ${LIVE_GROUP}
    where gm.active
      and gm.merchant_id in (select jsonb_array_elements_text(${JSON.stringify(merchantIds)}::jsonb))
    group by gm.merchant_id`);
  return new Map(rowsOf(result).map((r) => [String(r.merchant_id), Number(r.n)]));
}
