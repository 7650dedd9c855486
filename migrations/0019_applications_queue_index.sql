-- Issue #11: the status index only where a queue needs it (submitted, referred); a list of a common
-- status reads the created or market index. The build scans applications once, under a lock
-- that holds writes to it for that long (seconds for millions of rows).
DROP INDEX "applications_status_idx";--> statement-breakpoint
CREATE INDEX "applications_queue_idx" ON "applications" USING btree ("status","created_at","id") WHERE "applications"."status" in ('submitted', 'referred');
