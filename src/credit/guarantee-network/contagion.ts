import type { Network, NetworkEdge, NodeKind } from './types';

/**
 * Contagion through guarantees (issue #16 item 3), in rounds:
 *
 * 1. Round 1's defaulters are the merchants given. Every guarantee of a defaulter's loans is
 *    called:
 *    - a joint-guarantee group's loan (the group's edges into the borrower, each for the whole
 *      loan: 连带责任) is shared equally among the group's guarantors that have not failed,
 *      in whole fen, the odd fen going to the first guarantors by id, each share at most its
 *      edge's amount; a loan whose guarantors have all failed is not recovered;
 *    - an individual guarantor (保证人) is called for the amount it guarantees;
 *    - an operator pays what it guarantees and never fails (its agreement is backed by a
 *      deposit and capacity, not by a survey).
 * 2. A merchant fails when the total it has been called to pay exceeds its buffer: the policy's
 *    share (`guaranteeNetwork.failureShareOfAnnualNetProfit`) of its annual net profit (no
 *    known or no positive profit: any call fails it). Those that fail are the next round's
 *    defaulters: their own loans are called, and what they were called to pay is not paid.
 * 3. Shares are fixed when a loan is called: the share of a guarantor that fails later is not
 *    called again from its co-guarantors (a simplification that understates contagion a
 *    little; the lender's loss shows those amounts).
 * Rounds go on until a round makes nobody fail. The answer is the same for the same input.
 */
export interface StressInput {
  network: Network;
  /** Merchant ids that default first (others are ignored). */
  defaults: readonly string[];
  /** Policy: a merchant fails when called for more than this share of its annual net profit. */
  failureShare: number;
}

export interface GuarantorCall {
  guarantorId: string;
  guarantorKind: NodeKind;
  /** Called in this round, fen. */
  amountFen: number;
  /** Called in all rounds so far, fen. */
  calledTotalFen: number;
  /** A merchant's buffer (share x annual net profit), fen; null for an operator. */
  bufferFen: number | null;
  /** Whether this round's calls make it fail (it defaults in the next round). */
  fails: boolean;
}

export interface StressRound {
  round: number;
  /** The merchants that default in this round, sorted. */
  defaulted: string[];
  /** Guarantees called on their loans, fen. */
  calledFen: number;
  /** Who is called on to pay and how much, by guarantor id. */
  calls: GuarantorCall[];
  calledFromMerchantsFen: number;
  calledFromOperatorsFen: number;
  /** Loans whose every guarantor had already failed, fen. */
  uncoveredFen: number;
  /** What this round's defaulters had been called to pay in earlier rounds and will not, fen. */
  unpaidByDefaultersFen: number;
  /** The lender's loss in this round: uncovered plus unpaid, fen. */
  lenderLossFen: number;
}

export interface StressResult {
  rounds: StressRound[];
  /** Every merchant that defaulted (given or failed), sorted. */
  defaulted: string[];
  /** The merchants that failed because of calls (not among the given defaults), sorted. */
  failed: string[];
  totals: {
    calledFen: number;
    /** Paid by guarantors that did not fail, merchants and operators, fen. */
    paidFen: number;
    lenderLossFen: number;
  };
}

/** A merchant's buffer: floor(share x annual net profit), 0 when the profit is unknown or <= 0. */
export function bufferOf(annualNetProfitFen: number | null, share: number): number {
  if (annualNetProfitFen === null || annualNetProfitFen <= 0) return 0;
  return Math.floor(annualNetProfitFen * share);
}

interface Claim {
  /** The loan's guarantee amount: what is called. */
  amountFen: number;
  /** Its guarantors (sorted by id) with what each guarantees at most. */
  edges: NetworkEdge[];
  joint: boolean;
}

