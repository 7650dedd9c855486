import type { Database, NamedStatement } from '../../db/connect';
import { isUniqueViolation } from '../../db/database-errors';
import { toRecord } from '../../db/records';
import { applications, auditEvents, decisions, idempotencyKeys, offers } from '../../db/schema';
import { IDEMPOTENCY_TTL_MS, type KeyRequest, lockToken } from '../../platform/idempotency';

export interface DecidedWrite {
  application: typeof applications.$inferInsert;
  decision: typeof decisions.$inferInsert;
  offers: (typeof offers.$inferInsert)[];
  events: (typeof auditEvents.$inferInsert)[];
  /** Operator capacity to hold for an operator-guaranteed offer, if any. */
  reservation: { operatorId: string; amount: number } | null;
  /**
   * The Idempotency-Key and the answer to store with it: `claimed` completes this attempt's
   * claim; `fresh` inserts the key with the answer (no claim was made: a round trip saved).
   */
  idempotency:
    | {
        kind: 'claimed';
        apiKeyId: string;
        key: string;
        lockToken: string;
        status: number;
        body: unknown;
      }
    | { kind: 'fresh'; request: KeyRequest; now: Date; status: number; body: unknown }
    | null;
}

export type DecidedWriteResult =
  | 'written'
  | 'capacity_taken'
  | 'idempotency_lost'
  /** A fresh key's insert collided: the key exists, claim it the usual way. */
  | 'idempotency_key_exists';

/**
 * The hot path's writes in ONE statement (data-modifying CTEs are atomic like a transaction):
 * the capacity reservation, application, decision, offers, audit events and the idempotent
 * answer. Nothing is written unless the reservation holds and the key is ours; the operator
 * row is locked only for this statement. Rows travel as JSON records, so the text is fixed and
 * PostgreSQL parses and plans it once per connection.
 */
const WRITE_DECIDED: NamedStatement = {
  name: 'write_decided_application_v4',
  text: `
    with reserve as (
      update operators set reserved = reserved + $2::bigint
      where $1::text is not null and id = $1::text and agreement_status = 'active'
        and capacity - used - reserved >= $2::bigint
      returning id
    ),
    claim as (
      select 1 from idempotency_keys
      where $3::text = 'claimed' and api_key_id = $4::text and key = $5::text
        and lock_token = $6::text and response_status is null
    ),
    gate as (
      select ($1::text is null or exists (select 1 from reserve)) as reserved,
             ($3::text <> 'claimed' or exists (select 1 from claim)) as claimed
    ),
    ok as (select reserved and claimed as go from gate),
    app as (
      insert into applications
      select r.* from jsonb_populate_record(null::applications, $7::jsonb) r where (select go from ok)
      returning id
    ),
    dec as (
      insert into decisions
      select r.* from jsonb_populate_record(null::decisions, $8::jsonb) r where (select go from ok)
      returning id
    ),
    off as (
      insert into offers
      select r.* from jsonb_populate_recordset(null::offers, $9::jsonb) r where (select go from ok)
      returning id
    ),
    evt as (
      insert into audit_events (id, entity_type, entity_id, action, actor_key_id, actor_role, actor_owner, request_id, data, at)
      select r.id, r.entity_type, r.entity_id, r.action, r.actor_key_id, r.actor_role, r.actor_owner, r.request_id, r.data, r.at
      from jsonb_populate_recordset(null::audit_events, $10::jsonb) r where (select go from ok)
      returning id
    ),
    fresh as (
      insert into idempotency_keys
      select r.* from jsonb_populate_record(null::idempotency_keys, $11::jsonb) r
      where $3::text = 'fresh' and (select go from ok)
      returning key
    ),
    answer as (
      update idempotency_keys set response_status = $12::int, response_body = $13::jsonb
      where $3::text = 'claimed' and api_key_id = $4::text and key = $5::text
        and lock_token = $6::text and (select go from ok)
      returning key
    )
    select reserved, claimed from gate`,
};

export async function writeDecidedApplication(
  database: Database,
  w: DecidedWrite,
): Promise<DecidedWriteResult> {
  const r = w.reservation;
  const idem = w.idempotency;
  const claimed = idem?.kind === 'claimed' ? idem : null;
  const fresh =
    idem?.kind === 'fresh'
      ? toRecord(idempotencyKeys, {
          ...idem.request,
          lockToken: lockToken(),
          responseStatus: idem.status,
          responseBody: idem.body,
          createdAt: idem.now,
          expiresAt: new Date(idem.now.getTime() + IDEMPOTENCY_TTL_MS),
        })
      : null;
  try {
    const [row] = await database.run<{ reserved: boolean; claimed: boolean }>(WRITE_DECIDED, [
      r?.operatorId ?? null,
      r?.amount ?? 0,
      idem?.kind ?? 'none',
      claimed?.apiKeyId ?? null,
      claimed?.key ?? null,
      claimed?.lockToken ?? null,
      JSON.stringify(toRecord(applications, w.application)),
      JSON.stringify(toRecord(decisions, w.decision)),
      JSON.stringify(w.offers.map((o) => toRecord(offers, o))),
      JSON.stringify(w.events.map((e) => toRecord(auditEvents, e))),
      fresh ? JSON.stringify(fresh) : null,
      claimed?.status ?? null,
      claimed ? JSON.stringify(claimed.body) : null,
    ]);
    if (!row?.claimed) return 'idempotency_lost';
    if (!row.reserved) return 'capacity_taken';
    return 'written';
  } catch (err) {
    if (fresh && isUniqueViolation(err, 'idempotency_keys_api_key_id_key_pk'))
      return 'idempotency_key_exists';
    throw err;
  }
}
