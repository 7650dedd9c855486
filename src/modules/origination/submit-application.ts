import { decide, type LoanRequest } from '../../credit';
import type { Db } from '../../db/connect';
import { alone, within } from '../../db/statement';
import type { AppDeps } from '../../deps';
import type { CommandContext } from '../../lib/command-context';
import { AppError, conflict, validationFailed } from '../../lib/errors';
import { newId } from '../../lib/ids';
import type { Command } from '../../platform/command';
import type { AuditEntry } from '../audit/repository';
import { canSeeMerchantRecord } from '../merchants/access';
import { findOperator } from '../operators/repository';
import type { ArmPolicy } from '../policies/active-policy';
import { decisionContext } from './decision-context';
import { checkGuarantorRequest, type GuarantorRequest, loadGuarantors } from './guarantors';
import type { NetworkCache } from './network-cache';
import { applicationAnswerRef, type SubmissionAudit } from './queries';
import {
  type Decided,
  type DecideInput,
  decideAndRecord,
  type Recording,
  readKnown,
} from './record-decision';
import * as repo from './repository';
import { resolveGroupIfComplete } from './resolve-group';
import type { ApplicationView, SubmitApplicationBody } from './schemas';
import { lockGroup } from './transitions';
import { applicationView, writtenView } from './views';

/**
 * POST /v1/applications, the hot path: score the survey and answer with the decision and
 * offers in the same request. A single merchant's application, decision, offers, capacity
 * reservation, audit events and answer are one statement (ADR 0001); a guarantee-group
 * member's are one transaction under the group's lock, which decides the group once every
 * member has applied.
 */
export function submitApplication(
  deps: AppDeps,
  ctx: CommandContext,
  body: SubmitApplicationBody,
): Command<ApplicationView> {
  const groupId = body.request.guaranteeGroupId ?? null;
  checkGroupRequest(body.request.product, groupId);
  checkGuarantorRequest(body, ctx.now);
  let loaded: Promise<Submission> | null = null;
  const load = () => {
    loaded ??= loadSubmission(deps, ctx, body);
    return loaded;
  };
  // The idempotency row keeps a reference: the answer is rebuilt from the rows written.
  const reference = applicationAnswerRef;
  if (groupId)
    return {
      status: 201,
      reference,
      prepare: async () => void (await load()),
      run: async (tx) => submitGroupMember(tx, deps.networks, ctx, await load(), groupId),
    };
  if (body.guarantors?.length)
    return {
      status: 201,
      reference,
      prepare: async () => void (await load()),
      run: async (tx) => submitWithGuarantors(tx, ctx, await load(), body.guarantors ?? []),
    };
  return {
    status: 201,
    write: async (answer) => {
      const recording = {
        ...(await load()).recording(0),
        answer: { part: answer, status: 201, reference },
      };
      let written = await decideAndRecord(alone(deps.database), ctx, recording);
      // Another write moved the borrower's ledger or took the operator's capacity since they
      // were read: decide again in a transaction that locks them first.
      if (written === 'contended')
        written = await deps.db.transaction((tx) => decideAndRecord(within(tx), ctx, recording));
      if (written === 'contended') throw new Error('a locked write was contended');
      return 'view' in written ? written.view : written;
    },
  };
}

interface Submission {
  merchantId: string;
  /** The applicant's and its guarantors' borrowers (identity digests). */
  borrowers: string[];
  operatorId: string | null;
  policy: ArmPolicy & { arm: 'champion' | 'challenger' };
  recording: (memberCount: number) => Recording<ApplicationView>;
}

