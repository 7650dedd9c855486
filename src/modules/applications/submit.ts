import { and, eq } from 'drizzle-orm';
import { decide, type LoanRequest } from '../../credit';
import type { Db } from '../../db/connect';
import { applications, auditEvents, decisions, offers, operators } from '../../db/schema';
import type { AppDeps } from '../../deps';
import type { CommandContext } from '../../lib/command-context';
import { AppError, conflict, validationFailed } from '../../lib/errors';
import { newId } from '../../lib/ids';
import type { AnswerPart, Command } from '../../platform/command';
import { type AuditEntry, auditRows } from '../audit/repository';
import { lockGroup, resolveGroupIfComplete } from '../guarantee-groups/resolve';
import { canSeeMerchantRecord } from '../merchants/access';
import { decisionContext } from './decision-context';
import {
  type DecidedOffers,
  type DecideInput,
  decideAndReserve,
  prepareDecision,
  RESERVATION_ATTEMPTS,
} from './record-decision';
import { loadApplicant, type MerchantRow, type OperatorRow } from './repository';
import type { ApplicationView, SubmitApplicationBody } from './schemas';
import { applicationView } from './views';
import { writeDecidedApplication } from './write-decided';

type ApplicationInsert = typeof applications.$inferInsert & { createdAt: Date; updatedAt: Date };

interface Submission {
  merchant: MerchantRow;
  operator: OperatorRow | null;
  groupId: string | null;
  request: LoanRequest;
  policy: Awaited<ReturnType<AppDeps['policies']['forMerchant']>>;
  input: (memberCount: number) => DecideInput;
  applicationRow: (status: ApplicationInsert['status']) => ApplicationInsert;
}

/**
 * POST /v1/applications, the hot path: score the survey and answer with the decision and
 * offers in the same request. Application, decision, offers, capacity reservation, audit
 * events and the idempotent answer are written together or not at all: in one statement for a
 * single merchant, in one transaction for a guarantee-group member.
 */
export function submitApplication(
  deps: AppDeps,
  ctx: CommandContext,
  body: SubmitApplicationBody,
): Command<ApplicationView> {
  checkGroupRequest(body.request.product, body.request.guaranteeGroupId ?? null);
  let loaded: Submission | null = null;
  const load = async () => {
    loaded ??= await loadSubmission(deps, ctx, body);
    return loaded;
  };
  if (body.request.guaranteeGroupId) {
    return {
      status: 201,
      prepare: async () => void (await load()),
      run: async (tx) => submitGroupMember(tx, ctx, await load()),
    };
  }
  return { status: 201, write: async (answer) => submitSingle(deps, ctx, await load(), answer) };
}

