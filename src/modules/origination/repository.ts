/**
 * All of origination's SQL: applications, decisions, offers, guarantee groups and the
 * exposure they add up to. Use cases call these functions and never build queries.
 */
import { and, eq, gte, inArray, lt, ne, or, sql } from 'drizzle-orm';
import type { StoredGroupDecision } from '../../credit';
import type { Db, NamedStatement } from '../../db/connect';
import { newestFirst } from '../../db/keyset';
import { toRecord } from '../../db/records';
import {
  applicationGuarantors,
  applications,
  auditEvents,
  decisions,
  exposureLedger,
  guaranteeGroupMembers,
  guaranteeGroups,
  markets,
  merchantPartnerLinks,
  merchants,
  offers,
  operators,
} from '../../db/schema';
import type { StatementWriter } from '../../db/statement';
import type { OFFER_STATUSES } from '../../db/vocabulary';
import type { Cursor } from '../../lib/cursor';
import type { Principal } from '../../lib/principal';
import { AnswerPart, type AnswerRef, KeyTaken } from '../../platform/command';
import { type EventEntry, eventRecords, eventsCte } from '../events/repository';
import { visibleTo } from '../merchants/access';
import { settleEdges } from './edges-repository';
import {
  type ApplicationStatus,
  type GroupStatus,
  type OfferStatus,
  OPEN_OFFER_STATUSES,
  TAKEN_OFFER_STATUSES,
} from './lifecycle';

export type ApplicationRow = typeof applications.$inferSelect;
export type ApplicationInsert = typeof applications.$inferInsert & {
  createdAt: Date;
  updatedAt: Date;
};
export type DecisionRow = typeof decisions.$inferSelect;
export type DecisionInsert = typeof decisions.$inferInsert;
export type OfferRow = typeof offers.$inferSelect;
export type OfferInsert = typeof offers.$inferInsert;
export type OperatorRow = typeof operators.$inferSelect;
export type MerchantRow = typeof merchants.$inferSelect;
export type GroupRow = typeof guaranteeGroups.$inferSelect;
type AuditInsert = typeof auditEvents.$inferInsert;

// ---------------------------------------------------------------------------------------------
// The one write of a decision: submission, group member and review

export interface DecisionWrite {
  /** Inserted (a submission) or, when it exists, its status and updatedAt changed (a review). */
  application: ApplicationInsert;
  decision: DecisionInsert;
  offers: OfferInsert[];
  events: AuditInsert[];
  /** The outbox's events (issue #14), written with the change or not at all. */
  outbox: EventEntry[];
  /** Operator capacity to hold for an operator-guaranteed offer, if any. */
  reservation: { operatorId: string; amount: number } | null;
  /**
   * What the new offers add to the borrower's exposure ledger, written only if the row is still
   * at `seenVersion` (the version the decision was sized against); null when nothing is offered.
   */
  ledger: LedgerDelta | null;
  /** Where the platform stores the answer (the hot path), and the answer. */
  answer: { part: AnswerPart; status: number; body: unknown; ref: AnswerRef | null } | null;
}

export type DecisionWriteResult = 'written' | 'capacity_taken' | 'exposure_changed' | KeyTaken;

const ANSWER = AnswerPart.sql(7, '(select go from ok)');
const LEDGER_PARAM = 7 + AnswerPart.PARAMS;
const OUTBOX_PARAM = LEDGER_PARAM + 1;
/** Raised by the statement when one guard held and a later one did not: nothing is kept. */
const GUARDS_DISAGREED = 'ML001';

/**
 * A decision and everything it changes in ONE statement (data-modifying CTEs are atomic like a
 * transaction): the capacity reservation, the borrower's exposure ledger, the application, the
 * decision, its offers, the audit events, the outbox's events and, on the hot path, the idempotent answer. Nothing is
 * written unless every guard holds, each a conditional write taken in turn (operator, then
 * ledger: the lock order of ADR 0004): the key still being this attempt's, the operator's
 * capacity (concurrent offers never oversubscribe an operator), and the ledger row still at the
 * version the offers were sized against (so concurrent applications of one borrower never pass a
 * cap: issue #12). Should the reservation be written and the ledger's guard then fail, the
 * statement raises and keeps nothing.
 * Rows travel as JSON records, so the text is fixed and PostgreSQL plans it once per connection.
 */
