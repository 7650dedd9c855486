/**
 * Resolves a joint-guarantee group (联保小组) as a whole: every member gets its provisional
 * joint_guarantee offer, or none does. Each member must reach the minimum grade on its own
 * and not be declined, the group must be of the allowed size within one market, and each
 * member's contingent liability (the others' loans it guarantees) must stay within a
 * multiple of its own annual net profit: one default must not drag down the rest (担保链).
 */
import type { Decision, OfferProposal, Reason } from './decision-types';
import { gradeAtLeast } from './grades';
import type { CompiledPolicy } from './policy-compile';
import { productReason } from './reasons';

export interface GroupMemberInput {
  merchantId: string;
  /** Market of the member's stall: a group stays within one market. */
  marketId: string;
  /** The member's own decision; its joint_guarantee offer, if any, is its provisional loan. */
  decision: Decision;
  /** Fen; the member's annual net profit (sales x margin). */
  annualNetProfit: number;
}

export interface GroupMemberResolution {
  merchantId: string;
  /** The member's joint_guarantee offer when the group stands, else null. */
  offer: OfferProposal | null;
  /** Fen: the total of the other members' loans this member guarantees. */
  contingentLiability: number;
  /** Fen: the most it may guarantee (multiple x annual net profit). */
  contingentLiabilityLimit: number;
  reasons: Reason[];
}

export interface GroupResolution {
  approved: boolean;
  /** Group-level reasons (size, markets) and a summary of member failures. */
  reasons: Reason[];
  members: GroupMemberResolution[];
}

export function resolveGuaranteeGroup(
  members: GroupMemberInput[],
  policy: CompiledPolicy,
): GroupResolution {
  const rules = policy.document.products.joint_guarantee;
  const groupReasons: Reason[] = [];
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
    return { merchantId: m.merchantId, contingentLiability, contingentLiabilityLimit, reasons };
  });

  const memberFailures = resolved.flatMap((r) => r.reasons);
  const approved = groupReasons.length === 0 && memberFailures.length === 0;
  const seen = new Set(groupReasons.map((r) => r.code));
  for (const r of memberFailures) {
    if (!seen.has(r.code)) {
      seen.add(r.code);
      groupReasons.push(r);
    }
  }
  return {
    approved,
    reasons: groupReasons,
    members: resolved.map((r, i) => ({
      merchantId: r.merchantId,
      offer: approved ? (loans[i] ?? null) : null,
      contingentLiability: r.contingentLiability,
      contingentLiabilityLimit: r.contingentLiabilityLimit,
      reasons: r.reasons,
    })),
  };
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
