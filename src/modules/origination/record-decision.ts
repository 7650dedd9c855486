import {
  applicationStatusOf,
  type DecidedStatus,
  type Decision,
  type DecisionContext,
  offersToMake,
} from '../../credit';
import type { StatementWriter } from '../../db/statement';
import type { CommandContext } from '../../lib/command-context';
import { newId } from '../../lib/ids';
import type { AnswerPart, AnswerRef, KeyTaken } from '../../platform/command';
import { type AuditEntry, auditRows } from '../audit/repository';
import { findOperator } from '../operators/repository';
import type { ArmPolicy } from '../policies/active-policy';
import type { OfferStatus } from './lifecycle';
import {
  type ApplicationInsert,
  type DecisionInsert,
  type OfferInsert,
  type OperatorRow,
  recordDecision,
} from './repository';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Decide again at most this often when the operator's capacity went meanwhile. */
const RESERVATION_ATTEMPTS = 3;

/** What the model is asked, and who asks. */
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

export interface Decided {
  decision: Decision;
  status: DecidedStatus;
  decisionRow: DecisionInsert;
  offerRows: OfferInsert[];
  reservation: { operatorId: string; amount: number } | null;
}

/** Runs the model with the operator as known now and prepares the rows to write. */
export function prepareDecision(input: DecideInput, operator: OperatorRow | null): Decided {
  const context = input.buildContext(operator);
  const decision = input.decideWith(context);
  const proposals = offersToMake(decision, input.groupId !== null);
  const guaranteed = proposals.find((o) => o.product === 'operator_guarantee');
  const decisionId = newId('dec');
  const expiresAt = new Date(input.now.getTime() + decision.offerValidityDays * DAY_MS);
  const offerStatus: OfferStatus = input.groupId ? 'pending' : 'offered';
  return {
    decision,
    status: applicationStatusOf(decision),
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
      // Stored once, in the decision: see views.ts scheduleOf.
      schedule: null,
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

/** How a use case turns the model's decision into what is written and answered. */
export interface Recording<V> {
  input: DecideInput;
  /** The application row as it stands after this decision. */
  application: (decided: Decided) => ApplicationInsert;
  /** A review adjusts the stored decision (its outcome). */
  adjust?: (decided: Decided) => Decided;
  events: (decided: Decided, application: ApplicationInsert) => AuditEntry[];
  view: (decided: Decided, application: ApplicationInsert) => V;
  /** The hot path: the platform's part of the statement, storing the view as the answer. */
  answer?: { part: AnswerPart; status: number; reference?: (view: V) => AnswerRef };
}

/**
 * Decides and writes with `recordDecision`; when the operator's capacity went to someone else
 * since it was read, reads it again (under lock inside a transaction) and decides again with
 * what is left, so the stored context always reproduces the stored decision.
 */
export async function decideAndRecord<V>(
  writer: StatementWriter,
  ctx: CommandContext,
  r: Recording<V>,
): Promise<{ decided: Decided; application: ApplicationInsert; view: V } | KeyTaken> {
  let operator = r.input.operator;
  for (let attempt = 1; attempt <= RESERVATION_ATTEMPTS; attempt++) {
    const prepared = prepareDecision(r.input, operator);
    const decided = r.adjust ? r.adjust(prepared) : prepared;
    const application = r.application(decided);
    const view = r.view(decided, application);
    const outcome = await recordDecision(writer, {
      application,
      decision: decided.decisionRow,
      offers: decided.offerRows,
      events: auditRows(ctx, r.events(decided, application)),
      reservation: decided.reservation,
      answer: r.answer
        ? {
            part: r.answer.part,
            status: r.answer.status,
            body: view,
            ref: r.answer.reference?.(view) ?? null,
          }
        : null,
    });
    if (outcome === 'written') return { decided, application, view };
    if (outcome !== 'capacity_taken') return outcome;
    operator =
      (await findOperator(writer.db, operator?.id ?? '', { forUpdate: writer.inTransaction })) ??
      null;
  }
  throw new Error('operator capacity kept changing while deciding');
}
