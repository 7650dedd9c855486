import { type BindingLimit, chinaDate, type Decision, orderedMetrics } from '../../credit';
import { withDueDates } from '../schedules/routes';
import type {
  ApplicationInsert,
  ApplicationRow,
  DecisionInsert,
  DecisionRow,
  GroupRow,
  groupParts,
  OfferInsert,
  OfferRow,
} from './repository';
import type { ApplicationView, GroupNetwork, GroupSummary, GroupView } from './schemas';

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
    metrics: orderedMetrics(result.metrics as unknown as Record<string, number>),
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

/**
 * An offer's schedule: the one its decision proposed (stored once, in the decision, which never
 * changes), or the copy an offer made before migration 0011 carries.
 */
function scheduleOf(row: OfferRow, decision: Decision | null) {
  const schedule =
    row.schedule ?? decision?.offers.find((o) => o.product === row.product)?.schedule ?? null;
  if (!schedule) throw new Error(`offer ${row.id} has no schedule`);
  return schedule as ApplicationView['offers'][number]['schedule'];
}

/** What the cap names of decisions made before bindingLimit existed (issue #12) stand for. */
const LEGACY_BINDING: Record<string, BindingLimit> = {
  requested: 'request',
  override_max: 'review_maximum',
  repayment_capacity: 'repayment_capacity',
  working_capital_gap: 'working_capital_gap',
  store_expansion_max: 'purpose_maximum',
  short_term_turnover: 'purpose_maximum',
  sales_share: 'share_of_sales',
  product_cap: 'product_cap',
  operator_per_merchant_cap: 'operator_per_merchant_cap',
  operator_available: 'operator_capacity',
  per_member_cap: 'per_member_cap',
  card_sizing: 'card_sizing',
};

/**
 * What set the offer's amount and, when it is below the request, why (as its decision proposed
 * it). A decision made before issue #12 named its cap only: its offers show the cap's limit and
 * no reason.
 */
function limitOf(row: OfferRow, decision: Decision | null) {
  const proposed = decision?.offers.find((o) => o.product === row.product);
  const bindingLimit =
    proposed?.bindingLimit ?? LEGACY_BINDING[proposed?.bindingCap ?? ''] ?? 'request';
  return { bindingLimit, limitReason: proposed?.limitReason ?? null };
}

/** `decision`: the result of the decision that made the offer (its schedule is there). */
export function offerView(row: OfferRow, decision: Decision | null) {
  return {
    id: row.id,
    applicationId: row.applicationId,
    merchantId: row.merchantId,
    product: row.product,
    amount: row.amount,
    termMonths: row.termMonths,
    annualRateBps: row.annualRateBps,
    method: row.method as 'equal_instalment' | 'equal_principal' | 'revolving',
    schedule: withDueDates(
      scheduleOf(row, decision),
      row.acceptedAt ? chinaDate(row.acceptedAt) : null,
    ),
    totalInterest: row.totalInterest,
    monthlyInstalment: row.monthlyInstalment,
    ...limitOf(row, decision),
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
    offers: ordered.map((o) =>
      offerView(o, o.decisionId === decision.id ? (decision.result as Decision) : null),
    ),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The answer built from the rows as written (ids and times are ours), so no read-back is needed. */
export function writtenView(
  application: ApplicationInsert,
  written: { decisionRow: DecisionInsert; offerRows: OfferInsert[] },
): ApplicationView {
  return applicationView(
    application as ApplicationRow,
    written.decisionRow as DecisionRow,
    written.offerRows as OfferRow[],
  );
}

export function groupSummary(group: GroupRow & { memberIds: string[] }): GroupSummary {
  return {
    id: group.id,
    marketId: group.marketId,
    status: group.status,
    memberIds: group.memberIds,
    reasons: (group.decision?.reasons ?? []).map((r) => r.code),
    createdAt: group.createdAt.toISOString(),
    updatedAt: group.updatedAt.toISOString(),
  };
}

export function groupView(
  group: GroupRow,
  parts: Awaited<ReturnType<typeof groupParts>>,
): GroupView {
  return {
    id: group.id,
    marketId: group.marketId,
    status: group.status,
    members: parts.members.map((m) => {
      const app = parts.apps.find((a) => a.merchantId === m.merchantId);
      const offer = parts.offers.find((o) => o.merchantId === m.merchantId);
      return {
        merchantId: m.merchantId,
        name: m.name,
        applicationId: app?.id ?? null,
        applicationStatus: app?.status ?? null,
        offerId: offer?.id ?? null,
        offerStatus: offer?.status ?? null,
      };
    }),
    decision: group.decision ?? null,
    network: (group.network as GroupNetwork | null) ?? null,
    createdAt: group.createdAt.toISOString(),
    updatedAt: group.updatedAt.toISOString(),
  };
}

export type OfferView = ReturnType<typeof offerView>;
