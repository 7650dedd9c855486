/**
 * Reads the guarantee network of a market (or of every market) for the picture and the stress:
 * the edges kept in `guarantee_edges` (written by origination's settleEdges only), the market's
 * merchants with the annual net profit of their latest application's survey, and the operators
 * that guarantee there. Every query is keyed by market, so the network distributes with it.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { NetworkEdge, NetworkNode } from '../../credit/guarantee-network/types';
import type { Db } from '../../db/connect';

const rowsOf = (result: unknown) => (result as { rows: Record<string, unknown>[] }).rows;

export interface MarketRow {
  id: string;
  name: string;
}

export async function findMarket(db: Db, marketId: string): Promise<MarketRow | null> {
  const rows = rowsOf(await db.execute(sql`select id, name from markets where id = ${marketId}`));
  const r = rows[0];
  return r ? { id: String(r.id), name: String(r.name) } : null;
}

export interface LoadedNetwork {
  nodes: NetworkNode[];
  edges: NetworkEdge[];
  names: Map<string, string>;
}

/** The network of one market, or of every market when `marketId` is null. */
export async function loadNetwork(db: Db, marketId: string | null): Promise<LoadedNetwork> {
  const inMarket = (column: SQL) => (marketId === null ? sql`true` : sql`${column} = ${marketId}`);
  const [edgeResult, merchantResult] = await Promise.all([
    db.execute(sql`
      select id, market_id, guarantor_kind, guarantor_id, borrower_merchant_id, source, group_id,
        application_id, amount_fen
      from guarantee_edges where ${inMarket(sql`market_id`)}`),
    // The latest application's survey per merchant: annual net profit = round(sales x margin),
    // as computeMetrics has it.
    db.execute(sql`
      select m.id, m.name, m.market_id, p.profit
      from merchants m
      left join (
        select distinct on (a.merchant_id) a.merchant_id,
          round((a.survey->>'annualSales')::numeric * (a.survey->>'netMargin')::numeric) as profit
        from applications a where ${inMarket(sql`a.market_id`)}
        order by a.merchant_id, a.created_at desc, a.id desc
      ) p on p.merchant_id = m.id
      where ${inMarket(sql`m.market_id`)}`),
  ]);
  const operatorMarket = new Map<string, string>();
  const edges: NetworkEdge[] = rowsOf(edgeResult).map((r) => {
    if (r.guarantor_kind === 'operator' && !operatorMarket.has(String(r.guarantor_id)))
      operatorMarket.set(String(r.guarantor_id), String(r.market_id));
    return {
      id: String(r.id),
      guarantorId: String(r.guarantor_id),
      guarantorKind: r.guarantor_kind === 'operator' ? 'operator' : 'merchant',
      borrowerId: String(r.borrower_merchant_id),
      source: r.source as NetworkEdge['source'],
      groupId: (r.group_id as string | null) ?? null,
      applicationId: (r.application_id as string | null) ?? null,
      amountFen: Number(r.amount_fen),
    };
  });
  const names = new Map<string, string>();
  const nodes: NetworkNode[] = rowsOf(merchantResult).map((r) => {
    names.set(String(r.id), String(r.name));
    return {
      id: String(r.id),
      kind: 'merchant',
      marketId: String(r.market_id),
      annualNetProfitFen: r.profit === null || r.profit === undefined ? null : Number(r.profit),
    };
  });
  // Operators appear as guarantors only (an operator is never a borrower).
  const operatorIds = [...operatorMarket.keys()];
  if (operatorIds.length > 0) {
    const ops = rowsOf(
      await db.execute(sql`select id, name from operators
        where id in (select jsonb_array_elements_text(${JSON.stringify(operatorIds)}::jsonb))`),
    );
    for (const r of ops) {
      const id = String(r.id);
      names.set(id, String(r.name));
      nodes.push({
        id,
        kind: 'operator',
        marketId: operatorMarket.get(id) ?? '',
        annualNetProfitFen: null,
      });
    }
  }
  return { nodes, edges, names };
}
