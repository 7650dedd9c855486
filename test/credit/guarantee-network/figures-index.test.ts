/**
 * The formation check over a compiled network (groupNetworkFiguresIn, network-index.ts) against
 * the check as it was written before the index (the reference below, kept verbatim): the same
 * figures on random networks, with a group's own edges left out, duplicate and self edges, and
 * a network large enough to stop the searches at their node budget.
 */
import fc from 'fast-check';
import {
  type GroupNetworkFigures,
  groupNetworkFigures,
  groupNetworkFiguresIn,
  indexNetwork,
  NETWORK_NODE_BUDGET,
  type NetworkEdge,
} from '../../../src/credit';

// biome-ignore-start lint: the reference is the earlier implementation, verbatim
function referenceFigures(
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
// biome-ignore-end lint: the reference is the earlier implementation, verbatim

const edgeArb = (nodes: number, groups: number) =>
  fc.record({
    guarantor: fc.integer({ min: 0, max: nodes - 1 }).map((i) => `m${i}`),
    borrower: fc.integer({ min: 0, max: nodes - 1 }).map((i) => `m${i}`),
    groupId: fc.option(
      fc.integer({ min: 0, max: groups - 1 }).map((g) => `g${g}`),
      {
        nil: null,
      },
    ),
  });

describe('groupNetworkFiguresIn against the reference check', () => {
  it('gives the same figures on random networks, with and without the own group', () => {
    fc.assert(
      fc.property(
        fc.array(edgeArb(14, 4), { maxLength: 60 }),
        fc.uniqueArray(fc.integer({ min: 0, max: 16 }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 8 }),
        fc.option(fc.constantFrom('g0', 'g1', 'g9'), { nil: null }),
        fc.dictionary(
          fc.integer({ min: 0, max: 16 }).map((i) => `m${i}`),
          fc.integer({ min: -5, max: 1_000 }),
        ),
        (edges, memberNumbers, depth, ownGroupId, borrowingOf) => {
          const members = memberNumbers.map((i) => `m${i}`);
          const borrowing = new Map(Object.entries(borrowingOf));
          const expected = referenceFigures(members, edges, depth, borrowing, ownGroupId);
          expect(groupNetworkFigures(members, edges, depth, borrowing, ownGroupId)).toEqual(
            expected,
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it('one compiled network serves many checks in turn, each as if alone', () => {
    fc.assert(
      fc.property(
        fc.array(edgeArb(20, 5), { minLength: 1, maxLength: 80 }),
        fc.array(
          fc.tuple(
            fc.uniqueArray(fc.integer({ min: 0, max: 21 }), { minLength: 1, maxLength: 5 }),
            fc.integer({ min: 1, max: 8 }),
            fc.option(fc.constantFrom('g0', 'g3'), { nil: null }),
          ),
          { minLength: 1, maxLength: 10 },
        ),
        (edges, checks) => {
          const index = indexNetwork(edges);
          for (const [numbers, depth, own] of checks) {
            const members = numbers.map((i) => `m${i}`);
            const got: GroupNetworkFigures = groupNetworkFiguresIn(
              index,
              members,
              depth,
              new Map(),
              own,
            );
            expect(got).toEqual(referenceFigures(members, edges, depth, new Map(), own));
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('stops at the node budget where the reference stops, naming the same circle', () => {
    // 3 x budget merchants, each guaranteeing four others drawn by a fixed hash: within 8
    // hops every search reaches past the budget.
    const n = 3 * NETWORK_NODE_BUDGET;
    const edges: NetworkEdge[] = [];
    for (let i = 0; i < n; i++) {
      for (let r = 1; r <= 4; r++) {
        const to = (Math.imul(i + 1, 2654435761) ^ Math.imul(r, 40503)) >>> 0;
        edges.push({ guarantor: `m${i}`, borrower: `m${to % n}`, groupId: r === 1 ? 'g' : null });
      }
    }
    const members = ['m0', 'm500', 'm9000'];
    const expected = referenceFigures(members, edges, 8, new Map(), null);
    expect(expected.truncated).toBe(true);
    expect(expected.circle.length).toBeGreaterThan(0);
    expect(groupNetworkFigures(members, edges, 8)).toEqual(expected);
    const withoutOwn = referenceFigures(members, edges, 8, new Map(), 'g');
    expect(groupNetworkFigures(members, edges, 8, new Map(), 'g')).toEqual(withoutOwn);
  });
});
