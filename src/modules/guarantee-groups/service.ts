import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/connect';
import { isUniqueViolation } from '../../db/database-errors';
import {
  applications,
  auditEvents,
  guaranteeGroupMembers,
  guaranteeGroups,
  merchants,
  offers,
} from '../../db/schema';
import type { AppDeps } from '../../deps';
import type { CommandContext } from '../../lib/command-context';
import { AppError, conflict, notFound, unprocessable, validationFailed } from '../../lib/errors';
import { newId } from '../../lib/ids';
import type { Principal } from '../../lib/principal';
import { auditRows } from '../audit/repository';
import { canSeeMerchant, canSeeMerchantRecord } from '../merchants/access';
import { findMerchantsFor, type MerchantRow } from '../merchants/repository';
import type { CreateGroupBody, GroupView } from './schemas';

/**
 * Forms a joint-guarantee group (联保小组): 3-5 merchants of one market, none already in an
 * active group, no two sharing an identity number or a phone (one person cannot guarantee
 * themself). A unique index enforces "one active group per merchant" under concurrency.
 */
export async function createGroup(
  ctx: CommandContext,
  body: CreateGroupBody,
  tx: Db,
): Promise<GroupView> {
  const memberIds = body.memberIds;
  if (new Set(memberIds).size !== memberIds.length) {
    throw validationFailed([
      { path: 'body.memberIds', message: 'a merchant is listed twice', messageZh: '成员重复' },
    ]);
  }
  const records = await findMerchantsFor(tx, memberIds, ctx.actor);
  const visible = new Map(
    records
      .filter((r) => canSeeMerchantRecord(ctx.actor, r.merchant, r.link))
      .map((r) => [r.merchant.id, r.merchant]),
  );
  const missing = memberIds.filter((id) => !visible.has(id));
  if (missing.length) {
    throw new AppError(
      404,
      'NOT_FOUND',
      'Merchant not found',
      '未找到商户',
      missing.map((id) => ({
        path: 'body.memberIds',
        message: `no such merchant ${id}`,
        messageZh: `商户 ${id} 不存在`,
      })),
    );
  }
  const members = memberIds.map((id) => visible.get(id) as MerchantRow);
  const outside = members.filter((m) => m.marketId !== body.marketId);
  if (outside.length) {
    throw unprocessable(
      'GROUP_MARKETS_MIXED',
      "Every member must trade in the group's market",
      '联保小组成员须在同一市场经营',
      outside.map((m) => ({
        path: 'body.memberIds',
        message: `${m.id} is in another market`,
        messageZh: `${m.id} 不在该市场`,
      })),
    );
  }
  const sharedId = new Set(members.map((m) => m.idNumberDigest)).size !== members.length;
  const sharedPhone = new Set(members.map((m) => m.phoneDigest)).size !== members.length;
  if (sharedId || sharedPhone) {
    throw unprocessable(
      'GROUP_MEMBERS_RELATED',
      `Two members share ${sharedId ? 'an identity number' : 'a phone number'}: they cannot guarantee each other`,
      `两名成员的${sharedId ? '身份证件号码' : '手机号码'}相同，不能互相担保`,
      [
        {
          path: 'body.memberIds',
          message: sharedId ? 'shared identity number' : 'shared phone',
          messageZh: sharedId ? '身份证件号码相同' : '手机号码相同',
        },
      ],
    );
  }

  const groupId = newId('grp');
  const busy = await tx
    .select({ merchantId: guaranteeGroupMembers.merchantId })
    .from(guaranteeGroupMembers)
    .where(
      and(
        inArray(guaranteeGroupMembers.merchantId, memberIds),
        eq(guaranteeGroupMembers.active, true),
      ),
    );
  if (busy.length) throw alreadyInGroup(busy.map((b) => b.merchantId));
  try {
    await tx.insert(guaranteeGroups).values({
      id: groupId,
      marketId: body.marketId,
      status: 'forming',
      partnerId: ctx.actor.role === 'partner' ? ctx.actor.partnerId : null,
      createdBy: ctx.actor.keyId,
      createdAt: ctx.now,
      updatedAt: ctx.now,
    });
    await tx
      .insert(guaranteeGroupMembers)
      .values(memberIds.map((merchantId) => ({ groupId, merchantId, active: true })));
  } catch (err) {
    // Two groups formed at once with a shared member: the unique index lets one through.
    if (isUniqueViolation(err)) throw alreadyInGroup([]);
    throw err;
  }
  await tx.insert(auditEvents).values(
    auditRows(ctx, [
      {
        entityType: 'guarantee_group',
        entityId: groupId,
        action: 'guarantee_group.formed',
        data: { memberIds },
      },
    ]),
  );
  return groupView(tx, groupId);
}

function alreadyInGroup(ids: string[]) {
  return conflict(
    'MERCHANT_IN_ACTIVE_GROUP',
    'A member already belongs to another active guarantee group',
    '有成员已加入其他有效的联保小组',
    (ids.length ? ids : ['?']).map((id) => ({
      path: 'body.memberIds',
      message: `${id} is in another active group`,
      messageZh: `${id} 已在其他联保小组中`,
    })),
  );
}

export async function groupView(db: Db, groupId: string): Promise<GroupView> {
  const [group] = await db.select().from(guaranteeGroups).where(eq(guaranteeGroups.id, groupId));
  if (!group) throw notFound('Guarantee group');
  const members = await db
    .select({ merchantId: guaranteeGroupMembers.merchantId, name: merchants.name })
    .from(guaranteeGroupMembers)
    .innerJoin(merchants, eq(merchants.id, guaranteeGroupMembers.merchantId))
    .where(eq(guaranteeGroupMembers.groupId, groupId))
    .orderBy(merchants.name);
  const apps = await db
    .select({
      id: applications.id,
      merchantId: applications.merchantId,
      status: applications.status,
    })
    .from(applications)
    .where(eq(applications.guaranteeGroupId, groupId));
  const groupOffers = await db
    .select({ id: offers.id, merchantId: offers.merchantId, status: offers.status })
    .from(offers)
    .where(eq(offers.guaranteeGroupId, groupId));
  return {
    id: group.id,
    marketId: group.marketId,
    status: group.status,
    members: members.map((m) => {
      const app = apps.find((a) => a.merchantId === m.merchantId);
      const offer = groupOffers.find((o) => o.merchantId === m.merchantId);
      return {
        merchantId: m.merchantId,
        name: m.name,
        applicationId: app?.id ?? null,
        applicationStatus: app?.status ?? null,
        offerId: offer?.id ?? null,
        offerStatus: offer?.status ?? null,
      };
    }),
    decision: group.decision ?? null,
    createdAt: group.createdAt.toISOString(),
    updatedAt: group.updatedAt.toISOString(),
  };
}

/** A group the caller may see: officers their markets, partners the groups they formed. */
export async function getGroup(
  deps: AppDeps,
  principal: Principal,
  id: string,
): Promise<GroupView> {
  const [group] = await deps.db.select().from(guaranteeGroups).where(eq(guaranteeGroups.id, id));
  if (!group || !canSeeMerchant(principal, group)) throw notFound('Guarantee group');
  return groupView(deps.db, id);
}