/** Each borrower's guarantees: one claim per group (joint), one per other edge. */
function claimsByBorrower(edges: readonly NetworkEdge[]): Map<string, Claim[]> {
  const out = new Map<string, Claim[]>();
  const groups = new Map<string, Claim>();
  const add = (borrower: string, claim: Claim) => {
    const list = out.get(borrower);
    if (list) list.push(claim);
    else out.set(borrower, [claim]);
  };
  for (const e of edges) {
    if (e.source === 'group') {
      const key = `${e.borrowerId}|${e.groupId}`;
      const claim = groups.get(key);
      if (claim) {
        claim.edges.push(e);
        claim.amountFen = Math.max(claim.amountFen, e.amountFen);
      } else {
        const created: Claim = { amountFen: e.amountFen, edges: [e], joint: true };
        groups.set(key, created);
        add(e.borrowerId, created);
      }
    } else {
      add(e.borrowerId, { amountFen: e.amountFen, edges: [e], joint: false });
    }
  }
  for (const claim of groups.values())
    claim.edges.sort((a, b) => cmp(a.guarantorId, b.guarantorId));
  return out;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Splits `amount` fen equally over `k` shares; the first `amount mod k` shares get one fen more. */
export function equalShares(amount: number, k: number): number[] {
  const base = Math.floor(amount / k);
  const extra = amount - base * k;
  return Array.from({ length: k }, (_, i) => base + (i < extra ? 1 : 0));
}

export function runStress(input: StressInput): StressResult {
  const { network, failureShare } = input;
  const kind = new Map(network.nodes.map((n) => [n.id, n.kind]));
  const buffer = new Map(
    network.nodes
      .filter((n) => n.kind === 'merchant')
      .map((n) => [n.id, bufferOf(n.annualNetProfitFen, failureShare)]),
  );
  const claims = claimsByBorrower(network.edges);
  const down = new Set<string>();
  const calledTotal = new Map<string, number>();
  let frontier = [...new Set(input.defaults)].filter((id) => kind.get(id) === 'merchant').sort(cmp);
  const rounds: StressRound[] = [];
  const failed: string[] = [];
  let paid = 0;

  while (frontier.length > 0) {
    for (const id of frontier) down.add(id);
    const thisRound = new Map<string, number>();
    let called = 0;
    let uncovered = 0;
    const call = (guarantor: string, amount: number) => {
      if (amount <= 0) return;
      thisRound.set(guarantor, (thisRound.get(guarantor) ?? 0) + amount);
      calledTotal.set(guarantor, (calledTotal.get(guarantor) ?? 0) + amount);
    };
    for (const borrower of frontier) {
      for (const claim of claims.get(borrower) ?? []) {
        called += claim.amountFen;
        const alive = claim.edges.filter((e) => !down.has(e.guarantorId));
        if (alive.length === 0) {
          uncovered += claim.amountFen;
          continue;
        }
        if (!claim.joint) {
          const e = alive[0] as NetworkEdge;
          call(e.guarantorId, e.amountFen);
          continue;
        }
        const shares = equalShares(claim.amountFen, alive.length);
        alive.forEach((e, i) => {
          const share = Math.min(shares[i] as number, e.amountFen);
          uncovered += (shares[i] as number) - share;
          call(e.guarantorId, share);
        });
      }
    }
    // This round's defaulters do not pay what earlier rounds called them for.
    let unpaid = 0;
    for (const id of frontier) unpaid += (calledTotal.get(id) ?? 0) - (thisRound.get(id) ?? 0);
    const next: string[] = [];
    const calls: GuarantorCall[] = [...thisRound.keys()].sort(cmp).map((id) => {
      const isMerchant = kind.get(id) === 'merchant';
      const total = calledTotal.get(id) ?? 0;
      const buf = isMerchant ? (buffer.get(id) ?? 0) : null;
      const fails = buf !== null && total > buf;
      if (fails) next.push(id);
      return {
        guarantorId: id,
        guarantorKind: kind.get(id) ?? 'merchant',
        amountFen: thisRound.get(id) ?? 0,
        calledTotalFen: total,
        bufferFen: buf,
        fails,
      };
    });
    const fromOperators = calls
      .filter((c) => c.guarantorKind === 'operator')
      .reduce((s, c) => s + c.amountFen, 0);
    rounds.push({
      round: rounds.length + 1,
      defaulted: frontier,
      calledFen: called,
      calls,
      calledFromMerchantsFen: called - uncovered - fromOperators,
      calledFromOperatorsFen: fromOperators,
      uncoveredFen: uncovered,
      unpaidByDefaultersFen: unpaid,
      lenderLossFen: uncovered + unpaid,
    });
    paid += called - uncovered - unpaid;
    failed.push(...next);
    frontier = next;
  }
  // What the last round called from merchants that never failed is paid: `paid` above already
  // subtracted the unpaid calls of each defaulter in the round it defaulted.
  const calledFen = rounds.reduce((s, r) => s + r.calledFen, 0);
  const lenderLossFen = rounds.reduce((s, r) => s + r.lenderLossFen, 0);
  return {
    rounds,
    defaulted: [...down].sort(cmp),
    failed: failed.sort(cmp),
    totals: { calledFen, paidFen: paid, lenderLossFen },
  };
}

/**
 * `share` of the merchants, chosen by a seeded generator (mulberry32) over the ids sorted, so
 * that the same seed gives the same defaults on every machine. At least one when share > 0.
 */
export function pickDefaults(
  merchantIds: readonly string[],
  share: number,
  seed: number,
): string[] {
  const ids = [...merchantIds].sort(cmp);
  const count = Math.min(ids.length, share > 0 ? Math.max(1, Math.round(share * ids.length)) : 0);
  const next = mulberry32(seed);
  // A partial Fisher-Yates shuffle: the first `count` places are the sample.
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(next() * (ids.length - i));
    const t = ids[i] as string;
    ids[i] = ids[j] as string;
    ids[j] = t;
  }
  return ids.slice(0, count).sort(cmp);
}

/** A small, well-known 32-bit generator: pure, seeded, the same everywhere. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
