-- Issue #12: the exposure ledger, one row per borrower (a person by identity digest), kept by the
-- statements that change offers; offers gain their monthly cost and when they were accepted.
CREATE TABLE "exposure_ledger" (
	"borrower" text PRIMARY KEY NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL,
	"held" bigint DEFAULT 0 NOT NULL,
	"held_instalments" bigint DEFAULT 0 NOT NULL,
	"loans" bigint DEFAULT 0 NOT NULL,
	"card_limits" bigint DEFAULT 0 NOT NULL,
	"taken_instalments" bigint DEFAULT 0 NOT NULL,
	"operator_guarantee" bigint DEFAULT 0 NOT NULL,
	"joint_guarantee" bigint DEFAULT 0 NOT NULL,
	"credit_loan" bigint DEFAULT 0 NOT NULL,
	"credit_card" bigint DEFAULT 0 NOT NULL,
	"contingent" bigint DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "exposure_ledger_non_negative_ck" CHECK (least("exposure_ledger"."held", "exposure_ledger"."held_instalments", "exposure_ledger"."loans", "exposure_ledger"."card_limits", "exposure_ledger"."taken_instalments", "exposure_ledger"."operator_guarantee", "exposure_ledger"."joint_guarantee", "exposure_ledger"."credit_loan", "exposure_ledger"."credit_card", "exposure_ledger"."contingent") >= 0)
);
--> statement-breakpoint
DROP INDEX "offers_merchant_idx";--> statement-breakpoint
ALTER TABLE "offers" ADD COLUMN "monthly_instalment" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "offers" ADD COLUMN "accepted_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "offers_live_merchant_idx" ON "offers" USING btree ("merchant_id") WHERE "offers"."status" in ('pending', 'offered', 'accepted', 'booked');--> statement-breakpoint
CREATE INDEX "offers_live_group_idx" ON "offers" USING btree ("guarantee_group_id") WHERE "offers"."guarantee_group_id" is not null and "offers"."status" in ('pending', 'offered', 'accepted', 'booked');--> statement-breakpoint
-- The decision statement (repository.ts recordDecision) raises this when the ledger was written
-- and the operator's reservation then failed: the whole statement is undone and decided again.
CREATE OR REPLACE FUNCTION exposure_guards_disagreed() RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the exposure ledger and the operator reservation disagreed' USING ERRCODE = 'ML001';
END
$$;--> statement-breakpoint
-- What each offer made before the ledger costs a month: a loan's highest instalment, from the
-- schedule it was offered with (its own copy, or its decision's since migration 0011); a card's
-- limit as if drawn in full and repaid in equal instalments by its review (src/credit
-- monthlyInstalmentOf).
UPDATE "offers" o SET "monthly_instalment" = CASE
  WHEN o."product" = 'credit_card' THEN CASE
    WHEN o."annual_rate_bps" = 0 THEN round(o."amount"::numeric / o."term_months")::bigint
    ELSE round(o."amount"::numeric * (o."annual_rate_bps"::numeric / 120000)
      / (1 - power(1 + o."annual_rate_bps"::numeric / 120000, -o."term_months")))::bigint
  END
  ELSE coalesce(
    (SELECT max((r->>'payment')::bigint) FROM jsonb_array_elements(o."schedule") r),
    (SELECT max((r->>'payment')::bigint)
       FROM "decisions" d, jsonb_array_elements(d."result"->'offers') x, jsonb_array_elements(x->'schedule') r
      WHERE d."id" = o."decision_id" AND x->>'product' = o."product"),
    0)
END;--> statement-breakpoint
-- Taken offers: their schedules run from the acceptance the audit trail recorded.
UPDATE "offers" o SET "accepted_at" = coalesce(
  (SELECT min(e."at") FROM "audit_events" e WHERE e."entity_id" = o."id" AND e."action" = 'offer.accepted'),
  o."updated_at")
WHERE o."status" IN ('accepted', 'booked');--> statement-breakpoint
-- The ledger as the live offers imply it (the same definition as repository.ts settleLedgers).
INSERT INTO "exposure_ledger" ("borrower", "version", "held", "held_instalments", "loans", "card_limits",
  "taken_instalments", "operator_guarantee", "joint_guarantee", "credit_loan", "credit_card", "contingent", "updated_at")
WITH live AS (
  SELECT m."id_number_digest" AS borrower, o."application_id", o."product", o."amount",
         o."monthly_instalment", o."status" IN ('pending', 'offered') AS open
  FROM "offers" o JOIN "merchants" m ON m."id" = o."merchant_id"
  WHERE o."status" IN ('pending', 'offered', 'accepted', 'booked')
),
per_application AS (
  SELECT borrower, application_id,
         coalesce(max(amount) FILTER (WHERE open), 0) AS held,
         coalesce(max(monthly_instalment) FILTER (WHERE open), 0) AS held_instalments
  FROM live GROUP BY borrower, application_id
),
held AS (SELECT borrower, sum(held) AS held, sum(held_instalments) AS held_instalments FROM per_application GROUP BY borrower),
taken AS (
  SELECT borrower,
    sum(amount) FILTER (WHERE NOT open AND product <> 'credit_card') AS loans,
    sum(amount) FILTER (WHERE NOT open AND product = 'credit_card') AS card_limits,
    sum(monthly_instalment) FILTER (WHERE NOT open) AS taken_instalments,
    sum(amount) FILTER (WHERE product = 'operator_guarantee') AS operator_guarantee,
    sum(amount) FILTER (WHERE product = 'joint_guarantee') AS joint_guarantee,
    sum(amount) FILTER (WHERE product = 'credit_loan') AS credit_loan,
    sum(amount) FILTER (WHERE product = 'credit_card') AS credit_card
  FROM live GROUP BY borrower
),
contingent AS (
  SELECT me."id_number_digest" AS borrower, sum(o."amount") AS contingent
  FROM "merchants" me
  JOIN "guarantee_group_members" gm ON gm."merchant_id" = me."id"
  JOIN "offers" o ON o."guarantee_group_id" = gm."group_id" AND o."merchant_id" <> me."id"
    AND o."status" IN ('pending', 'offered', 'accepted', 'booked')
  GROUP BY me."id_number_digest"
),
who AS (SELECT borrower FROM live UNION SELECT borrower FROM contingent)
SELECT w.borrower, 1, coalesce(h.held, 0), coalesce(h.held_instalments, 0), coalesce(t.loans, 0),
  coalesce(t.card_limits, 0), coalesce(t.taken_instalments, 0), coalesce(t.operator_guarantee, 0),
  coalesce(t.joint_guarantee, 0), coalesce(t.credit_loan, 0), coalesce(t.credit_card, 0),
  coalesce(c.contingent, 0), now()
FROM who w
LEFT JOIN held h ON h.borrower = w.borrower
LEFT JOIN taken t ON t.borrower = w.borrower
LEFT JOIN contingent c ON c.borrower = w.borrower;
--> statement-breakpoint
-- The policy document gains the exposure section and the card's earnings caps (issue #12). A
-- published version keeps deciding as it did (replays of its decisions stay byte for byte): no
-- total exposure cap and no card earnings caps until the risk team publishes a version with them
-- (the shipped default has 2x annual net profit, 6x monthly free cash flow, a quarter of the
-- annual net profit). The product, operator and coverage caps count the ledger at once.
UPDATE "policies"
SET "document" = jsonb_set(
  jsonb_set(
    jsonb_set("document", '{exposure}', '{"maxMultipleOfAnnualNetProfit": null, "contingentWeight": 0.5}'::jsonb, true),
    '{products,credit_card,maxMultipleOfMonthlyNetCashFlow}', 'null'::jsonb, true),
  '{products,credit_card,maxShareOfAnnualNetProfit}', 'null'::jsonb, true)
WHERE NOT ("document" ? 'exposure');
