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

export interface TallyTotals {
  count: number;
  outcomes: Record<Outcome, { count: number; rate: number }>;
  scoreHistogram: { from: number; to: number; count: number }[];
  gradeMix: Record<Grade, number>;
  productMix: { product: Product; count: number; amount: number }[];
  expectedLoss: number;
  swaps: Record<SwapKind, { count: number; sample: string[] }>;
}

export class SimulationTally {
  private count = 0;
  private readonly outcomes: Record<Outcome, number> = { approve: 0, refer: 0, decline: 0 };
  private readonly histogram = new Map<number, number>();
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
  }

  private record(key: string, d: Decision, championOutcome: Outcome): void {
    this.count++;
    this.outcomes[d.outcome]++;
    this.grades[d.grade]++;
    const bin = Math.floor(d.score / HISTOGRAM_BIN) * HISTOGRAM_BIN;
    this.histogram.set(bin, (this.histogram.get(bin) ?? 0) + 1);
    if (d.outcome === 'approve') {
      // The first offer is the one ranked best for the request: the loan the merchant would take.
      const offer = d.offers[0];
      if (offer) {
        const mix = this.products.get(offer.product);
        if (mix) {
          mix.count++;
          mix.amount += offer.amount;
        }
        this.expectedLossFen += d.pd * this.lgd[offer.product] * offer.amount;
      }
    }
    const kind = SWAP_OF[championOutcome][d.outcome];
    if (kind) {
      const s = this.swaps[kind];
      s.count++;
      if (s.sample.length < this.sampleSize) s.sample.push(key);
    }
  }

  totals(): TallyTotals {
    const rate = (n: number) => (this.count === 0 ? 0 : Math.round((n / this.count) * 1e6) / 1e6);
    const bins = [...this.histogram.keys()];
    const scoreHistogram: TallyTotals['scoreHistogram'] = [];
    if (bins.length > 0) {
      const lo = Math.min(...bins);
      const hi = Math.max(...bins);
      for (let from = lo; from <= hi; from += HISTOGRAM_BIN) {
        scoreHistogram.push({
          from,
          to: from + HISTOGRAM_BIN,
          count: this.histogram.get(from) ?? 0,
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