const RECORD_DECISION: NamedStatement = {
  name: 'record_decision_v3',
  text: `
    with claim as (select ${ANSWER.held} as claimed),
    reserve as (
      update operators set reserved = reserved + $2::bigint
      where $1::text is not null and id = $1::text and agreement_status = 'active'
        and capacity - used - reserved >= $2::bigint
        and (select claimed from claim)
      returning id
    ),
    reserved as (select ($1::text is null or exists (select 1 from reserve)) as ok),
    delta as (
      select r.* from jsonb_populate_record(null::exposure_ledger, $${LEDGER_PARAM}::jsonb) r
      where $${LEDGER_PARAM}::jsonb is not null
    ),
    ledger as (
      insert into exposure_ledger as l
      select d.* from delta d where (select claimed from claim) and (select ok from reserved)
      on conflict (borrower) do update set
        version = excluded.version,
        held = l.held + excluded.held,
        held_instalments = l.held_instalments + excluded.held_instalments,
        loans = l.loans + excluded.loans,
        card_limits = l.card_limits + excluded.card_limits,
        taken_instalments = l.taken_instalments + excluded.taken_instalments,
        operator_guarantee = l.operator_guarantee + excluded.operator_guarantee,
        joint_guarantee = l.joint_guarantee + excluded.joint_guarantee,
        credit_loan = l.credit_loan + excluded.credit_loan,
        credit_card = l.credit_card + excluded.credit_card,
        contingent = l.contingent + excluded.contingent,
        updated_at = excluded.updated_at
      where l.version = excluded.version - 1
      returning borrower
    ),
    gate as (
      select c.claimed, r.ok as reserved,
             ($${LEDGER_PARAM}::jsonb is null or exists (select 1 from ledger)) as ledgered
      from claim c, reserved r
    ),
    ok as (select claimed and ledgered and reserved as go from gate),
    app as (
      insert into applications
      select r.* from jsonb_populate_record(null::applications, $3::jsonb) r where (select go from ok)
      on conflict (id) do update set status = excluded.status, updated_at = excluded.updated_at
      returning id
    ),
    dec as (
      insert into decisions
      select r.* from jsonb_populate_record(null::decisions, $4::jsonb) r where (select go from ok)
      returning id
    ),
    off as (
      insert into offers
      select r.* from jsonb_populate_recordset(null::offers, $5::jsonb) r where (select go from ok)
      returning id
    ),
    evt as (
      insert into audit_events (id, entity_type, entity_id, action, actor_key_id, actor_role, actor_owner, request_id, data, at)
      select r.id, r.entity_type, r.entity_id, r.action, r.actor_key_id, r.actor_role, r.actor_owner, r.request_id, r.data, r.at
      from jsonb_populate_recordset(null::audit_events, $6::jsonb) r where (select go from ok)
      returning id
    ),
    ${eventsCte('outbox', OUTBOX_PARAM, '(select go from ok)')},
    ${ANSWER.ctes}
    select claimed, ledgered, reserved,
      case when claimed and reserved and $1::text is not null and not ledgered
        then exposure_guards_disagreed() else true end as consistent
    from gate`,
};

export async function recordDecision(
  writer: StatementWriter,
  w: DecisionWrite,
): Promise<DecisionWriteResult> {
  const r = w.reservation;
  const part = w.answer?.part ?? AnswerPart.of(null);
  try {
    const [row] = await writer.run<{ claimed: boolean; ledgered: boolean; reserved: boolean }>(
      RECORD_DECISION,
      [
        r?.operatorId ?? null,
        r?.amount ?? 0,
        JSON.stringify(toRecord(applications, w.application)),
        JSON.stringify(toRecord(decisions, w.decision)),
        JSON.stringify(w.offers.map((o) => toRecord(offers, o))),
        JSON.stringify(w.events.map((e) => toRecord(auditEvents, e))),
        ...part.values(w.answer?.status ?? 0, w.answer?.body ?? null, w.answer?.ref ?? null),
        w.ledger ? JSON.stringify(ledgerDeltaRecord(w.ledger)) : null,
        eventRecords(w.application.updatedAt, w.outbox),
      ],
    );
    if (!row?.claimed) return part.lost();
    if (!row.reserved) return 'capacity_taken';
    if (!row.ledgered) return 'exposure_changed';
    return 'written';
  } catch (err) {
    if (part.collided(err)) return new KeyTaken();
    if (hasCode(err, GUARDS_DISAGREED)) return 'exposure_changed';
    throw err;
  }
}

const hasCode = (err: unknown, code: string) =>
  typeof err === 'object' && err !== null && (err as { code?: unknown }).code === code;

// ---------------------------------------------------------------------------------------------
// The exposure ledger (issue #12)

