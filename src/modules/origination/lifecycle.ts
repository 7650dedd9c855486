import { invalidState } from '../../lib/errors';

/**
 * The loan lifecycle as explicit state machines (as Fineract does): every change of status is
 * checked here first (`assert*Move`; a set-based update guards with `applicationsMovableTo`),
 * and an illegal one answers 409 naming the current state.
 *
 * application: submitted -> approved | referred | declined
 *              referred  -> approved | declined            (manual review)
 *              approved  -> accepted (an offer accepted) | closed (every offer declined or expired)
 *                           | withdrawn (its guarantee group fell through)
 *              accepted  -> withdrawn (its guarantee group fell through before booking)
 * offer:       pending (joint-guarantee member, group undecided) -> offered | withdrawn
 *              offered -> accepted | declined | expired | withdrawn (another offer accepted)
 *              accepted -> booked (joint guarantee: once every member accepted)
 *                          | withdrawn (its guarantee group fell through before booking)
 * group (联保): forming -> offered | referred | declined (decided once every member applied;
 *                         referred: only the guarantee network's rules failed, and the policy
 *                         refers rather than refuses)
 *              referred -> offered | declined                  (a reviewer's decision)
 *              offered -> active (every member accepted) | dissolved (a member refused or let
 *                         its offer expire)
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

export type GroupStatus = 'forming' | 'offered' | 'referred' | 'declined' | 'active' | 'dissolved';

const APPLICATION_MOVES: Record<ApplicationStatus, readonly ApplicationStatus[]> = {
  submitted: ['approved', 'referred', 'declined'],
  referred: ['approved', 'declined'],
  approved: ['accepted', 'closed', 'withdrawn'],
  declined: [],
  accepted: ['withdrawn'],
  closed: [],
  withdrawn: [],
};

const OFFER_MOVES: Record<OfferStatus, readonly OfferStatus[]> = {
  pending: ['offered', 'withdrawn'],
  offered: ['accepted', 'declined', 'expired', 'withdrawn'],
  accepted: ['booked', 'withdrawn'],
  booked: [],
  declined: [],
  expired: [],
  withdrawn: [],
};

const GROUP_MOVES: Record<GroupStatus, readonly GroupStatus[]> = {
  forming: ['offered', 'referred', 'declined'],
  referred: ['offered', 'declined'],
  offered: ['active', 'dissolved'],
  declined: [],
  active: [],
  dissolved: [],
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

export function assertGroupMove(from: GroupStatus, to: GroupStatus, action: string): void {
  if (!GROUP_MOVES[from].includes(to)) throw invalidState(from, action);
}

/** The statuses from which `to` may be reached: the guard of a set-based update. */
export function applicationsMovableTo(to: ApplicationStatus): ApplicationStatus[] {
  return (Object.keys(APPLICATION_MOVES) as ApplicationStatus[]).filter((from) =>
    canMoveApplication(from, to),
  );
}

export function offersMovableTo(to: OfferStatus): OfferStatus[] {
  return (Object.keys(OFFER_MOVES) as OfferStatus[]).filter((from) => canMoveOffer(from, to));
}

/** Offers still open to the merchant (they hold operator capacity while open). */
export const OPEN_OFFER_STATUSES: readonly OfferStatus[] = ['pending', 'offered'];
/** Offers the merchant took: a loan or a card limit. */
export const TAKEN_OFFER_STATUSES: readonly OfferStatus[] = ['accepted', 'booked'];
