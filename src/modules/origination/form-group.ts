import {
  type CompiledPolicy,
  type FormationProblem,
  formationProblem,
  type GroupNetworkFigures,
  groupSizeProblem,
  NETWORK_TEXTS,
  type NetworkFindingCode,
  networkReason,
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
import * as edges from './edges-repository';
import type { NetworkCache } from './network-cache';
import { groupNetworkCheck } from './network-check';
import * as repo from './repository';
import type { CreateGroupBody, GroupNetwork, GroupView } from './schemas';
import { groupView } from './views';

/**
 * POST /v1/guarantee-groups: a joint-guarantee group (联保小组) of as many merchants of one
 * market as the champion policy allows, none already in as many live groups as the policy allows
 * (jointGuarantee.maxGroupsPerMerchant, counted under the members' ledger locks), no two the
 * same person (src/credit decides what may form), and within the guarantee-network rules.
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
    run: (tx) => form(tx, deps.networks, ctx, body, policy),
  };
}

async function form(
  tx: Db,
  networks: NetworkCache,
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

  // The members' ledger rows serialise formations that share a member (ADR 0004: no group is
  // locked yet, and the ledger is what the command settles last anyway): the counts and the
  // network read below cannot change until this commits.
  const borrowers = await repo.borrowersOf(tx, memberIds);
  await repo.lockLedgers(tx, borrowers, ctx.now);
  const maxGroups = policy.document.products.joint_guarantee.maxGroupsPerMerchant;
  const counts = await edges.liveGroupCounts(tx, memberIds);
  const full = memberIds.filter((id) => (counts.get(id) ?? 0) >= maxGroups);
  if (full.length) throw groupLimitReached(full, maxGroups);

  const network = await checkNetwork(tx, networks, body.marketId, memberIds, policy);
  const groupId = newId('grp');
  await repo.insertGroup(
    tx,
    {
      id: groupId,
      marketId: body.marketId,
      status: 'forming',
      partnerId: ctx.actor.role === 'partner' ? ctx.actor.partnerId : null,
      createdBy: ctx.actor.keyId,
      network,
      createdAt: ctx.now,
      updatedAt: ctx.now,
    },
    memberIds,
  );
  // The group's edges (each member guarantees the others), with the members' ledgers.
  await repo.settleLedgers(tx, borrowers, ctx.now);
  await appendAudit(tx, ctx, [
    {
      entityType: 'guarantee_group',
      entityId: groupId,
      action: 'guarantee_group.formed',
      data: { memberIds, ...(network ? { network } : {}) },
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

function groupLimitReached(ids: string[], max: number) {
  return conflict(
    'MERCHANT_GROUP_LIMIT_REACHED',
    `A member already belongs to ${max} live guarantee group(s), the most the policy allows`,
    `有成员已加入 ${max} 个有效的联保小组，达到政策上限`,
    ids.map((id) => ({
      path: 'body.memberIds',
      message: `${id} is already in ${max} live group(s)`,
      messageZh: `${id} 已加入 ${max} 个联保小组`,
    })),
  );
}

/**
 * The network the group would join (issue #16): circles its members would close within the
 * policy's circle size in the group's market, searched over the market's network as this
 * transaction sees it (the instance's compiled copy when still at the version read here, ADR
 * 0011). A finding refuses the group (409) or, when the policy refers, forms it with the findings
 * recorded for review. Null when the policy has no network rules.
 */
async function checkNetwork(
  tx: Db,
  networks: NetworkCache,
  marketId: string,
  memberIds: string[],
  policy: CompiledPolicy,
): Promise<GroupNetwork | null> {
  const rules = policy.document.guaranteeNetwork;
  if (!rules) return null;
  const { figures, findings } = await groupNetworkCheck(tx, networks, marketId, memberIds, rules);
  if (findings.length > 0 && rules.action === 'refuse') throw networkRefusal(findings, figures);
  return {
    ...figures,
    circleBorrowingCap: rules.maxCircleBorrowing,
    findings: findings.map(networkReason),
    referred: findings.length > 0,
  };
}

function networkRefusal(findings: NetworkFindingCode[], figures: GroupNetworkFigures) {
  return conflict(
    'GUARANTEE_NETWORK_REFUSED',
    `The group would break the guarantee-network rules: ${findings.map((f) => NETWORK_TEXTS[f][1]).join('; ')}`,
    `该小组不符合担保网络规则：${findings.map((f) => NETWORK_TEXTS[f][0]).join('；')}`,
    findings.map((f) => ({
      path: 'body.memberIds',
      message: `${f}: ${NETWORK_TEXTS[f][1]}${detailOf(f, figures, 'en')}`,
      messageZh: `${NETWORK_TEXTS[f][0]}${detailOf(f, figures, 'zh')}`,
    })),
  );
}

function detailOf(
  code: NetworkFindingCode,
  figures: GroupNetworkFigures,
  lang: 'en' | 'zh',
): string {
  if (code === 'GUARANTEE_PAIR_SHARED')
    return ` (${listed(
      figures.sharedPairs.map((p) => p.join(' & ')),
      lang,
    )})`;
  if (code === 'GUARANTEE_CIRCLE_TOO_LARGE') return ` (${listed(figures.circle, lang)})`;
  if (code === 'GUARANTEE_CIRCLE_CAP_EXCEEDED') return ` (${figures.circleBorrowing})`;
  return '';
}

/** The first few, and how many in all: a circle in a dense market holds hundreds of merchants. */
const DETAIL_LISTED = 10;
function listed(items: string[], lang: 'en' | 'zh'): string {
  if (items.length <= DETAIL_LISTED) return items.join(', ');
  const first = items.slice(0, DETAIL_LISTED).join(', ');
  return lang === 'en' ? `${first}, … ${items.length} in all` : `${first} 等共 ${items.length} 户`;
}