export type LedgerRow = typeof exposureLedger.$inferSelect;
/** The ledger's amounts, as a row holds them or as a change adds to them. */
export type LedgerAmounts = Omit<LedgerRow, 'borrower' | 'version' | 'updatedAt'>;

export interface LedgerDelta {
  borrower: string;
  seenVersion: number;
  amounts: LedgerAmounts;
  now: Date;
}

function ledgerDeltaRecord(d: LedgerDelta) {
  return toRecord(exposureLedger, {
    borrower: d.borrower,
    version: d.seenVersion + 1,
    ...d.amounts,
    updatedAt: d.now,
  });
}

/**
 * Locks the borrowers' ledger rows (creating empty ones), in one order so that commands never
 * deadlock on them; the lock order is group, application, offers, operator, ledger (ADR 0004).
 */
export async function lockLedgers(tx: Db, borrowers: string[], now: Date): Promise<LedgerRow[]> {
  const sorted = [...new Set(borrowers)].sort();
  if (sorted.length === 0) return [];
  await tx
    .insert(exposureLedger)
    .values(sorted.map((borrower) => ({ borrower, updatedAt: now })))
    .onConflictDoNothing();
  return tx
    .select()
    .from(exposureLedger)
    .where(inArray(exposureLedger.borrower, sorted))
    .orderBy(exposureLedger.borrower)
    .for('update');
}

export async function findLedger(db: Db, borrower: string): Promise<LedgerRow | undefined> {
  const [row] = await db.select().from(exposureLedger).where(eq(exposureLedger.borrower, borrower));
  return row;
}

/** Statuses whose offers count in the ledger: open (pending, offered) and taken. */
const LIVE = sql.raw(`('pending', 'offered', 'accepted', 'booked')`);
const OPEN = sql.raw(`('pending', 'offered')`);

/**
 * What the borrowers' ledger rows must hold, from their live offers and their group partners'
 * live loans, as the CTE `computed`: the one definition of the ledger. settleLedgers writes it;
 * the consistency tests compare every row with it.
 */
function ledgerFromOffersCtes(borrowers: string[]) {
  return sql`
    who as (select distinct jsonb_array_elements_text(${JSON.stringify(borrowers)}::jsonb) as borrower),
    live as (
      select m.id_number_digest as borrower, o.application_id, o.product, o.amount,
             o.monthly_instalment, o.status in ${OPEN} as open
      from who join merchants m on m.id_number_digest = who.borrower
      join offers o on o.merchant_id = m.id and o.status in ${LIVE}
    ),
    per_application as (
      select borrower, application_id,
             coalesce(max(amount) filter (where open), 0) as held,
             coalesce(max(monthly_instalment) filter (where open), 0) as held_instalments
      from live group by borrower, application_id
    ),
    held as (
      select borrower, sum(held) as held, sum(held_instalments) as held_instalments
      from per_application group by borrower
    ),
    taken as (
      select borrower,
        sum(amount) filter (where not open and product <> 'credit_card') as loans,
        sum(amount) filter (where not open and product = 'credit_card') as card_limits,
        sum(monthly_instalment) filter (where not open) as taken_instalments,
        sum(amount) filter (where product = 'operator_guarantee') as operator_guarantee,
        sum(amount) filter (where product = 'joint_guarantee') as joint_guarantee,
        sum(amount) filter (where product = 'credit_loan') as credit_loan,
        sum(amount) filter (where product = 'credit_card') as credit_card
      from live group by borrower
    ),
    group_contingent as (
      select me.id_number_digest as borrower, sum(o.amount) as contingent
      from who join merchants me on me.id_number_digest = who.borrower
      join guarantee_group_members gm on gm.merchant_id = me.id
      join offers o on o.guarantee_group_id = gm.group_id and o.merchant_id <> me.id
        and o.status in ${LIVE}
      group by me.id_number_digest
    ),
    individual_contingent as (
      select me.id_number_digest as borrower, sum(least(ag.amount, lv.amount)) as contingent
      from who join merchants me on me.id_number_digest = who.borrower
      join application_guarantors ag on ag.merchant_id = me.id
      join lateral (
        select max(o.amount) as amount from offers o
        where o.application_id = ag.application_id and o.status in ${LIVE}
      ) lv on lv.amount is not null
      group by me.id_number_digest
    ),
    contingent as (
      select borrower, sum(contingent) as contingent
      from (select * from group_contingent union all select * from individual_contingent) c
      group by borrower
    ),
    computed as (
      select w.borrower,
        coalesce(h.held, 0) as held, coalesce(h.held_instalments, 0) as held_instalments,
        coalesce(t.loans, 0) as loans, coalesce(t.card_limits, 0) as card_limits,
        coalesce(t.taken_instalments, 0) as taken_instalments,
        coalesce(t.operator_guarantee, 0) as operator_guarantee,
        coalesce(t.joint_guarantee, 0) as joint_guarantee,
        coalesce(t.credit_loan, 0) as credit_loan, coalesce(t.credit_card, 0) as credit_card,
        coalesce(c.contingent, 0) as contingent
      from who w
      left join held h on h.borrower = w.borrower
      left join taken t on t.borrower = w.borrower
      left join contingent c on c.borrower = w.borrower
    )`;
}

