/**
 * Status changes several use cases share (closing an offer, closing a spent application,
 * dissolving and booking a group), each checked against lifecycle.ts. They take their locks
 * in the order of ADR 0004: group, application, offers, operator capacity last.
 */
import type { Db } from '../../db/connect';
import type { CommandContext } from '../../lib/command-context';
import { notFound } from '../../lib/errors';
import type { AuditEntry } from '../audit/repository';
import type { EventEntry } from '../events/repository';
import { canSeeMerchant, type OwnedObject } from '../merchants/access';
import { settleCapacity } from '../operators/repository';
import { offerEvent } from './events';
import {
  applicationsMovableTo,
  assertGroupMove,
  assertOfferMove,
  OPEN_OFFER_STATUSES,
  TAKEN_OFFER_STATUSES,
} from './lifecycle';
import * as repo from './repository';

/**
 * Locks the application, then the offer: every command on an application's offers takes the
 * application's row first, so concurrent commands queue rather than deadlock. 404 for an
 * offer the caller may not see.
 */
export async function lockOffer(tx: Db, ctx: CommandContext, id: string) {
  const found = await repo.findOffer(tx, id);
  if (!found) throw notFound('Offer');
  const application = await repo.findApplication(tx, found.applicationId, { forUpdate: true });
  if (!application || !canSeeMerchant(ctx.actor, application)) throw notFound('Offer');
  const offer = await repo.findOffer(tx, id, { forUpdate: true });
  if (!offer) throw notFound('Offer');
  return { offer, application };
}

export async function lockGroup(tx: Db, groupId: string) {
  const group = await repo.lockGroup(tx, groupId);
  if (!group) throw notFound('Guarantee group');
  return group;
}

/**
 * Whose exposure an offer's change moves: its borrower, for a group loan every member (each
 * guarantees the others), and the application's individual guarantors. Locks the groups first (ADR 0004); the command settles the ledgers of
 * these borrowers last (`repo.settleLedgers`), after the offers and the operator.
 */
export async function exposureOf(
  tx: Db,
  offers: Pick<repo.OfferRow, 'merchantId' | 'guaranteeGroupId' | 'applicationId'>[],
): Promise<string[]> {
  const groupIds = [
    ...new Set(offers.flatMap((o) => (o.guaranteeGroupId ? [o.guaranteeGroupId] : []))),
  ].sort();
  for (const groupId of groupIds) await lockGroup(tx, groupId);
  return repo.borrowersOf(
    tx,
    offers.map((o) => o.merchantId),
    groupIds,
    // Individual guarantors (issue #16): the loan is their contingent liability too.
    [...new Set(offers.map((o) => o.applicationId))],
  );
}

export function isExpired(offer: repo.OfferRow, now: Date) {
  return offer.status === 'offered' && offer.expiresAt.getTime() <= now.getTime();
}

/**
 * Ends an open offer (declined, expired, withdrawn), giving back any capacity it held; its
 * event joins `outbox`, scoped like its application (`owner`).
 */
export async function closeOffer(
  tx: Db,
  ctx: CommandContext,
  offer: repo.OfferRow,
  status: 'declined' | 'expired' | 'withdrawn',
  audit: AuditEntry[],
  outbox: EventEntry[],
  owner: OwnedObject,
  reason?: string,
) {
  assertOfferMove(offer.status, status, status);
  await repo.setOfferStatus(tx, offer.id, status, ctx.now);
  if (offer.operatorId && offer.reservedAmount > 0)
    await settleCapacity(tx, offer.operatorId, offer.reservedAmount, 'release');
  audit.push({
    entityType: 'offer',
    entityId: offer.id,
    action: `offer.${status}`,
    data: { applicationId: offer.applicationId },
  });
  outbox.push(offerEvent(`offer.${status}`, offer, owner, reason ? { reason } : {}));
}

