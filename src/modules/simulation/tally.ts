/**
 * The running totals of a simulation: each case is decided by the candidate policy and the
 * champion through the same decide() production uses, and only counters are kept, so memory
 * stays flat however many stored applications are replayed.
 */
import {
  type CompiledPolicy,
  type Decision,
  type DecisionContext,
  decide,
  GRADES,
  type Grade,
  type LoanRequest,
  type Outcome,
  type Survey,
} from '../../credit';
import { PRODUCTS, type Product } from '../../credit/survey';

export const HISTOGRAM_BIN = 20;

export type SwapKind =
  | 'approveToDecline'
  | 'approveToRefer'
  | 'referToApprove'
  | 'referToDecline'
  | 'declineToApprove'
  | 'declineToRefer';

const SWAP_KINDS: SwapKind[] = [
  'approveToDecline',
  'approveToRefer',
  'referToApprove',
  'referToDecline',
  'declineToApprove',
  'declineToRefer',
];

/** SWAP_OF[champion][candidate]; null when the outcome is unchanged. */
const SWAP_OF: Record<Outcome, Record<Outcome, SwapKind | null>> = {
  approve: { approve: null, refer: 'approveToRefer', decline: 'approveToDecline' },
  refer: { approve: 'referToApprove', refer: null, decline: 'referToDecline' },
  decline: { approve: 'declineToApprove', refer: 'declineToRefer', decline: null },
};

export interface SimulationCase {
  /** Application id, or the batch index as a string. */
  key: string;
  survey: Survey;
  request: LoanRequest;
  context: DecisionContext;
}

/** One bin of the score histogram, with the outcomes its cases got. */
export interface HistogramBin {
  from: number;
  to: number;
  count: number;
  byOutcome: Record<Outcome, number>;
}

/** What the candidate would approve, and lose, if its approve cutoff were `cutoff`. */
export interface CutoffPoint {
  cutoff: number;
  approvedCount: number;
  approvalRate: number;
  expectedLoss: number;
}

export interface TallyTotals {
  count: number;
  outcomes: Record<Outcome, { count: number; rate: number }>;
  scoreHistogram: HistogramBin[];
  cutoffCurve: CutoffPoint[];
  gradeMix: Record<Grade, number>;
  productMix: { product: Product; count: number; amount: number }[];
  expectedLoss: number;
  swaps: Record<SwapKind, { count: number; sample: string[] }>;
}

const binOf = (score: number) => Math.floor(score / HISTOGRAM_BIN) * HISTOGRAM_BIN;

export class SimulationTally {
  private count = 0;
  private readonly outcomes: Record<Outcome, number> = { approve: 0, refer: 0, decline: 0 };
  private readonly histogram = new Map<number, Record<Outcome, number>>();
  /**
   * Per bin: the cases an approve cutoff at or below the bin would approve (no knock-out, no
   * data-check referral, a product that can be offered) and their expected loss in fen.
   */
  private readonly approvable = new Map<number, { count: number; lossFen: number }>();
  private readonly grades: Record<Grade, number> = { A: 0, B: 0, C: 0, D: 0, E: 0 };
  private readonly products = new Map<Product, { count: number; amount: number }>(
    PRODUCTS.map((p) => [p, { count: 0, amount: 0 }]),
  );
  /** In fen, unrounded: rounded once at the end. */
  private expectedLossFen = 0;
  private readonly swaps = Object.fromEntries(
    SWAP_KINDS.map((k) => [k, { count: 0, sample: [] as string[] }]),
  ) as Record<SwapKind, { count: number; sample: string[] }>;
  private readonly lgd: Record<Product, number>;
  /** Same policy on both sides: decide once and reuse. */
  private readonly same: boolean;

  constructor(
    private readonly candidate: CompiledPolicy,
    private readonly champion: CompiledPolicy,
    private readonly sampleSize: number,
    sameAsChampion: boolean,
  ) {
    const p = candidate.document.products;
    this.lgd = {
      operator_guarantee: p.operator_guarantee.lgd,
      joint_guarantee: p.joint_guarantee.lgd,
      credit_loan: p.credit_loan.lgd,
      credit_card: p.credit_card.lgd,
    };
    this.same = sameAsChampion;
  }

  add(c: SimulationCase): void {
    const mine = decide(c.survey, c.request, this.candidate, c.context);
    const theirs = this.same ? mine : decide(c.survey, c.request, this.champion, c.context);
    this.record(c.key, mine, theirs.outcome);
    this.recordApprovable(c, mine);
  }

