import { eq } from 'drizzle-orm';
import { decide, type LoanRequest, type Survey } from '../../credit';
import type { Db } from '../../db/connect';
import {
  applications,
  auditEvents,
  decisions,
  markets,
  merchants,
  offers,
  operators,
} from '../../db/schema';
import type { AppDeps } from '../../deps';
import type { CommandContext } from '../../lib/command-context';
import { forbidden, invalidState, notFound } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { ENV_ADMIN_KEY_ID } from '../../platform/auth';
import type { Command } from '../../platform/command';
import { ownerOfKey } from '../api-keys/repository';
import { auditRows } from '../audit/repository';
import { canSeeMerchant } from '../merchants/access';
import { decisionContext } from './decision-context';
import { assertApplicationMove } from './lifecycle';
import { decideAndReserve } from './record-decision';
import { findApplicationForUpdate, latestDecisions, type OperatorRow } from './repository';
import type { ApplicationView, ReviewBody } from './schemas';
import { applicationView } from './views';

/**
 * A reviewer decides a referred application (审贷分离: never one they submitted). A decline is
 * final; an approval runs the same model under the same policy version, with offers as for an
 * approve, within every cap and at most the amount the reviewer names.
 */
export function reviewApplication(
  deps: AppDeps,
  ctx: CommandContext,
  id: string,
  body: ReviewBody,
): Command<ApplicationView> {
  let priorPolicy: Awaited<ReturnType<AppDeps['policies']['byId']>> | null = null;
  return {
    status: 200,
    // The policy is read before the transaction: PolicyCache reads on its own connection, which
    // inside the transaction deadlocks a single-connection database (PGlite) and holds a second
    // pool connection on PostgreSQL. A referred application's decision does not change until it
    // is reviewed, and the transaction checks the status again under the row lock.
    prepare: async () => {
      const prior = (await latestDecisions(deps.db, [id])).get(id);
      priorPolicy = prior ? await deps.policies.byId(prior.policyId) : null;
    },
    run: (tx) => review(deps, ctx, id, body, priorPolicy, tx),
  };
}

async function review(
  deps: AppDeps,
  ctx: CommandContext,
  id: string,
  body: ReviewBody,
  priorPolicy: Awaited<ReturnType<AppDeps['policies']['byId']>> | null,
  tx: Db,
): Promise<ApplicationView> {
  const app = await findApplicationForUpdate(tx, id);
  if (!app || !canSeeMerchant(ctx.actor, app)) throw notFound('Application');
  // 审贷分离 between people: neither the submitting key nor any other key of its owner.
  const submitter =
    app.submittedBy === ENV_ADMIN_KEY_ID
      ? deps.config.ADMIN_API_KEY_OWNER
      : await ownerOfKey(tx, app.submittedBy);
  if (app.submittedBy === ctx.actor.keyId || submitter === ctx.actor.owner) {
    throw forbidden(
      'A reviewer may not review an application they submitted, with this key or another of theirs (审贷分离)',
      '审贷分离：提交申请的人员不得审批该申请（无论使用哪个密钥）',
    );
  }
  const target = body.action === 'approve' ? 'approved' : 'declined';
  assertApplicationMove(app.status, target, `${body.action} in review`);
  if (app.status !== 'referred') assertApplicationMove('referred', app.status, 'review');

  const previous = (await latestDecisions(tx, [app.id])).get(app.id);
  if (!previous) throw new Error(`application ${app.id} has no decision`);
  if (!priorPolicy || priorPolicy.id !== previous.policyId)
    throw invalidState(app.status, 'review: the decision changed meanwhile');
  const policy = { ...priorPolicy, arm: previous.arm };

  const [applicant] = await tx
    .select({ merchant: merchants, operator: operators })
    .from(merchants)
    .innerJoin(markets, eq(markets.id, merchants.marketId))
    .leftJoin(operators, eq(operators.id, markets.operatorId))
    .where(eq(merchants.id, app.merchantId));
  if (!applicant) throw notFound('Merchant');

  const survey = app.survey as Survey;
  const request: LoanRequest = {
    product: app.product as LoanRequest['product'],
    amount: app.amount,
    termMonths: app.termMonths,
    purpose: app.purpose as LoanRequest['purpose'],
    ...(app.guaranteeGroupId ? { guaranteeGroupId: app.guaranteeGroupId } : {}),
  };

  let decisionRow: typeof decisions.$inferInsert;
  let offerRows: (typeof offers.$inferInsert)[] = [];
  let status: 'approved' | 'declined' = target;
  if (body.action === 'decline') {
    decisionRow = {
      ...previous,
      id: newId('dec'),
      source: 'review',
      outcome: 'decline',
      decidedBy: ctx.actor.keyId,
      note: body.note,
      createdAt: ctx.now,
    };
  } else {
    const decided = await decideAndReserve(tx, {
      applicationId: app.id,
      merchantId: app.merchantId,
      marketId: app.marketId,
      policy,
      source: 'review',
      operator: applicant.operator as OperatorRow | null,
      buildContext: (operator) =>
        decisionContext({
          operator,
          leaseEndsOn: applicant.merchant.leaseEndsOn,
          group: null,
          now: ctx.now,
          override: { outcome: 'approve', ...(body.amount ? { maxAmount: body.amount } : {}) },
        }),
      decideWith: (context) => decide(survey, request, policy.compiled, context),
      groupId: null,
      now: ctx.now,
      decidedBy: ctx.actor.keyId,
      note: body.note,
    });
    offerRows = decided.offerRows;
    // An approval the model cannot back with any offer within its caps stays a decline, and
    // the stored decision says so (not 'approve' beside a declined application).
    if (offerRows.length === 0) status = 'declined';
    decisionRow = {
      ...decided.decisionRow,
      outcome: status === 'approved' ? 'approve' : 'decline',
    };
  }

  const [updated] = await tx
    .update(applications)
    .set({ status, updatedAt: ctx.now })
    .where(eq(applications.id, app.id))
    .returning();
  const [storedDecision] = await tx.insert(decisions).values(decisionRow).returning();
  const storedOffers = offerRows.length
    ? await tx.insert(offers).values(offerRows).returning()
    : [];
  await tx.insert(auditEvents).values(
    auditRows(ctx, [
      {
        entityType: 'application',
        entityId: app.id,
        action: `application.review_${body.action}`,
        data: { note: body.note, amount: body.amount ?? null, status },
      },
      ...storedOffers.map((o) => ({
        entityType: 'offer',
        entityId: o.id,
        action: 'offer.offered',
        data: { applicationId: app.id, product: o.product, amount: o.amount },
      })),
    ]),
  );
  if (!updated || !storedDecision) throw new Error('review wrote no row');
  return applicationView(updated, storedDecision, storedOffers);
}
