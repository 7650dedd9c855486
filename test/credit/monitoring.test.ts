import fc from 'fast-check';
import {
  auc,
  badRateByGrade,
  gini,
  isBad,
  ks,
  OUTCOME_STATUSES,
  PSI_EPSILON,
  psi,
  type ScoredLoan,
  scoreBinEdges,
} from '../../src/credit';

const loan = (score: number, bad: boolean, grade = 'A'): ScoredLoan => ({ score, grade, bad });

/** mulberry32: a small deterministic PRNG, so the large fixture is the same on every run. */
function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('bad definition', () => {
  it('late_90 and default are bad; current, late_30 and repaid are good', () => {
    expect(OUTCOME_STATUSES.filter(isBad)).toEqual(['late_90', 'default']);
    expect(OUTCOME_STATUSES.filter((s) => !isBad(s))).toEqual(['current', 'late_30', 'repaid']);
  });
});

describe('badRateByGrade', () => {
  it('counts per grade, best grade first, unknown grades last', () => {
    const rows = badRateByGrade([
      loan(600, true, 'C'),
      loan(700, false, 'A'),
      loan(610, false, 'C'),
      loan(620, false, 'C'),
      loan(680, true, 'A'),
      loan(500, true, 'Z'),
      loan(640, false, 'B'),
      loan(605, false, 'C'),
    ]);
    expect(rows).toEqual([
      { grade: 'A', count: 2, bads: 1, badRate: 0.5 },
      { grade: 'B', count: 1, bads: 0, badRate: 0 },
      { grade: 'C', count: 4, bads: 1, badRate: 0.25 },
      { grade: 'Z', count: 1, bads: 1, badRate: 1 },
    ]);
  });

  it('is empty for no loans', () => {
    expect(badRateByGrade([])).toEqual([]);
  });
});

describe('Gini and KS on a small set computed by hand', () => {
  /*
   * goods: 700, 680, 650, 650, 620   (G = 5)
   * bads:  650, 600, 580             (B = 3), so 15 good-bad pairs.
   *
   * AUC: for each good, the bads it outscores, ties counting one half:
   *   700 -> 3, 680 -> 3, 650 -> 2 + 0.5, 650 -> 2 + 0.5, 620 -> 2   total 13
   *   AUC = 13/15 = 0.8666…, Gini = 2·13/15 − 1 = 11/15 = 0.7333…
   *
   * KS: cumulative shares at or below each distinct score
   *   t:       580   600   620   650   680   700
   *   F_bad:   1/3   2/3   2/3   3/3   1     1
   *   F_good:  0     0     1/5   3/5   4/5   1
   *   |diff|:  1/3   2/3   7/15  2/5   1/5   0      -> KS = 2/3
   */
  const set = [
    loan(700, false),
    loan(680, false),
    loan(650, false),
    loan(650, false),
    loan(620, false),
    loan(650, true),
    loan(600, true),
    loan(580, true),
  ];

  it('AUC and Gini', () => {
    expect(auc(set)).toBeCloseTo(13 / 15, 12);
    expect(gini(set)).toBeCloseTo(11 / 15, 12);
  });

  it('KS', () => {
    expect(ks(set)).toBeCloseTo(2 / 3, 12);
  });

  it('does not depend on the order of the loans', () => {
    const reversed = [...set].reverse();
    expect(gini(reversed)).toBe(gini(set));
    expect(ks(reversed)).toBe(ks(set));
  });

  it('perfect and backwards rankings give 1 and −1', () => {
    const perfect = [loan(700, false), loan(650, false), loan(600, true), loan(550, true)];
    expect(gini(perfect)).toBe(1);
    expect(ks(perfect)).toBe(1);
    const backwards = perfect.map((l) => ({ ...l, bad: !l.bad }));
    expect(gini(backwards)).toBe(-1);
    expect(ks(backwards)).toBe(1);
  });

  it('all tied: Gini 0, KS 0', () => {
    const tied = [loan(600, false), loan(600, true), loan(600, false)];
    expect(gini(tied)).toBe(0);
    expect(ks(tied)).toBe(0);
  });

  it('is null without goods or without bads', () => {
    expect(gini([])).toBeNull();
    expect(ks([])).toBeNull();
    expect(gini([loan(600, false), loan(700, false)])).toBeNull();
    expect(ks([loan(600, true)])).toBeNull();
  });
});

