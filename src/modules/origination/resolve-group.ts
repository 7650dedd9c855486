import {
  type CompiledPolicy,
  type Decision,
  groupNetworkFiguresIn,
  resolveGuaranteeGroup,
  type StoredGroupDecision,
} from '../../credit';
import type { Db } from '../../db/connect';
import type { CommandContext } from '../../lib/command-context';
import { appendAudit } from '../audit/repository';
import { appendEvents, type EventEntry } from '../events/repository';
import * as edges from './edges-repository';
import { offerEvent } from './events';
import { assertGroupMove } from './lifecycle';
import type { NetworkCache } from './network-cache';
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
  networks: NetworkCache,
  ctx: CommandContext,
  group: Pick<repo.GroupRow, 'id' | 'status' | 'partnerId' | 'marketId'>,
  policy: CompiledPolicy,
): Promise<boolean> {
  const members = await repo.activeMemberCount(tx, group.id);
  const apps = await repo.groupApplications(tx, group.id);
  if (apps.length < members) return false;

  const appIds = apps.map((a) => a.id);
  const latest = await repo.latestDecisions(tx, appIds);
  const memberIds = apps.map((a) => a.merchantId);
  const network = await networkAround(tx, networks, group, memberIds, policy);
  const resolution = resolveGuaranteeGroup(
    apps.map((a) => {
      const decision = latest.get(a.id)?.result as Decision;
      return {
        merchantId: a.merchantId,
        marketId: a.marketId,
        decision,
        annualNetProfit: decision.metrics.annualNetProfit,
        contingentElsewhere: network?.elsewhere.get(a.merchantId) ?? 0,
      };
    }),
    policy,
    network ? { figures: network.figures } : null,
  );
  const status = GROUP_STATUS_OF[resolution.verdict];
  assertGroupMove(group.status, status, 'decide the group');
  await settleGroup(tx, ctx, group, apps, status, resolution, {
    offerValidityDays: policy.document.offerValidityDays,
    action: `guarantee_group.${status}`,
    reasons: resolution.reasons.map((r) => r.code),
  });
  return true;
}

const GROUP_STATUS_OF = { approve: 'offered', refer: 'referred', decline: 'declined' } as const;

/**
 * Writes a group's decision (the model's, or a reviewer's of a referred group): offered, the
 * members' pending loans are offered together; declined, they are all withdrawn with the
 * members' applications and the members freed; referred, they wait as they are. Then the
 * group's status and decision, its event and one audit entry for the group and each member.
 */
export async function settleGroup(
  tx: Db,
  ctx: CommandContext,
  group: Pick<repo.GroupRow, 'id' | 'partnerId' | 'marketId'>,
  apps: repo.ApplicationRow[],
  status: 'offered' | 'referred' | 'declined',
  decision: StoredGroupDecision,
  how: { offerValidityDays: number; action: string; reasons: string[]; note?: string },
) {
  const appIds = apps.map((a) => a.id);
  const outbox: EventEntry[] = [];
  let moved: repo.OfferRow[] = [];
  if (status === 'offered') {
    const expiresAt = new Date(ctx.now.getTime() + how.offerValidityDays * DAY_MS);
    moved = await repo.moveOffersOf(
      tx,
      appIds,
      'pending',
      { status: 'offered', expiresAt },
      ctx.now,
    );
  } else if (status === 'declined') {
    moved = await repo.moveOffersOf(tx, appIds, 'pending', { status: 'withdrawn' }, ctx.now);
    const owners = new Map(apps.map((a) => [a.id, a]));
    for (const o of moved) {
      const owner = owners.get(o.applicationId);
      if (owner) outbox.push(offerEvent('offer.withdrawn', o, owner, { reason: 'group_declined' }));
    }
    // Before the group is decided no member has accepted: only approved ones are withdrawn.
    await repo.moveApplications(tx, appIds, 'withdrawn', ['approved'], ctx.now);
    await repo.freeMembers(tx, group.id);
  }
  await repo.setGroupStatus(tx, group.id, status, ctx.now, decision);
  outbox.unshift({
    type: 'guarantee_group.decided',
    objectType: 'guarantee_group',
    objectId: group.id,
    partnerId: group.partnerId,
    marketId: group.marketId,
    data: {
      guaranteeGroupId: group.id,
      status,
      reasons: how.reasons,
      applicationIds: appIds,
      offers: moved.map((o) => ({
        offerId: o.id,
        applicationId: o.applicationId,
        merchantId: o.merchantId,
        product: o.product,
        amount: o.amount,
        status: o.status,
      })),
    },
  });
  await appendEvents(tx, ctx.now, outbox);
  await appendAudit(tx, ctx, [
    {
      entityType: 'guarantee_group',
      entityId: group.id,
      action: how.action,
      data: { reasons: how.reasons, ...(how.note === undefined ? {} : { note: how.note }) },
    },
    ...appIds.map((id) => ({
      entityType: 'application',
      entityId: id,
      action: how.action,
      data: { groupId: group.id },
    })),
  ]);
}

/**
 * The guarantee network around the group at its decision (issue #16): the circle it closes with
 * other guarantees in its market's network as this transaction sees it (its own edges left out;
 * ADR 0011), the circle's borrowing as the ledger holds it now
 * (the members' pending loans included), and what each member guarantees outside the group.
 * Null when the policy has no network rules.
 */
async function networkAround(
  tx: Db,
  networks: NetworkCache,
  group: Pick<repo.GroupRow, 'id' | 'marketId'>,
  memberIds: string[],
  policy: CompiledPolicy,
) {
  const rules = policy.document.guaranteeNetwork;
  if (!rules) return null;
  const market = await networks.network(tx, group.marketId);
  let figures = groupNetworkFiguresIn(
    market.index,
    memberIds,
    rules.maxCircleSize,
    new Map(),
    group.id,
  );
  if (figures.circle.length > 0) {
    figures = {
      ...figures,
      circleBorrowing: await edges.borrowingTotal(tx, figures.circle, market.borrowerOf),
    };
  }
  const elsewhere = await edges.contingentOutside(tx, memberIds, group.id);
  return { figures, elsewhere };
}
