/**
 * What each event type's `data` holds (issue #14): the snapshots origination and policies write
 * to the outbox (src/modules/origination/events.ts, resolve-group.ts, policies/service.ts). The
 * feed encodes each event through its type's shape, so a key left out here would vanish from
 * the feed: test/modules/events checks the feed against the stored rows.
 */
import { z } from 'zod';
import {
  APPLICATION_STATUSES,
  OFFER_STATUSES,
  OUTCOMES,
  POLICY_ARMS,
  PRODUCTS,
} from '../../db/vocabulary';
import { fen, idString, isoDateTime, MAX_LENGTH } from '../../platform/schemas';

/** At most this many offers in one event: a decision's (one per product) or a group's. */
const MAX_EVENT_OFFERS = 20;

const offerSummary = {
  offerId: idString(),
  product: z.enum(PRODUCTS),
  amount: fen().describe('Loan amount, or the card limit, in fen'),
  termMonths: z.number().int(),
  annualRateBps: z.number().int(),
  expiresAt: isoDateTime(),
};

export const applicationEventData = z
  .object({
    applicationId: idString(),
    merchantId: idString(),
    status: z.enum(APPLICATION_STATUSES),
    outcome: z.enum(OUTCOMES),
    decisionId: idString(),
    product: z.enum([...PRODUCTS, 'any']).describe('The product requested'),
    requestedAmount: fen(),
    guaranteeGroupId: idString().nullable(),
    offers: z
      .array(z.object({ ...offerSummary, status: z.enum(OFFER_STATUSES) }))
      .max(MAX_EVENT_OFFERS),
  })
  .meta({
    id: 'ApplicationEventData',
    description: 'application.decided, .referred, .reviewed: the decision and the offers it made',
  });

/** An offer event's data: its status is the event's (accepted, declined, expired, withdrawn). */
export const offerEventData = (status: 'accepted' | 'declined' | 'expired' | 'withdrawn') =>
  z.object({
    ...offerSummary,
    applicationId: idString(),
    merchantId: idString(),
    guaranteeGroupId: idString().nullable(),
    status: z.literal(status),
    reason: z
      .enum(['sibling_accepted', 'group_declined', 'group_dissolved'])
      .optional()
      .describe(
        'Why it was withdrawn: another offer of the application accepted, its group declined or dissolved',
      ),
  });

export const groupEventData = z
  .object({
    guaranteeGroupId: idString(),
    status: z
      .enum(['offered', 'referred', 'declined'])
      .describe(
        "referred: the guarantee network's rules referred the group, its loans wait; a reviewer's decision then comes as a second event (offered or declined)",
      ),
    reasons: z.array(z.string().max(MAX_LENGTH.code)).max(100).describe('Reason codes'),
    applicationIds: z.array(idString()).max(MAX_EVENT_OFFERS),
    offers: z
      .array(
        z.object({
          offerId: idString(),
          applicationId: idString(),
          merchantId: idString(),
          product: z.enum(PRODUCTS),
          amount: fen(),
          status: z.enum(OFFER_STATUSES),
        }),
      )
      .max(MAX_EVENT_OFFERS),
  })
  .meta({
    id: 'GuaranteeGroupEventData',
    description: "guarantee_group.decided: the members' applications and their loans' new status",
  });

export const policyPublishedData = z.object({ policyId: idString(), version: z.number().int() });

export const policyActivatedData = z.object({
  policyId: idString(),
  version: z.number().int(),
  role: z.enum(POLICY_ARMS),
  shareBps: z.number().int().min(0).max(10_000),
  replaced: idString().nullable().describe('The policy it replaced in that role, if any'),
});