describe('PSI on small sets computed by hand', () => {
  const edges = [600, 620, 640, 660, 680];

  it('four bins, no empty bin', () => {
    /*
     * expected counts 2, 3, 3, 2 of 10 -> shares .2 .3 .3 .2
     * actual   counts 1, 2, 3, 4 of 10 -> shares .1 .2 .3 .4
     * PSI = (.1−.2)·ln(.1/.2) + (.2−.3)·ln(.2/.3) + (.3−.3)·ln(1) + (.4−.2)·ln(.4/.2)
     *     = 0.0693147 + 0.0405465 + 0 + 0.1386294 = 0.2484907
     */
    const expected = [600, 619, 620, 630, 639, 640, 650, 659, 660, 679];
    const actual = [610, 625, 635, 645, 655, 659, 660, 665, 670, 675];
    const r = psi(expected, actual, edges);
    expect(r.value).toBeCloseTo(0.2484907, 6);
    expect(r.bins).toEqual([
      { from: 600, to: 620, expected: 0.2, actual: 0.1 },
      { from: 620, to: 640, expected: 0.3, actual: 0.2 },
      { from: 640, to: 660, expected: 0.3, actual: 0.3 },
      { from: 660, to: 680, expected: 0.2, actual: 0.4 },
    ]);
  });

  it('an empty bin counts as PSI_EPSILON in the formula', () => {
    /*
     * expected shares .5 .5 0 ; actual .4 .4 .2 (edges 600, 620, 640, 660)
     * the empty expected bin is taken as ε = 0.0001:
     * PSI = 2·(.4−.5)·ln(.4/.5) + (.2−.0001)·ln(.2/.0001)
     *     = 2·0.0223144 + 0.1999·7.6009025 = 0.0446287 + 1.5194204 = 1.5640491
     */
    expect(PSI_EPSILON).toBe(0.0001);
    const r = psi(
      [600, 605, 610, 615, 619, 620, 625, 630, 635, 639],
      [600, 605, 610, 615, 620, 625, 630, 635, 640, 659],
      [600, 620, 640, 660],
    );
    expect(r.value).toBeCloseTo(1.5640491, 6);
    expect(r.bins.map((b) => b.expected)).toEqual([0.5, 0.5, 0]);
  });

  it('is null when a sample is empty, and refuses scores outside the bins', () => {
    expect(psi([], [610], edges).value).toBeNull();
    expect(psi([610], [], edges).value).toBeNull();
    expect(psi([], [], []).value).toBeNull();
    expect(() => psi([599], [610], edges)).toThrow(RangeError);
    expect(() => psi([610], [680], edges)).toThrow(RangeError);
    expect(() => psi([610], [610], [600, 600, 620])).toThrow(RangeError);
  });

  it('fixed 20-point bin edges cover every score', () => {
    expect(scoreBinEdges([])).toEqual([]);
    expect(scoreBinEdges([600])).toEqual([600, 620]);
    expect(scoreBinEdges([619, 581, 640])).toEqual([580, 600, 620, 640, 660]);
    expect(scoreBinEdges([-5, 3])).toEqual([-20, 0, 20]);
    expect(scoreBinEdges([10, 35], 10)).toEqual([10, 20, 30, 40]);
  });
});

describe('a larger fixture: 1,000 pseudo-random loans against brute force', () => {
  /** Score ~ 600 + 40·(sum of 4 uniforms − 2)·√3, bad with a probability falling with score. */
  function fixture(seed: number, shift = 0): ScoredLoan[] {
    const rnd = mulberry32(seed);
    return Array.from({ length: 1000 }, () => {
      const z = (rnd() + rnd() + rnd() + rnd() - 2) * Math.sqrt(3);
      const score = Math.round(600 + shift + 40 * z);
      const pBad = 1 / (1 + Math.exp((score - 560) / 20));
      return { score, grade: 'A', bad: rnd() < pBad };
    });
  }
  const loans = fixture(20261126);
  const goods = loans.filter((l) => !l.bad).map((l) => l.score);
  const bads = loans.filter((l) => l.bad).map((l) => l.score);

  it('has both goods and bads and many ties (a fair test of tie handling)', () => {
    expect(goods.length).toBeGreaterThan(100);
    expect(bads.length).toBeGreaterThan(100);
    expect(new Set(loans.map((l) => l.score)).size).toBeLessThan(400);
  });

  it('Gini equals 2·AUC − 1 with AUC by pairwise comparison', () => {
    let wins = 0;
    for (const g of goods) for (const b of bads) wins += g > b ? 1 : g === b ? 0.5 : 0;
    const bruteAuc = wins / (goods.length * bads.length);
    expect(auc(loans)).toBeCloseTo(bruteAuc, 12);
    expect(gini(loans)).toBeCloseTo(2 * bruteAuc - 1, 12);
    expect(gini(loans)).toBeGreaterThan(0.3); // the fixture's bads do score lower
  });

  it('KS equals the largest gap of the empirical distributions at every threshold', () => {
    let best = 0;
    for (const t of new Set(loans.map((l) => l.score))) {
      const fg = goods.filter((s) => s <= t).length / goods.length;
      const fb = bads.filter((s) => s <= t).length / bads.length;
      best = Math.max(best, Math.abs(fg - fb));
    }
    expect(ks(loans)).toBeCloseTo(best, 12);
  });

  it('PSI equals the formula over 20-point bins counted by floor(score / 20)', () => {
    const baseline = fixture(1).map((l) => l.score);
    const current = fixture(2, 15).map((l) => l.score);
    const count = (xs: number[]) => {
      const m = new Map<number, number>();
      for (const x of xs) m.set(Math.floor(x / 20), (m.get(Math.floor(x / 20)) ?? 0) + 1);
      return m;
    };
    const e = count(baseline);
    const a = count(current);
    let expected = 0;
    for (const k of new Set([...e.keys(), ...a.keys()])) {
      const ei = (e.get(k) ?? 0) / baseline.length || 0.0001;
      const ai = (a.get(k) ?? 0) / current.length || 0.0001;
      expected += (ai - ei) * Math.log(ai / ei);
    }
    const r = psi(baseline, current, scoreBinEdges([...baseline, ...current]));
    expect(r.value).toBeCloseTo(expected, 10);
    expect(r.value).toBeGreaterThan(0.02); // shifted by 15 points: visible drift
    expect(
      psi(
        baseline,
        fixture(3).map((l) => l.score),
        scoreBinEdges([...baseline, 0, 1000]),
      ).value,
    ).toBeLessThan(0.05); // same distribution, another draw: stable
  });
});

