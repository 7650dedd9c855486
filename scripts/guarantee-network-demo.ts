/**
 * The guarantee network picture of the demo market (npx tsx scripts/guarantee-network-demo.ts):
 * writes docs/guarantee-network-demo.svg and prints the figures and a stress used in the README.
 *
 * The demo seed has no guarantee groups, so the network is a fixture on the demo Majiayan
 * merchants (their names, and the annual net profit of their sample surveys): group A of
 * mjy01, mjy02, mjy03 and group B of mjy03, mjy04, mjy05 (two groups sharing one member, as the
 * policy's maxGroupsPerMerchant of 2 allows); mjy05 and mjy06 guarantee each other's loans
 * individually (a mutual pair); the market operator guarantees mjy01's operator loan. The same
 * renderer serves GET /v1/risk/guarantee-network with Accept: image/svg+xml.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Survey } from '../src/credit';
import { analyzeNetwork } from '../src/credit/guarantee-network/circles';
import { runStress } from '../src/credit/guarantee-network/contagion';
import { renderNetworkSvg } from '../src/credit/guarantee-network/svg';
import type { Network, NetworkEdge } from '../src/credit/guarantee-network/types';
import { demoMarkets, demoMerchants, demoOperators } from '../src/db/demo-data';

const MARKET = 'mkt_demo_majiayan';
const OPERATOR = demoOperators[0]?.id ?? 'opr_demo_majiayan';
const sample = JSON.parse(
  readFileSync(path.join(__dirname, '../fixtures/survey-sample.json'), 'utf8'),
) as { merchants: { id: string; survey: Survey }[] };
const merchants = demoMerchants.filter((m) => m.marketId === MARKET);
const profitOf = (sampleId: string) => {
  const s = sample.merchants.find((m) => m.id === sampleId)?.survey;
  return s ? Math.round(s.annualSales * s.netMargin) : null;
};
const id = (n: number) => `mer_demo_mjy0${n}`;

/** Every member guarantees every other member's loan (loans in fen). */
function group(groupId: string, loans: Record<string, number>): NetworkEdge[] {
  const members = Object.keys(loans);
  return members.flatMap((g) =>
    members
      .filter((b) => b !== g)
      .map((b) => ({
        id: `group:${groupId}:${g}:${b}`,
        guarantorId: g,
        guarantorKind: 'merchant' as const,
        borrowerId: b,
        source: 'group' as const,
        groupId,
        applicationId: null,
        amountFen: loans[b] as number,
      })),
  );
}

function single(
  guarantor: string,
  borrower: string,
  amountFen: number,
  kind: 'merchant' | 'operator' = 'merchant',
): NetworkEdge {
  return {
    id: `${kind === 'operator' ? 'operator' : 'individual'}:app_demo_${borrower}:${guarantor}`,
    guarantorId: guarantor,
    guarantorKind: kind,
    borrowerId: borrower,
    source: kind === 'operator' ? 'operator' : 'individual',
    groupId: null,
    applicationId: `app_demo_${borrower}`,
    amountFen,
  };
}

export const demoNetwork: Network = {
  nodes: [
    ...merchants.map((m) => ({
      id: m.id,
      kind: 'merchant' as const,
      marketId: MARKET,
      annualNetProfitFen: profitOf(m.sampleId),
    })),
    { id: OPERATOR, kind: 'operator', marketId: MARKET, annualNetProfitFen: null },
  ],
  edges: [
    // 80万, 50万, 60万 元; 60万, 40万, 30万 元.
    ...group('grp_demo_a', { [id(1)]: 80_000_000, [id(2)]: 50_000_000, [id(3)]: 60_000_000 }),
    ...group('grp_demo_b', { [id(3)]: 60_000_000, [id(4)]: 40_000_000, [id(5)]: 30_000_000 }),
    single(id(6), id(5), 20_000_000),
    single(id(5), id(6), 25_000_000),
    single(OPERATOR, id(1), 150_000_000, 'operator'),
  ],
};

const analysis = analyzeNetwork(demoNetwork);
const labels: Record<string, string> = Object.fromEntries([
  ...merchants.map((m) => [m.id, m.name]),
  ...demoOperators.map((o) => [o.id, '马家岩市场运营方']),
]);
const svg = renderNetworkSvg({
  title: `担保网络 Guarantee network · ${demoMarkets[0]?.name ?? MARKET} (fixture)`,
  network: demoNetwork,
  analysis,
  labels,
});
const out = path.join(__dirname, '../docs/guarantee-network-demo.svg');
writeFileSync(out, svg);
console.log(`wrote ${path.relative(process.cwd(), out)}`);
console.log(
  JSON.stringify(
    {
      profits: Object.fromEntries(demoNetwork.nodes.map((n) => [n.id, n.annualNetProfitFen])),
      circles: analysis.circles,
      figures: analysis.figures,
      stress: runStress({ network: demoNetwork, defaults: [id(3)], failureShare: 0.5 }),
    },
    null,
    1,
  ),
);
