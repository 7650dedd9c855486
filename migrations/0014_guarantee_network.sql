CREATE TABLE "application_guarantors" (
	"application_id" text NOT NULL,
	"merchant_id" text NOT NULL,
	"amount" bigint NOT NULL,
	"consent_ref" text NOT NULL,
	"consented_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "application_guarantors_application_id_merchant_id_pk" PRIMARY KEY("application_id","merchant_id"),
	CONSTRAINT "application_guarantors_amount_ck" CHECK ("application_guarantors"."amount" > 0)
);
--> statement-breakpoint
CREATE TABLE "guarantee_edges" (
	"id" text PRIMARY KEY NOT NULL,
	"market_id" text NOT NULL,
	"guarantor_kind" text NOT NULL,
	"guarantor_id" text NOT NULL,
	"borrower_merchant_id" text NOT NULL,
	"source" text NOT NULL,
	"group_id" text,
	"application_id" text,
	"offer_id" text,
	"amount_fen" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "guarantee_edges_amount_ck" CHECK ("guarantee_edges"."amount_fen" >= 0)
);
--> statement-breakpoint
DROP INDEX "guarantee_group_members_one_active_uq";--> statement-breakpoint
ALTER TABLE "guarantee_groups" ADD COLUMN "network" jsonb;--> statement-breakpoint
ALTER TABLE "application_guarantors" ADD CONSTRAINT "application_guarantors_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "application_guarantors" ADD CONSTRAINT "application_guarantors_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "application_guarantors_merchant_idx" ON "application_guarantors" USING btree ("merchant_id");--> statement-breakpoint
CREATE INDEX "guarantee_edges_market_idx" ON "guarantee_edges" USING btree ("market_id");--> statement-breakpoint
CREATE INDEX "guarantee_edges_guarantor_idx" ON "guarantee_edges" USING btree ("guarantor_id");--> statement-breakpoint
CREATE INDEX "guarantee_edges_borrower_idx" ON "guarantee_edges" USING btree ("borrower_merchant_id");--> statement-breakpoint
CREATE INDEX "guarantee_group_members_live_idx" ON "guarantee_group_members" USING btree ("merchant_id") WHERE "guarantee_group_members"."active";--> statement-breakpoint
-- The guarantee network's edges of the guarantees that are live now (issue #16); from here on
-- the commands that settle the exposure ledger keep them (repository.ts settleEdges), the same
-- definition as this. Group edges: every active member of a live group for each other member.
INSERT INTO "guarantee_edges" ("id", "market_id", "guarantor_kind", "guarantor_id",
  "borrower_merchant_id", "source", "group_id", "amount_fen")
SELECT 'group:' || g."id" || ':' || a."merchant_id" || ':' || b."merchant_id", g."market_id",
  'merchant', a."merchant_id", b."merchant_id", 'group', g."id",
  coalesce((SELECT sum(o."amount") FROM "offers" o
    WHERE o."guarantee_group_id" = g."id" AND o."merchant_id" = b."merchant_id"
      AND o."status" IN ('pending', 'offered', 'accepted', 'booked')), 0)
FROM "guarantee_groups" g
JOIN "guarantee_group_members" a ON a."group_id" = g."id" AND a."active"
JOIN "guarantee_group_members" b ON b."group_id" = g."id" AND b."active"
  AND b."merchant_id" <> a."merchant_id"
WHERE g."status" IN ('forming', 'offered', 'active');
--> statement-breakpoint
-- Operator edges: the operator of each operator-guaranteed loan taken.
INSERT INTO "guarantee_edges" ("id", "market_id", "guarantor_kind", "guarantor_id",
  "borrower_merchant_id", "source", "application_id", "offer_id", "amount_fen")
SELECT 'operator:' || o."application_id", o."market_id", 'operator', o."operator_id",
  o."merchant_id", 'operator', o."application_id", o."id", o."amount"
FROM "offers" o
WHERE o."product" = 'operator_guarantee' AND o."operator_id" IS NOT NULL
  AND o."status" IN ('accepted', 'booked')
ON CONFLICT ("id") DO NOTHING;
--> statement-breakpoint
-- The policy document gains the network's rules (issue #16). A merchant could be in one live
-- group before (a unique index, dropped above); stored versions now allow the default two. A
-- published version otherwise keeps deciding as it did: individual guarantors lower no LGD
-- (lgdReduction 0) and no network rules apply (null) until the risk team publishes a version
-- with them (the shipped default: 0.3, circles of at most 8, no shared pairs, a circle cap).
UPDATE "policies"
SET "document" = jsonb_set("document", '{products,joint_guarantee,maxGroupsPerMerchant}', '2'::jsonb, true)
WHERE "document" #> '{products,joint_guarantee}' IS NOT NULL
  AND NOT ("document" #> '{products,joint_guarantee}' ? 'maxGroupsPerMerchant');
--> statement-breakpoint
UPDATE "policies"
SET "document" = jsonb_set(
  jsonb_set("document", '{individualGuarantee}', '{"maxGuarantors": 3, "lgdReduction": 0}'::jsonb, true),
  '{guaranteeNetwork}', 'null'::jsonb, true)
WHERE NOT ("document" ? 'guaranteeNetwork');
