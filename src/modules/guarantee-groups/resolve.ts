import { and, eq, inArray, sql } from 'drizzle-orm';
import { type CompiledPolicy, type Decision, resolveGuaranteeGroup } from '../../credit';
import type { Db } from '../../db/connect';
import {
  applications,
  auditEvents,
  decisions,
  guaranteeGroupMembers,
  guaranteeGroups,
  offers,
} from '../../db/schema';
import type { CommandContext } from '../../lib/command-context';
import { notFound } from '../../lib/errors';
import { auditRows } from '../audit/repository';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Locks the group row: member submissions and acceptances of one group run one at a time. */
export async function lockGroup(tx: Db, groupId: string) {
  const [group] = await tx
    .select()
    .from(guaranteeGroups)
    .where(eq(guaranteeGroups.id, groupId))
    .for('update');
  if (!group) throw notFound('Guarantee group');
  const [count] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(guaranteeGroupMembers)
    .where(and(eq(guaranteeGroupMembers.groupId, groupId), eq(guaranteeGroupMembers.active, true)));
  return { ...group, memberCount: count?.n ?? 0 };
}

/**
 * Once every member has applied, decides the group as a whole (联保: all or none): the members'
 * pending loans are offered together, or all withdrawn and the members freed. Returns whether
 * the group was decided now.
 */
export async function resolveGroupIfComplete(
  tx: Db,
  ctx: CommandContext,
  groupId: string,
  policy: CompiledPolicy,
): Promise<boolean> {
  const members = await tx
    .select({ merchantId: guaranteeGroupMembers.merchantId })
    .from(guaranteeGroupMembers)
    .where(and(eq(guaranteeGroupMembers.groupId, groupId), eq(guaranteeGroupMembers.active, true)));
  const apps = await tx
    .select()
    .from(applications)
    .where(eq(applications.guaranteeGroupId, groupId));
  if (apps.length < members.length) return false;

  const decisionRows = await tx
    .select()
    .from(decisions)
    .where(
      inArray(
        decisions.applicationId,
        apps.map((a) => a.id),
      ),
    )
    .orderBy(decisions.createdAt, decisions.id);
  const latest = new Map(decisionRows.map((d) => [d.applicationId, d]));
  const inputs = apps.map((a) => {
    const decision = latest.get(a.id)?.result as Decision;
    return {
      merchantId: a.merchantId,
      marketId: a.marketId,
      decision,
      annualNetProfit: decision.metrics.annualNetProfit,
    };
  });
  const resolution = resolveGuaranteeGroup(inputs, policy);
  const appIds = apps.map((a) => a.id);

  if (resolution.approved) {
    const validityDays = policy.document.offerValidityDays;
    await tx
      .update(offers)
      .set({
        status: 'offered',
        expiresAt: new Date(ctx.now.getTime() + validityDays * DAY_MS),
        updatedAt: ctx.now,
      })
      .where(and(inArray(offers.applicationId, appIds), eq(offers.status, 'pending')));
  } else {
    await tx
      .update(offers)
      .set({ status: 'withdrawn', updatedAt: ctx.now })
      .where(and(inArray(offers.applicationId, appIds), eq(offers.status, 'pending')));
    await tx
      .update(applications)
      .set({ status: 'withdrawn', updatedAt: ctx.now })
      .where(and(inArray(applications.id, appIds), eq(applications.status, 'approved')));
    await tx
      .update(guaranteeGroupMembers)
      .set({ active: false })
      .where(eq(guaranteeGroupMembers.groupId, groupId));
  }
  const status = resolution.approved ? 'offered' : 'declined';
  await tx
    .update(guaranteeGroups)
    .set({ status, decision: resolution, updatedAt: ctx.now })
    .where(eq(guaranteeGroups.id, groupId));
  await tx.insert(auditEvents).values(
    auditRows(ctx, [
      {
        entityType: 'guarantee_group',
        entityId: groupId,
        action: `guarantee_group.${status}`,
        data: { reasons: resolution.reasons.map((r) => r.code) },
      },
      ...appIds.map((id) => ({
        entityType: 'application',
        entityId: id,
        action: `guarantee_group.${status}`,
        data: { groupId },
      })),
    ]),
  );
  return true;
}