/**
 * Writes the borrowers' ledger rows as their offers now stand: every command that changes an
 * offer (accept, decline, expire, withdraw, a group decided, booked or dissolved) calls this in
 * its transaction, last: it locks the rows, then reads the offers as committed by then (a new
 * statement sees every write that held the lock before), so no concurrent change is lost.
 */
export async function settleLedgers(tx: Db, borrowers: string[], now: Date): Promise<void> {
  if (borrowers.length === 0) return;
  await lockLedgers(tx, borrowers, now);
  await settleEdges(tx, borrowers, now);
  await tx.execute(sql`with ${ledgerFromOffersCtes(borrowers)}
    insert into exposure_ledger (borrower, version, held, held_instalments, loans, card_limits,
      taken_instalments, operator_guarantee, joint_guarantee, credit_loan, credit_card, contingent,
      updated_at)
    select borrower, 1, held, held_instalments, loans, card_limits, taken_instalments,
      operator_guarantee, joint_guarantee, credit_loan, credit_card, contingent,
      ${now.toISOString()}::timestamptz
    from computed
    on conflict (borrower) do update set
      version = exposure_ledger.version + 1,
      held = excluded.held, held_instalments = excluded.held_instalments,
      loans = excluded.loans, card_limits = excluded.card_limits,
      taken_instalments = excluded.taken_instalments,
      operator_guarantee = excluded.operator_guarantee, joint_guarantee = excluded.joint_guarantee,
      credit_loan = excluded.credit_loan, credit_card = excluded.credit_card,
      contingent = excluded.contingent, updated_at = excluded.updated_at`);
}

/** The ledger rows as the offers imply them now, by borrower (the consistency tests' oracle). */
export async function ledgerFromOffers(
  db: Db,
  borrowers: string[],
): Promise<Map<string, LedgerAmounts>> {
  const result = (await db.execute(
    sql`with ${ledgerFromOffersCtes(borrowers)} select * from computed`,
  )) as unknown as { rows: Record<string, string | number>[] };
  const out = new Map<string, LedgerAmounts>();
  for (const r of result.rows) {
    const n = (k: string) => Number(r[k]);
    out.set(String(r.borrower), {
      held: n('held'),
      heldInstalments: n('held_instalments'),
      loans: n('loans'),
      cardLimits: n('card_limits'),
      takenInstalments: n('taken_instalments'),
      operatorGuarantee: n('operator_guarantee'),
      jointGuarantee: n('joint_guarantee'),
      creditLoan: n('credit_loan'),
      creditCard: n('credit_card'),
      contingent: n('contingent'),
    });
  }
  return out;
}

/** The borrower (identity digest) of each merchant, and of every member of a group. */
export async function borrowersOf(
  db: Db,
  merchantIds: string[],
  groupIds: string[] = [],
  applicationIds: string[] = [],
): Promise<string[]> {
  const conditions = [
    merchantIds.length ? inArray(merchants.id, merchantIds) : undefined,
    // An application's individual guarantors: its loan is their contingent liability.
    applicationIds.length
      ? inArray(
          merchants.id,
          db
            .select({ id: applicationGuarantors.merchantId })
            .from(applicationGuarantors)
            .where(inArray(applicationGuarantors.applicationId, applicationIds)),
        )
      : undefined,
    groupIds.length
      ? inArray(
          merchants.id,
          db
            .select({ id: guaranteeGroupMembers.merchantId })
            .from(guaranteeGroupMembers)
            .where(inArray(guaranteeGroupMembers.groupId, groupIds)),
        )
      : undefined,
  ].filter((c) => c !== undefined);
  if (conditions.length === 0) return [];
  const rows = await db
    .selectDistinct({ borrower: merchants.idNumberDigest })
    .from(merchants)
    .where(or(...conditions));
  return rows.map((r) => r.borrower).sort();
}

