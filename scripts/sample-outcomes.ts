/**
 * The default policy's outcomes on the survey sample (npx tsx scripts/sample-outcomes.ts), by
 * market: approve / refer / decline, the products offered first, and the mean first offer
 * against the mean request. Two contexts: each market's operator agreement as in the demo data
 * (capacity not drawn down between merchants), and no agreement and no group at all. Merchants
 * without a request in the survey ask for a 200,000 元 turnover line, as in the credit tests.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  compilePolicy,
  type DecisionContext,
  decide,
  defaultPolicyDocument,
  type LoanRequest,
  type Survey,
} from '../src/credit';
import { demoOperators } from '../src/db/demo-data';

interface SampleMerchant {
  id: string;
  market: 'majiayan' | 'kaien';
  survey: Survey;
  request: LoanRequest | null;
}

const file = path.resolve(__dirname, '../fixtures/survey-sample.json');
const merchants: SampleMerchant[] = JSON.parse(readFileSync(file, 'utf8')).merchants;
const turnoverLine: LoanRequest = {
  product: 'any',
  amount: 20_000_000,
  termMonths: 12,
  purpose: 'short_term_turnover',
};
const policy = compilePolicy(defaultPolicyDocument);

function operatorOf(market: string): DecisionContext['operator'] {
  const o = demoOperators.find((x) => x.id === `opr_demo_${market}`);
  if (!o) throw new Error(`no demo operator for ${market}`);
  return {
    agreementStatus: o.agreementStatus,
    perMerchantCap: o.perMerchantCap,
    available: o.capacity,
    maxTermMonths: o.maxTermMonths,
    depositRatioBps: o.depositRatioBps,
  };
}

const yuan = (fen: number) => `${Math.round(fen / 100).toLocaleString('en-US')} 元`;

function table(title: string, contextOf: (m: SampleMerchant) => DecisionContext): string[] {
  const lines = [title];
  for (const market of ['majiayan', 'kaien'] as const) {
    const outcomes = { approve: 0, refer: 0, decline: 0 };
    const firstProducts = new Map<string, number>();
    let offered = 0;
    let offeredSum = 0;
    let requestedSum = 0;
    const group = merchants.filter((m) => m.market === market);
    for (const m of group) {
      const request = m.request ?? turnoverLine;
      const d = decide(m.survey, request, policy, contextOf(m));
      outcomes[d.outcome]++;
      const first = d.offers[0];
      if (first) {
        firstProducts.set(first.product, (firstProducts.get(first.product) ?? 0) + 1);
        offered++;
        offeredSum += first.amount;
        requestedSum += request.amount;
      }
    }
    const products = [...firstProducts].map(([p, n]) => `${p} ${n}`).join(', ') || 'none';
    lines.push(
      `  ${market.padEnd(9)} approve ${outcomes.approve}, refer ${outcomes.refer}, decline ${outcomes.decline}; first offer: ${products}`,
      `  ${''.padEnd(9)} mean first offer ${yuan(offered ? offeredSum / offered : 0)} against mean request ${yuan(offered ? requestedSum / offered : 0)} (${offered} merchants with an offer)`,
    );
    const asked = group.filter((m) => m.request);
    const byPurpose = new Map<string, { n: number; served: number; asked: number; got: number }>();
    for (const m of asked) {
      const request = m.request as LoanRequest;
      const d = decide(m.survey, request, policy, contextOf(m));
      const row = byPurpose.get(request.purpose) ?? { n: 0, served: 0, asked: 0, got: 0 };
      row.n++;
      row.asked += request.amount;
      const first = d.offers[0];
      if (first) {
        row.served++;
        row.got += first.amount;
      }
      byPurpose.set(request.purpose, row);
    }
    for (const [purpose, r] of byPurpose) {
      lines.push(
        `  ${''.padEnd(9)} own requests for ${purpose}: ${r.n}, served ${r.served}; mean request ${yuan(r.asked / r.n)}, mean offer ${yuan(r.served ? r.got / r.served : 0)}`,
      );
    }
  }
  return lines;
}

const out = [
  `default policy v${policy.version} on the survey sample (${merchants.length} merchants)`,
  ...table("with the market's operator agreement (demo data)", (m) => ({
    operator: operatorOf(m.market),
  })),
  ...table('no operator agreement, no guarantee group', () => ({})),
];
process.stdout.write(`${out.join('\n')}\n`);
