/**
 * The guarantee network's checks at group formation and at a group's decision (issue #16): does
 * a group, a clique of mutual guarantees among its members, close a circle (担保圈) with the
 * guarantees that already exist, make two merchants each other's guarantors twice (a shared
 * pair), or let a circle borrow beyond the policy's cap? Pure: the service loads the members'
 * neighbourhood (the edges within a few hops, one market) and the circle's borrowing, and this
 * file decides. The whole-market analysis (every circle, contagion) is circles.ts/contagion.ts.
 *
 * A circle closed by the group: the new edges u -> v (every pair of members) close a cycle
 * exactly when an existing path leads from v back to u, u and v two distinct members. Its
 * members are the group and every merchant on such a path. Two groups sharing only one member
 * close no circle (every cycle through both passes that member twice): a chain, not a circle.
 */
import type { Reason } from '../decision-types';
import { indexNetwork, type NetworkIndex } from './network-index';

/** An existing guarantee between two merchants: `guarantor` pays if `borrower` defaults. */
export interface NetworkEdge {
  guarantor: string;
  borrower: string;
  /** The group the guarantee comes from; null for an individual guarantee. */
  groupId: string | null;
}

export interface GroupNetworkFigures {
  /** Merchants of the circle the group closes (the group included), sorted; [] when none. */
  circle: string[];
  /** Pairs of members that already guarantee each other, one way or both, sorted. */
  sharedPairs: [string, string][];
  /** Hops to the farthest merchant linked to a member by a chain of guarantees (at most the depth). */
  chainLength: number;
  /** Fen: what the circle's members borrow together (their ledger totals), 0 without a circle. */
  circleBorrowing: number;
  /** True when the search stopped at its node budget: larger circles may exist unseen. */
  truncated: boolean;
}

export interface GuaranteeNetworkRules {
  action: 'refuse' | 'refer';
  maxCircleSize: number;
  allowSharedPairs: boolean;
  maxCircleBorrowing: number | null;
}

export const NETWORK_FINDING_CODES = [
  'GUARANTEE_CIRCLE_TOO_LARGE',
  'GUARANTEE_PAIR_SHARED',
  'GUARANTEE_CIRCLE_CAP_EXCEEDED',
  'CONTINGENT_ACROSS_GROUPS_EXCEEDED',
] as const;
export type NetworkFindingCode = (typeof NETWORK_FINDING_CODES)[number];

export const NETWORK_TEXTS: Record<NetworkFindingCode, [string, string]> = {
  GUARANTEE_CIRCLE_TOO_LARGE: [
    '该小组将与其他担保关系形成超过政策规模的担保圈',
    'The group would close a guarantee circle larger than the policy allows',
  ],
  GUARANTEE_PAIR_SHARED: [
    '两名成员已在其他担保关系中互相担保，不得再次互保',
    'Two members already guarantee each other elsewhere: a shared pair',
  ],
  GUARANTEE_CIRCLE_CAP_EXCEEDED: [
    '担保圈成员借款合计超过政策上限',
    "The circle's total borrowing exceeds the policy cap",
  ],
  CONTINGENT_ACROSS_GROUPS_EXCEEDED: [
    '成员在所有联保小组及保证中的或有负债合计超过其年净利润上限',
    "A member's contingent liability across all its groups and guarantees exceeds its profit multiple",
  ],
};

/** A finding as a decision's reason (kind product, like the group's other reasons). */
export function networkReason(code: NetworkFindingCode): Reason {
  const [textZh, textEn] = NETWORK_TEXTS[code];
  return { code, kind: 'product', textZh, textEn };
}

/** Nodes a search visits at most: a bound on the work of one check, whatever the market. */
export const NETWORK_NODE_BUDGET = 5_000;

/**
 * The figures of a group of `members` given the existing guarantees among their neighbourhood
 * (edges of the group itself, `ownGroupId`, are left out: at its decision they exist already),
 * finding the circles closed by existing paths of at most `depth` hops (longer ones are not
 * seen here: the market's analysis finds every circle). `borrowing` gives each merchant's borrowing (missing: 0).
 */
