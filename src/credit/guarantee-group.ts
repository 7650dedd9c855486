/**
 * Resolves a joint-guarantee group (联保小组) as a whole: every member gets its provisional
 * joint_guarantee offer, or none does. Each member must reach the minimum grade on its own
 * and not be declined, the group must be of the allowed size within one market, and each
 * member's contingent liability (the others' loans it guarantees) must stay within a
 * multiple of its own annual net profit: one default must not drag down the rest (担保链).
 */
import type { Decision, OfferProposal, Reason } from './decision-types';
import { gradeAtLeast } from './grades';
import {
  contingentAcrossGroupsExceeded,
  type GroupNetworkFigures,
  NETWORK_TEXTS,
  type NetworkFindingCode,
  networkFindings,
  networkReason,
} from './guarantee-network/checks';
import type { CompiledPolicy } from './policy-compile';
import { productReason } from './reasons';

/** The reasons only the guarantee network's rules give: a policy may refer them to a reviewer. */
const NETWORK_CODES: ReadonlySet<string> = new Set(Object.keys(NETWORK_TEXTS));

export interface GroupMemberInput {
  merchantId: string;
  /** Market of the member's stall: a group stays within one market. */
  marketId: string;
  /** The member's own decision; its joint_guarantee offer, if any, is its provisional loan. */
  decision: Decision;
  /** Fen; the member's annual net profit (sales x margin). */
  annualNetProfit: number;
  /**
   * Fen: what the member already guarantees outside this group (other groups, individual
   * guarantees: the guarantee network's edges from it), counted with the network rules.
   */
  contingentElsewhere?: number;
}

/** The guarantee network around the group as the service loaded it (issue #16). */
export interface GroupNetworkInput {
  figures: GroupNetworkFigures;
}

export interface GroupMemberResolution {
  merchantId: string;
  /** The member's joint_guarantee offer when the group stands or is referred, else null. */
  offer: OfferProposal | null;
  /** Fen: the total of the other members' loans this member guarantees. */
  contingentLiability: number;
  /** Fen: the most it may guarantee (multiple x annual net profit). */
  contingentLiabilityLimit: number;
  /** Fen: in this group and outside it (with network rules; else the group's alone). */
  contingentAcrossGroups: number;
  reasons: Reason[];
}

export interface GroupResolution {
  approved: boolean;
  /**
   * approve: the loans are offered; refer: only the guarantee network's rules failed and the
   * policy refers (a reviewer decides the group; the members' loans wait as proposed);
   * decline: anything else failed, or the network's rules refuse.
   */
  verdict: 'approve' | 'refer' | 'decline';
  /** Group-level reasons (size, markets) and a summary of member failures. */
  reasons: Reason[];
  members: GroupMemberResolution[];
  /** The network figures the decision used and the rules' cap; absent without network rules. */
  network?: GroupNetworkFigures & {
    circleBorrowingCap: number | null;
    findings: NetworkFindingCode[];
  };
}

/** A reviewer's decision of a referred group, kept beside the model's resolution. */
export interface GroupReview {
  action: 'approve' | 'decline';
  note: string;
  /** The reviewer's key. */
  by: string;
  at: string;
}

/** A group's decision as stored: the model's resolution, and a reviewer's once it was referred. */
export type StoredGroupDecision = GroupResolution & { review?: GroupReview };

