import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  customType,
  date,
  index,
  integer,
  jsonb,
  pgSequence,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
// Types only: the stored JSON has the credit model's shapes (db may read credit, never the reverse).
import type {
  Decision,
  DecisionContext,
  ScheduleRow,
  StoredGroupDecision,
  Survey,
} from '../credit';
import {
  AGREEMENT_STATUSES,
  APPLICATION_STATUSES,
  BUSINESS_FORMS,
  DECISION_SOURCES,
  GROUP_STATUSES,
  LOAN_PERFORMANCE_STATUSES,
  MARKET_CATEGORIES,
  OFFER_STATUSES,
  OUTCOMES,
  POLICY_ARMS,
  POLICY_STATUSES,
  PRODUCTS,
  ROLES,
} from './vocabulary';

/** Money is integer fen; `mode: 'number'` is safe below 2^53 fen (90 trillion 元). */
const fen = (name: string) => bigint(name, { mode: 'number' });
const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const apiKeys = pgTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    /** Public part of the secret, used to find the row; the secret itself is only hashed. */
    prefix: text('prefix').notNull(),
    secretHash: text('secret_hash').notNull(),
    role: text('role', { enum: ROLES }).notNull(),
    name: text('name').notNull(),
    /** The person the key belongs to (src/lib/owner.ts): four-eyes rules compare owners. */
    owner: text('owner').notNull(),
    marketIds: text('market_ids').array().notNull().default(sql`'{}'::text[]`),
    partnerId: text('partner_id'),
    createdBy: text('created_by'),
    createdAt: createdAt(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    /** After this instant the key no longer authenticates; null: until revoked. */
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    /** When the key last authenticated, to the minute (written at most once a minute). */
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('api_keys_prefix_uq').on(t.prefix),
    index('api_keys_created_idx').on(t.createdAt, t.id),
  ],
);

export const operators = pgTable(
  'operators',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    capacity: fen('capacity').notNull(),
    perMerchantCap: fen('per_merchant_cap').notNull(),
    maxTermMonths: integer('max_term_months').notNull(),
    depositRatioBps: integer('deposit_ratio_bps').notNull(),
    agreementStatus: text('agreement_status', { enum: AGREEMENT_STATUSES }).notNull(),
    /** Guarantee capacity taken by booked loans and held by open offers. */
    used: fen('used').notNull().default(0),
    reserved: fen('reserved').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    check(
      'operators_capacity_ck',
      sql`${t.used} >= 0 and ${t.reserved} >= 0 and ${t.used} + ${t.reserved} <= ${t.capacity}`,
    ),
    index('operators_created_idx').on(t.createdAt, t.id),
  ],
);

export const markets = pgTable(
  'markets',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    city: text('city').notNull(),
    category: text('category', { enum: MARKET_CATEGORIES }).notNull(),
    operatorId: text('operator_id').references(() => operators.id),
    createdAt: createdAt(),
  },
  (t) => [index('markets_created_idx').on(t.createdAt, t.id)],
);

export const merchants = pgTable(
  'merchants',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    /** Keyed digest for matching (duplicates, guarantee groups) and a masked copy for display. */
    idNumberDigest: text('id_number_digest').notNull(),
    idNumberMasked: text('id_number_masked').notNull(),
    phoneDigest: text('phone_digest').notNull(),
    phoneMasked: text('phone_masked').notNull(),
    businessForm: text('business_form', { enum: BUSINESS_FORMS }),
    marketId: text('market_id')
      .notNull()
      .references(() => markets.id),
    stallNo: text('stall_no').notNull(),
    leaseEndsOn: date('lease_ends_on', { mode: 'string' }),
    partnerId: text('partner_id'),
    createdBy: text('created_by'),
    createdAt: createdAt(),
  },
  (t) => [
    index('merchants_market_idx').on(t.marketId, t.createdAt, t.id),
    index('merchants_created_idx').on(t.createdAt, t.id),
    index('merchants_id_digest_idx').on(t.idNumberDigest),
    uniqueIndex('merchants_market_identity_uq').on(t.marketId, t.idNumberDigest),
  ],
);

