import { debtRanks } from '../../credit/guarantee-network/centrality';
import { analyzeNetwork } from '../../credit/guarantee-network/circles';
import { pickDefaults, runStress } from '../../credit/guarantee-network/contagion';
import { renderNetworkSvg } from '../../credit/guarantee-network/svg';
import type { Network, NetworkAnalysis } from '../../credit/guarantee-network/types';
import type { PolicyDocument } from '../../credit/policy-schema';
import type { AppDeps } from '../../deps';
import { notFound, unprocessable, validationFailed } from '../../lib/errors';
import { findMarket, type LoadedNetwork, loadNetwork, type MarketRow } from './repository';
import {
  MAX_EDGES,
  MAX_NODES,
  type NetworkView,
  type StressBody,
  type StressView,
  TOP_CENTRAL,
} from './schemas';

/**
 * The policy's failure share, `guaranteeNetwork.failureShareOfAnnualNetProfit`: a merchant
 * fails when called for more than this share of its annual net profit. A policy without it
 * (or without guaranteeNetwork rules) uses DEFAULT_FAILURE_SHARE.
 */
export const DEFAULT_FAILURE_SHARE = 0.5;

export function failureShareOf(document: PolicyDocument): number {
  return document.guaranteeNetwork?.failureShareOfAnnualNetProfit ?? DEFAULT_FAILURE_SHARE;
}

interface MarketNetwork {
  market: MarketRow;
  loaded: LoadedNetwork;
  network: Network;
  analysis: NetworkAnalysis;
}

async function marketNetwork(deps: Pick<AppDeps, 'db'>, marketId: string): Promise<MarketNetwork> {
  // Risk and admin (the only roles of these routes) see every market: a missing one is 404.
  const market = await findMarket(deps.db, marketId);
  if (!market) throw notFound('Market');
  const loaded = await loadNetwork(deps.db, marketId);
  if (loaded.nodes.length > MAX_NODES || loaded.edges.length > MAX_EDGES) {
    throw unprocessable(
      'NETWORK_TOO_LARGE',
      `The market's network has ${loaded.nodes.length} nodes and ${loaded.edges.length} guarantees; at most ${MAX_NODES} and ${MAX_EDGES} are shown`,
      `该市场担保网络过大（节点 ${loaded.nodes.length}，担保 ${loaded.edges.length}），无法展示`,
    );
  }
  const network = { nodes: loaded.nodes, edges: loaded.edges };
  return { market, loaded, network, analysis: analyzeNetwork(network) };
}

/** GET /v1/risk/guarantee-network as JSON: nodes, edges, circles and figures. */
export async function networkView(
  deps: Pick<AppDeps, 'db'>,
  marketId: string,
): Promise<NetworkView> {
  const { market, loaded, network, analysis } = await marketNetwork(deps, marketId);
  const figures = new Map(analysis.nodes.map((n) => [n.id, n]));
  const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return {
    market,
    nodes: [...network.nodes].sort(byId).map((n) => {
      const f = figures.get(n.id);
      return {
        id: n.id,
        kind: n.kind,
        name: loaded.names.get(n.id) ?? n.id,
        annualNetProfit: n.annualNetProfitFen,
        contingentLiability: f?.contingentLiabilityFen ?? 0,
        guaranteedBorrowing: f?.guaranteedBorrowingFen ?? 0,
        circleIds: f?.circleIds ?? [],
        chainLength: f?.chainLength ?? 0,
      };
    }),
    edges: [...network.edges].sort(byId).map((e) => ({
      id: e.id,
      guarantorId: e.guarantorId,
      guarantorKind: e.guarantorKind,
      borrowerId: e.borrowerId,
      source: e.source,
      groupId: e.groupId,
      applicationId: e.applicationId,
      amount: e.amountFen,
    })),
    circles: analysis.circles.map((c) => ({
      id: c.id,
      members: c.members,
      shape: c.shape,
      mutualPairs: c.mutualPairs,
      riskiest: c.riskiest,
      cluster: c.cluster,
      groupIds: c.groupIds,
      guaranteed: c.guaranteedFen,
    })),
    figures: (({ guaranteedFen, maxContingentLiabilityFen, ...counts }) => ({
      ...counts,
      guaranteed: guaranteedFen,
      maxContingentLiability: maxContingentLiabilityFen,
    }))(analysis.figures),
  };
}

