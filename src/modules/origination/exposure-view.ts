import { PRODUCTS } from '../../credit';
import { outstandingOf, takenLoanNow } from './exposure';
import type { IndividualGuaranteeLine, LedgerRow, OfferRow } from './repository';
import { type ExposureView, MAX_EXPOSURE_LINES } from './schemas';

type Guarantor = ExposureView['loans'][number]['guarantor'];

/** Who stands behind an offer: its operator, its group, or nobody. */
function guarantorOf(o: OfferRow): Guarantor {
  if (o.operatorId) return { kind: 'operator', id: o.operatorId };
  if (o.guaranteeGroupId) return { kind: 'guarantee_group', id: o.guaranteeGroupId };
  return { kind: 'none', id: null };
}

const guarantorKey = (g: Guarantor) => `${g.kind}:${g.id ?? ''}`;
const OPEN = new Set(['pending', 'offered']);

/**
 * GET /v1/merchants/:id/exposure from the borrower's live offers (every market it trades in,
 * or for a partner only the lines of its own applications), as of `now`.
 */
export function exposureView(input: {
  merchantId: string;
  now: Date;
  live: OfferRow[];
  guaranteed: OfferRow[];
  individual: IndividualGuaranteeLine[];
  ledger: LedgerRow | null;
  showLedger: boolean;
}): ExposureView {
  const { now, live } = input;
  const taken = live.filter((o) => !OPEN.has(o.status));
  const open = live.filter((o) => OPEN.has(o.status));
  const loans = taken
    .filter((o) => o.product !== 'credit_card')
    .map((o) => ({
      offerId: o.id,
      applicationId: o.applicationId,
      product: o.product,
      amount: o.amount,
      termMonths: o.termMonths,
      annualRateBps: o.annualRateBps,
      status: o.status,
      outstanding: outstandingOf(o, now),
      monthlyInstalment: o.monthlyInstalment,
      acceptedAt: o.acceptedAt?.toISOString() ?? null,
      guarantor: guarantorOf(o),
    }));
  const cardLimits = taken
    .filter((o) => o.product === 'credit_card')
    .map((o) => ({ offerId: o.id, limit: o.amount, status: o.status }));
  const openOffers = open.map((o) => ({
    offerId: o.id,
    applicationId: o.applicationId,
    product: o.product,
    amount: o.amount,
    monthlyInstalment: o.monthlyInstalment,
    status: o.status,
    expiresAt: o.expiresAt.toISOString(),
    guarantor: guarantorOf(o),
  }));
  const guaranteesGiven = input.guaranteed.map((o) => ({
    groupId: o.guaranteeGroupId as string,
    borrowerMerchantId: o.merchantId,
    offerId: o.id,
    amount: o.amount,
    status: o.status,
  }));
  const individualGuaranteesGiven = input.individual.map((g) => ({
    applicationId: g.applicationId,
    borrowerMerchantId: g.borrowerMerchantId,
    offerId: g.offerId,
    loanAmount: g.loanAmount,
    amount: g.amount,
    status: g.status,
    consentedAt: g.consentedAt.toISOString(),
  }));

  // What each line counts: a taken loan its outstanding principal, a card its limit, an open offer
  // its amount (per product and guarantor; in the total only the largest of its application).
  const counted = (o: OfferRow) =>
    OPEN.has(o.status) || o.product === 'credit_card' ? o.amount : outstandingOf(o, now);
  const byProduct = PRODUCTS.map((product) => ({
    product,
    open: sum(open.filter((o) => o.product === product).map((o) => o.amount)),
    taken: sum(taken.filter((o) => o.product === product).map(counted)),
  }));
  const guarantors = new Map<string, ExposureView['byGuarantor'][number]>();
  for (const o of live) {
    const guarantor = guarantorOf(o);
    const line = guarantors.get(guarantorKey(guarantor)) ?? { guarantor, open: 0, taken: 0 };
    if (OPEN.has(o.status)) line.open += o.amount;
    else line.taken += counted(o);
    guarantors.set(guarantorKey(guarantor), line);
  }

  const largestPerApplication = new Map<string, { amount: number; instalment: number }>();
  for (const o of open) {
    const seen = largestPerApplication.get(o.applicationId) ?? { amount: 0, instalment: 0 };
    largestPerApplication.set(o.applicationId, {
      amount: Math.max(seen.amount, o.amount),
      instalment: Math.max(seen.instalment, o.monthlyInstalment),
    });
  }
  const held = sum([...largestPerApplication.values()].map((h) => h.amount));
  const outstanding = sum(loans.map((l) => l.outstanding));
  const cards = sum(cardLimits.map((c) => c.limit));
  // A loan costs its instalment now due by its schedule (none once repaid), a card its limit's.
  const runningInstalments = sum(
    taken.map((o) =>
      o.product === 'credit_card' ? o.monthlyInstalment : takenLoanNow(o, now).instalment,
    ),
  );
  return {
    merchantId: input.merchantId,
    asOf: now.toISOString(),
    // The lists are bounded (the schema's maxItems); the totals below count every line.
    loans: loans.slice(0, MAX_EXPOSURE_LINES),
    cardLimits: cardLimits.slice(0, MAX_EXPOSURE_LINES),
    openOffers: openOffers.slice(0, MAX_EXPOSURE_LINES),
    guaranteesGiven: guaranteesGiven.slice(0, MAX_EXPOSURE_LINES),
    individualGuaranteesGiven: individualGuaranteesGiven.slice(0, MAX_EXPOSURE_LINES),
    byProduct,
    byGuarantor: [...guarantors.values()].slice(0, MAX_EXPOSURE_LINES),
    totals: {
      loans: sum(loans.map((l) => l.amount)),
      cardLimits: cards,
      guaranteesGiven: sum(guaranteesGiven.map((g) => g.amount)),
      individualGuaranteesGiven: sum(individualGuaranteesGiven.map((g) => g.amount)),
      openOffers: held,
      outstanding,
      monthlyInstalments:
        sum([...largestPerApplication.values()].map((h) => h.instalment)) + runningInstalments,
      contingent: input.showLedger
        ? (input.ledger?.contingent ?? 0)
        : sum(guaranteesGiven.map((g) => g.amount)) +
          sum(individualGuaranteesGiven.map((g) => g.amount)),
      total: held + outstanding + cards,
    },
    ledger: input.showLedger
      ? {
          version: input.ledger?.version ?? 0,
          updatedAt: input.ledger?.updatedAt.toISOString() ?? null,
        }
      : null,
  };
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