/**
 * Which partners onboarded a merchant. A person is one merchant per market whoever onboards
 * them; each partner sees the merchant through its own link, never through another's.
 */
export const merchantPartnerLinks = pgTable(
  'merchant_partner_links',
  {
    merchantId: text('merchant_id')
      .notNull()
      .references(() => merchants.id),
    partnerId: text('partner_id').notNull(),
    createdBy: text('created_by'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.merchantId, t.partnerId] }),
    index('merchant_partner_links_partner_idx').on(t.partnerId, t.createdAt, t.merchantId),
  ],
);

export const policies = pgTable(
  'policies',
  {
    id: text('id').primaryKey(),
    version: integer('version').notNull(),
    status: text('status', { enum: POLICY_STATUSES }).notNull(),
    document: jsonb('document').$type<Record<string, unknown>>().notNull(),
    /** Whether the document validated (and passed its test cases) when written; null: not checked. */
    valid: boolean('valid'),
    createdBy: text('created_by'),
    /** Owners of every key that created or changed the draft: none of them may publish it. */
    authors: text('authors').array().notNull().default(sql`'{}'::text[]`),
    createdAt: createdAt(),
    publishedBy: text('published_by'),
    publishedAt: timestamp('published_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('policies_version_uq').on(t.version)],
);

/** Which published policy decides live traffic: one champion, at most one challenger. */
export const policyActivations = pgTable('policy_activations', {
  role: text('role', { enum: POLICY_ARMS }).primaryKey(),
  policyId: text('policy_id')
    .notNull()
    .references(() => policies.id),
  share: integer('share_bps').notNull().default(10_000),
  activatedBy: text('activated_by'),
  activatedAt: timestamp('activated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Append-only audit trail: every state change, who, when, and the request that caused it. */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: text('id').primaryKey(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id').notNull(),
    action: text('action').notNull(),
    actorKeyId: text('actor_key_id'),
    actorRole: text('actor_role'),
    /** The person behind the key (null on events written before owners existed, if unknown). */
    actorOwner: text('actor_owner'),
    requestId: text('request_id'),
    data: jsonb('data').$type<Record<string, unknown>>(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    /** Order of writing: the events of one request share one instant. */
    seq: bigserial('seq', { mode: 'number' }).notNull(),
  },
  (t) => [index('audit_events_entity_idx').on(t.entityId, t.at)],
);

/** Stored answers for Idempotency-Key, scoped to the API key, kept 24 hours. */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    apiKeyId: text('api_key_id').notNull(),
    key: text('key').notNull(),
    method: text('method').notNull(),
    path: text('path').notNull(),
    requestHash: text('request_hash').notNull(),
    /** Which attempt holds the key: a stale attempt cannot store its answer over a newer one. */
    lockToken: text('lock_token').notNull(),
    /** Null while the first request is in flight. */
    responseStatus: integer('response_status'),
    /** The answer as sent; null when `responseRef` rebuilds it. */
    responseBody: jsonb('response_body'),
    /**
     * Where the answer is rebuilt from, byte for byte (`{kind, ref}`; src/platform/command.ts):
     * a submission's answer is its application, decision and offers, already stored.
     */
    responseRef: jsonb('response_ref'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    /** An expired key is claimed again by the next request that uses it (no query needs an index). */
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.apiKeyId, t.key] })],
);

