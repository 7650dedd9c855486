/**
 * Monitoring statistics of a scorecard: bad rate by grade, Gini and KS of the score, and the
 * population stability index (PSI) of the score distribution. Pure: no I/O, clock or randomness.
 *
 * Definitions (the service applies them; tests check them against independent computations):
 *
 * - A loan's performance is its **latest outcome** (by `asOf`) known at the end of the period.
 *   It is **bad** when that outcome is `late_90` or `default`, **good** when it is `current`,
 *   `late_30` or `repaid` (a loan 30 days late may still cure; 90 days late is the Basel
 *   default threshold).
 * - Scores: **higher is better**. AUC is the probability that a random good scores above a
 *   random bad, ties counting one half (the Mann-Whitney statistic); **Gini = 2·AUC − 1**, so 1
 *   ranks every good above every bad, 0 is a coin toss, −1 is perfectly backwards.
 * - **KS** is the largest distance between the cumulative score distributions of goods and bads,
 *   max over thresholds t of |F_good(t) − F_bad(t)| with F(t) the share scoring ≤ t.
 * - **PSI** = Σ over bins (a − e)·ln(a / e), e and a the shares of the expected (baseline) and
 *   actual (current) scores in the bin. An empty bin's share is replaced by {@link PSI_EPSILON}
 *   in that formula (else ln(0) makes it infinite); the reported shares are the true ones. Each
 *   term is ≥ 0, so PSI ≥ 0, and 0 when the two distributions are the same. Rule of thumb:
 *   < 0.1 stable, 0.1-0.25 drifting, > 0.25 shifted.
 *
 * Gini, KS and PSI are null when undefined (no goods or no bads; an empty sample).
 */

export const OUTCOME_STATUSES = ['current', 'late_30', 'late_90', 'default', 'repaid'] as const;
export type OutcomeStatus = (typeof OUTCOME_STATUSES)[number];

/** Outcomes that make a loan bad: 90 days past due, or defaulted. */
export const BAD_STATUSES: readonly OutcomeStatus[] = ['late_90', 'default'];

export function isBad(status: OutcomeStatus): boolean {
  return BAD_STATUSES.includes(status);
}

/** One loan for the statistics: its score and grade at decision, and whether it went bad. */
export interface ScoredLoan {
  score: number;
  grade: string;
  bad: boolean;
}

export interface GradeBadRate {
  grade: string;
  count: number;
  bads: number;
  /** bads / count. */
  badRate: number;
}

const GRADE_ORDER = ['A', 'B', 'C', 'D', 'E'];
const gradeRank = (g: string) => {
  const i = GRADE_ORDER.indexOf(g);
  return i < 0 ? GRADE_ORDER.length : i;
};

/** Count, bads and bad rate per grade present, best grade first (unknown grades last, by name). */
export function badRateByGrade(
  loans: readonly Pick<ScoredLoan, 'grade' | 'bad'>[],
): GradeBadRate[] {
  const by = new Map<string, { count: number; bads: number }>();
  for (const loan of loans) {
    const row = by.get(loan.grade) ?? { count: 0, bads: 0 };
    row.count += 1;
    if (loan.bad) row.bads += 1;
    by.set(loan.grade, row);
  }
  return [...by.entries()]
    .sort(([a], [b]) => gradeRank(a) - gradeRank(b) || (a < b ? -1 : a > b ? 1 : 0))
    .map(([grade, { count, bads }]) => ({ grade, count, bads, badRate: bads / count }));
}

/** Goods and bads per distinct score, ascending. */
function tally(loans: readonly Pick<ScoredLoan, 'score' | 'bad'>[]) {
  const by = new Map<number, { goods: number; bads: number }>();
  let goods = 0;
  let bads = 0;
  for (const { score, bad } of loans) {
    if (!Number.isFinite(score)) throw new RangeError(`score must be finite, got ${score}`);
    const row = by.get(score) ?? { goods: 0, bads: 0 };
    if (bad) {
      row.bads += 1;
      bads += 1;
    } else {
      row.goods += 1;
      goods += 1;
    }
    by.set(score, row);
  }
  const levels = [...by.entries()].sort(([a], [b]) => a - b).map(([, row]) => row);
  return { levels, goods, bads };
}

/**
 * AUC: P(score of a random good > score of a random bad) + ½·P(tie); null without goods or bads.
 * One pass over the distinct scores: each good beats the bads below its score and ties half
 * of those at it. Counted in halves so that the sum stays an exact integer.
 */
export function auc(loans: readonly Pick<ScoredLoan, 'score' | 'bad'>[]): number | null {
  const { levels, goods, bads } = tally(loans);
  if (goods === 0 || bads === 0) return null;
  let badsBelow = 0;
  let twiceWins = 0;
  for (const level of levels) {
    twiceWins += level.goods * (2 * badsBelow + level.bads);
    badsBelow += level.bads;
  }
  return twiceWins / (2 * goods * bads);
}

