CREATE TABLE "merchant_partner_links" (
	"merchant_id" text NOT NULL,
	"partner_id" text NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "merchant_partner_links_merchant_id_partner_id_pk" PRIMARY KEY("merchant_id","partner_id")
);
--> statement-breakpoint
ALTER TABLE "merchant_partner_links" ADD CONSTRAINT "merchant_partner_links_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "merchant_partner_links_partner_idx" ON "merchant_partner_links" USING btree ("partner_id","created_at","merchant_id");--> statement-breakpoint
-- Every merchant a partner registered so far is reached through that partner's link.
INSERT INTO "merchant_partner_links" ("merchant_id", "partner_id", "created_by", "created_at")
SELECT "id", "partner_id", "created_by", "created_at" FROM "merchants" WHERE "partner_id" IS NOT NULL;