export const guaranteeGroups = pgTable(
  'guarantee_groups',
  {
    id: text('id').primaryKey(),
    marketId: text('market_id')
      .notNull()
      .references(() => markets.id),
    /** forming -> offered | referred | declined; referred -> offered | declined (review); offered -> active (all accepted) | dissolved. */
    status: text('status', { enum: GROUP_STATUSES }).notNull(),
    partnerId: text('partner_id'),
    createdBy: text('created_by'),
    decision: jsonb('decision').$type<StoredGroupDecision>(),
    /** The guarantee-network figures and findings seen at formation (issue #16); null before. */
    network: jsonb('network'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('guarantee_groups_market_idx').on(t.marketId, t.createdAt, t.id)],
);

export const guaranteeGroupMembers = pgTable(
  'guarantee_group_members',
  {
    groupId: text('group_id')
      .notNull()
      .references(() => guaranteeGroups.id),
    merchantId: text('merchant_id')
      .notNull()
      .references(() => merchants.id),
    /** False once the group is declined or dissolved: it no longer counts in the member's groups. */
    active: boolean('active').notNull().default(true),
  },
  (t) => [
    primaryKey({ columns: [t.groupId, t.merchantId] }),
    // A merchant's live groups, counted under lock at formation against the policy's
    // jointGuarantee.maxGroupsPerMerchant (issue #16: a merchant may sit in more than one).
    index('guarantee_group_members_live_idx').on(t.merchantId).where(sql`${t.active}`),
  ],
);

export const applications = pgTable(
  'applications',
  {
    id: text('id').primaryKey(),
    merchantId: text('merchant_id')
      .notNull()
      .references(() => merchants.id),
    /** Copied from the merchant: officers are authorised and lists filtered by market. */
    marketId: text('market_id').notNull(),
    partnerId: text('partner_id'),
    submittedBy: text('submitted_by').notNull(),
    status: text('status', { enum: APPLICATION_STATUSES }).notNull(),
    product: text('product').notNull(),
    amount: fen('amount').notNull(),
    termMonths: integer('term_months').notNull(),
    purpose: text('purpose').notNull(),
    guaranteeGroupId: text('guarantee_group_id'),
    survey: jsonb('survey').$type<Survey>().notNull(),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('applications_created_idx').on(t.createdAt, t.id),
    index('applications_market_idx').on(t.marketId, t.createdAt, t.id),
    // The queues (submitted: a group member waiting for its group; referred: a reviewer's), a
    // few rows each. A list of a common status (approved, declined, ...) reads the created or
    // market index and filters: most rows match, so an index entry per application (written on
    // every submission and status change) would buy little (issue #11).
    index('applications_queue_idx')
      .on(t.status, t.createdAt, t.id)
      .where(sql`${t.status} in ('submitted', 'referred')`),
    // Most applications are no group member's.
    index('applications_group_idx')
      .on(t.guaranteeGroupId)
      .where(sql`${t.guaranteeGroupId} is not null`),
  ],
);

export const decisions = pgTable(
  'decisions',
  {
    id: text('id').primaryKey(),
    applicationId: text('application_id')
      .notNull()
      .references(() => applications.id),
    policyId: text('policy_id').notNull(),
    policyVersion: integer('policy_version').notNull(),
    arm: text('arm', { enum: POLICY_ARMS }).notNull(),
    /** model: the credit model; review: a reviewer's approval or decline. */
    source: text('source', { enum: DECISION_SOURCES }).notNull(),
    outcome: text('outcome', { enum: OUTCOMES }).notNull(),
    score: integer('score').notNull(),
    grade: text('grade').notNull(),
    /** The whole explained result of decide(): metrics, points, reasons, offers proposed. */
    result: jsonb('result').$type<Decision>().notNull(),
    /** The context decide() was given, so a replay reproduces it exactly. */
    context: jsonb('context').$type<DecisionContext>().notNull(),
    decidedBy: text('decided_by'),
    note: text('note'),
    createdAt: createdAt(),
  },
  (t) => [
    index('decisions_application_idx').on(t.applicationId),
    index('decisions_policy_idx').on(t.policyId, t.createdAt),
  ],
);

export const offers = pgTable(
  'offers',
  {
    id: text('id').primaryKey(),
    applicationId: text('application_id')
      .notNull()
      .references(() => applications.id),
    decisionId: text('decision_id').notNull(),
    merchantId: text('merchant_id').notNull(),
    marketId: text('market_id').notNull(),
    product: text('product', { enum: PRODUCTS }).notNull(),
    amount: fen('amount').notNull(),
    termMonths: integer('term_months').notNull(),
    annualRateBps: integer('annual_rate_bps').notNull(),
    method: text('method').notNull(),
    /**
     * Null: the schedule is the one its decision proposed (decisions.result, stored once and never
     * changed, so what the merchant accepted stays as it was). Offers made before migration 0011
     * keep their own copy.
     */
    schedule: jsonb('schedule').$type<ScheduleRow[]>(),
    totalInterest: fen('total_interest').notNull(),
    /**
     * Fen: what the offer costs the borrower each month (a loan's highest instalment, a card's
     * payment on its full limit: src/credit monthlyInstalmentOf), counted in the exposure ledger.
     */
    monthlyInstalment: fen('monthly_instalment').notNull().default(0),
    /** When the merchant accepted: its schedule runs from here (outstanding principal as of a date). */
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    /** Operator whose guarantee capacity this offer holds (operator_guarantee only). */
    operatorId: text('operator_id'),
    reservedAmount: fen('reserved_amount').notNull().default(0),
    guaranteeGroupId: text('guarantee_group_id'),
    status: text('status', { enum: OFFER_STATUSES }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('offers_application_idx').on(t.applicationId),
    // The exposure ledger reads a borrower's live offers (open or taken); most offers end unused.
    index('offers_live_merchant_idx')
      .on(t.merchantId)
      .where(sql`${t.status} in ('pending', 'offered', 'accepted', 'booked')`),
    // Contingent liabilities: the live loans of a group's members.
    index('offers_live_group_idx')
      .on(t.guaranteeGroupId)
      .where(
        sql`${t.guaranteeGroupId} is not null and ${t.status} in ('pending', 'offered', 'accepted', 'booked')`,
      ),
    // The expiry job looks for open offers past their date; only open offers need entries.
    index('offers_expiry_idx').on(t.expiresAt).where(sql`${t.status} = 'offered'`),
  ],
);

/**
 * Individual guarantors (保证人, issue #16) an application names: other merchants of its market,
 * each with its recorded consent and the amount (fen) it guarantees. Written once with the
 * application; counted in the guarantor's exposure (contingent) while the loan is live.
 */
export const applicationGuarantors = pgTable(
  'application_guarantors',
  {
    applicationId: text('application_id')
      .notNull()
      .references(() => applications.id),
    merchantId: text('merchant_id')
      .notNull()
      .references(() => merchants.id),
    /** Fen: the most the guarantor pays for this loan. */
    amount: fen('amount').notNull(),
    /** Where the guarantor's consent is recorded (a signed form's reference), never personal data. */
    consentRef: text('consent_ref').notNull(),
    consentedAt: timestamp('consented_at', { withTimezone: true }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.applicationId, t.merchantId] }),
    index('application_guarantors_merchant_idx').on(t.merchantId),
    check('application_guarantors_amount_ck', sql`${t.amount} > 0`),
  ],
);