async function loadSubmission(
  deps: AppDeps,
  ctx: CommandContext,
  body: SubmitApplicationBody,
): Promise<Submission> {
  const { survey, request } = body;
  const groupId = request.guaranteeGroupId ?? null;
  const applicant = await loadApplicant(
    deps.db,
    body.merchantId,
    groupId,
    ctx.actor.role === 'partner' ? ctx.actor.partnerId : null,
  );
  const link = applicant?.linkedPartnerId ? { partnerId: applicant.linkedPartnerId } : null;
  if (!applicant || !canSeeMerchantRecord(ctx.actor, applicant.merchant, link)) {
    throw new AppError(404, 'NOT_FOUND', 'Merchant not found', '未找到该商户', [
      { path: 'body.merchantId', message: 'no such merchant', messageZh: '商户不存在' },
    ]);
  }
  if (groupId && (!applicant.groupStatus || !applicant.memberActive)) throw notFoundInGroup();
  if (groupId && applicant.groupStatus !== 'forming')
    throw groupNotForming(applicant.groupStatus ?? 'unknown');

  const { merchant } = applicant;
  const policy = await deps.policies.forMerchant(merchant.id);
  const applicationId = newId('app');
  const input = (memberCount: number): DecideInput => ({
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
  const applicationRow = (status: ApplicationInsert['status']): ApplicationInsert => ({
    id: applicationId,
    merchantId: merchant.id,
    marketId: merchant.marketId,
    partnerId: ctx.actor.role === 'partner' ? ctx.actor.partnerId : merchant.partnerId,
    submittedBy: ctx.actor.keyId,
    status,
    product: request.product,
    amount: request.amount,
    termMonths: request.termMonths,
    purpose: request.purpose,
    guaranteeGroupId: groupId,
    survey,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  });
  return {
    merchant,
    operator: applicant.operator,
    groupId,
    request,
    policy,
    input,
    applicationRow,
  };
}

/** A single merchant: one statement, deciding again if the operator's capacity went meanwhile. */
async function submitSingle(deps: AppDeps, ctx: CommandContext, s: Submission, answer: AnswerPart) {
  let operator = s.operator;
  for (let attempt = 1; attempt <= RESERVATION_ATTEMPTS; attempt++) {
    const prepared = prepareDecision(s.input(0), operator);
    const app = s.applicationRow(prepared.status);
    const view = viewOf(app, prepared);
    const outcome = await writeDecidedApplication(deps.database, {
      application: app,
      decision: prepared.decisionRow,
      offers: prepared.offerRows,
      events: auditRows(ctx, submissionEvents(app.id, s.request, prepared, s.policy)),
      reservation: prepared.reservation,
      answer: { part: answer, status: 201, body: view },
    });
    if (outcome !== 'capacity_taken') return outcome === 'written' ? view : outcome;
    [operator] = (await deps.db
      .select()
      .from(operators)
      .where(eq(operators.id, operator?.id ?? ''))) as [OperatorRow];
  }
  throw new Error('operator capacity kept changing while deciding');
}

/** The answer, built from what is written (ids and times are ours), so no read-back is needed. */
function viewOf(app: ApplicationInsert, prepared: DecidedOffers): ApplicationView {
  const decisionRow = prepared.decisionRow as typeof decisions.$inferSelect;
  const offerRows = prepared.offerRows as (typeof offers.$inferSelect)[];
  return applicationView(app as typeof applications.$inferSelect, decisionRow, offerRows);
}

function submissionEvents(
  applicationId: string,
  request: LoanRequest,
  prepared: DecidedOffers,
  policy: { version: number; arm: string },
): AuditEntry[] {
  return [
    {
      entityType: 'application',
      entityId: applicationId,
      action: 'application.submitted',
      data: { product: request.product, amount: request.amount },
    },
    {
      entityType: 'application',
      entityId: applicationId,
      action: `application.${prepared.status}`,
      data: {
        decisionId: prepared.decisionRow.id,
        outcome: prepared.decision.outcome,
        score: prepared.decision.score,
        policyVersion: policy.version,
        arm: policy.arm,
      },
    },
    ...prepared.offerRows.map((o) => ({
      entityType: 'offer',
      entityId: o.id as string,
      action: `offer.${o.status}`,
      data: { applicationId, product: o.product, amount: o.amount },
    })),
  ];
}

/** A guarantee-group member: under the group's lock, deciding the group when complete. */
async function submitGroupMember(
  tx: Db,
  ctx: CommandContext,
  s: Submission,
): Promise<ApplicationView> {
  const groupId = s.groupId as string;
  const group = await lockGroup(tx, groupId);
  if (group.status !== 'forming') throw groupNotForming(group.status);
  await assertNotYetApplied(tx, groupId, s.merchant.id);
  const decided = await decideAndReserve(tx, s.input(group.memberCount));
  const [app] = await tx.insert(applications).values(s.applicationRow(decided.status)).returning();
  const [decisionRow] = await tx.insert(decisions).values(decided.decisionRow).returning();
  const offerRows = decided.offerRows.length
    ? await tx.insert(offers).values(decided.offerRows).returning()
    : [];
  if (!app || !decisionRow) throw new Error('insert returned no row');
  await tx
    .insert(auditEvents)
    .values(auditRows(ctx, submissionEvents(app.id, s.request, decided, s.policy)));
  let finalApp = app;
  let finalOffers = offerRows;
  if (await resolveGroupIfComplete(tx, ctx, groupId, s.policy.compiled)) {
    finalOffers = await tx.select().from(offers).where(eq(offers.applicationId, app.id));
    const [reloaded] = await tx.select().from(applications).where(eq(applications.id, app.id));
    if (reloaded) finalApp = reloaded;
  }
  return applicationView(finalApp, decisionRow, finalOffers);
}

async function assertNotYetApplied(tx: Db, groupId: string, merchantId: string) {
  const already = await tx
    .select({ id: applications.id })
    .from(applications)
    .where(and(eq(applications.guaranteeGroupId, groupId), eq(applications.merchantId, merchantId)))
    .limit(1);
  if (already.length) {
    throw conflict(
      'ALREADY_APPLIED',
      'This merchant has already applied in this guarantee group',
      '该商户已在此联保小组中提交过申请',
    );
  }
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

function groupNotForming(status: string) {
  return conflict(
    'GROUP_NOT_FORMING',
    `Guarantee group is ${status}; it no longer takes applications`,
    '该联保小组已不再接受申请',
  );
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
