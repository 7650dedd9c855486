import { decide, type LoanRequest, NO_EXPOSURE, reviewOutcome, type Survey } from '../../credit';
import type { Db } from '../../db/connect';
import { within } from '../../db/statement';
import type { AppDeps } from '../../deps';
import type { CommandContext } from '../../lib/command-context';
import { invalidState, notFound } from '../../lib/errors';
import { newId } from '../../lib/ids';
import type { Command } from '../../platform/command';
import { commandAuditRows } from '../audit/repository';
import { canSeeMerchant } from '../merchants/access';
import { findOperator } from '../operators/repository';
import type { ArmPolicy } from '../policies/active-policy';
import { decisionContext } from './decision-context';
import { decisionEvent } from './events';
import { assertApplicationMove } from './lifecycle';
import { type Decided, decideAndRecord } from './record-decision';
import * as repo from './repository';
import type { ApplicationView, ReviewBody } from './schemas';
import { assertReviewerIndependent } from './separation';
import { writtenView } from './views';

/**
 * POST /v1/applications/:id/review: a reviewer decides a referred application (审贷分离: never
 * one the same person submitted). A decline is final; an approval runs the same model under the
 * same policy version, with offers as for an approve, within every cap and at most the amount
 * the reviewer names (src/credit `reviewOutcome` says what the verdict becomes).
 */
export function reviewApplication(
  deps: AppDeps,
  ctx: CommandContext,
  id: string,
  body: ReviewBody,
): Command<ApplicationView> {
  let priorPolicy: ArmPolicy | null = null;
  return {
    status: 200,
    // The policy is read before the transaction: PolicyCache reads on its own connection, which
    // inside the transaction deadlocks a single-connection database (PGlite) and holds a second
    // pool connection on PostgreSQL. A referred application's decision does not change until it
    // is reviewed, and the transaction checks again under the row lock.
    prepare: async () => {
      const prior = (await repo.latestDecisions(deps.db, [id])).get(id);
      priorPolicy = prior ? await deps.policies.byId(prior.policyId) : null;
    },
    run: (tx) => review(deps, tx, ctx, id, body, priorPolicy),
  };
}

async function review(
  deps: AppDeps,
  tx: Db,
  ctx: CommandContext,
  id: string,
  body: ReviewBody,
  priorPolicy: ArmPolicy | null,
): Promise<ApplicationView> {
  const app = await repo.findApplication(tx, id, { forUpdate: true });
  if (!app || !canSeeMerchant(ctx.actor, app)) throw notFound('Application');
  await assertReviewerIndependent(deps, tx, ctx, [app.submittedBy], {
    en: 'an application they submitted',
    zh: '提交申请的人员不得审批该申请',
  });
  assertApplicationMove(
    app.status,
    body.action === 'approve' ? 'approved' : 'declined',
    `${body.action} in review`,
  );
  if (app.status !== 'referred') assertApplicationMove('referred', app.status, 'review');

  const previous = (await repo.latestDecisions(tx, [app.id])).get(app.id);
  if (!previous) throw new Error(`application ${app.id} has no decision`);
  if (!priorPolicy || priorPolicy.id !== previous.policyId)
    throw invalidState(app.status, 'review: the decision changed meanwhile');
  const policy = { ...priorPolicy, arm: previous.arm };

  const events = (decided: Pick<Decided, 'offerRows'>, status: string) => [
    {
      entityType: 'application',
      entityId: app.id,
      action: `application.review_${body.action}`,
      data: { note: body.note, amount: body.amount ?? null, status },
    },
    ...decided.offerRows.map((o) => ({
      entityType: 'offer',
      entityId: o.id as string,
      action: 'offer.offered',
      data: { applicationId: app.id, product: o.product, amount: o.amount },
    })),
  ];

  if (body.action === 'decline') {
    // The model's result stays as it was; the verdict is the reviewer's.
    const declined = {
      decisionRow: {
        ...previous,
        id: newId('dec'),
        source: 'review' as const,
        outcome: 'decline' as const,
        decidedBy: ctx.actor.keyId,
        note: body.note,
        createdAt: ctx.now,
      },
      offerRows: [],
    };
    const application = { ...app, status: 'declined' as const, updatedAt: ctx.now };
    await repo.recordDecision(within(tx), {
      application,
      decision: declined.decisionRow,
      offers: [],
      events: commandAuditRows(ctx, events(declined, 'declined')),
      outbox: [decisionEvent('review', application, declined.decisionRow, [])],
      reservation: null,
      ledger: null,
      answer: null,
    });
    return writtenView(application, declined);
  }

  const merchant = await repo.merchantWithOperator(tx, app.merchantId);
  if (!merchant) throw notFound('Merchant');
  // Individual guarantors (issue #16): their support counts again, and their ledgers move with
  // the new offers: lock the operator, then every ledger row in borrower order (ADR 0004).
  const guarantors = await repo.guarantorsOf(tx, app.id);
  const borrowers = guarantors.length
    ? await repo.borrowersOf(tx, [app.merchantId], [], [app.id])
    : [];
  if (guarantors.length) {
    if (merchant.operator) await findOperator(tx, merchant.operator.id, { forUpdate: true });
    await repo.lockLedgers(tx, borrowers, ctx.now);
  }
  const request: LoanRequest = {
    product: app.product as LoanRequest['product'],
    amount: app.amount,
    termMonths: app.termMonths,
    purpose: app.purpose as LoanRequest['purpose'],
    ...(app.guaranteeGroupId ? { guaranteeGroupId: app.guaranteeGroupId } : {}),
  };
  const written = await decideAndRecord(within(tx), ctx, {
    input: {
      applicationId: app.id,
      merchantId: app.merchantId,
      marketId: app.marketId,
      borrower: merchant.merchant.idNumberDigest,
      policy,
      source: 'review',
      // Read again under lock by decideAndRecord (a transaction).
      known: {
        operator: merchant.operator,
        ledgerVersion: 0,
        exposure: NO_EXPOSURE,
      },
      buildContext: ({ operator, exposure }) =>
        decisionContext({
          operator,
          leaseEndsOn: merchant.merchant.leaseEndsOn,
          group: null,
          now: ctx.now,
          override: { outcome: 'approve', ...(body.amount ? { maxAmount: body.amount } : {}) },
          exposure,
          guarantors,
        }),
      decideWith: (context) => decide(app.survey as Survey, request, policy.compiled, context),
      groupId: null,
      now: ctx.now,
      decidedBy: ctx.actor.keyId,
      note: body.note,
    },
    adjust: (decided) => {
      const verdict = reviewOutcome('approve', decided.offerRows.length);
      return {
        ...decided,
        status: verdict.status,
        decisionRow: { ...decided.decisionRow, outcome: verdict.outcome },
      };
    },
    application: (decided) => ({ ...app, status: decided.status, updatedAt: ctx.now }),
    events: (decided) => events(decided, decided.status),
    view: (decided, application) => writtenView(application, decided),
  });
  if (typeof written === 'string' || !('view' in written))
    throw new Error('a transaction write found its key taken');
  await repo.settleLedgers(tx, borrowers, ctx.now);
  return written.view;
}
