import {
  type CompiledPolicy,
  type FormationProblem,
  formationProblem,
  groupSizeProblem,
} from '../../credit';
import type { Db } from '../../db/connect';
import type { AppDeps } from '../../deps';
import type { CommandContext } from '../../lib/command-context';
import { AppError, conflict, unprocessable, validationFailed } from '../../lib/errors';
import { newId } from '../../lib/ids';
import type { Command } from '../../platform/command';
import { appendAudit } from '../audit/repository';
import { canSeeMerchantRecord } from '../merchants/access';
import { findMerchantsFor, type MerchantRow } from '../merchants/repository';
import * as repo from './repository';
import type { CreateGroupBody, GroupView } from './schemas';
import { groupView } from './views';

/**
 * POST /v1/guarantee-groups: a joint-guarantee group (联保小组) of as many merchants of one
 * market as the champion policy allows, none already in an active group, no two the same person
 * (src/credit decides what may form). A unique index keeps "one active group per merchant"
 * under concurrency.
 */
export function formGroup(
  deps: AppDeps,
  ctx: CommandContext,
  body: CreateGroupBody,
): Command<GroupView> {
  let policy: CompiledPolicy;
  return {
    status: 201,
    prepare: async () => {
      policy = (await deps.policies.activeSet()).champion.compiled;
    },
    run: (tx) => form(tx, ctx, body, policy),
  };
}

async function form(
  tx: Db,
  ctx: CommandContext,
  body: CreateGroupBody,
  policy: CompiledPolicy,
): Promise<GroupView> {
  const { memberIds } = body;
  if (new Set(memberIds).size !== memberIds.length) {
    throw validationFailed([
      { path: 'body.memberIds', message: 'a merchant is listed twice', messageZh: '成员重复' },
    ]);
  }
  const size = groupSizeProblem(memberIds.length, policy);
  if (size) throw refusal(size);
  const members = await visibleMembers(tx, ctx, memberIds);
  const problem = formationProblem(
    members.map((m) => ({
      merchantId: m.id,
      marketId: m.marketId,
      idNumberDigest: m.idNumberDigest,
      phoneDigest: m.phoneDigest,
    })),
    body.marketId,
  );
  if (problem) throw refusal(problem);

  const busy = await repo.membersInActiveGroups(tx, memberIds);
  if (busy.length) throw alreadyInGroup(busy);
  const groupId = newId('grp');
  const inserted = await repo.insertGroup(
    tx,
    {
      id: groupId,
      marketId: body.marketId,
      status: 'forming',
      partnerId: ctx.actor.role === 'partner' ? ctx.actor.partnerId : null,
      createdBy: ctx.actor.keyId,
      createdAt: ctx.now,
      updatedAt: ctx.now,
    },
    memberIds,
  );
  // Two groups formed at once with a shared member: the unique index lets one through.
  if (inserted === 'member_busy') throw alreadyInGroup([]);
  await appendAudit(tx, ctx, [
    {
      entityType: 'guarantee_group',
      entityId: groupId,
      action: 'guarantee_group.formed',
      data: { memberIds },
    },
  ]);
  const group = await repo.findGroup(tx, groupId);
  if (!group) throw new Error('group insert returned no row');
  return groupView(group, await repo.groupParts(tx, groupId));
}

/** The members the caller may see, in the order given; 404 naming each one it may not. */
async function visibleMembers(tx: Db, ctx: CommandContext, ids: string[]): Promise<MerchantRow[]> {
  const records = await findMerchantsFor(tx, ids, ctx.actor);
  const visible = new Map(
    records
      .filter((r) => canSeeMerchantRecord(ctx.actor, r.merchant, r.link))
      .map((r) => [r.merchant.id, r.merchant]),
  );
  const missing = ids.filter((id) => !visible.has(id));
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
  return ids.map((id) => visible.get(id) as MerchantRow);
}

function refusal(problem: FormationProblem): AppError {
  switch (problem.code) {
    case 'GROUP_SIZE_OUT_OF_RANGE':
      return validationFailed([
        {
          path: 'body.memberIds',
          message: `a guarantee group has ${problem.min}-${problem.max} members`,
          messageZh: `联保小组须有 ${problem.min} 至 ${problem.max} 名成员`,
        },
      ]);
    case 'GROUP_MARKETS_MIXED':
      return unprocessable(
        'GROUP_MARKETS_MIXED',
        "Every member must trade in the group's market",
        '联保小组成员须在同一市场经营',
        problem.merchantIds.map((id) => ({
          path: 'body.memberIds',
          message: `${id} is in another market`,
          messageZh: `${id} 不在该市场`,
        })),
      );
    case 'GROUP_MEMBERS_RELATED': {
      const id = problem.shared === 'idNumber';
      return unprocessable(
        'GROUP_MEMBERS_RELATED',
        `Two members share ${id ? 'an identity number' : 'a phone number'}: they cannot guarantee each other`,
        `两名成员的${id ? '身份证件号码' : '手机号码'}相同，不能互相担保`,
        [
          {
            path: 'body.memberIds',
            message: id ? 'shared identity number' : 'shared phone',
            messageZh: id ? '身份证件号码相同' : '手机号码相同',
          },
        ],
      );
    }
  }
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