/** A borrower's taken loans (not card limits): the ledger's amounts as granted, to amortise. */
export async function takenLoansOf(db: Db, borrower: string) {
  return db
    .select({
      product: offers.product,
      amount: offers.amount,
      annualRateBps: offers.annualRateBps,
      termMonths: offers.termMonths,
      method: offers.method,
      monthlyInstalment: offers.monthlyInstalment,
      acceptedAt: offers.acceptedAt,
      updatedAt: offers.updatedAt,
    })
    .from(offers)
    .innerJoin(merchants, eq(merchants.id, offers.merchantId))
    .where(
      and(
        eq(merchants.idNumberDigest, borrower),
        inArray(offers.status, [...TAKEN_OFFER_STATUSES]),
        ne(offers.product, 'credit_card'),
      ),
    );
}

/**
 * A borrower's live offers (open and taken), across its merchant records in every market; for a
 * partner only those of the applications it submitted.
 */
export async function liveOffersOfBorrower(
  db: Db,
  borrower: string,
  partnerId: string | null,
): Promise<OfferRow[]> {
  const rows = await db
    .select({ offer: offers })
    .from(offers)
    .innerJoin(merchants, eq(merchants.id, offers.merchantId))
    .where(
      and(
        eq(merchants.idNumberDigest, borrower),
        inArray(offers.status, ['pending', 'offered', 'accepted', 'booked']),
        submittedBy(db, partnerId),
      ),
    )
    .orderBy(offers.createdAt, offers.id);
  return rows.map((r) => r.offer);
}

// ---------------------------------------------------------------------------------------------
// Applicants and applications