export function resolveGuaranteeGroup(
  members: GroupMemberInput[],
  policy: CompiledPolicy,
  networkInput: GroupNetworkInput | null = null,
): GroupResolution {
  const rules = policy.document.products.joint_guarantee;
  const networkRules = policy.document.guaranteeNetwork;
  const groupReasons: Reason[] = [];
  // The network's rules at the decision (issue #16): a circle, a shared pair or the circle's cap
  // declines the group, or refers it to a reviewer when the policy refers and nothing else failed.
  const findings =
    networkRules && networkInput ? networkFindings(networkInput.figures, networkRules) : [];
  for (const f of findings) groupReasons.push(networkReason(f));
  if (members.length < rules.minGroupSize || members.length > rules.maxGroupSize) {
    groupReasons.push(productReason('GROUP_SIZE_OUT_OF_RANGE'));
  }
  if (new Set(members.map((m) => m.marketId)).size > 1) {
    groupReasons.push(productReason('GROUP_MARKETS_MIXED'));
  }

  const loans = members.map(
    (m) => m.decision.offers.find((o) => o.product === 'joint_guarantee') ?? null,
  );
  const total = loans.reduce((sum, o) => sum + (o?.amount ?? 0), 0);

  const resolved = members.map((m, i) => {
    const reasons: Reason[] = [];
    if (m.decision.outcome === 'decline') reasons.push(productReason('GROUP_MEMBER_DECLINED'));
    // Every member borrows and guarantees (联保): one referred, or approved without a
    // joint-guarantee loan (no working-capital gap, say), would only guarantee the others.
    else if (m.decision.outcome !== 'approve' || !loans[i])
      reasons.push(productReason('GROUP_MEMBER_NO_LOAN'));
    if (!gradeAtLeast(m.decision.grade, rules.minGrade)) {
      reasons.push(productReason('GROUP_MEMBER_BELOW_MIN_GRADE'));
    }
    const contingentLiability = total - (loans[i]?.amount ?? 0);
    const contingentLiabilityLimit = Math.floor(
      Math.max(0, m.annualNetProfit) * rules.contingentLiabilityMultiple,
    );
    if (contingentLiability > contingentLiabilityLimit) {
      reasons.push(productReason('CONTINGENT_LIABILITY_EXCEEDED'));
    }
    const elsewhere = networkRules ? Math.max(0, m.contingentElsewhere ?? 0) : 0;
    if (
      networkRules &&
      contingentLiability <= contingentLiabilityLimit &&
      contingentAcrossGroupsExceeded(elsewhere, contingentLiability, contingentLiabilityLimit)
    ) {
      reasons.push(networkReason('CONTINGENT_ACROSS_GROUPS_EXCEEDED'));
    }
    return {
      merchantId: m.merchantId,
      contingentLiability,
      contingentLiabilityLimit,
      contingentAcrossGroups: contingentLiability + elsewhere,
      reasons,
    };
  });

  const memberFailures = resolved.flatMap((r) => r.reasons);
  const approved = groupReasons.length === 0 && memberFailures.length === 0;
  const networkOnly = [...groupReasons, ...memberFailures].every((r) => NETWORK_CODES.has(r.code));
  const verdict = approved
    ? 'approve'
    : networkOnly && networkRules?.action === 'refer'
      ? 'refer'
      : 'decline';
  const seen = new Set(groupReasons.map((r) => r.code));
  for (const r of memberFailures) {
    if (!seen.has(r.code)) {
      seen.add(r.code);
      groupReasons.push(r);
    }
  }
  const out: GroupResolution = {
    approved,
    verdict,
    reasons: groupReasons,
    members: resolved.map((r, i) => ({
      merchantId: r.merchantId,
      offer: verdict === 'decline' ? null : (loans[i] ?? null),
      contingentLiability: r.contingentLiability,
      contingentLiabilityLimit: r.contingentLiabilityLimit,
      contingentAcrossGroups: r.contingentAcrossGroups,
      reasons: r.reasons,
    })),
  };
  if (networkRules && networkInput) {
    out.network = {
      ...networkInput.figures,
      circleBorrowingCap: networkRules.maxCircleBorrowing,
      findings,
    };
  }
  return out;
}

/** The group sizes the policy allows. */
export function groupSizeRange(policy: CompiledPolicy): { min: number; max: number } {
  const rules = policy.document.products.joint_guarantee;
  return { min: rules.minGroupSize, max: rules.maxGroupSize };
}

/** A would-be member as formation sees it: its market and keyed digests of identity and phone. */
export interface GroupCandidate {
  merchantId: string;
  marketId: string;
  idNumberDigest: string;
  phoneDigest: string;
}

export type FormationProblem =
  | { code: 'GROUP_SIZE_OUT_OF_RANGE'; min: number; max: number }
  | { code: 'GROUP_MARKETS_MIXED'; merchantIds: string[] }
  | { code: 'GROUP_MEMBERS_RELATED'; shared: 'idNumber' | 'phone' };

/** The number of members, before any is looked up. */
export function groupSizeProblem(count: number, policy: CompiledPolicy): FormationProblem | null {
  const { min, max } = groupSizeRange(policy);
  return count < min || count > max ? { code: 'GROUP_SIZE_OUT_OF_RANGE', min, max } : null;
}

/**
 * Whether these merchants may form a group in `marketId` (联保小组): all of that market, and no
 * two the same person (a shared identity number or phone: one cannot guarantee oneself).
 */
export function formationProblem(
  candidates: GroupCandidate[],
  marketId: string,
): FormationProblem | null {
  const outside = candidates.filter((c) => c.marketId !== marketId).map((c) => c.merchantId);
  if (outside.length) return { code: 'GROUP_MARKETS_MIXED', merchantIds: outside };
  const distinct = (f: (c: GroupCandidate) => string) =>
    new Set(candidates.map(f)).size === candidates.length;
  if (!distinct((c) => c.idNumberDigest))
    return { code: 'GROUP_MEMBERS_RELATED', shared: 'idNumber' };
  if (!distinct((c) => c.phoneDigest)) return { code: 'GROUP_MEMBERS_RELATED', shared: 'phone' };
  return null;
}
