/**
 * Origination's events for the outbox (issue #14), built from the rows a command writes: ids,
 * statuses, products and amounts only, never the survey or anything personal. The events module
 * writes them (src/modules/events/repository.ts), in the command's own statement or transaction.
 */
import type { EventEntry, EventType } from '../events/repository';
import type { OwnedObject } from '../merchants/access';
import type { ApplicationInsert, DecisionInsert, OfferInsert, OfferRow } from './repository';

type OfferLike = Pick<
  OfferInsert,
  | 'id'
  | 'applicationId'
  | 'merchantId'
  | 'product'
  | 'amount'
  | 'termMonths'
  | 'annualRateBps'
  | 'status'
  | 'expiresAt'
  | 'guaranteeGroupId'
>;

const offerSummary = (o: OfferLike) => ({
  offerId: o.id,
  product: o.product,
  amount: o.amount,
  termMonths: o.termMonths,
  annualRateBps: o.annualRateBps,
  status: o.status,
  expiresAt: o.expiresAt instanceof Date ? o.expiresAt.toISOString() : o.expiresAt,
});

/**
 * A decision recorded: `application.referred` when the model refers it to a reviewer,
 * `application.decided` when it approves or declines, `application.reviewed` for a reviewer's.
 */
export function decisionEvent(
  source: 'model' | 'review',
  application: ApplicationInsert,
  decision: Pick<DecisionInsert, 'id' | 'outcome'>,
  offers: OfferLike[],
): EventEntry {
  const type: EventType =
    source === 'review'
      ? 'application.reviewed'
      : application.status === 'referred'
        ? 'application.referred'
        : 'application.decided';
  return {
    type,
    objectType: 'application',
    objectId: application.id,
    partnerId: application.partnerId ?? null,
    marketId: application.marketId,
    data: {
      applicationId: application.id,
      merchantId: application.merchantId,
      status: application.status,
      outcome: decision.outcome,
      decisionId: decision.id,
      product: application.product,
      requestedAmount: application.amount,
      guaranteeGroupId: application.guaranteeGroupId ?? null,
      offers: offers.map(offerSummary),
    },
  };
}

/** An offer's status changed (accepted, declined, expired, withdrawn). */
export function offerEvent(
  type: Extract<EventType, `offer.${string}`>,
  offer: OfferRow,
  owner: OwnedObject,
  extra: Record<string, unknown> = {},
): EventEntry {
  return {
    type,
    objectType: 'offer',
    objectId: offer.id,
    partnerId: owner.partnerId,
    marketId: owner.marketId,
    data: {
      ...offerSummary(offer),
      applicationId: offer.applicationId,
      merchantId: offer.merchantId,
      guaranteeGroupId: offer.guaranteeGroupId,
      status: type.slice('offer.'.length),
      ...extra,
    },
  };
}