export function groupNetworkFigures(
  members: readonly string[],
  edges: readonly NetworkEdge[],
  depth: number,
  borrowing: ReadonlyMap<string, number> = new Map(),
  ownGroupId: string | null = null,
): GroupNetworkFigures {
  return groupNetworkFiguresIn(indexNetwork(edges), members, depth, borrowing, ownGroupId);
}

/** Unreachable, in hops: large enough that two of them added stay far beyond any depth. */
const FAR = 1 << 20;

/**
 * groupNetworkFigures over a compiled network (network-index.ts), which a service keeps per
 * market: the same figures, at a cost in proportion to the nodes the searches visit.
 */
export function groupNetworkFiguresIn(
  index: NetworkIndex,
  members: readonly string[],
  depth: number,
  borrowing: ReadonlyMap<string, number> = new Map(),
  ownGroupId: string | null = null,
): GroupNetworkFigures {
  // Edges of no group are -1, so a group the index does not know excludes nothing.
  const own = ownGroupId === null ? -2 : (index.groupNumberOf.get(ownGroupId) ?? -2);
  const sorted = [...new Set(members)].sort();
  const sharedPairs: [string, string][] = [];
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length; j++) {
      const a = sorted[i] as string;
      const b = sorted[j] as string;
      if (linked(index, a, b, own)) sharedPairs.push([a, b]);
    }
  }

  // How far each merchant is from each member along guarantees (forward) and to each member
  // (backward), within `depth` hops; per merchant only the two nearest members each way are
  // kept: enough to tell whether some pair of distinct members v, u has dv + du <= depth. A
  // member with no guarantee is alone in its searches and closes nothing.
  const s = index.scratch;
  const check = nextEpoch(index, 2 * sorted.length + 1);
  const touched: number[] = [];
  let truncated = false;
  let chainLength = 0;
  for (let m = 0; m < sorted.length; m++) {
    const start = index.numberOf.get(sorted[m] as string);
    if (start === undefined) continue;
    for (const forward of [true, false]) {
      const search = bfs(index, start, forward, depth, own);
      truncated ||= search.truncated;
      chainLength = Math.max(chainLength, search.farthest);
      const [first, firstMember, second] = forward
        ? [s.fwd1, s.fwd1Member, s.fwd2]
        : [s.bwd1, s.bwd1Member, s.bwd2];
      for (let q = 0; q < search.visited; q++) {
        const x = s.queue[q] as number;
        const d = s.hops[x] as number;
        if (s.touched[x] !== check) {
          s.touched[x] = check;
          s.fwd1[x] = FAR;
          s.fwd1Member[x] = -1;
          s.fwd2[x] = FAR;
          s.bwd1[x] = FAR;
          s.bwd1Member[x] = -1;
          s.bwd2[x] = FAR;
          touched.push(x);
        }
        if (d < (first[x] as number)) {
          second[x] = first[x] as number;
          first[x] = d;
          firstMember[x] = m;
        } else if (d < (second[x] as number)) second[x] = d;
      }
    }
  }
  // On a circle: on an existing path v ~> x ~> u of at most `depth` hops between two distinct
  // members (the new edge u -> v closes it).
  const onPath: string[] = [];
  for (const x of touched) {
    const f1 = s.fwd1[x] as number;
    const b1 = s.bwd1[x] as number;
    const nearest =
      s.fwd1Member[x] !== s.bwd1Member[x]
        ? f1 + b1
        : Math.min(f1 + (s.bwd2[x] as number), (s.fwd2[x] as number) + b1);
    if (nearest <= depth) onPath.push(index.ids[x] as string);
  }
  const circle = onPath.length > 0 ? [...new Set([...sorted, ...onPath])].sort() : [];
  return {
    circle,
    sharedPairs,
    chainLength,
    circleBorrowing: circleBorrowing(circle, borrowing),
    truncated,
  };
}

/**
 * Fen: what a circle's merchants borrow together (`borrowing` per merchant, missing or negative:
 * 0). The figures' circle does not depend on borrowing, so a service may search first and read
 * the circle's borrowing after.
 */
