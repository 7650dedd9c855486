import fc from 'fast-check';
import { analyzeNetwork } from '../../../src/credit/guarantee-network/circles';
import { runStress } from '../../../src/credit/guarantee-network/contagion';
import { individual, merchant, network } from './fixtures';

/** Random digraphs of up to 9 merchants as individual guarantees (no self-loops). */
const arcs = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 8 })), {
    maxLength: 30,
  })
  .map((pairs) => pairs.filter(([a, b]) => a !== b));

/** Brute force: reach[a][b] when a path a -> ... -> b of one or more arcs exists. */
function reachability(pairs: [number, number][]): boolean[][] {
  const r = Array.from({ length: 9 }, () => Array<boolean>(9).fill(false));
  for (const [a, b] of pairs) (r[a] as boolean[])[b] = true;
  for (let k = 0; k < 9; k++)
    for (let i = 0; i < 9; i++)
      for (let j = 0; j < 9; j++) if (r[i]?.[k] && r[k]?.[j]) (r[i] as boolean[])[j] = true;
  return r;
}

const name = (i: number) => `m${i}`;

describe('circles against brute force', () => {
  it('a merchant is in a circle exactly when it lies on a cycle; members of one circle reach each other', () => {
    fc.assert(
      fc.property(arcs, (pairs) => {
        const edges = pairs.map(([a, b], i) => ({ ...individual(name(a), name(b)), id: `e${i}` }));
        const nodes = Array.from({ length: 9 }, (_, i) => merchant(name(i)));
        const a = analyzeNetwork({ nodes, edges });
        const reach = reachability(pairs);
        const onCycle = new Set(
          nodes
            .map((_, i) => i)
            .filter((i) => reach[i]?.[i])
            .map(name),
        );
        expect(new Set(a.circles.flatMap((c) => c.members))).toEqual(onCycle);
        for (const c of a.circles) {
          const idx = c.members.map((m) => Number(m.slice(1)));
          for (const x of idx) for (const y of idx) if (x !== y) expect(reach[x]?.[y]).toBe(true);
          expect(c.members.length).toBeGreaterThanOrEqual(2);
        }
        // Circles share at most one member (blocks meet at cut vertices).
        for (const c of a.circles)
          for (const d of a.circles)
            if (c.id !== d.id)
              expect(c.members.filter((m) => d.members.includes(m)).length).toBeLessThanOrEqual(1);
      }),
      { numRuns: 300 },
    );
  });

  it('the stress conserves money: called = paid + lender loss, and stops', () => {
    fc.assert(
      fc.property(
        arcs,
        fc.array(fc.integer({ min: 0, max: 1_000 }), { minLength: 9, maxLength: 9 }),
        fc.integer({ min: 0, max: 8 }),
        (pairs, profits, first) => {
          const edges = pairs.map(([a, b], i) => ({
            ...individual(name(a), name(b), 100 + i * 7),
            id: `e${i}`,
          }));
          const nodes = profits.map((p, i) => merchant(name(i), p));
          const r = runStress({
            network: network(edges, nodes),
            defaults: [name(first)],
            failureShare: 0.5,
          });
          expect(r.totals.paidFen + r.totals.lenderLossFen).toBe(r.totals.calledFen);
          expect(r.totals.paidFen).toBeGreaterThanOrEqual(0);
          expect(r.rounds.length).toBeLessThanOrEqual(9);
          expect(new Set(r.defaulted).size).toBe(r.defaulted.length);
        },
      ),
      { numRuns: 300 },
    );
  });
});
