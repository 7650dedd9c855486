/**
 * patchNetwork (network-index.ts): a compiled network with links added and removed as a market's
 * logged changes add and remove them (ADR 0011) is the network a fresh compile of the resulting
 * links (in canonical order) gives: row for row, and so figure for figure, with a group's own
 * edges left out, duplicate and self links, and at the search's node budget.
 */
import fc from 'fast-check';
import {
  compareLinks,
  groupNetworkFiguresIn,
  indexNetwork,
  NETWORK_NODE_BUDGET,
  type NetworkEdge,
  type NetworkIndex,
  patchNetwork,
} from '../../../src/credit';
import { networkRows } from '../../helpers/network-rows';

const edgeArb = (nodes: number, groups: number) =>
  fc.record({
    guarantor: fc.integer({ min: 0, max: nodes - 1 }).map((i) => `m${i}`),
    borrower: fc.integer({ min: 0, max: nodes - 1 }).map((i) => `m${i}`),
    groupId: fc.option(
      fc.integer({ min: 0, max: groups - 1 }).map((g) => `g${g}`),
      { nil: null },
    ),
  });

const sorted = (links: readonly NetworkEdge[]) => [...links].sort(compareLinks);

/** A batch of changes: removals drawn from the current links (by position), then additions. */
const batchArb = fc.record({
  removals: fc.array(fc.nat(), { maxLength: 6 }),
  additions: fc.array(edgeArb(16, 4), { maxLength: 8 }),
});

describe('patchNetwork against a fresh compile', () => {
  it('after any sequence of additions and removals, rows and figures are those of a fresh compile', () => {
    fc.assert(
      fc.property(
        fc.array(edgeArb(14, 4), { maxLength: 50 }),
        fc.array(batchArb, { minLength: 1, maxLength: 6 }),
        fc.array(
          fc.tuple(
            fc.uniqueArray(fc.integer({ min: 0, max: 17 }), { minLength: 1, maxLength: 5 }),
            fc.integer({ min: 1, max: 8 }),
            fc.option(fc.constantFrom('g0', 'g1', 'g9'), { nil: null }),
          ),
          { minLength: 1, maxLength: 4 },
        ),
        (base, batches, checks) => {
          let links = sorted(base);
          let index = indexNetwork(links);
          for (const { removals, additions } of batches) {
            const removed: NetworkEdge[] = [];
            const left = [...links];
            for (const r of removals) {
              if (left.length === 0) break;
              removed.push(...left.splice(r % left.length, 1));
            }
            links = sorted([...left, ...additions]);
            const patched = patchNetwork(index, additions, removed);
            if (!patched) throw new Error('a removal present in the links was not found');
            index = patched;
            const fresh = indexNetwork(links);
            expect(networkRows(index)).toEqual(networkRows(fresh));
            expect(index.edgeCount).toBe(fresh.edgeCount);
            for (const [numbers, depth, own] of checks) {
              const members = numbers.map((i) => `m${i}`);
              expect(groupNetworkFiguresIn(index, members, depth, new Map(), own)).toEqual(
                groupNetworkFiguresIn(fresh, members, depth, new Map(), own),
              );
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('leaves the network it patched as it was', () => {
    const links = sorted([
      { guarantor: 'a', borrower: 'b', groupId: null },
      { guarantor: 'b', borrower: 'c', groupId: 'g' },
    ]);
    const index = indexNetwork(links);
    const before = networkRows(index);
    const patched = patchNetwork(
      index,
      [{ guarantor: 'c', borrower: 'd', groupId: 'h' }],
      [{ guarantor: 'a', borrower: 'b', groupId: null }],
    );
    expect(patched).not.toBeNull();
    expect(networkRows(index)).toEqual(before);
    expect(groupNetworkFiguresIn(index, ['a', 'c'], 4).circle).toEqual(['a', 'b', 'c']);
    expect(groupNetworkFiguresIn(patched as NetworkIndex, ['a', 'c'], 4).circle).toEqual([]);
  });

  it('refuses a removal of a link the network does not hold', () => {
    const index = indexNetwork([{ guarantor: 'a', borrower: 'b', groupId: 'g' }]);
    expect(patchNetwork(index, [], [{ guarantor: 'a', borrower: 'b', groupId: null }])).toBeNull();
    expect(patchNetwork(index, [], [{ guarantor: 'x', borrower: 'b', groupId: 'g' }])).toBeNull();
  });

  it('stops at the node budget where a fresh compile stops, naming the same circle', () => {
    // 3 x budget merchants, each guaranteeing four others drawn by a fixed hash (as in
    // figures-index.test.ts): within 8 hops every search reaches past the budget, so which
    // nodes of the last level it keeps depends on the rows' order.
    const n = 3 * NETWORK_NODE_BUDGET;
    const all: NetworkEdge[] = [];
    for (let i = 0; i < n; i++) {
      for (let r = 1; r <= 4; r++) {
        const to = (Math.imul(i + 1, 2654435761) ^ Math.imul(r, 40503)) >>> 0;
        all.push({ guarantor: `m${i}`, borrower: `m${to % n}`, groupId: r === 1 ? 'g' : null });
      }
    }
    // Start without every 29th link, then add them back and take every 31st out, in two batches.
    const gone = (i: number) => i % 31 === 1 && i % 29 !== 3;
    const start = all.filter((_, i) => i % 29 !== 3);
    const back = all.filter((_, i) => i % 29 === 3);
    const out = all.filter((_, i) => gone(i));
    let index = indexNetwork(sorted(start)) as NetworkIndex | null;
    index = patchNetwork(index as NetworkIndex, back, []);
    index = patchNetwork(index as NetworkIndex, [], out);
    const fresh = indexNetwork(sorted(all.filter((_, i) => !gone(i))));
    expect(networkRows(index as NetworkIndex)).toEqual(networkRows(fresh));
    const members = ['m0', 'm500', 'm9000'];
    for (const own of [null, 'g']) {
      const expected = groupNetworkFiguresIn(fresh, members, 8, new Map(), own);
      expect(expected.truncated).toBe(true);
      expect(expected.circle.length).toBeGreaterThan(0);
      expect(groupNetworkFiguresIn(index as NetworkIndex, members, 8, new Map(), own)).toEqual(
        expected,
      );
    }
  });
});