/**
 * The guarantee network (issue #16): one edge from guarantor to borrower for every live
 * guarantee, weighted by the amount guaranteed (fen). Three sources:
 *  - `group`: each active member of a live guarantee group guarantees each other member's loans
 *    in that group (one edge per group, guarantor and borrower, from the group's formation on;
 *    the amount is the borrower's live offers in the group, open or taken, as the ledger's
 *    contingent counts them, so 0 until the group is decided);
 *  - `individual`: a merchant named as guarantor of an application, while the application has a
 *    live offer (amount: what it guarantees, at most the live offer);
 *  - `operator`: a market operator for each operator-guaranteed loan taken (accepted or booked).
 * Written by one function (repository `settleEdges`), in the transaction and under the ledger
 * locks of every command that settles the exposure ledger; `id` is the guarantee's natural key
 * (source, group or application, guarantor, borrower), so a settle rewrites an edge in place.
 */
export const guaranteeEdges = pgTable(
  'guarantee_edges',
  {
    id: text('id').primaryKey(),
    marketId: text('market_id').notNull(),
    guarantorKind: text('guarantor_kind', { enum: ['merchant', 'operator'] }).notNull(),
    /** A merchant id or an operator id (per guarantorKind). */
    guarantorId: text('guarantor_id').notNull(),
    borrowerMerchantId: text('borrower_merchant_id').notNull(),
    source: text('source', { enum: ['group', 'individual', 'operator'] }).notNull(),
    groupId: text('group_id'),
    applicationId: text('application_id'),
    offerId: text('offer_id'),
    /** Fen: the amount guaranteed. */
    amountFen: bigint('amount_fen', { mode: 'number' }).notNull(),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('guarantee_edges_market_idx').on(t.marketId),
    index('guarantee_edges_guarantor_idx').on(t.guarantorId),
    index('guarantee_edges_borrower_idx').on(t.borrowerMerchantId),
    check('guarantee_edges_amount_ck', sql`${t.amountFen} >= 0`),
  ],
);

