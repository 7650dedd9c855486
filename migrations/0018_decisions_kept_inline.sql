-- Issue #11: a decision row is ~2.5 KB after compression, over the ~2 KB at which PostgreSQL
-- starts moving values out of line, so every decision also wrote a TOAST row and a TOAST index
-- entry (more WAL, more CPU). MAIN storage keeps a value in the row, compressed, unless the row
-- would not fit in a page. It is set on every variable-length column: with only the jsonb ones
-- MAIN, the toaster moves the short text ids out of line instead (three TOAST rows per decision).
-- Rows written before keep what they have.
ALTER TABLE "decisions" ALTER COLUMN "id" SET STORAGE MAIN, ALTER COLUMN "application_id" SET STORAGE MAIN,
  ALTER COLUMN "policy_id" SET STORAGE MAIN, ALTER COLUMN "arm" SET STORAGE MAIN,
  ALTER COLUMN "source" SET STORAGE MAIN, ALTER COLUMN "outcome" SET STORAGE MAIN,
  ALTER COLUMN "grade" SET STORAGE MAIN, ALTER COLUMN "result" SET STORAGE MAIN,
  ALTER COLUMN "context" SET STORAGE MAIN, ALTER COLUMN "decided_by" SET STORAGE MAIN,
  ALTER COLUMN "note" SET STORAGE MAIN;