  private record(key: string, d: Decision, championOutcome: Outcome): void {
    this.count++;
    this.outcomes[d.outcome]++;
    this.grades[d.grade]++;
    const bin = binOf(d.score);
    const inBin = this.histogram.get(bin) ?? { approve: 0, refer: 0, decline: 0 };
    inBin[d.outcome]++;
    this.histogram.set(bin, inBin);
    if (d.outcome === 'approve') {
      const offer = d.offers[0];
      if (offer) {
        const mix = this.products.get(offer.product);
        if (mix) {
          mix.count++;
          mix.amount += offer.amount;
        }
        this.expectedLossFen += this.lossOf(d, offer);
      }
    }
    const kind = SWAP_OF[championOutcome][d.outcome];
    if (kind) {
      const s = this.swaps[kind];
      s.count++;
      if (s.sample.length < this.sampleSize) s.sample.push(key);
    }
  }

  /**
   * For the cutoff curve: would this case be approved were its score above the cutoff? Only
   * the score may change: a knock-out or a data-check referral stays, and the loan is the one
   * decide() makes when it approves (for a case it did not approve, decided again as a
   * reviewer's approval, which lifts no cap and no knock-out).
   */
  private recordApprovable(c: SimulationCase, d: Decision): void {
    if (d.knockouts.length > 0 || d.reasons.some((r) => r.kind === 'data')) return;
    const approved =
      d.outcome === 'approve'
        ? d
        : decide(c.survey, c.request, this.candidate, {
            ...c.context,
            override: { outcome: 'approve' },
          });
    const offer = approved.outcome === 'approve' ? approved.offers[0] : undefined;
    if (!offer) return;
    const bin = binOf(d.score);
    const acc = this.approvable.get(bin) ?? { count: 0, lossFen: 0 };
    acc.count++;
    acc.lossFen += this.lossOf(d, offer);
    this.approvable.set(bin, acc);
  }

  /** The first offer is the one ranked best for the request: the loan the merchant would take. */
  private lossOf(d: Decision, offer: Decision['offers'][number]): number {
    return d.pd * this.lgd[offer.product] * offer.amount;
  }

  /** From the highest bin down: what a cutoff at each bin's lower edge would approve. */
  private cutoffCurve(bins: HistogramBin[]): CutoffPoint[] {
    const curve: CutoffPoint[] = [];
    let count = 0;
    let lossFen = 0;
    for (const { from } of [...bins].reverse()) {
      const acc = this.approvable.get(from);
      count += acc?.count ?? 0;
      lossFen += acc?.lossFen ?? 0;
      curve.push({
        cutoff: from,
        approvedCount: count,
        approvalRate: this.rate(count),
        expectedLoss: Math.round(lossFen),
      });
    }
    return curve.reverse();
  }

  private rate(n: number): number {
    return this.count === 0 ? 0 : Math.round((n / this.count) * 1e6) / 1e6;
  }

  totals(): TallyTotals {
    const rate = (n: number) => this.rate(n);
    const bins = [...this.histogram.keys()];
    const scoreHistogram: TallyTotals['scoreHistogram'] = [];
    if (bins.length > 0) {
      const lo = Math.min(...bins);
      const hi = Math.max(...bins);
      for (let from = lo; from <= hi; from += HISTOGRAM_BIN) {
        const byOutcome = this.histogram.get(from) ?? { approve: 0, refer: 0, decline: 0 };
        scoreHistogram.push({
          from,
          to: from + HISTOGRAM_BIN,
          count: byOutcome.approve + byOutcome.refer + byOutcome.decline,
          byOutcome: { ...byOutcome },
        });
      }
    }
    const gradeMix = {} as Record<Grade, number>;
    for (const g of GRADES) gradeMix[g] = this.grades[g];
    return {
      count: this.count,
      outcomes: {
        approve: { count: this.outcomes.approve, rate: rate(this.outcomes.approve) },
        refer: { count: this.outcomes.refer, rate: rate(this.outcomes.refer) },
        decline: { count: this.outcomes.decline, rate: rate(this.outcomes.decline) },
      },
      scoreHistogram,
      cutoffCurve: this.cutoffCurve(scoreHistogram),
      gradeMix,
      productMix: PRODUCTS.map((product) => {
        const m = this.products.get(product) ?? { count: 0, amount: 0 };
        return { product, count: m.count, amount: m.amount };
      }),
      expectedLoss: Math.round(this.expectedLossFen),
      swaps: this.swaps,
    };
  }
}
