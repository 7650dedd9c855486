-- Keys issued before owners existed: each its own person (key:<id>), a partner app its partner.
ALTER TABLE "api_keys" ADD COLUMN "owner" text;--> statement-breakpoint
UPDATE "api_keys" SET "owner" = CASE WHEN "role" = 'partner' AND "partner_id" IS NOT NULL THEN 'partner:' || "partner_id" ELSE 'key:' || "id" END;--> statement-breakpoint
ALTER TABLE "api_keys" ALTER COLUMN "owner" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "actor_owner" text;--> statement-breakpoint
-- The trail names the person behind each key it knows (the environment admin key is in no row).
UPDATE "audit_events" AS e SET "actor_owner" = k."owner" FROM "api_keys" AS k WHERE k."id" = e."actor_key_id";--> statement-breakpoint
ALTER TABLE "policies" ADD COLUMN "authors" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
-- A draft's authors: whoever created it and every key that changed it, as the trail records.
UPDATE "policies" AS p SET "authors" = coalesce((
  SELECT array_agg(DISTINCT a."owner") FROM (
    SELECT e."actor_owner" AS "owner" FROM "audit_events" AS e
      WHERE e."entity_id" = p."id" AND e."action" IN ('policy.drafted', 'policy.updated') AND e."actor_owner" IS NOT NULL
    UNION
    SELECT k."owner" FROM "api_keys" AS k WHERE k."id" = p."created_by"
  ) AS a
), '{}'::text[]);
