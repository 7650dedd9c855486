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

  // How far each merchant is from each member along guarantees (forward) and to each member
  // (backward), within `depth` hops; a member is at 0 from and to itself.
  let truncated = false;
  const from = new Map<string, Map<string, number>>();
  const to = new Map<string, Map<string, number>>();
  let chainLength = 0;
  for (const m of sorted) {
    const fwd = bfs(m, out, depth);
    const bwd = bfs(m, into, depth);
    truncated ||= fwd.truncated || bwd.truncated;
    chainLength = Math.max(chainLength, fwd.farthest, bwd.farthest);
    for (const [x, d] of fwd.distance) addAt(from, x, m, d);
    for (const [x, d] of bwd.distance) addAt(to, x, m, d);
  }
  // On a circle: on an existing path v ~> x ~> u of at most `depth` hops between two distinct
  // members (the new edge u -> v closes it).
  const onPath = new Set<string>();
  for (const [x, sources] of from) {
    const targets = to.get(x);
    if (!targets) continue;
    search: for (const [v, dv] of sources) {
      for (const [u, du] of targets) {
        if (u !== v && dv + du <= depth) {
          onPath.add(x);
          break search;
        }
      }
    }
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
  const distance = new Map([[start, 0]]);
  let frontier = [start];
  let farthest = 0;
  let truncated = false;
  for (let d = 1; d <= depth && frontier.length > 0; d++) {
    const next: string[] = [];
    for (const node of frontier) {
      for (const n of adjacency.get(node) ?? []) {
        if (distance.has(n)) continue;
        if (distance.size >= NETWORK_NODE_BUDGET) {
          truncated = true;
          continue;
        }
        distance.set(n, d);
        next.push(n);
        farthest = d;
      }
    }
    frontier = next;
  }
  return { distance, farthest, truncated };
}

function push(map: Map<string, string[]>, key: string, value: string) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function addAt(map: Map<string, Map<string, number>>, key: string, member: string, d: number) {
  const inner = map.get(key);
  if (inner) inner.set(member, d);
  else map.set(key, new Map([[member, d]]));
}

const pairKey = (a: string, b: string) => (a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`);
