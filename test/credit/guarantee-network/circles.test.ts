import { analyzeNetwork } from '../../../src/credit/guarantee-network/circles';
import { buildCsr, stronglyConnected } from '../../../src/credit/guarantee-network/graph';
import { chain, group, individual, network, operatorEdge } from './fixtures';

const shapes = (edges: Parameters<typeof network>[0]) =>
  analyzeNetwork(network(edges)).circles.map((c) => ({
    members: c.members,
    shape: c.shape,
    riskiest: c.riskiest,
  }));

describe('circles of known shape', () => {
  it('a mutual pair is one circle, the riskiest shape', () => {
    const a = analyzeNetwork(network([individual('a', 'b'), individual('b', 'a')]));
    expect(a.circles).toEqual([
      expect.objectContaining({
        members: ['a', 'b'],
        shape: 'pair',
        mutualPairs: 1,
        riskiest: true,
      }),
    ]);
    expect(a.figures.riskiestCircles).toBe(1);
  });

  it('a directed triangle is a triangle without a pair; with a pair it is among the riskiest', () => {
    expect(shapes(chain('t', 3, true))).toEqual([
      { members: ['t1', 't2', 't3'], shape: 'triangle', riskiest: false },
    ]);
    const withPair = analyzeNetwork(
      network([
        individual('a', 'b'),
        individual('b', 'a'),
        individual('b', 'c'),
        individual('c', 'a'),
      ]),
    );
    // Pair a<->b plus b->c->a: one block of three (the pair is not split off: a-b-c is 2-connected).
    expect(withPair.circles).toEqual([
      expect.objectContaining({
        members: ['a', 'b', 'c'],
        shape: 'triangle',
        mutualPairs: 1,
        riskiest: true,
      }),
    ]);
  });

  it('a 6-chain is no circle and has length 5; closed into a ring it is one ring of six', () => {
    const open = analyzeNetwork(network(chain('r', 6, false)));
    expect(open.circles).toEqual([]);
    expect(open.figures.longestChain).toBe(5);
    expect(open.nodes.find((n) => n.id === 'r1')?.chainLength).toBe(5);
    expect(open.nodes.find((n) => n.id === 'r6')?.chainLength).toBe(0);

    const ring = analyzeNetwork(network(chain('r', 6, true)));
    expect(ring.circles).toEqual([
      expect.objectContaining({
        members: ['r1', 'r2', 'r3', 'r4', 'r5', 'r6'],
        shape: 'ring',
        mutualPairs: 0,
        riskiest: false,
      }),
    ]);
    // Inside a circle the chain is one step: the whole ring is one component.
    expect(ring.figures.longestChain).toBe(0);
  });

  it('two circles sharing a member are two circles in one cluster', () => {
    const pairs = analyzeNetwork(
      network([
        individual('a', 'b'),
        individual('b', 'a'),
        individual('b', 'c'),
        individual('c', 'b'),
      ]),
    );
    expect(pairs.circles.map((c) => [c.members, c.shape])).toEqual([
      [['a', 'b'], 'pair'],
      [['b', 'c'], 'pair'],
    ]);
    expect(new Set(pairs.circles.map((c) => c.cluster)).size).toBe(1);
    expect(pairs.nodes.find((n) => n.id === 'b')?.circleIds).toEqual(['circle-1', 'circle-2']);

    const triangles = shapes([
      ...chain('x', 3, true),
      individual('x3', 'y1'),
      individual('y1', 'y2'),
      individual('y2', 'x3'),
    ]);
    expect(triangles).toEqual([
      { members: ['x1', 'x2', 'x3'], shape: 'triangle', riskiest: false },
      { members: ['x3', 'y1', 'y2'], shape: 'triangle', riskiest: false },
    ]);
  });

  it('a group is a clique; two groups sharing one member are two cliques, sharing a pair one mesh', () => {
    const g1 = group('g1', { a: 100, b: 100, c: 100, d: 100 });
    expect(shapes(g1)).toEqual([
      { members: ['a', 'b', 'c', 'd'], shape: 'clique', riskiest: false },
    ]);
    const sharingOne = shapes([...g1, ...group('g2', { d: 50, e: 50, f: 50, g: 50 })]);
    expect(sharingOne.map((c) => [c.members.join(''), c.shape])).toEqual([
      ['abcd', 'clique'],
      ['defg', 'clique'],
    ]);
    const sharingPair = analyzeNetwork(network([...g1, ...group('g3', { c: 10, d: 10, e: 10 })]));
    expect(sharingPair.circles).toEqual([
      expect.objectContaining({
        members: ['a', 'b', 'c', 'd', 'e'],
        shape: 'mesh',
        groupIds: ['g1', 'g3'],
      }),
    ]);
  });

  it('chains step through circles once and operators are never in a circle', () => {
    const a = analyzeNetwork(
      network([
        individual('a', 'b'),
        individual('b', 'c'),
        individual('c', 'd'),
        individual('d', 'c'),
        individual('d', 'e'),
        operatorEdge('opr_1', 'a', 500),
      ]),
    );
    expect(a.circles.map((c) => c.members)).toEqual([['c', 'd']]);
    // opr_1 -> a -> b -> {c,d} -> e: four steps.
    expect(a.figures.longestChain).toBe(4);
    expect(a.figures.operators).toBe(1);
  });

  it('counts contingent liability per guarantor and a group loan once for its borrower', () => {
    const a = analyzeNetwork(
      network([...group('g', { a: 300, b: 120, c: 90 }), individual('d', 'c', 50)]),
    );
    const by = Object.fromEntries(a.nodes.map((n) => [n.id, n]));
    // a guarantees b's 120 and c's 90; d guarantees 50 of c.
    expect(by.a?.contingentLiabilityFen).toBe(210);
    expect(by.d?.contingentLiabilityFen).toBe(50);
    // c's group loan (90, guaranteed by a and b) counts once, plus d's 50.
    expect(by.c?.guaranteedBorrowingFen).toBe(140);
    // a: 120 + 90 = 210, b: 300 + 90 = 390, c: 300 + 120 = 420.
    expect(a.figures.maxContingentLiabilityFen).toBe(420);
  });
});

describe('scale', () => {
  it('finds the components of a 100,000-node path and ring without recursion', () => {
    const n = 100_000;
    const from = Int32Array.from({ length: n }, (_, i) => i);
    const to = Int32Array.from({ length: n }, (_, i) => (i + 1) % n);
    expect(stronglyConnected(buildCsr(n, from, to)).count).toBe(1);
    expect(stronglyConnected(buildCsr(n, from.slice(0, n - 1), to.slice(0, n - 1))).count).toBe(n);
    const ring = analyzeNetwork(network(chain('n', 20_000, true)));
    expect(ring.circles).toHaveLength(1);
    expect(ring.circles[0]?.shape).toBe('ring');
  });
});
