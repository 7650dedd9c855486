import type { Decision } from '../../credit';
import type { Db } from '../../db/connect';
import type { CommandContext } from '../../lib/command-context';
import { invalidState, notFound } from '../../lib/errors';
import { type Refusal, refuse } from '../../platform/command';
import type { AuditEntry } from '../audit/repository';
import { appendEvents, type EventEntry } from '../events/repository';
import { settleCapacity } from '../operators/repository';
import { offerEvent } from './events';
import { assertApplicationMove, assertOfferMove } from './lifecycle';
import * as repo from './repository';
import {
  bookGroupIfAllAccepted,
  closeApplicationIfSpent,
  closeOffer,
  endGroupOf,
  exposureOf,
  isExpired,
  lockGroup,
  lockOffer,
  recordAudit,
} from './transitions';
import { type OfferView, offerView } from './views';

/**
 * POST /v1/offers/:id/accept: the offer's capacity reservation becomes use and the
 * application's other offers are withdrawn. A joint-guarantee member's acceptance waits for the
 * others; the group's loans are booked when the last member accepts. An expired offer is marked
 * so (that commits) and the acceptance refused with 409.
 */
export async function acceptOffer(
  tx: Db,
  ctx: CommandContext,
  id: string,
): Promise<OfferView | Refusal> {
  const { offer, application } = await lockOffer(tx, ctx, id);
  const audit: AuditEntry[] = [];
  const outbox: EventEntry[] = [];
  if (isExpired(offer, ctx.now)) {
    const borrowers = await exposureOf(tx, [offer]);
    await closeOffer(tx, ctx, offer, 'expired', audit, outbox, application);
    await endGroupOf(tx, ctx, offer, audit, outbox);
    await closeApplicationIfSpent(tx, ctx, offer.applicationId, audit);
    await repo.settleLedgers(tx, borrowers, ctx.now);
    await recordAudit(tx, ctx, audit);
    await appendEvents(tx, ctx.now, outbox);
    return refuse(invalidState('expired', 'accept'));
  }
  assertOfferMove(offer.status, 'accepted', 'accept');
  // Members of one group accept one at a time (checked first: a pending offer never waits here).
  const group = offer.guaranteeGroupId ? await lockGroup(tx, offer.guaranteeGroupId) : null;
  const borrowers = await exposureOf(tx, [offer]);

  await repo.setOfferStatus(tx, offer.id, 'accepted', ctx.now);
  if (offer.operatorId && offer.reservedAmount > 0)
    await settleCapacity(tx, offer.operatorId, offer.reservedAmount, 'use');
  audit.push({
    entityType: 'offer',
    entityId: offer.id,
    action: 'offer.accepted',
    data: { applicationId: application.id, amount: offer.amount },
  });
  outbox.push(offerEvent('offer.accepted', offer, application));
  for (const other of await repo.openOffersOf(tx, application.id, offer.id))
    await closeOffer(tx, ctx, other, 'withdrawn', audit, outbox, application, 'sibling_accepted');

  assertApplicationMove(application.status, 'accepted', 'accept an offer');
  await repo.moveApplications(tx, [application.id], 'accepted', [application.status], ctx.now);
  audit.push({
    entityType: 'application',
    entityId: application.id,
    action: 'application.accepted',
    data: { offerId: offer.id },
  });
  if (group) await bookGroupIfAllAccepted(tx, ctx, group, audit);
  await repo.settleLedgers(tx, borrowers, ctx.now);
  await recordAudit(tx, ctx, audit);
  await appendEvents(tx, ctx.now, outbox);
  // Read back: the last member's acceptance has booked the group's loans meanwhile.
  const after = await repo.findOffer(tx, offer.id);
  if (!after) throw notFound('Offer');
  return offerView(after, (await repo.decisionResult(tx, after.decisionId)) as Decision);
}
