import { and, eq } from 'drizzle-orm';
import type { AppDeps } from '../../app';
import { decide } from '../../credit';
import { applications, auditEvents, decisions, offers } from '../../db/schema';
import type { CommandContext } from '../../lib/command-context';
import { newId } from '../../lib/ids';
import { AppError, conflict, validationFailed } from '../../platform/errors';
import type { IdempotencyHandle } from '../../platform/idempotency';
import { auditRows } from '../audit/repository';
import { lockGroup, resolveGroupIfComplete } from '../guarantee-groups/resolve';
import { canSeeMerchant } from '../merchants/access';
import { decisionContext } from './decision-context';
import { decideAndReserve } from './record-decision';
import { loadApplicant } from './repository';
import type { ApplicationView, SubmitApplicationBody } from './schemas';
import { applicationView } from './views';

/**
 * POST /v1/applications, the hot path: score the survey and answer with the decision and
 * offers in the same request. Application, decision, offers, capacity reservation, audit
 * events and the idempotent answer commit together or not at all.
 */
export async function submitApplication(
  deps: AppDeps,
  ctx: CommandContext,
  body: SubmitApplicationBody,
  idempotency: IdempotencyHandle | null,
): Promise<ApplicationView> {
  const { survey, request } = body;
  const groupId = request.guaranteeGroupId ?? null;
  checkGroupRequest(request.product, groupId);

  const applicant = await loadApplicant(deps.db, body.merchantId, groupId);
  if (!applicant || !canSeeMerchant(ctx.actor, applicant.merchant)) {
    throw new AppError(404, 'NOT_FOUND', 'Merchant not found', '未找到该商户', [
      { path: 'body.merchantId', message: 'no such merchant', messageZh: '商户不存在' },
    ]);
  }
  const { merchant } = applicant;
  if (groupId && (!applicant.groupStatus || !applicant.memberActive)) {
    throw notFoundInGroup();
  }
  if (groupId && applicant.groupStatus !== 'forming') {
    throw conflict(
      'GROUP_NOT_FORMING',
      `Guarantee group is ${applicant.groupStatus}; it no longer takes applications`,
      '该联保小组已不再接受申请',
    );
  }

  const policy = await deps.policies.forMerchant(merchant.id);
  const applicationId = newId('app');

  return deps.db.transaction(async (tx) => {
    let memberCount = 0;
    if (groupId) {
      const group = await lockGroup(tx, groupId);
      if (group.status !== 'forming') {
        throw conflict(
          'GROUP_NOT_FORMING',
          `Guarantee group is ${group.status}; it no longer takes applications`,
          '该联保小组已不再接受申请',
        );
      }
      memberCount = group.memberCount;
      const already = await tx
        .select({ id: applications.id })
        .from(applications)
        .where(
          and(eq(applications.guaranteeGroupId, groupId), eq(applications.merchantId, merchant.id)),
        )
        .limit(1);
      if (already.length) {
        throw conflict(
          'ALREADY_APPLIED',
          'This merchant has already applied in this guarantee group',
          '该商户已在此联保小组中提交过申请',
        );
      }
    }

    const decided = await decideAndReserve(tx, {
      applicationId,
      merchantId: merchant.id,
      marketId: merchant.marketId,
      policy,
      source: 'model',
      operator: applicant.operator,
      buildContext: (operator) =>
        decisionContext({
          operator,
          leaseEndsOn: merchant.leaseEndsOn,
          group: groupId ? { id: groupId, memberCount } : null,
          now: ctx.now,
        }),
      decideWith: (context) => decide(survey, request, policy.compiled, context),
      groupId,
      now: ctx.now,
      decidedBy: 'model',
    });

    const applicationRow = {
      id: applicationId,
      merchantId: merchant.id,
      marketId: merchant.marketId,
      partnerId: ctx.actor.role === 'partner' ? ctx.actor.partnerId : merchant.partnerId,
      submittedBy: ctx.actor.keyId,
      status: decided.status,
      product: request.product,
      amount: request.amount,
      termMonths: request.termMonths,
      purpose: request.purpose,
      guaranteeGroupId: groupId,
      survey,
      createdAt: ctx.now,
      updatedAt: ctx.now,
    };
    const [app] = await tx.insert(applications).values(applicationRow).returning();
    const [decisionRow] = await tx.insert(decisions).values(decided.decisionRow).returning();
    const offerRows = decided.offerRows.length
      ? await tx.insert(offers).values(decided.offerRows).returning()
      : [];
    await tx.insert(auditEvents).values(
      auditRows(ctx, [
        {
          entityType: 'application',
          entityId: applicationId,
          action: 'application.submitted',
          data: { merchantId: merchant.id, product: request.product, amount: request.amount },
        },
        {
          entityType: 'application',
          entityId: applicationId,
          action: `application.${decided.status}`,
          data: {
            decisionId: decided.decisionRow.id,
            outcome: decided.decision.outcome,
            score: decided.decision.score,
            policyVersion: policy.version,
            arm: policy.arm,
          },
        },
        ...offerRows.map((o) => ({
          entityType: 'offer',
          entityId: o.id,
          action: `offer.${o.status}`,
          data: { applicationId, product: o.product, amount: o.amount },
        })),
      ]),
    );
    if (!app || !decisionRow) throw new Error('insert returned no row');

    let finalOffers = offerRows;
    let finalApp = app;
    if (groupId) {
      const resolved = await resolveGroupIfComplete(tx, ctx, groupId, policy.compiled);
      if (resolved) {
        finalOffers = await tx.select().from(offers).where(eq(offers.applicationId, applicationId));
        const [reloaded] = await tx
          .select()
          .from(applications)
          .where(eq(applications.id, applicationId));
        if (reloaded) finalApp = reloaded;
      }
    }

    const view = applicationView(finalApp, decisionRow, finalOffers);
    await idempotency?.complete(tx, 201, view);
    return view;
  });
}

function checkGroupRequest(product: string, groupId: string | null) {
  if (product === 'joint_guarantee' && !groupId) {
    throw validationFailed([
      {
        path: 'body.request.guaranteeGroupId',
        message: 'a joint_guarantee request names its guarantee group',
        messageZh: '联保贷款申请需要填写联保小组编号',
      },
    ]);
  }
  if (product !== 'joint_guarantee' && groupId) {
    throw validationFailed([
      {
        path: 'body.request.guaranteeGroupId',
        message: 'only joint_guarantee requests name a guarantee group',
        messageZh: '只有联保贷款申请可以填写联保小组编号',
      },
    ]);
  }
}

function notFoundInGroup() {
  return new AppError(
    404,
    'NOT_FOUND',
    'Guarantee group not found for this merchant',
    '未找到该商户所在的联保小组',
    [
      {
        path: 'body.request.guaranteeGroupId',
        message: 'no such group, or the merchant is not an active member',
        messageZh: '联保小组不存在或商户不是其成员',
      },
    ],
  );
}