function applicantQuery(db: Db) {
  return db
    .select({
      merchant: merchants,
      operator: operators,
      ledger: exposureLedger,
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
    .leftJoin(exposureLedger, eq(exposureLedger.borrower, merchants.idNumberDigest))
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
    .prepare('load_applicant_v3');
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

/** The merchant of an application and its market's operator (a review decides again). */
export async function merchantWithOperator(db: Db, merchantId: string) {
  const [row] = await db
    .select({ merchant: merchants, operator: operators })
    .from(merchants)
    .innerJoin(markets, eq(markets.id, merchants.marketId))
    .leftJoin(operators, eq(operators.id, markets.operatorId))
    .where(eq(merchants.id, merchantId));
  return row;
}

export async function findApplication(
  db: Db,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<ApplicationRow | undefined> {
  const q = db.select().from(applications).where(eq(applications.id, id)).limit(1);
  const [row] = options.forUpdate ? await q.for('update') : await q;
  return row;
}

export async function hasAppliedInGroup(db: Db, groupId: string, merchantId: string) {
  const rows = await db
    .select({ id: applications.id })
    .from(applications)
    .where(and(eq(applications.guaranteeGroupId, groupId), eq(applications.merchantId, merchantId)))
    .limit(1);
  return rows.length > 0;
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

export async function decisionWithApplication(db: Db, decisionId: string) {
  const [row] = await db
    .select({ decision: decisions, application: applications })
    .from(decisions)
    .innerJoin(applications, eq(applications.id, decisions.applicationId))
    .where(eq(decisions.id, decisionId));
  return row;
}

export interface ApplicationFilter {
  /** Only what this caller may see (merchants/access.ts). */
  visibleTo: Principal;
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
  const page = newestFirst(applications.createdAt, applications.id, after);
  const conditions = [
    visibleTo(filter.visibleTo, {
      marketId: applications.marketId,
      partnerId: applications.partnerId,
    }),
    filter.status ? eq(applications.status, filter.status as ApplicationStatus) : undefined,
    filter.marketId ? eq(applications.marketId, filter.marketId) : undefined,
    filter.product ? eq(applications.product, filter.product) : undefined,
    filter.since ? gte(applications.createdAt, filter.since) : undefined,
    page.after,
  ];
  return db
    .select()
    .from(applications)
    .where(and(...conditions))
    .orderBy(...page.order)
    .limit(limit);
}

/** Moves applications to `status` if they are in one of `from` (the lifecycle's guard); their ids. */
export async function moveApplications(
  db: Db,
  ids: string[],
  status: ApplicationStatus,
  from: ApplicationStatus[],
  now: Date,
): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .update(applications)
    .set({ status, updatedAt: now })
    .where(and(inArray(applications.id, ids), inArray(applications.status, from)))
    .returning({ id: applications.id });
  return rows.map((r) => r.id);
}

// ---------------------------------------------------------------------------------------------
// Offers

export async function offersOf(db: Db, applicationIds: string[]): Promise<OfferRow[]> {
  if (applicationIds.length === 0) return [];
  return db
    .select()
    .from(offers)
    .where(inArray(offers.applicationId, applicationIds))
    .orderBy(offers.createdAt, offers.id);
}

export async function findOffer(db: Db, id: string, options: { forUpdate?: boolean } = {}) {
  const q = db.select().from(offers).where(eq(offers.id, id));
  const [row] = options.forUpdate ? await q.for('update') : await q;
  return row;
}

export async function findOfferWithApplication(db: Db, id: string) {
  const [row] = await db
    .select({ offer: offers, application: applications, decision: decisions.result })
    .from(offers)
    .innerJoin(applications, eq(applications.id, offers.applicationId))
    .innerJoin(decisions, eq(decisions.id, offers.decisionId))
    .where(eq(offers.id, id));
  return row;
}

/** The result of decide() a decision stored (an offer's schedule is there). */
export async function decisionResult(db: Db, decisionId: string) {
  const [row] = await db
    .select({ result: decisions.result })
    .from(decisions)
    .where(eq(decisions.id, decisionId));
  return row?.result;
}

export async function decisionsOf(db: Db, applicationId: string): Promise<DecisionRow[]> {
  return db.select().from(decisions).where(eq(decisions.applicationId, applicationId));
}

export async function findDecision(db: Db, id: string): Promise<DecisionRow | undefined> {
  const [row] = await db.select().from(decisions).where(eq(decisions.id, id));
  return row;
}

export async function findOffers(db: Db, ids: string[]): Promise<OfferRow[]> {
  if (ids.length === 0) return [];
  return db.select().from(offers).where(inArray(offers.id, ids));
}

/** The offers of an application other than `exceptId` still open, locked. */
export async function openOffersOf(tx: Db, applicationId: string, exceptId: string) {
  return tx
    .select()
    .from(offers)
    .where(
      and(
        eq(offers.applicationId, applicationId),
        ne(offers.id, exceptId),
        inArray(offers.status, [...OPEN_OFFER_STATUSES]),
      ),
    )
    .for('update');
}

export async function offerStatusesOf(db: Db, applicationId: string): Promise<OfferStatus[]> {
  const rows = await db
    .select({ status: offers.status })
    .from(offers)
    .where(eq(offers.applicationId, applicationId));
  return rows.map((r) => r.status);
}

export async function setOfferStatus(db: Db, id: string, status: OfferStatus, now: Date) {
  await db
    .update(offers)
    .set({ status, updatedAt: now, ...(status === 'accepted' ? { acceptedAt: now } : {}) })
    .where(eq(offers.id, id));
}

/** Applications with offers open past their date (the expiry job's work list). */
export async function applicationsWithDueOffers(db: Db, now: Date, limit: number) {
  const rows = await db
    .selectDistinct({ applicationId: offers.applicationId })
    .from(offers)
    .where(and(eq(offers.status, 'offered'), lt(offers.expiresAt, now)))
    .limit(limit);
  return rows.map((r) => r.applicationId);
}

export async function dueOffersOf(tx: Db, applicationId: string, now: Date) {
  return tx
    .select()
    .from(offers)
    .where(
      and(
        eq(offers.applicationId, applicationId),
        eq(offers.status, 'offered'),
        lt(offers.expiresAt, now),
      ),
    )
    .for('update');
}

/** An application's individual guarantors (issue #16), written once with it. */
export async function insertGuarantors(
  tx: Db,
  applicationId: string,
  list: { merchantId: string; amount: number; consentRef: string; consentedAt: string }[],
  now: Date,
): Promise<void> {
  if (list.length === 0) return;
  await tx.insert(applicationGuarantors).values(
    list.map((g) => ({
      applicationId,
      merchantId: g.merchantId,
      amount: g.amount,
      consentRef: g.consentRef,
      consentedAt: new Date(g.consentedAt),
      createdAt: now,
    })),
  );
}

/** An application's individual guarantors and what each guarantees (fen), by merchant id. */
export async function guarantorsOf(
  db: Db,
  applicationId: string,
): Promise<{ merchantId: string; amount: number }[]> {
  return db
    .select({ merchantId: applicationGuarantors.merchantId, amount: applicationGuarantors.amount })
    .from(applicationGuarantors)
    .where(eq(applicationGuarantors.applicationId, applicationId))
    .orderBy(applicationGuarantors.merchantId);
}

// ---------------------------------------------------------------------------------------------
// Guarantee groups

/** Locks the group row: member submissions and acceptances of one group run one at a time. */
export async function lockGroup(tx: Db, groupId: string) {
  const [group] = await tx
    .select()
    .from(guaranteeGroups)
    .where(eq(guaranteeGroups.id, groupId))
    .for('update');
  if (!group) return undefined;
  const [count] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(guaranteeGroupMembers)
    .where(and(eq(guaranteeGroupMembers.groupId, groupId), eq(guaranteeGroupMembers.active, true)));
  return { ...group, memberCount: count?.n ?? 0 };
}

/** Groups the caller may see, newest first, with their members' ids. */
export async function listGroups(
  db: Db,
  filter: { visibleTo: Principal; status?: GroupStatus; marketId?: string },
  limit: number,
  after: Cursor | null,
) {
  const page = newestFirst(guaranteeGroups.createdAt, guaranteeGroups.id, after);
  const rows = await db
    .select()
    .from(guaranteeGroups)
    .where(
      and(
        visibleTo(filter.visibleTo, {
          marketId: guaranteeGroups.marketId,
          partnerId: guaranteeGroups.partnerId,
        }),
        filter.status ? eq(guaranteeGroups.status, filter.status) : undefined,
        filter.marketId ? eq(guaranteeGroups.marketId, filter.marketId) : undefined,
        page.after,
      ),
    )
    .orderBy(...page.order)
    .limit(limit);
  const members = rows.length
    ? await db
        .select({
          groupId: guaranteeGroupMembers.groupId,
          merchantId: guaranteeGroupMembers.merchantId,
        })
        .from(guaranteeGroupMembers)
        .where(
          inArray(
            guaranteeGroupMembers.groupId,
            rows.map((r) => r.id),
          ),
        )
        .orderBy(guaranteeGroupMembers.merchantId)
    : [];
  return rows.map((row) => ({
    ...row,
    memberIds: members.filter((m) => m.groupId === row.id).map((m) => m.merchantId),
  }));
}

export async function findGroup(db: Db, id: string): Promise<GroupRow | undefined> {
  const [row] = await db.select().from(guaranteeGroups).where(eq(guaranteeGroups.id, id));
  return row;
}

export async function activeMemberCount(db: Db, groupId: string) {
  const rows = await db
    .select({ merchantId: guaranteeGroupMembers.merchantId })
    .from(guaranteeGroupMembers)
    .where(and(eq(guaranteeGroupMembers.groupId, groupId), eq(guaranteeGroupMembers.active, true)));
  return rows.length;
}

export async function groupApplications(db: Db, groupId: string): Promise<ApplicationRow[]> {
  return db.select().from(applications).where(eq(applications.guaranteeGroupId, groupId));
}

/** A new forming group and its members. */
export async function insertGroup(
  tx: Db,
  group: typeof guaranteeGroups.$inferInsert,
  memberIds: string[],
): Promise<void> {
  await tx.insert(guaranteeGroups).values(group);
  await tx
    .insert(guaranteeGroupMembers)
    .values(memberIds.map((merchantId) => ({ groupId: group.id, merchantId, active: true })));
}

export async function setGroupStatus(
  db: Db,
  groupId: string,
  status: GroupStatus,
  now: Date,
  decision?: StoredGroupDecision,
) {
  await db
    .update(guaranteeGroups)
    .set({ status, updatedAt: now, ...(decision === undefined ? {} : { decision }) })
    .where(eq(guaranteeGroups.id, groupId));
}

/** The members are free to join another group. */
export async function freeMembers(db: Db, groupId: string) {
  await db
    .update(guaranteeGroupMembers)
    .set({ active: false })
    .where(eq(guaranteeGroupMembers.groupId, groupId));
}

/** The group's offers in one of `statuses`, except `exceptId`. */
export async function groupOffers(
  db: Db,
  groupId: string,
  statuses: readonly OfferStatus[],
  exceptId = '',
): Promise<OfferRow[]> {
  return db
    .select()
    .from(offers)
    .where(
      and(
        eq(offers.guaranteeGroupId, groupId),
        inArray(offers.status, [...statuses]),
        ne(offers.id, exceptId),
      ),
    );
}

/** Moves the offers of these applications that are in `from` to `status`; the offers moved. */
export async function moveOffersOf(
  db: Db,
  applicationIds: string[],
  from: OfferStatus,
  change: { status: OfferStatus; expiresAt?: Date },
  now: Date,
) {
  if (applicationIds.length === 0) return [];
  return db
    .update(offers)
    .set({ ...change, updatedAt: now })
    .where(and(inArray(offers.applicationId, applicationIds), eq(offers.status, from)))
    .returning();
}

export async function bookGroupOffers(db: Db, groupId: string, now: Date) {
  await db
    .update(offers)
    .set({ status: 'booked', updatedAt: now })
    .where(and(eq(offers.guaranteeGroupId, groupId), eq(offers.status, 'accepted')));
}

/** What GET /v1/guarantee-groups/:id shows: members by name, their applications and offers. */
export async function groupParts(db: Db, groupId: string) {
  const [members, apps, groupOfferRows] = await Promise.all([
    db
      .select({ merchantId: guaranteeGroupMembers.merchantId, name: merchants.name })
      .from(guaranteeGroupMembers)
      .innerJoin(merchants, eq(merchants.id, guaranteeGroupMembers.merchantId))
      .where(eq(guaranteeGroupMembers.groupId, groupId))
      .orderBy(merchants.name),
    db
      .select({
        id: applications.id,
        merchantId: applications.merchantId,
        status: applications.status,
      })
      .from(applications)
      .where(eq(applications.guaranteeGroupId, groupId)),
    db
      .select({ id: offers.id, merchantId: offers.merchantId, status: offers.status })
      .from(offers)
      .where(eq(offers.guaranteeGroupId, groupId)),
  ]);
  return { members, apps, offers: groupOfferRows };
}

// ---------------------------------------------------------------------------------------------
// Exposure

/** A partner sees the lines of applications it submitted, never another tenant's. */
const submittedBy = (db: Db, partnerId: string | null) =>
  partnerId === null
    ? undefined
    : inArray(
        offers.applicationId,
        db
          .select({ id: applications.id })
          .from(applications)
          .where(eq(applications.partnerId, partnerId)),
      );

/** The taken loans of the merchant's group partners, in every group it ever joined. */
export async function guaranteedOffersOf(db: Db, merchantId: string, partnerId: string | null) {
  const groups = await db
    .select({ groupId: guaranteeGroupMembers.groupId })
    .from(guaranteeGroupMembers)
    .where(eq(guaranteeGroupMembers.merchantId, merchantId));
  if (groups.length === 0) return [];
  return db
    .select()
    .from(offers)
    .where(
      and(
        inArray(
          offers.guaranteeGroupId,
          groups.map((g) => g.groupId),
        ),
        ne(offers.merchantId, merchantId),
        inArray(offers.status, [...TAKEN_OFFER_STATUSES]),
        submittedBy(db, partnerId),
      ),
    );
}

/**
 * The live loans (open or taken) this merchant guarantees as an individual guarantor (issue #16):
 * the application's largest live offer and the amount guaranteed (at most that offer).
 */
export async function individualGuaranteesOf(
  db: Db,
  merchantId: string,
  partnerId: string | null,
): Promise<IndividualGuaranteeLine[]> {
  const result = await db.execute(sql`
    select ag.application_id, ag.amount as guaranteed, ag.consented_at, lv.offer_id,
      lv.merchant_id, lv.amount, lv.status
    from application_guarantors ag
    join applications a on a.id = ag.application_id
    cross join lateral (
      select o.id as offer_id, o.merchant_id, o.amount, o.status from offers o
      where o.application_id = ag.application_id and o.status in ${LIVE}
      order by o.amount desc, o.id limit 1
    ) lv
    where ag.merchant_id = ${merchantId}
      and (${partnerId}::text is null or a.partner_id = ${partnerId}::text)
    order by ag.application_id`);
  return (result as unknown as { rows: Record<string, unknown>[] }).rows.map((r) => ({
    applicationId: String(r.application_id),
    offerId: String(r.offer_id),
    borrowerMerchantId: String(r.merchant_id),
    loanAmount: Number(r.amount),
    amount: Math.min(Number(r.guaranteed), Number(r.amount)),
    status: r.status as IndividualGuaranteeLine['status'],
    consentedAt: new Date(r.consented_at as string),
  }));
}

export interface IndividualGuaranteeLine {
  applicationId: string;
  offerId: string;
  borrowerMerchantId: string;
  /** Fen: the loan (or open offer) guaranteed. */
  loanAmount: number;
  /** Fen: what this guarantor owes if it is called, at most the loan. */
  amount: number;
  status: (typeof OFFER_STATUSES)[number];
  consentedAt: Date;
}
