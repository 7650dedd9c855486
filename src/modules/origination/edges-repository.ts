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
 * guarantees now stand, in one statement that also gives a fresh version to every market where a
 * merchant's guarantee of a merchant appeared or went (guarantee_network_versions, ADR 0011: what
 * the formation check's cache depends on; an amount moving, or an operator's edge, changes no
 * version) and logs what that version changed (guarantee_network_changes: the links added and
 * removed, and the version it followed), so that a cache one version behind applies the change
 * instead of reading the market again. The caller holds the borrowers' ledger locks
 * (settleLedgers); the version rows' locks come after them, in market order, and are held to
 * commit (ADR 0004).
 *
 * A version set on a conflict is drawn after the row's lock is taken, so it is greater than the
 * one it follows: a market's versions rise along its chain of commits, and a reader can ask for
 * the changes after its own version up to the one it sees.
 */
export async function settleEdges(tx: Db, borrowers: string[], now: Date): Promise<void> {
  if (borrowers.length === 0) return;
  const at = now.toISOString();
  // Under the borrowers' ledger locks no other transaction writes these edges, so the new ones
  // (fresh) and the existing ones (moved) are told apart by the statement's snapshot.
  await tx.execute(sql`with ${whoOfBorrowers(borrowers)}, ${targetEdges()},
    gone as (
      delete from guarantee_edges e using who
      where e.borrower_merchant_id = who.id and not exists (select 1 from target t where t.id = e.id)
      returning e.market_id, e.guarantor_kind, e.guarantor_id, e.borrower_merchant_id, e.group_id
    ),
    fresh as (
      insert into guarantee_edges (id, market_id, guarantor_kind, guarantor_id, borrower_merchant_id,
        source, group_id, application_id, offer_id, amount_fen, created_at, updated_at)
      select id, market_id, guarantor_kind, guarantor_id, borrower_merchant_id, source, group_id,
        application_id, offer_id, amount_fen, ${at}::timestamptz, ${at}::timestamptz
      from target t where not exists (select 1 from guarantee_edges e where e.id = t.id)
      on conflict (id) do nothing
      returning market_id, guarantor_kind, guarantor_id, borrower_merchant_id, group_id
    ),
    moved as (
      update guarantee_edges e set amount_fen = t.amount_fen, offer_id = t.offer_id,
        updated_at = ${at}::timestamptz
      from target t
      where e.id = t.id and (e.amount_fen is distinct from t.amount_fen
        or e.offer_id is distinct from t.offer_id)
    ),
    changed as (
      select market_id from gone where guarantor_kind = 'merchant'
      union select market_id from fresh where guarantor_kind = 'merchant'
    ),
    bumped as (
      insert into guarantee_network_versions (market_id, version, previous_version, updated_at)
      select market_id, nextval('guarantee_network_version_seq'), 0, ${at}::timestamptz
      from changed order by market_id
      on conflict (market_id) do update
        set version = nextval('guarantee_network_version_seq'),
          previous_version = guarantee_network_versions.version,
          updated_at = excluded.updated_at
      returning market_id, version, previous_version
    )
    insert into guarantee_network_changes (market_id, version, previous_version, added, removed,
      created_at)
    select b.market_id, b.version, b.previous_version,
      coalesce((select jsonb_agg(jsonb_build_array(f.guarantor_id, f.borrower_merchant_id,
          f.group_id)) from fresh f
        where f.market_id = b.market_id and f.guarantor_kind = 'merchant'), '[]'::jsonb),
      coalesce((select jsonb_agg(jsonb_build_array(g.guarantor_id, g.borrower_merchant_id,
          g.group_id)) from gone g
        where g.market_id = b.market_id and g.guarantor_kind = 'merchant'), '[]'::jsonb),
      ${at}::timestamptz
    from bumped b`);
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

/** A merchant's guarantee of a merchant, as the formation check's network holds it. */
export interface NetworkLink {
  guarantor: string;
  borrower: string;
  groupId: string | null;
}

export interface MarketNetworkEdges {
  version: number;
  /** In canonical order (compareLinks), so that the compiled network can be patched. */
  edges: NetworkLink[];
  /** The borrower (identity digest) of each merchant of the market, by merchant id. */
  borrowers: Map<string, string>;
}

const json = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value);
const linksOf = (value: unknown): NetworkLink[] =>
  (json(value) as [string, string, string | null][]).map(([guarantor, borrower, groupId]) => ({
    guarantor,
    borrower,
    groupId,
  }));

/**
 * A market's merchant-to-merchant edges and their version, read in one statement (one snapshot:
 * the version names exactly these edges), by the market index, in canonical order (guarantor,
 * borrower, group, ids compared bytewise: compareLinks) so that every instance compiles the same
 * network and can patch it with the logged changes; and the market's merchants' borrowers (a
 * merchant's identity never changes), so that a circle's borrowing reads the ledger directly.
 * One row with JSON: parsed at once, where ten thousand rows would be parsed one by one.
 */
