CREATE TABLE "api_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"prefix" text NOT NULL,
	"secret_hash" text NOT NULL,
	"role" text NOT NULL,
	"name" text NOT NULL,
	"market_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"partner_id" text,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "markets" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"city" text NOT NULL,
	"category" text NOT NULL,
	"operator_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "merchants" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"id_number_digest" text NOT NULL,
	"id_number_masked" text NOT NULL,
	"phone_digest" text NOT NULL,
	"phone_masked" text NOT NULL,
	"market_id" text NOT NULL,
	"stall_no" text NOT NULL,
	"lease_ends_on" date,
	"partner_id" text,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "operators" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"capacity" bigint NOT NULL,
	"per_merchant_cap" bigint NOT NULL,
	"max_term_months" integer NOT NULL,
	"deposit_ratio_bps" integer NOT NULL,
	"agreement_status" text NOT NULL,
	"used" bigint DEFAULT 0 NOT NULL,
	"reserved" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "operators_capacity_ck" CHECK ("operators"."used" >= 0 and "operators"."reserved" >= 0 and "operators"."used" + "operators"."reserved" <= "operators"."capacity")
);
--> statement-breakpoint
CREATE TABLE "policies" (
	"id" text PRIMARY KEY NOT NULL,
	"version" integer NOT NULL,
	"status" text NOT NULL,
	"document" jsonb NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_by" text,
	"published_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "policy_activations" (
	"role" text PRIMARY KEY NOT NULL,
	"policy_id" text NOT NULL,
	"share_bps" integer DEFAULT 10000 NOT NULL,
	"activated_by" text,
	"activated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "markets" ADD CONSTRAINT "markets_operator_id_operators_id_fk" FOREIGN KEY ("operator_id") REFERENCES "public"."operators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "merchants" ADD CONSTRAINT "merchants_market_id_markets_id_fk" FOREIGN KEY ("market_id") REFERENCES "public"."markets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "policy_activations" ADD CONSTRAINT "policy_activations_policy_id_policies_id_fk" FOREIGN KEY ("policy_id") REFERENCES "public"."policies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_prefix_uq" ON "api_keys" USING btree ("prefix");--> statement-breakpoint
CREATE INDEX "api_keys_created_idx" ON "api_keys" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "markets_created_idx" ON "markets" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "merchants_market_idx" ON "merchants" USING btree ("market_id","created_at","id");--> statement-breakpoint
CREATE INDEX "merchants_created_idx" ON "merchants" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "merchants_id_digest_idx" ON "merchants" USING btree ("id_number_digest");--> statement-breakpoint
CREATE INDEX "operators_created_idx" ON "operators" USING btree ("created_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "policies_version_uq" ON "policies" USING btree ("version");