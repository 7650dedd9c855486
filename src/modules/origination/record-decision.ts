import {
  applicationStatusOf,
  type DecidedStatus,
  type Decision,
  type DecisionContext,
  type ExistingExposure,
  offerInstalment,
  offersToMake,
} from '../../credit';
import type { Db } from '../../db/connect';
import type { StatementWriter } from '../../db/statement';
import type { CommandContext } from '../../lib/command-context';
import { newId } from '../../lib/ids';
import type { AnswerPart, AnswerRef, KeyTaken } from '../../platform/command';
import { type AuditEntry, commandAuditRows } from '../audit/repository';
import { findOperator } from '../operators/repository';
import type { ArmPolicy } from '../policies/active-policy';
import { decisionEvent } from './events';
import { existingExposure, ledgerDeltaOf, versionOf } from './exposure';
import type { OfferStatus } from './lifecycle';
import {
  type ApplicationInsert,
  type DecisionInsert,
  type LedgerDelta,
  type LedgerRow,
  lockLedgers,
  type OfferInsert,
  type OperatorRow,
  recordDecision,
  takenLoansOf,
} from './repository';

const DAY_MS = 24 * 60 * 60 * 1000;

/** What a decision is sized against: the operator's agreement and the borrower's ledger. */
export interface Known {
  operator: OperatorRow | null;
  ledgerVersion: number;
  exposure: ExistingExposure;
}

/** The borrower's ledger as of `now` (locked inside a transaction), and the operator's row. */
export async function readKnown(
  db: Db,
  borrower: string,
  operator: OperatorRow | null,
  now: Date,
  options: { lock: boolean; ledger?: LedgerRow | null },
): Promise<Known> {
  // Lock order: operator, then ledger (ADR 0004).
  const current =
    options.lock && operator
      ? ((await findOperator(db, operator.id, { forUpdate: true })) ?? null)
      : operator;
  const ledger = options.lock ? (await lockLedgers(db, [borrower], now))[0] : options.ledger;
  const taken = ledger && ledger.loans > 0 ? await takenLoansOf(db, borrower) : [];
  return {
    operator: current,
    ledgerVersion: versionOf(ledger),
    exposure: existingExposure(ledger, taken, now),
  };
}

/** What the model is asked, and who asks. */
export interface DecideInput {
  applicationId: string;
  merchantId: string;
  marketId: string;
  /** The borrower (identity digest) whose exposure ledger the offers join. */
  borrower: string;
  policy: ArmPolicy & { arm: 'champion' | 'challenger' };
  source: 'model' | 'review';
  /** As read before the write (the hot path); a transaction reads it again under lock. */
  known: Known;
  buildContext: (known: Known) => DecisionContext;
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
  ledger: LedgerDelta | null;
}

/** Runs the model with the operator and ledger as known now and prepares the rows to write. */
export function prepareDecision(input: DecideInput, known: Known): Decided {
  const { operator } = known;
  const context = input.buildContext(known);
  const decision = input.decideWith(context);
  const proposals = offersToMake(decision, input.groupId !== null);
  const guaranteed = proposals.find((o) => o.product === 'operator_guarantee');
  const decisionId = newId('dec');
  const expiresAt = new Date(input.now.getTime() + decision.offerValidityDays * DAY_MS);
  const offerStatus: OfferStatus = input.groupId ? 'pending' : 'offered';
  const offerRows: OfferInsert[] = proposals.map((o) => ({
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
    monthlyInstalment: offerInstalment(o),
    operatorId: o.product === 'operator_guarantee' ? (operator?.id ?? null) : null,
    reservedAmount: o.product === 'operator_guarantee' ? o.amount : 0,
    guaranteeGroupId: o.product === 'joint_guarantee' ? input.groupId : null,
    status: offerStatus,
    expiresAt,
    createdAt: input.now,
    updatedAt: input.now,
  }));
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
    offerRows,
    ledger:
      offerRows.length > 0
        ? {
            borrower: input.borrower,
            seenVersion: known.ledgerVersion,
            amounts: ledgerDeltaOf(offerRows),
            now: input.now,
          }
        : null,
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
 * Decides and writes with `recordDecision`. Inside a transaction the borrower's ledger row and the
 * operator's are locked and read first, so the write cannot find them moved. On its own (the hot
 * path) the write is checked against what was read; when another write moved the ledger or took
 * the operator's capacity meanwhile it answers 'contended', and the caller decides again in a
 * transaction (submit-application.ts), so the stored context always reproduces the decision.
 */
export async function decideAndRecord<V>(
  writer: StatementWriter,
  ctx: CommandContext,
  r: Recording<V>,
): Promise<{ decided: Decided; application: ApplicationInsert; view: V } | KeyTaken | 'contended'> {
  const known = writer.inTransaction
    ? await readKnown(writer.db, r.input.borrower, r.input.known.operator, ctx.now, { lock: true })
    : r.input.known;
  const prepared = prepareDecision(r.input, known);
  const decided = r.adjust ? r.adjust(prepared) : prepared;
  const application = r.application(decided);
  const view = r.view(decided, application);
  const outcome = await recordDecision(writer, {
    application,
    decision: decided.decisionRow,
    offers: decided.offerRows,
    events: commandAuditRows(ctx, r.events(decided, application)),
    outbox: [decisionEvent(r.input.source, application, decided.decisionRow, decided.offerRows)],
    reservation: decided.reservation,
    ledger: decided.ledger,
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
  if (typeof outcome !== 'string') return outcome;
  if (!writer.inTransaction) return 'contended';
  throw new Error(`a write under lock failed its guard: ${outcome}`);
}