export function circleBorrowing(circle: readonly string[], borrowing: ReadonlyMap<string, number>) {
  return circle.reduce((sum, x) => sum + Math.max(0, borrowing.get(x) ?? 0), 0);
}

/** What the policy's rules find in a group's figures; [] when it passes (or has no rules). */
export function networkFindings(
  figures: GroupNetworkFigures,
  rules: GuaranteeNetworkRules | null,
): NetworkFindingCode[] {
  if (!rules) return [];
  const found: NetworkFindingCode[] = [];
  if (!rules.allowSharedPairs && figures.sharedPairs.length > 0)
    found.push('GUARANTEE_PAIR_SHARED');
  if (figures.circle.length > rules.maxCircleSize) found.push('GUARANTEE_CIRCLE_TOO_LARGE');
  if (
    rules.maxCircleBorrowing !== null &&
    figures.circle.length > 0 &&
    figures.circleBorrowing > rules.maxCircleBorrowing
  ) {
    found.push('GUARANTEE_CIRCLE_CAP_EXCEEDED');
  }
  return found;
}

/**
 * Whether a member's guarantees across all its groups and individual guarantees (`elsewhere`,
 * fen, from the network) plus this group's (`inGroup`) pass its limit (fen).
 */
export function contingentAcrossGroupsExceeded(
  elsewhere: number,
  inGroup: number,
  limit: number,
): boolean {
  return Math.max(0, elsewhere) + Math.max(0, inGroup) > limit;
}

/** Whether a guarantee (not of the group `own`) runs between a and b, either way. */
function linked(index: NetworkIndex, a: string, b: string, own: number): boolean {
  const na = index.numberOf.get(a);
  const nb = index.numberOf.get(b);
  if (na === undefined || nb === undefined) return false;
  const has = (x: number, y: number) => {
    for (let i = index.outStart[x] as number; i < (index.outStart[x + 1] as number); i++)
      if (index.outNode[i] === y && index.outGroup[i] !== own) return true;
    return false;
  };
  return has(na, nb) || has(nb, na);
}

/**
 * The epoch of this check, its searches taking the next `need - 1` (the marks restart from clean
 * arrays before the counter would overflow).
 */
function nextEpoch(index: NetworkIndex, need: number): number {
  const s = index.scratch;
  if (s.epoch > 0x7fffffff - need) {
    s.epoch = 0;
    s.seen.fill(0);
    s.touched.fill(0);
  }
  s.epoch += 1;
  return s.epoch;
}

/**
 * Breadth-first from `start` along guarantees (forward) or against them, `depth` hops at most,
 * NETWORK_NODE_BUDGET nodes at most (the start included): the visited nodes are
 * scratch.queue[0..visited), their hops in scratch.hops.
 */
function bfs(index: NetworkIndex, start: number, forward: boolean, depth: number, own: number) {
  const s = index.scratch;
  s.epoch += 1;
  const epoch = s.epoch;
  const rowStart = forward ? index.outStart : index.inStart;
  const rowNode = forward ? index.outNode : index.inNode;
  const rowGroup = forward ? index.outGroup : index.inGroup;
  s.seen[start] = epoch;
  s.hops[start] = 0;
  s.queue[0] = start;
  let visited = 1;
  let levelStart = 0;
  let farthest = 0;
  let truncated = false;
  for (let d = 1; d <= depth && levelStart < visited; d++) {
    const levelEnd = visited;
    for (let q = levelStart; q < levelEnd; q++) {
      const node = s.queue[q] as number;
      for (let i = rowStart[node] as number; i < (rowStart[node + 1] as number); i++) {
        if (rowGroup[i] === own) continue;
        const n = rowNode[i] as number;
        if (s.seen[n] === epoch) continue;
        if (visited >= NETWORK_NODE_BUDGET) {
          truncated = true;
          continue;
        }
        s.seen[n] = epoch;
        s.hops[n] = d;
        s.queue[visited++] = n;
        farthest = d;
      }
    }
    levelStart = levelEnd;
  }
  return { visited, farthest, truncated };
}