/**
 * Where the versions of guarantee_network_versions come from: a value is never handed out twice,
 * not even by a transaction that rolled back, so a version names one state of a market's edges.
 */
export const guaranteeNetworkVersionSeq = pgSequence('guarantee_network_version_seq');

/**
 * The version of each market's guarantee links (issue #16 item 5): `settleEdges` sets it to a
 * fresh value of guarantee_network_version_seq in the statement that adds or removes a merchant's
 * guarantee of a merchant there (an amount moving changes no version), so the row lock orders
 * those writers until they commit. A service caches a market's network tagged with the version
 * read in the same snapshot, and uses it only while a check's own transaction reads that version
 * (ADR 0011). No row: the edges as no settle has changed them yet (version 0).
 */
export const guaranteeNetworkVersions = pgTable('guarantee_network_versions', {
  marketId: text('market_id').primaryKey(),
  version: bigint('version', { mode: 'number' }).notNull(),
  /** The version this one followed (0: none, or the row was written before 0017). */
  previousVersion: bigint('previous_version', { mode: 'number' }).notNull().default(0),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * What each version of a market's guarantee links changed (ADR 0011, change log): the merchant
 * guarantees of merchants that went (`removed`) and came (`added`), each [guarantor, borrower,
 * group id or null], written by `settleEdges` in the statement that gives the market `version`,
 * which followed `previousVersion`. A cache at the previous version applies them instead of
 * reading the whole market again; a gap in the chain (rows pruned, or a version set without a
 * row) sends it back to a full read. The offer-expiry job keeps the latest 1,000 per market.
 */
export const guaranteeNetworkChanges = pgTable(
  'guarantee_network_changes',
  {
    marketId: text('market_id').notNull(),
    version: bigint('version', { mode: 'number' }).notNull(),
    previousVersion: bigint('previous_version', { mode: 'number' }).notNull(),
    added: jsonb('added').$type<[string, string, string | null][]>().notNull(),
    removed: jsonb('removed').$type<[string, string, string | null][]>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.marketId, t.version] })],
);

