import { sql } from 'drizzle-orm';
import type { Db } from '../../db/connect';
import type { applications, auditEvents, decisions, offers } from '../../db/schema';

export interface DecidedWrite {
  application: typeof applications.$inferInsert & { createdAt: Date; updatedAt: Date };
  decision: typeof decisions.$inferInsert & { createdAt: Date };
  offers: (typeof offers.$inferInsert & { createdAt: Date; updatedAt: Date; expiresAt: Date })[];
  events: (typeof auditEvents.$inferInsert)[];
  /** Operator capacity to hold for an operator-guaranteed offer, if any. */
  reservation: { operatorId: string; amount: number } | null;
  /** The idempotency claim this answer completes, and the answer to store. */
  idempotency: {
    apiKeyId: string;
    key: string;
    lockToken: string;
    status: number;
    body: unknown;
  } | null;
}

export type DecidedWriteResult = 'written' | 'capacity_taken' | 'idempotency_lost';

const iso = (d: Date) => d.toISOString();

/**
 * The hot path's writes in ONE statement (data-modifying CTEs, atomic like a transaction): the
 * capacity reservation, application, decision, offers, audit events and the idempotent answer.
 * Nothing is written unless the reservation holds and the idempotency claim is still ours, and
 * the operator row is locked only for this one statement.
 */
export async function writeDecidedApplication(
  db: Db,
  w: DecidedWrite,
): Promise<DecidedWriteResult> {
  const a = w.application;
  const d = w.decision;
  const offerRows = w.offers.map((o) => ({
    id: o.id,
    application_id: o.applicationId,
    decision_id: o.decisionId,
    merchant_id: o.merchantId,
    market_id: o.marketId,
    product: o.product,
    amount: o.amount,
    term_months: o.termMonths,
    annual_rate_bps: o.annualRateBps,
    method: o.method,
    schedule: o.schedule,
    total_interest: o.totalInterest,
    operator_id: o.operatorId ?? null,
    reserved_amount: o.reservedAmount ?? 0,
    guarantee_group_id: o.guaranteeGroupId ?? null,
    status: o.status,
    expires_at: iso(o.expiresAt),
    created_at: iso(o.createdAt),
    updated_at: iso(o.updatedAt),
  }));
  const eventRows = w.events.map((e) => ({
    id: e.id,
    entity_type: e.entityType,
    entity_id: e.entityId,
    action: e.action,
    actor_key_id: e.actorKeyId ?? null,
    actor_role: e.actorRole ?? null,
    request_id: e.requestId ?? null,
    data: e.data ?? null,
    at: iso(e.at as Date),
  }));
  const r = w.reservation;
  const idem = w.idempotency;
  const result = await db.execute(sql`
    with reserve as (
      update operators set reserved = reserved + ${r?.amount ?? 0}
      where ${r !== null} and id = ${r?.operatorId ?? ''} and agreement_status = 'active'
        and capacity - used - reserved >= ${r?.amount ?? 0}
      returning id
    ),
    claim as (
      select 1 from idempotency_keys
      where ${idem !== null} and api_key_id = ${idem?.apiKeyId ?? ''} and key = ${idem?.key ?? ''}
        and lock_token = ${idem?.lockToken ?? ''} and response_status is null
    ),
    gate as (
      select (${r === null} or exists (select 1 from reserve)) as reserved,
             (${idem === null} or exists (select 1 from claim)) as claimed
    ),
    ok as (select reserved and claimed as go from gate),
    app as (
      insert into applications (id, merchant_id, market_id, partner_id, submitted_by, status, product, amount,
        term_months, purpose, guarantee_group_id, survey, created_at, updated_at)
      select ${a.id}, ${a.merchantId}, ${a.marketId}, ${a.partnerId ?? null}, ${a.submittedBy}, ${a.status}, ${a.product},
        ${a.amount}, ${a.termMonths}, ${a.purpose}, ${a.guaranteeGroupId ?? null}, ${JSON.stringify(a.survey)}::jsonb,
        ${iso(a.createdAt)}::timestamptz, ${iso(a.updatedAt)}::timestamptz
      from ok where go
      returning id
    ),
    dec as (
      insert into decisions (id, application_id, policy_id, policy_version, arm, source, outcome, score, grade, result,
        context, decided_by, note, created_at)
      select ${d.id}, ${d.applicationId}, ${d.policyId}, ${d.policyVersion}, ${d.arm}, ${d.source}, ${d.outcome},
        ${d.score}, ${d.grade}, ${JSON.stringify(d.result)}::jsonb, ${JSON.stringify(d.context)}::jsonb,
        ${d.decidedBy ?? null}, ${d.note ?? null}, ${iso(d.createdAt)}::timestamptz
      from ok where go
      returning id
    ),
    off as (
      insert into offers (id, application_id, decision_id, merchant_id, market_id, product, amount, term_months,
        annual_rate_bps, method, schedule, total_interest, operator_id, reserved_amount, guarantee_group_id, status,
        expires_at, created_at, updated_at)
      select x.id, x.application_id, x.decision_id, x.merchant_id, x.market_id, x.product, x.amount, x.term_months,
        x.annual_rate_bps, x.method, x.schedule, x.total_interest, x.operator_id, x.reserved_amount,
        x.guarantee_group_id, x.status, x.expires_at, x.created_at, x.updated_at
      from jsonb_to_recordset(${JSON.stringify(offerRows)}::jsonb) as x(id text, application_id text, decision_id text,
        merchant_id text, market_id text, product text, amount bigint, term_months int, annual_rate_bps int,
        method text, schedule jsonb, total_interest bigint, operator_id text, reserved_amount bigint,
        guarantee_group_id text, status text, expires_at timestamptz, created_at timestamptz, updated_at timestamptz)
      where (select go from ok)
      returning id
    ),
    evt as (
      insert into audit_events (id, entity_type, entity_id, action, actor_key_id, actor_role, request_id, data, at)
      select x.id, x.entity_type, x.entity_id, x.action, x.actor_key_id, x.actor_role, x.request_id, x.data, x.at
      from jsonb_to_recordset(${JSON.stringify(eventRows)}::jsonb) as x(id text, entity_type text, entity_id text,
        action text, actor_key_id text, actor_role text, request_id text, data jsonb, at timestamptz)
      where (select go from ok)
      returning id
    ),
    answer as (
      update idempotency_keys set response_status = ${idem?.status ?? 0}, response_body = ${JSON.stringify(idem?.body ?? null)}::jsonb
      where ${idem !== null} and api_key_id = ${idem?.apiKeyId ?? ''} and key = ${idem?.key ?? ''}
        and lock_token = ${idem?.lockToken ?? ''} and (select go from ok)
      returning key
    )
    select reserved, claimed, (select count(*) from app)::int as apps, (select count(*) from answer)::int as answers
    from gate`);
  const row = (result as unknown as { rows: { reserved: boolean; claimed: boolean }[] }).rows[0];
  if (!row?.claimed) return 'idempotency_lost';
  if (!row.reserved) return 'capacity_taken';
  return 'written';
}
