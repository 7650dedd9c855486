CREATE TABLE "applications" (
	"id" text PRIMARY KEY NOT NULL,
	"merchant_id" text NOT NULL,
	"market_id" text NOT NULL,
	"partner_id" text,
	"submitted_by" text NOT NULL,
	"status" text NOT NULL,
	"product" text NOT NULL,
	"amount" bigint NOT NULL,
	"term_months" integer NOT NULL,
	"purpose" text NOT NULL,
	"guarantee_group_id" text,
	"survey" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_events" (
	"id" text PRIMARY KEY NOT NULL,
	"entity_type" text NOT NULL,
	"entity_id" text NOT NULL,
	"action" text NOT NULL,
	"actor_key_id" text,
	"actor_role" text,
	"request_id" text,
	"data" jsonb,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "decisions" (
	"id" text PRIMARY KEY NOT NULL,
	"application_id" text NOT NULL,
	"policy_id" text NOT NULL,
	"policy_version" integer NOT NULL,
	"arm" text NOT NULL,
	"source" text NOT NULL,
	"outcome" text NOT NULL,
	"score" integer NOT NULL,
	"grade" text NOT NULL,
	"result" jsonb NOT NULL,
	"context" jsonb NOT NULL,
	"decided_by" text,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "guarantee_group_members" (
	"group_id" text NOT NULL,
	"merchant_id" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	CONSTRAINT "guarantee_group_members_group_id_merchant_id_pk" PRIMARY KEY("group_id","merchant_id")
);
--> statement-breakpoint
CREATE TABLE "guarantee_groups" (
	"id" text PRIMARY KEY NOT NULL,
	"market_id" text NOT NULL,
	"status" text NOT NULL,
	"partner_id" text,
	"created_by" text,
	"decision" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"api_key_id" text NOT NULL,
	"key" text NOT NULL,
	"method" text NOT NULL,
	"path" text NOT NULL,
	"request_hash" text NOT NULL,
	"lock_token" text NOT NULL,
	"response_status" integer,
	"response_body" jsonb,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "idempotency_keys_api_key_id_key_pk" PRIMARY KEY("api_key_id","key")
);
--> statement-breakpoint
CREATE TABLE "offers" (
	"id" text PRIMARY KEY NOT NULL,
	"application_id" text NOT NULL,
	"decision_id" text NOT NULL,
	"merchant_id" text NOT NULL,
	"market_id" text NOT NULL,
	"product" text NOT NULL,
	"amount" bigint NOT NULL,
	"term_months" integer NOT NULL,
	"annual_rate_bps" integer NOT NULL,
	"method" text NOT NULL,
	"schedule" jsonb NOT NULL,
	"total_interest" bigint NOT NULL,
	"operator_id" text,
	"reserved_amount" bigint DEFAULT 0 NOT NULL,
	"guarantee_group_id" text,
	"status" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decisions" ADD CONSTRAINT "decisions_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "guarantee_group_members" ADD CONSTRAINT "guarantee_group_members_group_id_guarantee_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."guarantee_groups"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "guarantee_group_members" ADD CONSTRAINT "guarantee_group_members_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "guarantee_groups" ADD CONSTRAINT "guarantee_groups_market_id_markets_id_fk" FOREIGN KEY ("market_id") REFERENCES "public"."markets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offers" ADD CONSTRAINT "offers_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "applications_created_idx" ON "applications" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "applications_market_idx" ON "applications" USING btree ("market_id","created_at","id");--> statement-breakpoint
CREATE INDEX "applications_status_idx" ON "applications" USING btree ("status","created_at","id");--> statement-breakpoint
CREATE INDEX "applications_merchant_idx" ON "applications" USING btree ("merchant_id");--> statement-breakpoint
CREATE INDEX "applications_group_idx" ON "applications" USING btree ("guarantee_group_id");--> statement-breakpoint
CREATE INDEX "audit_events_entity_idx" ON "audit_events" USING btree ("entity_id","at");--> statement-breakpoint
CREATE INDEX "decisions_application_idx" ON "decisions" USING btree ("application_id");--> statement-breakpoint
CREATE INDEX "decisions_policy_idx" ON "decisions" USING btree ("policy_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "guarantee_group_members_one_active_uq" ON "guarantee_group_members" USING btree ("merchant_id") WHERE "guarantee_group_members"."active";--> statement-breakpoint
CREATE INDEX "guarantee_groups_market_idx" ON "guarantee_groups" USING btree ("market_id","created_at","id");--> statement-breakpoint
CREATE INDEX "idempotency_expires_idx" ON "idempotency_keys" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "offers_application_idx" ON "offers" USING btree ("application_id");--> statement-breakpoint
CREATE INDEX "offers_merchant_idx" ON "offers" USING btree ("merchant_id");--> statement-breakpoint
CREATE INDEX "offers_expiry_idx" ON "offers" USING btree ("status","expires_at");