/** The merchant (404 unless the caller may see it), its operator, group and policy. */
async function loadSubmission(
  deps: AppDeps,
  ctx: CommandContext,
  body: SubmitApplicationBody,
): Promise<Submission> {
  const { survey, request } = body;
  const groupId = request.guaranteeGroupId ?? null;
  const partnerId = ctx.actor.role === 'partner' ? ctx.actor.partnerId : null;
  const applicant = await repo.loadApplicant(deps.db, body.merchantId, groupId, partnerId);
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
  const guarantors = body.guarantors ?? [];
  const guarantorRows = await loadGuarantors(deps.db, ctx, guarantors, merchant, policy.compiled);
  const applicationId = newId('app');
  const known = await readKnown(deps.db, merchant.idNumberDigest, applicant.operator, ctx.now, {
    lock: false,
    ledger: applicant.ledger,
  });
  const input = (memberCount: number): DecideInput => ({
    applicationId,
    merchantId: merchant.id,
    marketId: merchant.marketId,
    borrower: merchant.idNumberDigest,
    policy,
    source: 'model',
    known,
    buildContext: ({ operator, exposure }) =>
      decisionContext({
        operator,
        leaseEndsOn: merchant.leaseEndsOn,
        group: groupId ? { id: groupId, memberCount } : null,
        now: ctx.now,
        exposure,
        guarantors: guarantors.map((g) => ({ merchantId: g.merchantId, amount: g.amount })),
      }),
    decideWith: (context) => decide(survey, request, policy.compiled, context),
    groupId,
    now: ctx.now,
    decidedBy: 'model',
  });
  return {
    merchantId: merchant.id,
    borrowers: [merchant.idNumberDigest, ...guarantorRows.map((g) => g.idNumberDigest)],
    operatorId: applicant.operator?.id ?? null,
    policy,
    recording: (memberCount) => ({
      input: input(memberCount),
      application: (decided) => ({
        id: applicationId,
        merchantId: merchant.id,
        marketId: merchant.marketId,
        partnerId: partnerId ?? merchant.partnerId,
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
      }),
      events: (decided) => submissionEvents(applicationId, request, decided),
      view: (decided, application) => writtenView(application, decided),
    }),
  };
}

/** A guarantee-group member: under the group's lock, deciding the group when it is complete. */
async function submitGroupMember(
  tx: Db,
  networks: NetworkCache,
  ctx: CommandContext,
  s: Submission,
  groupId: string,
): Promise<ApplicationView> {
  const group = await lockGroup(tx, groupId);
  if (group.status !== 'forming') throw groupNotForming(group.status);
  if (await repo.hasAppliedInGroup(tx, groupId, s.merchantId)) {
    throw conflict(
      'ALREADY_APPLIED',
      'This merchant has already applied in this guarantee group',
      '该商户已在此联保小组中提交过申请',
    );
  }
  // A member's loan is a contingent liability of every other member: all their ledgers change.
  const borrowers = await repo.borrowersOf(tx, [], [groupId]);
  const written = await decideAndRecord(within(tx), ctx, s.recording(group.memberCount));
  if (typeof written === 'string' || !('view' in written))
    throw new Error('a transaction write found its key taken');
  const decided = await resolveGroupIfComplete(tx, networks, ctx, group, s.policy.compiled);
  await repo.settleLedgers(tx, borrowers, ctx.now);
  if (!decided) return written.view;
  // The group was decided now: the member's application and offers moved with it.
  const [application, offerRows] = await Promise.all([
    repo.findApplication(tx, written.application.id),
    repo.offersOf(tx, [written.application.id]),
  ]);
  if (!application) throw new Error('application vanished');
  return applicationView(application, written.decided.decisionRow as repo.DecisionRow, offerRows);
}

/**
 * An application naming individual guarantors: its loan is their contingent liability, so their
 * ledgers change with it. One transaction: the operator, then the applicant's and guarantors'
 * ledger rows in borrower order (ADR 0004), the decision, the guarantors, and the settled ledgers
 * and network edges.
 */
async function submitWithGuarantors(
  tx: Db,
  ctx: CommandContext,
  s: Submission,
  guarantors: GuarantorRequest[],
): Promise<ApplicationView> {
  if (s.operatorId) await findOperator(tx, s.operatorId, { forUpdate: true });
  await repo.lockLedgers(tx, s.borrowers, ctx.now);
  const written = await decideAndRecord(within(tx), ctx, s.recording(0));
  if (typeof written === 'string' || !('view' in written))
    throw new Error('a transaction write found its key taken');
  await repo.insertGuarantors(tx, written.application.id as string, guarantors, ctx.now);
  await repo.settleLedgers(tx, s.borrowers, ctx.now);
  return written.view;
}

/**
 * ONE audit row per submission: the request and the decision it got (stored once, in the
 * decision; the events endpoint shows the decision and the offers made: queries.ts).
 */
function submissionEvents(
  applicationId: string,
  request: LoanRequest,
  decided: Decided,
): AuditEntry[] {
  const data: SubmissionAudit = {
    product: request.product,
    amount: request.amount,
    decisionId: decided.decisionRow.id as string,
  };
  return [
    {
      entityType: 'application',
      entityId: applicationId,
      action: 'application.submitted',
      data: { ...data },
    },
  ];
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