/** Marks an application closed once none of its offers is open or taken. */
export async function closeApplicationIfSpent(
  tx: Db,
  ctx: CommandContext,
  applicationId: string,
  audit: AuditEntry[],
) {
  const statuses = await repo.offerStatusesOf(tx, applicationId);
  if (statuses.some((s) => OPEN_OFFER_STATUSES.includes(s) || TAKEN_OFFER_STATUSES.includes(s)))
    return;
  const closed = await repo.moveApplications(tx, [applicationId], 'closed', ['approved'], ctx.now);
  if (closed.length)
    audit.push({
      entityType: 'application',
      entityId: applicationId,
      action: 'application.closed',
    });
}

/**
 * 联保: one member's refusal (or an offer left to expire) ends the group: every other member's
 * group offer is withdrawn, their applications too, and the members are free to join another.
 */
export async function dissolveGroup(
  tx: Db,
  ctx: CommandContext,
  group: { id: string; status: repo.GroupRow['status'] },
  endedOfferId: string,
  audit: AuditEntry[],
  outbox: EventEntry[],
) {
  assertGroupMove(group.status, 'dissolved', 'dissolve the group');
  const rest = await repo.groupOffers(
    tx,
    group.id,
    ['pending', 'offered', 'accepted'],
    endedOfferId,
  );
  const owners = new Map((await repo.groupApplications(tx, group.id)).map((a) => [a.id, a]));
  for (const o of rest) {
    assertOfferMove(o.status, 'withdrawn', 'withdraw');
    await repo.setOfferStatus(tx, o.id, 'withdrawn', ctx.now);
    const owner = owners.get(o.applicationId);
    if (!owner) throw new Error(`offer ${o.id} has no application in group ${group.id}`);
    outbox.push(offerEvent('offer.withdrawn', o, owner, { reason: 'group_dissolved' }));
    audit.push({
      entityType: 'offer',
      entityId: o.id,
      action: 'offer.withdrawn',
      data: { groupId: group.id, reason: 'group_dissolved' },
    });
  }
  await repo.moveApplications(
    tx,
    rest.map((o) => o.applicationId),
    'withdrawn',
    applicationsMovableTo('withdrawn'),
    ctx.now,
  );
  await repo.setGroupStatus(tx, group.id, 'dissolved', ctx.now);
  await repo.freeMembers(tx, group.id);
  audit.push({
    entityType: 'guarantee_group',
    entityId: group.id,
    action: 'guarantee_group.dissolved',
    data: { declinedOffer: endedOfferId },
  });
}

/** An offer of an offered group expired unaccepted: the group ends as if it were refused. */
export async function endGroupOf(
  tx: Db,
  ctx: CommandContext,
  offer: repo.OfferRow,
  audit: AuditEntry[],
  outbox: EventEntry[],
) {
  if (!offer.guaranteeGroupId) return;
  const group = await lockGroup(tx, offer.guaranteeGroupId);
  if (group.status !== 'offered') return;
  await dissolveGroup(tx, ctx, group, offer.id, audit, outbox);
}

/** 联保: the group's loans are booked only when every member has accepted. */
export async function bookGroupIfAllAccepted(
  tx: Db,
  ctx: CommandContext,
  group: { id: string; status: repo.GroupRow['status'] },
  audit: AuditEntry[],
) {
  const groupOffers = await repo.groupOffers(tx, group.id, [
    'pending',
    'offered',
    'accepted',
    'booked',
    'declined',
    'expired',
  ]);
  if (groupOffers.length === 0 || groupOffers.some((o) => o.status !== 'accepted')) return;
  assertGroupMove(group.status, 'active', 'book the group');
  await repo.bookGroupOffers(tx, group.id, ctx.now);
  await repo.setGroupStatus(tx, group.id, 'active', ctx.now);
  audit.push({
    entityType: 'guarantee_group',
    entityId: group.id,
    action: 'guarantee_group.booked',
    data: { offers: groupOffers.map((o) => o.id) },
  });
  for (const o of groupOffers)
    audit.push({
      entityType: 'offer',
      entityId: o.id,
      action: 'offer.booked',
      data: { groupId: group.id },
    });
}
