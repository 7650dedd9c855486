/**
 * What a decision means for the application and its offers, and what a reviewer's verdict
 * becomes: the credit rules origination applies around decide(), kept here so that they are
 * pure and tested with the model.
 */
import type { Decision, OfferProposal } from './decision-types';

/** An application's status once decided. */
export type DecidedStatus = 'approved' | 'referred' | 'declined';

export function applicationStatusOf(decision: Pick<Decision, 'outcome'>): DecidedStatus {
  return decision.outcome === 'approve'
    ? 'approved'
    : decision.outcome === 'refer'
      ? 'referred'
      : 'declined';
}

/**
 * The offers to make: none unless approved (or a reviewer's approval); a guarantee-group
 * member's request gets only its joint-guarantee loan, pending until the group is decided.
 */
export function offersToMake(
  decision: Pick<Decision, 'outcome' | 'overridden' | 'offers'>,
  inGroup: boolean,
): OfferProposal[] {
  if (decision.outcome !== 'approve' && !decision.overridden) return [];
  return inGroup ? decision.offers.filter((o) => o.product === 'joint_guarantee') : decision.offers;
}

/**
 * A reviewer's verdict on a referred application. A decline is final; an approval stands only
 * if the model, asked to approve within every cap, backs it with at least one offer: otherwise
 * it stays a decline, and the stored outcome says so (never 'approve' beside a declined
 * application).
 */
export function reviewOutcome(
  action: 'approve' | 'decline',
  offersMade: number,
): { status: 'approved' | 'declined'; outcome: 'approve' | 'decline' } {
  return action === 'approve' && offersMade > 0
    ? { status: 'approved', outcome: 'approve' }
    : { status: 'declined', outcome: 'decline' };
}
