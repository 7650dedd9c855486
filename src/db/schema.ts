import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

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
    role: text('role', { enum: ['officer', 'reviewer', 'partner', 'risk', 'admin'] }).notNull(),
    name: text('name').notNull(),
    marketIds: text('market_ids').array().notNull().default(sql`'{}'::text[]`),
    partnerId: text('partner_id'),
    createdBy: text('created_by'),
    createdAt: createdAt(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
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
    agreementStatus: text('agreement_status', { enum: ['active', 'suspended'] }).notNull(),
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
    category: text('category', {
      enum: ['building_materials', 'furniture', 'small_commodities', 'produce', 'other'],
    }).notNull(),
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
  ],
);

export const policies = pgTable(
  'policies',
  {
    id: text('id').primaryKey(),
    version: integer('version').notNull(),
    status: text('status', { enum: ['draft', 'published', 'retired'] }).notNull(),
    document: jsonb('document').notNull(),
    createdBy: text('created_by'),
    createdAt: createdAt(),
    publishedBy: text('published_by'),
    publishedAt: timestamp('published_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('policies_version_uq').on(t.version)],
);

/** Which published policy decides live traffic: one champion, at most one challenger. */
export const policyActivations = pgTable('policy_activations', {
  role: text('role', { enum: ['champion', 'challenger'] }).primaryKey(),
  policyId: text('policy_id')
    .notNull()
    .references(() => policies.id),
  share: integer('share_bps').notNull().default(10_000),
  activatedBy: text('activated_by'),
  activatedAt: timestamp('activated_at', { withTimezone: true }).notNull().defaultNow(),
});
