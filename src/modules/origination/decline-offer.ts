import type { Decision } from '../../credit';
import type { Db } from '../../db/connect';
import type { CommandContext } from '../../lib/command-context';
import { notFound } from '../../lib/errors';
import type { AuditEntry } from '../audit/repository';
import { appendEvents, type EventEntry } from '../events/repository';
import { assertOfferMove } from './lifecycle';
import * as repo from './repository';
import {
  closeApplicationIfSpent,
  closeOffer,
  dissolveGroup,
  exposureOf,
  isExpired,
  lockGroup,
  lockOffer,
  recordAudit,
} from './transitions';
import { type OfferView, offerView } from './views';

/**
 * POST /v1/offers/:id/decline, releasing any capacity the offer held. In a guarantee group one
 * member's refusal ends the group: every member's group offer is withdrawn and the members are
 * free to join another group. An offer past its date ends as expired.
 */
export async function declineOffer(tx: Db, ctx: CommandContext, id: string): Promise<OfferView> {
  const { offer, application } = await lockOffer(tx, ctx, id);
  const status = isExpired(offer, ctx.now) ? 'expired' : 'declined';
  assertOfferMove(offer.status, status, 'decline');
  const group = offer.guaranteeGroupId ? await lockGroup(tx, offer.guaranteeGroupId) : null;
  const borrowers = await exposureOf(tx, [offer]);
  const audit: AuditEntry[] = [];
  const outbox: EventEntry[] = [];
  await closeOffer(tx, ctx, offer, status, audit, outbox, application);
  if (group) await dissolveGroup(tx, ctx, group, offer.id, audit, outbox);
  await closeApplicationIfSpent(tx, ctx, offer.applicationId, audit);
  await repo.settleLedgers(tx, borrowers, ctx.now);
  await recordAudit(tx, ctx, audit);
  await appendEvents(tx, ctx.now, outbox);
  const after = await repo.findOffer(tx, offer.id);
  if (!after) throw notFound('Offer');
  return offerView(after, (await repo.decisionResult(tx, after.decisionId)) as Decision);
}
