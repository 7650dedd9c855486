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
  /** The farthest merchant linked to a member by a chain of guarantees, in hops (at most the search depth). */
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

export type NetworkFindingCode =
  | 'GUARANTEE_CIRCLE_TOO_LARGE'
  | 'GUARANTEE_PAIR_SHARED'
  | 'GUARANTEE_CIRCLE_CAP_EXCEEDED'
  | 'CONTINGENT_ACROSS_GROUPS_EXCEEDED';

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
 * searching `depth` hops. `borrowing` gives each merchant's borrowing (missing: 0).
 */
export function groupNetworkFigures(
  members: readonly string[],
  edges: readonly NetworkEdge[],
  depth: number,
  borrowing: ReadonlyMap<string, number> = new Map(),
  ownGroupId: string | null = null,
): GroupNetworkFigures {
  const out = new Map<string, string[]>();
  const into = new Map<string, string[]>();
  const linked = new Set<string>();
  for (const e of edges) {
    if (e.guarantor === e.borrower) continue;
    if (ownGroupId !== null && e.groupId === ownGroupId) continue;
    push(out, e.guarantor, e.borrower);
    push(into, e.borrower, e.guarantor);
    linked.add(pairKey(e.guarantor, e.borrower));
  }
  const memberSet = new Set(members);
  const sharedPairs: [string, string][] = [];
  const sorted = [...memberSet].sort();
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length; j++) {
      const a = sorted[i] as string;
      const b = sorted[j] as string;
      if (linked.has(pairKey(a, b))) sharedPairs.push([a, b]);
    }
  }

  // Which members reach each merchant (forward), and which members each merchant reaches
  // (backward search from the members), within `depth` hops.
  let truncated = false;
  const reachedFrom = new Map<string, Set<string>>();
  const reaches = new Map<string, Set<string>>();
  let chainLength = 0;
  for (const m of sorted) {
    const fwd = bfs(m, out, depth);
    const bwd = bfs(m, into, depth);
    truncated ||= fwd.truncated || bwd.truncated;
    chainLength = Math.max(chainLength, fwd.farthest, bwd.farthest);
    for (const x of fwd.seen) addTo(reachedFrom, x, m);
    for (const x of bwd.seen) addTo(reaches, x, m);
  }
  const onPath = new Set<string>();
  for (const [x, reached] of reachedFrom) {
    // A member is trivially its own source and target (the path may start or end at it).
    const from = memberSet.has(x) ? new Set([...reached, x]) : reached;
    const to = new Set([...(reaches.get(x) ?? []), ...(memberSet.has(x) ? [x] : [])]);
    if (to.size === 0) continue;
    // On a path v ~> x ~> u with v != u: some source and some target that differ.
    const closes = from.size > 1 || to.size > 1 || [...from][0] !== [...to][0];
    if (closes) onPath.add(x);
  }
  const circle = onPath.size > 0 ? [...new Set([...sorted, ...onPath])].sort() : [];
  const circleBorrowing = circle.reduce((sum, x) => sum + Math.max(0, borrowing.get(x) ?? 0), 0);
  return { circle, sharedPairs, chainLength, circleBorrowing, truncated };
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

function bfs(start: string, adjacency: Map<string, string[]>, depth: number) {
  const seen = new Set<string>();
  let frontier = [start];
  let farthest = 0;
  let truncated = false;
  const visited = new Set([start]);
  for (let d = 1; d <= depth && frontier.length > 0; d++) {
    const next: string[] = [];
    for (const node of frontier) {
      for (const n of adjacency.get(node) ?? []) {
        if (visited.has(n)) continue;
        if (visited.size >= NETWORK_NODE_BUDGET) {
          truncated = true;
          continue;
        }
        visited.add(n);
        seen.add(n);
        next.push(n);
        farthest = d;
      }
    }
    frontier = next;
  }
  return { seen, farthest, truncated };
}

function push(map: Map<string, string[]>, key: string, value: string) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function addTo(map: Map<string, Set<string>>, key: string, value: string) {
  const set = map.get(key);
  if (set) set.add(value);
  else map.set(key, new Set([value]));
}

const pairKey = (a: string, b: string) => (a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`);
