import { eq } from 'drizzle-orm';
import type { Decision, DecisionContext, OfferProposal } from '../../credit';
import type { Db } from '../../db/connect';
import { type decisions, type offers, operators } from '../../db/schema';
import { newId } from '../../lib/ids';
import type { ArmPolicy } from '../policies/active-policy';
import type { ApplicationStatus, OfferStatus } from './lifecycle';
import { type DecisionRow, type OfferRow, type OperatorRow, reserveCapacity } from './repository';

const DAY_MS = 24 * 60 * 60 * 1000;
export const RESERVATION_ATTEMPTS = 3;

export interface DecidedOffers {
  decision: Decision;
  context: DecisionContext;
  decisionRow: typeof decisions.$inferInsert;
  offerRows: (typeof offers.$inferInsert)[];
  status: ApplicationStatus;
}

export interface DecideInput {
  applicationId: string;
  merchantId: string;
  marketId: string;
  policy: ArmPolicy & { arm: 'champion' | 'challenger' };
  source: 'model' | 'review';
  operator: OperatorRow | null;
  buildContext: (operator: OperatorRow | null) => DecisionContext;
  decideWith: (context: DecisionContext) => Decision;
  /** Joint-guarantee requests: only the group loan is offered, pending until the group is decided. */
  groupId: string | null;
  now: Date;
  decidedBy: string;
  note?: string | null;
}

export function statusOf(decision: Decision): ApplicationStatus {
  return decision.outcome === 'approve'
    ? 'approved'
    : decision.outcome === 'refer'
      ? 'referred'
      : 'declined';
}

function offersToMake(decision: Decision, groupId: string | null): OfferProposal[] {
  if (decision.outcome !== 'approve' && !decision.overridden) return [];
  return groupId ? decision.offers.filter((o) => o.product === 'joint_guarantee') : decision.offers;
}

/** Runs the model with the operator as known now and prepares the rows to write. */
export function prepareDecision(
  input: DecideInput,
  operator: OperatorRow | null,
): DecidedOffers & { reservation: { operatorId: string; amount: number } | null } {
  const context = input.buildContext(operator);
  const decision = input.decideWith(context);
  const proposals = offersToMake(decision, input.groupId);
  const guaranteed = proposals.find((o) => o.product === 'operator_guarantee');
  const decisionId = newId('dec');
  const expiresAt = new Date(input.now.getTime() + decision.offerValidityDays * DAY_MS);
  const offerStatus: OfferStatus = input.groupId ? 'pending' : 'offered';
  return {
    decision,
    context,
    status: statusOf(decision),
    reservation:
      guaranteed && operator ? { operatorId: operator.id, amount: guaranteed.amount } : null,
    decisionRow: {
      id: decisionId,
      applicationId: input.applicationId,
      policyId: input.policy.id,
      policyVersion: input.policy.version,
      arm: input.policy.arm,
      source: input.source,
      outcome: decision.outcome,
      score: decision.score,
      grade: decision.grade,
      result: decision,
      context,
      decidedBy: input.decidedBy,
      note: input.note ?? null,
      createdAt: input.now,
    },
    offerRows: proposals.map((o) => ({
      id: newId('off'),
      applicationId: input.applicationId,
      decisionId,
      merchantId: input.merchantId,
      marketId: input.marketId,
      product: o.product,
      amount: o.amount,
      termMonths: o.termMonths,
      annualRateBps: o.annualRateBps,
      method: o.method,
      schedule: o.schedule,
      totalInterest: o.totalInterest,
      operatorId: o.product === 'operator_guarantee' ? (operator?.id ?? null) : null,
      reservedAmount: o.product === 'operator_guarantee' ? o.amount : 0,
      guaranteeGroupId: o.product === 'joint_guarantee' ? input.groupId : null,
      status: offerStatus,
      expiresAt,
      createdAt: input.now,
      updatedAt: input.now,
    })),
  };
}

/**
 * Inside a transaction: runs the model and holds operator capacity for an operator-guaranteed
 * offer. When the capacity went to someone else since the context was read, the model decides
 * again with what is left, so the stored context always reproduces the stored decision.
 */
export async function decideAndReserve(tx: Db, input: DecideInput): Promise<DecidedOffers> {
  let operator = input.operator;
  for (let attempt = 1; ; attempt++) {
    const prepared = prepareDecision(input, operator);
    const r = prepared.reservation;
    if (r && !(await reserveCapacity(tx, r.operatorId, r.amount))) {
      if (attempt >= RESERVATION_ATTEMPTS || !operator)
        throw new Error('operator capacity kept changing while deciding');
      [operator] = (await tx
        .select()
        .from(operators)
        .where(eq(operators.id, operator.id))
        .for('update')) as [OperatorRow];
      continue;
    }
    return prepared;
  }
}

export type { DecisionRow, OfferRow };
