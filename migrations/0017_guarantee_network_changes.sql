CREATE TABLE "guarantee_network_changes" (
	"market_id" text NOT NULL,
	"version" bigint NOT NULL,
	"previous_version" bigint NOT NULL,
	"added" jsonb NOT NULL,
	"removed" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "guarantee_network_changes_market_id_version_pk" PRIMARY KEY("market_id","version")
);
--> statement-breakpoint
ALTER TABLE "guarantee_network_versions" ADD COLUMN "previous_version" bigint DEFAULT 0 NOT NULL;