import { bufferOf } from './contagion';
import type { Network } from './types';

/**
 * DebtRank (Battiston et al., 2012) on the guarantee network: how much of the lender's stake
 * in the network is put in distress when one merchant defaults alone.
 *
 * Why DebtRank and not betweenness: contagion here is money called from guarantors against a
 * buffer, not traffic along shortest paths. DebtRank follows exactly that: the impact of a
 * borrower i on a guarantor j is W(i,j) = min(1, call(i,j) / buffer(j)), where call(i,j) is
 * what j is called for when i defaults alone (a group loan shared equally among the group's
 * guarantors, an individual guarantee in full) and buffer(j) is the policy share of j's annual
 * net profit (the same buffer the stress uses, so a W of 1 means "this default alone makes j
 * fail"). Distress h in [0, 1] travels from borrowers to guarantors: at each step every merchant
 * distressed in the step before passes its distress on, once (so circles do not count twice),
 * and every guarantor's h grows by W x h of its borrowers, at most to 1 (the paper's update). Each merchant j weighs v(j): its share of
 * the guaranteed borrowing in the network (what the lender has at stake with it). DebtRank of
 * i = sum over j != i of h(j) v(j) at the end, in [0, 1): the share of the network's
 * guaranteed borrowing put in distress by i. Operators never fail, so they carry no distress.
 */
export interface CentralMerchant {
  merchantId: string;
  debtRank: number;
  /** Merchants put in distress (h > 0) by its default alone. */
  reach: number;
}

/** Digits kept, so that answers are byte-stable. */
const DECIMALS = 6;

interface Impact {
  start: Int32Array;
  to: Int32Array;
  weight: Float64Array;
  value: Float64Array;
  index: Map<string, number>;
  merchant: Uint8Array;
}

function impacts(network: Network, failureShare: number): Impact {
  const n = network.nodes.length;
  const index = new Map(network.nodes.map((node, i) => [node.id, i]));
  const merchant = Uint8Array.from(network.nodes, (node) => (node.kind === 'merchant' ? 1 : 0));
  // Guarantors per (borrower, group), to share a group loan equally.
  const groupSize = new Map<string, number>();
  for (const e of network.edges) {
    if (e.source !== 'group') continue;
    const key = `${e.borrowerId}|${e.groupId}`;
    groupSize.set(key, (groupSize.get(key) ?? 0) + 1);
  }
  // call(i,j) summed per borrower->guarantor pair; value: guaranteed borrowing per borrower.
  const call = new Map<number, Map<number, number>>();
  const borrowing = new Float64Array(n);
  const counted = new Set<string>();
  for (const e of network.edges) {
    const i = index.get(e.borrowerId);
    const j = index.get(e.guarantorId);
    if (i === undefined || j === undefined) continue;
    const k = e.source === 'group' ? (groupSize.get(`${e.borrowerId}|${e.groupId}`) ?? 1) : 1;
    const key = e.source === 'group' ? `${e.borrowerId}|group:${e.groupId}` : `edge:${e.id}`;
    if (!counted.has(key)) {
      counted.add(key);
      borrowing[i] = (borrowing[i] as number) + e.amountFen;
    }
    if (!merchant[j]) continue;
    let row = call.get(i);
    if (!row) {
      row = new Map();
      call.set(i, row);
    }
    row.set(j, (row.get(j) ?? 0) + e.amountFen / k);
  }
  const buffers = network.nodes.map((node) => bufferOf(node.annualNetProfitFen, failureShare));
  const start = new Int32Array(n + 1);
  for (const [i, row] of call) start[i + 1] = row.size;
  for (let v = 0; v < n; v++) start[v + 1] = (start[v + 1] as number) + (start[v] as number);
  const to = new Int32Array(start[n] as number);
  const weight = new Float64Array(start[n] as number);
  for (const [i, row] of call) {
    let p = start[i] as number;
    for (const [j, amount] of row) {
      const buf = buffers[j] as number;
      to[p] = j;
      weight[p++] = buf > 0 ? Math.min(1, amount / buf) : amount > 0 ? 1 : 0;
    }
  }
  let total = 0;
  for (const b of borrowing) total += b;
  const value = new Float64Array(n);
  for (let v = 0; v < n; v++) value[v] = total > 0 ? (borrowing[v] as number) / total : 0;
  return { start, to, weight, value, index, merchant };
}

/** DebtRank of each candidate (merchant ids), highest first, then by id; at most `top`. */
export function debtRanks(
  network: Network,
  failureShare: number,
  candidates: readonly string[],
  top: number,
): CentralMerchant[] {
  const g = impacts(network, failureShare);
  const n = network.nodes.length;
  const h = new Float64Array(n);
  const gain = new Float64Array(n);
  const state = new Uint8Array(n); // 0 undistressed, 1 distressed, 2 inactive
  const touched = new Int32Array(n);
  const gained = new Int32Array(n);
  let active = new Int32Array(n);
  let next = new Int32Array(n);
  const out: CentralMerchant[] = [];
  for (const id of new Set(candidates)) {
    const s = g.index.get(id);
    if (s === undefined || !g.merchant[s]) continue;
    let touchedCount = 1;
    touched[0] = s;
    h[s] = 1;
    state[s] = 1;
    active[0] = s;
    let activeCount = 1;
    while (activeCount > 0) {
      // One step: every distressed merchant passes its distress to its guarantors at once.
      let gainedCount = 0;
      for (let a = 0; a < activeCount; a++) {
        const i = active[a] as number;
        const hi = h[i] as number;
        for (let p = g.start[i] as number; p < (g.start[i + 1] as number); p++) {
          const j = g.to[p] as number;
          if (gain[j] === 0) gained[gainedCount++] = j;
          gain[j] = (gain[j] as number) + (g.weight[p] as number) * hi;
        }
      }
      for (let a = 0; a < activeCount; a++) state[active[a] as number] = 2;
      let nextCount = 0;
      for (let q = 0; q < gainedCount; q++) {
        const j = gained[q] as number;
        const add = gain[j] as number;
        gain[j] = 0;
        if (add <= 0) continue;
        if (h[j] === 0) touched[touchedCount++] = j;
        h[j] = Math.min(1, (h[j] as number) + add);
        if (state[j] === 0) {
          state[j] = 1;
          next[nextCount++] = j;
        }
      }
      [active, next] = [next, active];
      activeCount = nextCount;
    }
    let rank = 0;
    for (let q = 1; q < touchedCount; q++) {
      const j = touched[q] as number;
      rank += (h[j] as number) * (g.value[j] as number);
    }
    out.push({ merchantId: id, debtRank: Number(rank.toFixed(DECIMALS)), reach: touchedCount - 1 });
    for (let q = 0; q < touchedCount; q++) {
      const j = touched[q] as number;
      h[j] = 0;
      state[j] = 0;
    }
  }
  out.sort(
    (a, b) =>
      b.debtRank - a.debtRank ||
      b.reach - a.reach ||
      (a.merchantId < b.merchantId ? -1 : a.merchantId > b.merchantId ? 1 : 0),
  );
  return out.slice(0, top);
}