describe('properties', () => {
  const loanArb = fc.record({
    score: fc.integer({ min: 300, max: 900 }),
    grade: fc.constantFrom('A', 'B', 'C', 'D', 'E'),
    bad: fc.boolean(),
  });
  const loansArb = fc.array(loanArb, { maxLength: 200 });
  const scoresArb = fc.array(fc.integer({ min: 300, max: 900 }), { minLength: 1, maxLength: 200 });

  it('Gini is in [−1, 1] and KS in [0, 1] (or null without goods or bads)', () => {
    fc.assert(
      fc.property(loansArb, (loans) => {
        const g = gini(loans);
        const k = ks(loans);
        const defined = loans.some((l) => l.bad) && loans.some((l) => !l.bad);
        expect(g === null).toBe(!defined);
        expect(k === null).toBe(!defined);
        if (g !== null) expect(Math.abs(g)).toBeLessThanOrEqual(1);
        if (k !== null) {
          expect(k).toBeGreaterThanOrEqual(0);
          expect(k).toBeLessThanOrEqual(1);
        }
      }),
    );
  });

  it('swapping goods and bads negates Gini and keeps KS', () => {
    fc.assert(
      fc.property(loansArb, (loans) => {
        const swapped = loans.map((l) => ({ ...l, bad: !l.bad }));
        const g = gini(loans);
        if (g === null) return;
        expect(gini(swapped)).toBeCloseTo(-g, 12);
        expect(ks(swapped)).toBeCloseTo(ks(loans) as number, 12);
      }),
    );
  });

  it('Gini and KS depend only on the ranking (a strictly increasing transform keeps them)', () => {
    fc.assert(
      fc.property(loansArb, (loans) => {
        const moved = loans.map((l) => ({ ...l, score: 3 * l.score + 7 }));
        expect(gini(moved)).toBe(gini(loans));
        expect(ks(moved)).toBe(ks(loans));
      }),
    );
  });

  it('PSI is ≥ 0, and 0 for identical distributions', () => {
    fc.assert(
      fc.property(scoresArb, scoresArb, (expected, actual) => {
        const edges = scoreBinEdges([...expected, ...actual]);
        expect(psi(expected, actual, edges).value).toBeGreaterThanOrEqual(0);
        expect(psi(expected, expected, edges).value).toBe(0);
        // The same shares from a sample repeated twice (and shuffled) are the same distribution.
        const doubled = [...expected, ...expected].reverse();
        expect(psi(expected, doubled, edges).value).toBe(0);
      }),
    );
  });

  it('bin shares of each sample sum to 1', () => {
    fc.assert(
      fc.property(scoresArb, scoresArb, (expected, actual) => {
        const { bins } = psi(expected, actual, scoreBinEdges([...expected, ...actual]));
        expect(bins.reduce((s, b) => s + b.expected, 0)).toBeCloseTo(1, 12);
        expect(bins.reduce((s, b) => s + b.actual, 0)).toBeCloseTo(1, 12);
      }),
    );
  });
});
