ALTER TABLE "merchants" ADD COLUMN "business_form" text;--> statement-breakpoint
CREATE UNIQUE INDEX "merchants_market_identity_uq" ON "merchants" USING btree ("market_id","id_number_digest");