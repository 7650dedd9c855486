import { type CompiledPolicy, type Decision, resolveGuaranteeGroup } from '../../credit';
import type { Db } from '../../db/connect';
import type { CommandContext } from '../../lib/command-context';
import { appendAudit } from '../audit/repository';
import { assertGroupMove } from './lifecycle';
import * as repo from './repository';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Once every member has applied, decides the group as a whole (联保: all or none): the members'
 * pending loans are offered together, or all withdrawn and the members freed. Runs under the
 * group's lock, in the transaction of the last member's submission. Returns whether the group
 * was decided now.
 */
export async function resolveGroupIfComplete(
  tx: Db,
  ctx: CommandContext,
  group: { id: string; status: repo.GroupRow['status'] },
  policy: CompiledPolicy,
): Promise<boolean> {
  const members = await repo.activeMemberCount(tx, group.id);
  const apps = await repo.groupApplications(tx, group.id);
  if (apps.length < members) return false;

  const appIds = apps.map((a) => a.id);
  const latest = await repo.latestDecisions(tx, appIds);
  const resolution = resolveGuaranteeGroup(
    apps.map((a) => {
      const decision = latest.get(a.id)?.result as Decision;
      return {
        merchantId: a.merchantId,
        marketId: a.marketId,
        decision,
        annualNetProfit: decision.metrics.annualNetProfit,
      };
    }),
    policy,
  );
  const status = resolution.approved ? 'offered' : 'declined';
  assertGroupMove(group.status, status, 'decide the group');

  if (resolution.approved) {
    const expiresAt = new Date(ctx.now.getTime() + policy.document.offerValidityDays * DAY_MS);
    await repo.moveOffersOf(tx, appIds, 'pending', { status: 'offered', expiresAt }, ctx.now);
  } else {
    await repo.moveOffersOf(tx, appIds, 'pending', { status: 'withdrawn' }, ctx.now);
    // Before the group is decided no member has accepted: only approved ones are withdrawn.
    await repo.moveApplications(tx, appIds, 'withdrawn', ['approved'], ctx.now);
    await repo.freeMembers(tx, group.id);
  }
  await repo.setGroupStatus(tx, group.id, status, ctx.now, resolution);
  await appendAudit(tx, ctx, [
    {
      entityType: 'guarantee_group',
      entityId: group.id,
      action: `guarantee_group.${status}`,
      data: { reasons: resolution.reasons.map((r) => r.code) },
    },
    ...appIds.map((id) => ({
      entityType: 'application',
      entityId: id,
      action: `guarantee_group.${status}`,
      data: { groupId: group.id },
    })),
  ]);
  return true;
}
