import type { Db } from '../../db/connect';
import type { AppDeps } from '../../deps';
import type { CommandContext } from '../../lib/command-context';
import { invalidState, notFound } from '../../lib/errors';
import type { Command } from '../../platform/command';
import { canSeeMerchant } from '../merchants/access';
import { assertGroupMove } from './lifecycle';
import * as repo from './repository';
import { settleGroup } from './resolve-group';
import type { GroupReviewBody, GroupView } from './schemas';
import { assertReviewerIndependent } from './separation';
import { lockGroup } from './transitions';
import { groupView } from './views';

/**
 * POST /v1/guarantee-groups/:id/review: a reviewer decides a group that the guarantee network's
 * rules referred (the policy's `guaranteeNetwork.action: refer`; issue #16). 审贷分离: never one
 * who formed the group or submitted a member's application. Approve: the members' loans are
 * offered as the model proposed them, for the policy's validity; decline: they are withdrawn
 * with the members' applications, and the members are free to join another group.
 */
export function reviewGroup(
  deps: AppDeps,
  ctx: CommandContext,
  id: string,
  body: GroupReviewBody,
): Command<GroupView> {
  return { status: 200, run: (tx) => review(deps, tx, ctx, id, body) };
}

async function review(
  deps: AppDeps,
  tx: Db,
  ctx: CommandContext,
  id: string,
  body: GroupReviewBody,
): Promise<GroupView> {
  const group = await lockGroup(tx, id);
  if (!canSeeMerchant(ctx.actor, group)) throw notFound('Guarantee group');
  const status = body.action === 'approve' ? 'offered' : 'declined';
  if (group.status !== 'referred') throw invalidState(group.status, `${body.action} in review`);
  assertGroupMove(group.status, status, `${body.action} in review`);
  const apps = await repo.groupApplications(tx, id);
  await assertReviewerIndependent(
    deps,
    tx,
    ctx,
    [group.createdBy, ...apps.map((a) => a.submittedBy)],
    {
      en: 'a guarantee group they formed or applied in',
      zh: '组建联保小组或在其中申请的人员不得审批该小组',
    },
  );
  const decided = group.decision;
  if (!decided) throw new Error(`referred group ${id} has no decision`);
  const latest = await repo.latestDecisions(
    tx,
    apps.map((a) => a.id),
  );
  // The members' loans were proposed under their decisions' policy: offered for its validity.
  const offerValidityDays = Math.min(
    ...[...latest.values()].map((d) => d.result.offerValidityDays),
  );
  if (!Number.isFinite(offerValidityDays)) throw new Error(`referred group ${id} has no decisions`);
  const borrowers = await repo.borrowersOf(tx, [], [id]);
  await settleGroup(
    tx,
    ctx,
    group,
    apps,
    status,
    {
      ...decided,
      review: {
        action: body.action,
        note: body.note,
        by: ctx.actor.keyId,
        at: ctx.now.toISOString(),
      },
    },
    {
      offerValidityDays,
      action: `guarantee_group.review_${body.action}`,
      reasons: decided.reasons.map((r) => r.code),
      note: body.note,
    },
  );
  await repo.settleLedgers(tx, borrowers, ctx.now);
  const after = await repo.findGroup(tx, id);
  if (!after) throw notFound('Guarantee group');
  return groupView(after, await repo.groupParts(tx, id));
}