export async function marketNetworkEdges(db: Db, marketId: string): Promise<MarketNetworkEdges> {
  const rows = rowsOf(
    await db.execute(sql`
      select coalesce((select version from guarantee_network_versions
          where market_id = ${marketId}), 0) as version,
        coalesce((select json_agg(json_build_array(guarantor_id, borrower_merchant_id, group_id)
            order by guarantor_id collate "C", borrower_merchant_id collate "C",
              group_id collate "C" nulls first)
          from guarantee_edges where market_id = ${marketId} and guarantor_kind = 'merchant'),
          '[]'::json) as edges,
        coalesce((select json_object_agg(id, id_number_digest) from merchants
          where market_id = ${marketId}), '{}'::json) as borrowers`),
  );
  const row = rows[0] as { version: unknown; edges: unknown; borrowers: unknown };
  return {
    version: Number(row.version),
    edges: linksOf(row.edges),
    borrowers: new Map(Object.entries(json(row.borrowers) as Record<string, string>)),
  };
}

/** What one version of a market's links changed (guarantee_network_changes). */
export interface NetworkChange {
  version: number;
  previousVersion: number;
  added: NetworkLink[];
  removed: NetworkLink[];
}

/**
 * A market's version as this transaction sees it (0: never settled) and, given `after` (the
 * version a cache holds), the changes logged after it up to that version, oldest first, at most
 * `limit`: one statement, one snapshot, one primary-key row and one range of the log's primary
 * key (none when the version is `after`: a cache hit costs what the version alone did). The
 * caller checks that the changes chain from `after` to the version: rows pruned, or a version
 * set without a row, leave a gap.
 */
export async function networkState(
  db: Db,
  marketId: string,
  after: number | null,
  limit: number,
): Promise<{ version: number; changes: NetworkChange[] }> {
  const rows = rowsOf(
    await db.execute(sql`
      select v.version, (select json_agg(json_build_array(c.version, c.previous_version,
            c.added, c.removed) order by c.version)
          from (select * from guarantee_network_changes c
            where ${after}::bigint is not null and c.market_id = ${marketId}
              and c.version > ${after}::bigint and c.version <= v.version
            order by c.version limit ${limit}) c) as changes
      from (select coalesce((select version from guarantee_network_versions
        where market_id = ${marketId}), 0) as version) v`),
  );
  const row = rows[0] as { version: unknown; changes: unknown };
  const list = (json(row.changes) ?? []) as [unknown, unknown, unknown, unknown][];
  return {
    version: Number(row.version),
    changes: list.map(([version, previousVersion, added, removed]) => ({
      version: Number(version),
      previousVersion: Number(previousVersion),
      added: linksOf(added),
      removed: linksOf(removed),
    })),
  };
}

/**
 * Deletes each market's logged changes but the latest `keep` (the offer-expiry job): a cache
 * further behind reads its market again. One index range per market.
 */
export async function pruneNetworkChanges(db: Db, keep: number): Promise<number> {
  const result = await db.execute(sql`
    with horizon as (
      select v.market_id, (select c.version from guarantee_network_changes c
          where c.market_id = v.market_id order by c.version desc offset ${keep} limit 1) as version
      from guarantee_network_versions v
    )
    delete from guarantee_network_changes c using horizon h
    where c.market_id = h.market_id and c.version <= h.version
    returning 1`);
  return rowsOf(result).length;
}

/**
 * Fen: what the merchants of a circle borrow together as their ledgers hold it (open offers,
 * loans, card limits), each at least 0, as checks.ts circleBorrowing adds them up; summed here,
 * so a circle of a thousand merchants costs one row back. `borrowerOf` gives the borrowers the
 * caller knows (a market's merchants: one borrower each); the others are looked up by merchant.
 */
export async function borrowingTotal(
  db: Db,
  merchantIds: readonly string[],
  borrowerOf: ReadonlyMap<string, string> = new Map(),
): Promise<number> {
  if (merchantIds.length === 0) return 0;
  const known: string[] = [];
  const unknown: string[] = [];
  for (const id of merchantIds) {
    const borrower = borrowerOf.get(id);
    if (borrower === undefined) unknown.push(id);
    else known.push(borrower);
  }
  const result = await db.execute(sql`
    select coalesce(sum(greatest(0, l.held + l.loans + l.card_limits)), 0) as total
    from exposure_ledger l
    where l.borrower in (
      select jsonb_array_elements_text(${JSON.stringify(known)}::jsonb)
      union
      select m.id_number_digest from merchants m
      where m.id in (select jsonb_array_elements_text(${JSON.stringify(unknown)}::jsonb)))`);
  return Number(rowsOf(result)[0]?.total ?? 0);
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
