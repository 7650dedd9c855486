/**
 * All of origination's SQL: applications, decisions, offers, guarantee groups and the
 * exposure they add up to. Use cases call these functions and never build queries.
 */
import { and, desc, eq, gte, inArray, lt, ne, or, sql } from 'drizzle-orm';
import type { Db, NamedStatement } from '../../db/connect';
import { isUniqueViolation } from '../../db/database-errors';
import { toRecord } from '../../db/records';
import {
  applications,
  auditEvents,
  decisions,
  guaranteeGroupMembers,
  guaranteeGroups,
  markets,
  merchantPartnerLinks,
  merchants,
  offers,
  operators,
} from '../../db/schema';
import type { StatementWriter } from '../../db/statement';
import type { Cursor } from '../../lib/cursor';
import type { Principal } from '../../lib/principal';
import { AnswerPart, type AnswerRef, KeyTaken } from '../../platform/command';
import { visibleTo } from '../merchants/access';
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
  /** Operator capacity to hold for an operator-guaranteed offer, if any. */
  reservation: { operatorId: string; amount: number } | null;
  /** Where the platform stores the answer (the hot path), and the answer. */
  answer: { part: AnswerPart; status: number; body: unknown; ref: AnswerRef | null } | null;
}

export type DecisionWriteResult = 'written' | 'capacity_taken' | KeyTaken;

const ANSWER = AnswerPart.sql(7, '(select go from ok)');

/**
 * A decision and everything it changes in ONE statement (data-modifying CTEs are atomic like a
 * transaction): the capacity reservation, the application, the decision, its offers, the audit
 * events and, on the hot path, the idempotent answer. Nothing is written unless every guard in
 * `gate` holds: the reservation (a conditional UPDATE: concurrent offers never oversubscribe
 * an operator) and the key still being this attempt's. A further guard (the next issue's
 * per-merchant exposure ledger) is one more conditional UPDATE and one more column of `gate`.
 * Rows travel as JSON records, so the text is fixed and PostgreSQL plans it once per connection.
 */
const RECORD_DECISION: NamedStatement = {
  name: 'record_decision_v1',
  text: `
    with reserve as (
      update operators set reserved = reserved + $2::bigint
      where $1::text is not null and id = $1::text and agreement_status = 'active'
        and capacity - used - reserved >= $2::bigint
      returning id
    ),
    gate as (
      select ($1::text is null or exists (select 1 from reserve)) as reserved,
             ${ANSWER.held} as claimed
    ),
    ok as (select reserved and claimed as go from gate),
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
    ${ANSWER.ctes}
    select reserved, claimed from gate`,
};

export async function recordDecision(
  writer: StatementWriter,
  w: DecisionWrite,
): Promise<DecisionWriteResult> {
  const r = w.reservation;
  const part = w.answer?.part ?? AnswerPart.of(null);
  try {
    const [row] = await writer.run<{ reserved: boolean; claimed: boolean }>(RECORD_DECISION, [
      r?.operatorId ?? null,
      r?.amount ?? 0,
      JSON.stringify(toRecord(applications, w.application)),
      JSON.stringify(toRecord(decisions, w.decision)),
      JSON.stringify(w.offers.map((o) => toRecord(offers, o))),
      JSON.stringify(w.events.map((e) => toRecord(auditEvents, e))),
      ...part.values(w.answer?.status ?? 0, w.answer?.body ?? null, w.answer?.ref ?? null),
    ]);
    if (!row?.claimed) return part.lost();
    if (!row.reserved) return 'capacity_taken';
    return 'written';
  } catch (err) {
    if (part.collided(err)) return new KeyTaken();
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// Applicants and applications

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
  const conditions = [
    visibleTo(filter.visibleTo, {
      marketId: applications.marketId,
      partnerId: applications.partnerId,
    }),
    filter.status ? eq(applications.status, filter.status as ApplicationStatus) : undefined,
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
  await db.update(offers).set({ status, updatedAt: now }).where(eq(offers.id, id));
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

/** Members among `merchantIds` already in an active group. */
export async function membersInActiveGroups(db: Db, merchantIds: string[]) {
  const rows = await db
    .select({ merchantId: guaranteeGroupMembers.merchantId })
    .from(guaranteeGroupMembers)
    .where(
      and(
        inArray(guaranteeGroupMembers.merchantId, merchantIds),
        eq(guaranteeGroupMembers.active, true),
      ),
    );
  return rows.map((r) => r.merchantId);
}

/** A new forming group and its members; 'member_busy' when the one-active-group index refuses. */
export async function insertGroup(
  tx: Db,
  group: typeof guaranteeGroups.$inferInsert,
  memberIds: string[],
): Promise<'inserted' | 'member_busy'> {
  try {
    await tx.insert(guaranteeGroups).values(group);
    await tx
      .insert(guaranteeGroupMembers)
      .values(memberIds.map((merchantId) => ({ groupId: group.id, merchantId, active: true })));
    return 'inserted';
  } catch (err) {
    if (isUniqueViolation(err)) return 'member_busy';
    throw err;
  }
}

export async function setGroupStatus(
  db: Db,
  groupId: string,
  status: GroupStatus,
  now: Date,
  decision?: unknown,
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

/** Moves the offers of these applications that are in `from` to `status`. */
export async function moveOffersOf(
  db: Db,
  applicationIds: string[],
  from: OfferStatus,
  change: { status: OfferStatus; expiresAt?: Date },
  now: Date,
) {
  if (applicationIds.length === 0) return;
  await db
    .update(offers)
    .set({ ...change, updatedAt: now })
    .where(and(inArray(offers.applicationId, applicationIds), eq(offers.status, from)));
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

/** The merchant's taken offers (loans and card limits). */
export async function takenOffersOf(db: Db, merchantId: string, partnerId: string | null) {
  return db
    .select()
    .from(offers)
    .where(
      and(
        eq(offers.merchantId, merchantId),
        inArray(offers.status, [...TAKEN_OFFER_STATUSES]),
        submittedBy(db, partnerId),
      ),
    );
}

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