/** Gini = 2·AUC − 1, in [−1, 1]; null without goods or bads. */
export function gini(loans: readonly Pick<ScoredLoan, 'score' | 'bad'>[]): number | null {
  const a = auc(loans);
  return a === null ? null : 2 * a - 1;
}

/**
 * KS = max over thresholds t of |F_good(t) − F_bad(t)|, F the cumulative share scoring ≤ t,
 * in [0, 1]; null without goods or bads. Thresholds are the distinct scores (the distance only
 * changes there); differences are kept as integers over goods·bads until the end.
 */
export function ks(loans: readonly Pick<ScoredLoan, 'score' | 'bad'>[]): number | null {
  const { levels, goods, bads } = tally(loans);
  if (goods === 0 || bads === 0) return null;
  let cumGoods = 0;
  let cumBads = 0;
  let best = 0;
  for (const level of levels) {
    cumGoods += level.goods;
    cumBads += level.bads;
    best = Math.max(best, Math.abs(cumGoods * bads - cumBads * goods));
  }
  return best / (goods * bads);
}

/** Stand-in share of an empty bin inside the PSI formula (0.01 %: one in ten thousand). */
export const PSI_EPSILON = 1e-4;

/**
 * Width of the PSI score bins: fixed 20-point bins, one PDO of the default policy (each bin
 * doubles the odds). Fixed bins rather than baseline deciles because scores are integer
 * points with many ties (deciles collapse), and fixed bins compare across periods and policies.
 */
export const PSI_BIN_WIDTH = 20;

/**
 * Edges of fixed-width bins, aligned to multiples of `width`, that cover every score given:
 * `[lo, lo + width, …, hi]` with lo ≤ min and max < hi. Empty input: no edges.
 */
export function scoreBinEdges(scores: readonly number[], width = PSI_BIN_WIDTH): number[] {
  if (!(width > 0)) throw new RangeError(`width must be positive, got ${width}`);
  if (scores.length === 0) return [];
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const s of scores) {
    if (!Number.isFinite(s)) throw new RangeError(`score must be finite, got ${s}`);
    if (s < min) min = s;
    if (s > max) max = s;
  }
  const lo = Math.floor(min / width);
  const hi = Math.floor(max / width) + 1;
  const edges: number[] = [];
  for (let k = lo; k <= hi; k++) edges.push(k * width);
  return edges;
}

export interface PsiBin {
  /** Bin [from, to): scores at least `from` and below `to`. */
  from: number;
  to: number;
  /** Share of the expected (baseline) scores in the bin. */
  expected: number;
  /** Share of the actual (current) scores in the bin. */
  actual: number;
}

export interface PsiResult {
  /** Null when either sample is empty. */
  value: number | null;
  bins: PsiBin[];
}

/** Index of the bin [edges[i], edges[i+1]) holding x (binary search). */
function binOf(x: number, edges: readonly number[]): number {
  const first = edges[0] as number;
  const last = edges[edges.length - 1] as number;
  if (!(x >= first && x < last))
    throw new RangeError(`score ${x} outside the bins [${first}, ${last})`);
  let lo = 0;
  let hi = edges.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((edges[mid] as number) <= x) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function shares(scores: readonly number[], edges: readonly number[]): number[] {
  const counts = new Array<number>(edges.length - 1).fill(0);
  for (const s of scores) {
    const i = binOf(s, edges);
    counts[i] = (counts[i] as number) + 1;
  }
  return counts.map((c) => (scores.length ? c / scores.length : 0));
}

/**
 * Population stability index of `actual` scores against `expected` ones over the bins
 * `[edges[i], edges[i+1])` (edges strictly ascending; every score must fall inside).
 */
export function psi(
  expected: readonly number[],
  actual: readonly number[],
  edges: readonly number[],
): PsiResult {
  if (edges.length < 2) {
    if (expected.length || actual.length) throw new RangeError('psi needs at least one bin');
    return { value: null, bins: [] };
  }
  for (let i = 1; i < edges.length; i++)
    if (!((edges[i] as number) > (edges[i - 1] as number)))
      throw new RangeError('bin edges must be strictly ascending');
  const e = shares(expected, edges);
  const a = shares(actual, edges);
  const bins = e.map((share, i) => ({
    from: edges[i] as number,
    to: edges[i + 1] as number,
    expected: share,
    actual: a[i] as number,
  }));
  if (expected.length === 0 || actual.length === 0) return { value: null, bins };
  let value = 0;
  for (const bin of bins) {
    const ei = bin.expected === 0 ? PSI_EPSILON : bin.expected;
    const ai = bin.actual === 0 ? PSI_EPSILON : bin.actual;
    value += (ai - ei) * Math.log(ai / ei);
  }
  return { value, bins };
}
