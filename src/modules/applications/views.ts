import type { Decision } from '../../credit';
import type { ApplicationRow, DecisionRow, OfferRow } from './repository';
import type { ApplicationView } from './schemas';

export function decisionView(row: DecisionRow) {
  const result = row.result as Decision;
  return {
    id: row.id,
    outcome: row.outcome,
    score: row.score,
    grade: result.grade,
    pd: result.pd,
    reasons: result.reasons,
    knockouts: result.knockouts,
    metrics: result.metrics as unknown as Record<string, number>,
    points: result.points,
    productResults: result.productResults,
    policyId: row.policyId,
    policyVersion: row.policyVersion,
    arm: row.arm,
    source: row.source,
    note: row.note,
    decidedAt: row.createdAt.toISOString(),
  };
}

export function offerView(row: OfferRow) {
  return {
    id: row.id,
    applicationId: row.applicationId,
    merchantId: row.merchantId,
    product: row.product,
    amount: row.amount,
    termMonths: row.termMonths,
    annualRateBps: row.annualRateBps,
    method: row.method as 'equal_instalment' | 'equal_principal' | 'revolving',
    schedule: row.schedule as ApplicationView['offers'][number]['schedule'],
    totalInterest: row.totalInterest,
    operatorId: row.operatorId,
    guaranteeGroupId: row.guaranteeGroupId,
    expiresAt: row.expiresAt.toISOString(),
    status: row.status,
  };
}

export function requestView(row: ApplicationRow) {
  return {
    product: row.product,
    amount: row.amount,
    termMonths: row.termMonths,
    purpose: row.purpose,
    guaranteeGroupId: row.guaranteeGroupId,
  };
}

export function applicationView(
  row: ApplicationRow,
  decision: DecisionRow,
  offerRows: OfferRow[],
): ApplicationView {
  // The model ranks its offers (the requested product first); rows share one timestamp, so
  // keep the decision's order rather than the ids' random one: POST and GET answer alike.
  const rank = ((decision.result as Decision).offers ?? []).map((o) => o.product);
  const position = (o: OfferRow) => {
    const i = rank.indexOf(o.product);
    return i < 0 ? rank.length : i;
  };
  const ordered = [...offerRows].sort(
    (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || position(a) - position(b),
  );
  return {
    id: row.id,
    status: row.status,
    merchantId: row.merchantId,
    marketId: row.marketId,
    request: requestView(row),
    decision: decisionView(decision),
    offers: ordered.map(offerView),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