/** GET /v1/risk/guarantee-network as image/svg+xml. */
export async function networkSvg(deps: Pick<AppDeps, 'db'>, marketId: string): Promise<string> {
  const { market, loaded, network, analysis } = await marketNetwork(deps, marketId);
  return renderNetworkSvg({
    title: `担保网络 Guarantee network · ${market.name}`,
    network,
    analysis,
    labels: Object.fromEntries(loaded.names),
  });
}

/**
 * POST /v1/risk/guarantee-network/stress: contagion from the given (or drawn) defaults, round
 * by round, with the champion policy's failure share; the merchants most central by DebtRank.
 * Read-only.
 */
export async function stressNetwork(
  deps: Pick<AppDeps, 'db' | 'policies'>,
  body: StressBody,
): Promise<StressView> {
  const started = performance.now();
  const marketId = body.marketId ?? null;
  if (marketId !== null && !(await findMarket(deps.db, marketId))) throw notFound('Market');
  const { champion } = await deps.policies.activeSet();
  const failureShare = failureShareOf(champion.compiled.document);
  const loaded = await loadNetwork(deps.db, marketId);
  const network: Network = { nodes: loaded.nodes, edges: loaded.edges };
  const merchantIds = network.nodes.filter((n) => n.kind === 'merchant').map((n) => n.id);

  let defaults: string[];
  if (Array.isArray(body.defaults)) {
    const known = new Set(merchantIds);
    const unknown = body.defaults
      .map((id, i) => ({ id, i }))
      .filter(({ id }) => !known.has(id))
      .slice(0, 20);
    if (unknown.length > 0) {
      throw validationFailed(
        unknown.map(({ id, i }) => ({
          path: `body.defaults.${i}`,
          message: `merchant ${id} is not a merchant of ${marketId ?? 'any market'}`,
          messageZh: `商户 ${id} 不在所选市场`,
        })),
        `Invalid body.defaults: ${unknown.length} id(s) are not merchants in scope`,
      );
    }
    defaults = [...new Set(body.defaults)].sort();
  } else {
    defaults = pickDefaults(merchantIds, body.defaults.share, body.defaults.seed);
  }

  const result = runStress({ network, defaults, failureShare });
  // The merchants most central to this cascade: DebtRank of each one that defaulted in it (a
  // market-wide ranking costs one propagation per merchant: ~0.5 s for 1,000 dense merchants).
  const central = debtRanks(network, failureShare, result.defaulted, TOP_CENTRAL);
  return {
    marketId,
    failureShareOfAnnualNetProfit: failureShare,
    policy: { id: champion.id, version: champion.version },
    initialDefaults: defaults,
    rounds: result.rounds.map((r) => ({
      round: r.round,
      defaulted: r.defaulted,
      called: r.calledFen,
      calls: r.calls.map((c) => ({
        guarantorId: c.guarantorId,
        guarantorKind: c.guarantorKind,
        amount: c.amountFen,
        calledTotal: c.calledTotalFen,
        buffer: c.bufferFen,
        fails: c.fails,
      })),
      calledFromMerchants: r.calledFromMerchantsFen,
      calledFromOperators: r.calledFromOperatorsFen,
      uncovered: r.uncoveredFen,
      unpaidByDefaulters: r.unpaidByDefaultersFen,
      lenderLoss: r.lenderLossFen,
    })),
    defaulted: result.defaulted,
    failed: result.failed,
    totals: {
      called: result.totals.calledFen,
      paid: result.totals.paidFen,
      lenderLoss: result.totals.lenderLossFen,
    },
    central,
    elapsedMs: Math.round(performance.now() - started),
  };
}
