DROP INDEX "applications_merchant_idx";--> statement-breakpoint
DROP INDEX "idempotency_expires_idx";--> statement-breakpoint
DROP INDEX "applications_group_idx";--> statement-breakpoint
DROP INDEX "offers_merchant_idx";--> statement-breakpoint
DROP INDEX "offers_expiry_idx";--> statement-breakpoint
ALTER TABLE "offers" ALTER COLUMN "schedule" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD COLUMN "response_ref" jsonb;--> statement-breakpoint
CREATE INDEX "applications_group_idx" ON "applications" USING btree ("guarantee_group_id") WHERE "applications"."guarantee_group_id" is not null;--> statement-breakpoint
CREATE INDEX "offers_merchant_idx" ON "offers" USING btree ("merchant_id") WHERE "offers"."status" in ('accepted', 'booked');--> statement-breakpoint
CREATE INDEX "offers_expiry_idx" ON "offers" USING btree ("expires_at") WHERE "offers"."status" = 'offered';