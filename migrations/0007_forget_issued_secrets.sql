-- Answers of POST /v1/api-keys stored under an Idempotency-Key held the new key's secret in
-- clear. The route takes no key any more, so these rows are never read again: drop them.
DELETE FROM "idempotency_keys" WHERE "method" = 'POST' AND "path" = '/v1/api-keys';
