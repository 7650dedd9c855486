CREATE TABLE "outcomes" (
	"id" text PRIMARY KEY NOT NULL,
	"offer_id" text NOT NULL,
	"application_id" text NOT NULL,
	"decision_id" text NOT NULL,
	"status" text NOT NULL,
	"as_of" date NOT NULL,
	"recorded_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "outcomes" ADD CONSTRAINT "outcomes_offer_id_offers_id_fk" FOREIGN KEY ("offer_id") REFERENCES "public"."offers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "outcomes_offer_as_of_uq" ON "outcomes" USING btree ("offer_id","as_of");--> statement-breakpoint
CREATE INDEX "outcomes_decision_idx" ON "outcomes" USING btree ("decision_id");