/** Loan performance over time, recorded per offer and date (idempotent on that pair). */
export const outcomes = pgTable(
  'outcomes',
  {
    id: text('id').primaryKey(),
    offerId: text('offer_id')
      .notNull()
      .references(() => offers.id),
    applicationId: text('application_id').notNull(),
    decisionId: text('decision_id').notNull(),
    status: text('status', { enum: LOAN_PERFORMANCE_STATUSES }).notNull(),
    asOf: date('as_of', { mode: 'string' }).notNull(),
    recordedBy: text('recorded_by'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('outcomes_offer_as_of_uq').on(t.offerId, t.asOf),
    index('outcomes_decision_idx').on(t.decisionId),
  ],
);

/**
 * The exposure ledger (issue #12): one row per borrower, a person by identity-number digest
 * whichever partner onboarded them and in whichever market they trade, with what the lender has
 * at stake with it. Written only by the statements that change offers (repository.ts:
 * `recordDecision` adds a new application's offers under a version check; `settleLedgers`
 * recomputes the row from the offers under its lock), never by a batch job. Amounts as granted;
 * what is outstanding as of a date is computed from the taken loans' schedules.
 */
export const exposureLedger = pgTable(
  'exposure_ledger',
  {
    /** merchants.id_number_digest (a keyed digest, never the number). */
    borrower: text('borrower').primaryKey(),
    /** Bumped by every write: a decision written against an older version is decided again. */
    version: bigint('version', { mode: 'number' }).notNull().default(0),
    /** Open offers: each application's largest (only one of them can be taken). */
    held: fen('held').notNull().default(0),
    heldInstalments: fen('held_instalments').notNull().default(0),
    /** Taken loans (principal as granted) and card limits granted. */
    loans: fen('loans').notNull().default(0),
    cardLimits: fen('card_limits').notNull().default(0),
    takenInstalments: fen('taken_instalments').notNull().default(0),
    /** Per product: its open offers and taken loans or limits. */
    operatorGuarantee: fen('operator_guarantee').notNull().default(0),
    jointGuarantee: fen('joint_guarantee').notNull().default(0),
    creditLoan: fen('credit_loan').notNull().default(0),
    creditCard: fen('credit_card').notNull().default(0),
    /** What the borrower guarantees for others: its guarantee-group partners' live loans. */
    contingent: fen('contingent').notNull().default(0),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    check(
      'exposure_ledger_non_negative_ck',
      sql`least(${t.held}, ${t.heldInstalments}, ${t.loans}, ${t.cardLimits}, ${t.takenInstalments}, ${t.operatorGuarantee}, ${t.jointGuarantee}, ${t.creditLoan}, ${t.creditCard}, ${t.contingent}) >= 0`,
    ),
  ],
);

/** A transaction id (PostgreSQL `xid8`, 64 bits, never wraps), read as a decimal string. */
const xid8 = customType<{ data: string; driverData: string }>({ dataType: () => 'xid8' });

/**
 * The transactional outbox (issue #14): one row per event partners may consume, written in the
 * same statement or transaction as the change it reports, never updated. `data` is a small
 * snapshot of ids, statuses and amounts: never personal data.
 *
 * The feed (GET /v1/events) reads forward in (txId, seq) order and only rows of transactions
 * older than every transaction still running (`pg_snapshot_xmin`): a bigserial is drawn before
 * its transaction commits, so ordering by seq alone would let a poller's cursor pass an event
 * that commits later with a smaller number. Rows only ever become readable at the end of this
 * order, so a cursor never skips one (src/modules/events/repository.ts).
 */
export const events = pgTable(
  'events',
  {
    id: text('id').primaryKey(),
    /** A public contract: application.decided, offer.accepted, ... (src/modules/events). */
    type: text('type').notNull(),
    objectType: text('object_type').notNull(),
    objectId: text('object_id').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    /** The tenant the event belongs to (a partner sees its own); null: the bank's own. */
    partnerId: text('partner_id'),
    /** For officers' scoping; null for events of no market (policies). */
    marketId: text('market_id'),
    /** The writing transaction; a statement's events share it and are ordered by seq. */
    txId: xid8('tx_id').notNull().default(sql`pg_current_xact_id()`),
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    // The feed: every event after a cursor, in order (admin, risk, reviewer; officers filter it).
    index('events_feed_idx').on(t.txId, t.seq),
    // A partner's feed: its own events after a cursor.
    index('events_partner_idx')
      .on(t.partnerId, t.txId, t.seq)
      .where(sql`${t.partnerId} is not null`),
  ],
);

/**
 * Webhook endpoints (issue #14): where a partner (or, with `partner_id` null, the bank) wants the
 * events of `event_types` POSTed. The signing secret is shown once and kept only encrypted
 * (AES-256-GCM under WEBHOOK_SECRET_KEY): a hash could not sign. Deleted endpoints are kept
 * (their deliveries refer to them) but receive nothing more.
 */
export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    id: text('id').primaryKey(),
    /** The tenant whose events it receives; null: a bank-level endpoint (every event). */
    partnerId: text('partner_id'),
    url: text('url').notNull(),
    eventTypes: text('event_types').array().notNull(),
    description: text('description'),
    /** `v1.` + base64url(iv | tag | ciphertext); the endpoint id is the associated data. */
    secretCiphertext: text('secret_ciphertext').notNull(),
    createdBy: text('created_by'),
    createdAt: createdAt(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [
    index('webhook_endpoints_partner_idx').on(t.partnerId, t.createdAt, t.id),
    index('webhook_endpoints_live_idx').on(t.createdAt).where(sql`${t.deletedAt} is null`),
  ],
);

/**
 * One event to send to one endpoint (src/modules/webhooks): fanned out from the events feed in
 * feed order, or scheduled again by a redelivery. `seq` orders one object's deliveries to one
 * endpoint: a delivery is claimed only when no earlier one of its (endpoint, object) is pending.
 * A claim is a lease (`lease_until`, `lease_token`): no transaction stays open over the HTTP
 * call, and a worker that dies holding one only delays the delivery until the lease ends.
 */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: text('id').primaryKey(),
    endpointId: text('endpoint_id')
      .notNull()
      .references(() => webhookEndpoints.id),
    eventId: text('event_id')
      .notNull()
      .references(() => events.id),
    objectId: text('object_id').notNull(),
    /** `feed` (fanned out once per endpoint and event) or `redelivery` (asked for again). */
    source: text('source').notNull(),
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    /** pending, delivered, dead (retries exhausted) or cancelled (its endpoint was deleted). */
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull(),
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    leaseToken: text('lease_token'),
    firstAttemptAt: timestamp('first_attempt_at', { withTimezone: true }),
    /** The last few attempts (at, statusCode, error, durationMs), newest last; bounded. */
    attemptLog: jsonb('attempt_log').$type<WebhookAttempt[]>().notNull().default([]),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    // A feed event reaches an endpoint once, whichever worker fans it out.
    uniqueIndex('webhook_deliveries_feed_once')
      .on(t.endpointId, t.eventId)
      .where(sql`${t.source} = 'feed'`),
    // The claim: due pending deliveries.
    index('webhook_deliveries_due_idx')
      .on(t.nextAttemptAt, t.seq)
      .where(sql`${t.status} = 'pending'`),
    // The order check: an earlier pending delivery of the same object to the same endpoint.
    index('webhook_deliveries_object_idx')
      .on(t.endpointId, t.objectId, t.seq)
      .where(sql`${t.status} = 'pending'`),
    index('webhook_deliveries_event_idx').on(t.eventId),
    // An endpoint's deliveries, newest first (GET /v1/webhook-endpoints/:id/deliveries).
    index('webhook_deliveries_endpoint_idx').on(t.endpointId, t.createdAt, t.id),
  ],
);

/** One delivery attempt as recorded (never the body, never the secret). */
export interface WebhookAttempt {
  at: string;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/**
 * The delivery worker's own cursor on the events feed: one row, locked by whichever worker fans
 * out (the others skip), and by a redelivery, so deliveries are numbered in the order committed.
 */
export const webhookFanout = pgTable('webhook_fanout', {
  id: text('id').primaryKey(),
  txId: xid8('tx_id').notNull(),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
