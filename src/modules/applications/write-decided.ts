import type { Database, NamedStatement } from '../../db/connect';
import { toRecord } from '../../db/records';
import { applications, auditEvents, decisions, offers } from '../../db/schema';
import { AnswerPart, KeyTaken } from '../../platform/command';

export interface DecidedWrite {
  application: typeof applications.$inferInsert;
  decision: typeof decisions.$inferInsert;
  offers: (typeof offers.$inferInsert)[];
  events: (typeof auditEvents.$inferInsert)[];
  /** Operator capacity to hold for an operator-guaranteed offer, if any. */
  reservation: { operatorId: string; amount: number } | null;
  /** Where the platform stores the answer, and the answer. */
  answer: { part: AnswerPart; status: number; body: unknown };
}

export type DecidedWriteResult = 'written' | 'capacity_taken' | KeyTaken;

const ANSWER = AnswerPart.sql(7, '(select go from ok)');

/**
 * The hot path's writes in ONE statement (data-modifying CTEs are atomic like a transaction):
 * the capacity reservation, application, decision, offers, audit events and the idempotent
 * answer. Nothing is written unless the reservation holds and the key is ours; the operator
 * row is locked only for this statement. Rows travel as JSON records, so the text is fixed and
 * PostgreSQL parses and plans it once per connection.
 */
const WRITE_DECIDED: NamedStatement = {
  name: 'write_decided_application_v5',
  text: `
    with reserve as (
      update operators set reserved = reserved + $2::bigint
      where $1::text is not null and id = $1::text and agreement_status = 'active'
        and capacity - used - reserved >= $2::bigint
      returning id
    ),
    gate as (
      select ($1::text is null or exists (select 1 from reserve)) as reserved,
             ${ANSWER.held} as claimed
    ),
    ok as (select reserved and claimed as go from gate),
    app as (
      insert into applications
      select r.* from jsonb_populate_record(null::applications, $3::jsonb) r where (select go from ok)
      returning id
    ),
    dec as (
      insert into decisions
      select r.* from jsonb_populate_record(null::decisions, $4::jsonb) r where (select go from ok)
      returning id
    ),
    off as (
      insert into offers
      select r.* from jsonb_populate_recordset(null::offers, $5::jsonb) r where (select go from ok)
      returning id
    ),
    evt as (
      insert into audit_events (id, entity_type, entity_id, action, actor_key_id, actor_role, actor_owner, request_id, data, at)
      select r.id, r.entity_type, r.entity_id, r.action, r.actor_key_id, r.actor_role, r.actor_owner, r.request_id, r.data, r.at
      from jsonb_populate_recordset(null::audit_events, $6::jsonb) r where (select go from ok)
      returning id
    ),
    ${ANSWER.ctes}
    select reserved, claimed from gate`,
};

export async function writeDecidedApplication(
  database: Database,
  w: DecidedWrite,
): Promise<DecidedWriteResult> {
  const r = w.reservation;
  const { part, status, body } = w.answer;
  try {
    const [row] = await database.run<{ reserved: boolean; claimed: boolean }>(WRITE_DECIDED, [
      r?.operatorId ?? null,
      r?.amount ?? 0,
      JSON.stringify(toRecord(applications, w.application)),
      JSON.stringify(toRecord(decisions, w.decision)),
      JSON.stringify(w.offers.map((o) => toRecord(offers, o))),
      JSON.stringify(w.events.map((e) => toRecord(auditEvents, e))),
      ...part.values(status, body),
    ]);
    if (!row?.claimed) return part.lost();
    if (!row.reserved) return 'capacity_taken';
    return 'written';
  } catch (err) {
    if (part.collided(err)) return new KeyTaken();
    throw err;
  }
}
