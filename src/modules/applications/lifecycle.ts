import { invalidState } from '../../lib/errors';

/**
 * The loan lifecycle as explicit state machines (as Fineract does): every change of status
 * goes through `transition`, and an illegal one answers 409 naming the current state.
 *
 * application: submitted -> approved | referred | declined
 *              referred  -> approved | declined            (manual review)
 *              approved  -> accepted (an offer accepted) | closed (every offer declined or expired)
 *                           | withdrawn (its guarantee group fell through)
 * offer:       pending (joint-guarantee member, group undecided) -> offered | withdrawn
 *              offered -> accepted | declined | expired | withdrawn (another offer accepted)
 *              accepted -> booked (joint guarantee: once every member accepted)
 */
export type ApplicationStatus =
  | 'submitted'
  | 'approved'
  | 'referred'
  | 'declined'
  | 'accepted'
  | 'closed'
  | 'withdrawn';
export type OfferStatus =
  | 'pending'
  | 'offered'
  | 'accepted'
  | 'booked'
  | 'declined'
  | 'expired'
  | 'withdrawn';

const APPLICATION_MOVES: Record<ApplicationStatus, readonly ApplicationStatus[]> = {
  submitted: ['approved', 'referred', 'declined'],
  referred: ['approved', 'declined'],
  approved: ['accepted', 'closed', 'withdrawn'],
  declined: [],
  accepted: [],
  closed: [],
  withdrawn: [],
};

const OFFER_MOVES: Record<OfferStatus, readonly OfferStatus[]> = {
  pending: ['offered', 'withdrawn'],
  offered: ['accepted', 'declined', 'expired', 'withdrawn'],
  accepted: ['booked'],
  booked: [],
  declined: [],
  expired: [],
  withdrawn: [],
};

export function canMoveApplication(from: ApplicationStatus, to: ApplicationStatus): boolean {
  return APPLICATION_MOVES[from].includes(to);
}

export function canMoveOffer(from: OfferStatus, to: OfferStatus): boolean {
  return OFFER_MOVES[from].includes(to);
}

/** Throws 409 INVALID_STATE unless the move is allowed; `action` names it for the message. */
export function assertApplicationMove(
  from: ApplicationStatus,
  to: ApplicationStatus,
  action: string,
): void {
  if (!canMoveApplication(from, to)) throw invalidState(from, action);
}

export function assertOfferMove(from: OfferStatus, to: OfferStatus, action: string): void {
  if (!canMoveOffer(from, to)) throw invalidState(from, action);
}

/** Offers still open to the merchant (they hold operator capacity while open). */
export const OPEN_OFFER_STATUSES: readonly OfferStatus[] = ['pending', 'offered'];
