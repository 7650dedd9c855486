import { and, eq, inArray, lt, ne } from 'drizzle-orm';
import type { Db } from '../../db/connect';
import {
  applications,
  auditEvents,
  guaranteeGroupMembers,
  guaranteeGroups,
  offers,
} from '../../db/schema';
import type { AppDeps } from '../../deps';
import type { CommandContext } from '../../lib/command-context';
import { invalidState, notFound } from '../../lib/errors';
import { type Refusal, refuse } from '../../platform/command';
import { assertOfferMove, type OfferStatus, OPEN_OFFER_STATUSES } from '../applications/lifecycle';
import { type OfferRow, settleCapacity } from '../applications/repository';
import { offerView } from '../applications/views';
import { type AuditEntry, auditRows } from '../audit/repository';
import { lockGroup } from '../guarantee-groups/resolve';
import { canSeeMerchant } from '../merchants/access';

type OfferView = ReturnType<typeof offerView>;

/**
 * Locks the application, then the offer: every command on an application's offers takes the
 * application's row first, so concurrent commands queue rather than deadlock. 404 for an
 * offer the caller may not see.
 */
async function lockOffer(tx: Db, ctx: CommandContext, id: string) {
  const [found] = await tx
    .select({ applicationId: offers.applicationId })
    .from(offers)
    .where(eq(offers.id, id));
  if (!found) throw notFound('Offer');
  const [application] = await tx
    .select()
    .from(applications)
    .where(eq(applications.id, found.applicationId))
    .for('update');
  if (!application || !canSeeMerchant(ctx.actor, application)) throw notFound('Offer');
  const [offer] = await tx.select().from(offers).where(eq(offers.id, id)).for('update');
  if (!offer) throw notFound('Offer');
  return { offer, application };
}

/** Ends an open offer (declined, expired, withdrawn), giving back any capacity it held. */
async function closeOffer(
  tx: Db,
  ctx: CommandContext,
  offer: OfferRow,
  status: OfferStatus,
  audit: AuditEntry[],
) {
  assertOfferMove(offer.status, status, status);
  await tx.update(offers).set({ status, updatedAt: ctx.now }).where(eq(offers.id, offer.id));
  if (offer.operatorId && offer.reservedAmount > 0)
    await settleCapacity(tx, offer.operatorId, offer.reservedAmount, 'release');
  audit.push({
    entityType: 'offer',
    entityId: offer.id,
    action: `offer.${status}`,
    data: { applicationId: offer.applicationId },
  });
}

/** Marks an application closed once none of its offers is open or taken. */
async function closeApplicationIfSpent(
  tx: Db,
  ctx: CommandContext,
  applicationId: string,
  audit: AuditEntry[],
) {
  const rows = await tx
    .select({ status: offers.status })
    .from(offers)
    .where(eq(offers.applicationId, applicationId));
  if (
    rows.some(
      (r) =>
        OPEN_OFFER_STATUSES.includes(r.status) || r.status === 'accepted' || r.status === 'booked',
    )
  )
    return;
  const updated = await tx
    .update(applications)
    .set({ status: 'closed', updatedAt: ctx.now })
    .where(and(eq(applications.id, applicationId), eq(applications.status, 'approved')))
    .returning({ id: applications.id });
  if (updated.length)
    audit.push({
      entityType: 'application',
      entityId: applicationId,
      action: 'application.closed',
    });
}

async function finish(tx: Db, ctx: CommandContext, audit: AuditEntry[], offerId: string) {
  if (audit.length) await tx.insert(auditEvents).values(auditRows(ctx, audit));
  const [row] = await tx.select().from(offers).where(eq(offers.id, offerId));
  if (!row) throw notFound('Offer');
  return offerView(row);
}

function isExpired(offer: OfferRow, now: Date) {
  return offer.status === 'offered' && offer.expiresAt.getTime() <= now.getTime();
}

/**
 * Accepts an offer: its capacity reservation becomes use, the application's other offers are
 * withdrawn. A joint-guarantee member's acceptance waits for the others; the group's loans are
 * booked when the last member accepts. An expired offer is marked so (that commits) and the
 * acceptance is refused with 409.
 */
export async function acceptOffer(
  tx: Db,
  ctx: CommandContext,
  id: string,
): Promise<OfferView | Refusal> {
  const { offer, application } = await lockOffer(tx, ctx, id);
  if (isExpired(offer, ctx.now)) {
    const audit: AuditEntry[] = [];
    await closeOffer(tx, ctx, offer, 'expired', audit);
    await endGroupOf(tx, ctx, offer, audit);
    await closeApplicationIfSpent(tx, ctx, offer.applicationId, audit);
    await tx.insert(auditEvents).values(auditRows(ctx, audit));
    return refuse(invalidState('expired', 'accept'));
  }
  assertOfferMove(offer.status, 'accepted', 'accept');
  // Members of one group accept one at a time (checked first: a pending offer never waits here).
  if (offer.guaranteeGroupId) await lockGroup(tx, offer.guaranteeGroupId);
  const audit: AuditEntry[] = [];

  await tx
    .update(offers)
    .set({ status: 'accepted', updatedAt: ctx.now })
    .where(eq(offers.id, offer.id));
  if (offer.operatorId && offer.reservedAmount > 0)
    await settleCapacity(tx, offer.operatorId, offer.reservedAmount, 'use');
  audit.push({
    entityType: 'offer',
    entityId: offer.id,
    action: 'offer.accepted',
    data: { applicationId: application.id, amount: offer.amount },
  });

  const others = await tx
    .select()
    .from(offers)
    .where(
      and(
        eq(offers.applicationId, application.id),
        ne(offers.id, offer.id),
        inArray(offers.status, [...OPEN_OFFER_STATUSES]),
      ),
    )
    .for('update');
  for (const other of others) await closeOffer(tx, ctx, other, 'withdrawn', audit);

  await tx
    .update(applications)
    .set({ status: 'accepted', updatedAt: ctx.now })
    .where(eq(applications.id, application.id));
  audit.push({
    entityType: 'application',
    entityId: application.id,
    action: 'application.accepted',
    data: { offerId: offer.id },
  });

  if (offer.guaranteeGroupId) await bookGroupIfAllAccepted(tx, ctx, offer.guaranteeGroupId, audit);
  return finish(tx, ctx, audit, offer.id);
}

/** 联保: the group's loans are booked only when every member has accepted. */
async function bookGroupIfAllAccepted(
  tx: Db,
  ctx: CommandContext,
  groupId: string,
  audit: AuditEntry[],
) {
  const groupOffers = await tx
    .select()
    .from(offers)
    .where(and(eq(offers.guaranteeGroupId, groupId), ne(offers.status, 'withdrawn')));
  if (groupOffers.length === 0 || groupOffers.some((o) => o.status !== 'accepted')) return;
  await tx
    .update(offers)
    .set({ status: 'booked', updatedAt: ctx.now })
    .where(and(eq(offers.guaranteeGroupId, groupId), eq(offers.status, 'accepted')));
  await tx
    .update(guaranteeGroups)
    .set({ status: 'active', updatedAt: ctx.now })
    .where(eq(guaranteeGroups.id, groupId));
  audit.push({
    entityType: 'guarantee_group',
    entityId: groupId,
    action: 'guarantee_group.booked',
    data: { offers: groupOffers.map((o) => o.id) },
  });
  for (const o of groupOffers)
    audit.push({ entityType: 'offer', entityId: o.id, action: 'offer.booked', data: { groupId } });
}

/**
 * Declines an offer. In a guarantee group one member's refusal ends the group: every member's
 * group offer is withdrawn and the members are free to join another group.
 */
export async function declineOffer(tx: Db, ctx: CommandContext, id: string): Promise<OfferView> {
  const { offer } = await lockOffer(tx, ctx, id);
  const status = isExpired(offer, ctx.now) ? 'expired' : 'declined';
  assertOfferMove(offer.status, status, 'decline');
  if (offer.guaranteeGroupId) await lockGroup(tx, offer.guaranteeGroupId);
  const audit: AuditEntry[] = [];
  await closeOffer(tx, ctx, offer, status, audit);
  if (offer.guaranteeGroupId) await dissolveGroup(tx, ctx, offer.guaranteeGroupId, offer.id, audit);
  await closeApplicationIfSpent(tx, ctx, offer.applicationId, audit);
  return finish(tx, ctx, audit, offer.id);
}

/**
 * 联保: a member's offer that expires unaccepted ends the group as a refusal does, so the
 * members who accepted are not left waiting for a booking that can no longer come.
 */
async function endGroupOf(tx: Db, ctx: CommandContext, offer: OfferRow, audit: AuditEntry[]) {
  if (!offer.guaranteeGroupId) return;
  const group = await lockGroup(tx, offer.guaranteeGroupId);
  if (group.status !== 'offered') return;
  await dissolveGroup(tx, ctx, offer.guaranteeGroupId, offer.id, audit);
}

async function dissolveGroup(
  tx: Db,
  ctx: CommandContext,
  groupId: string,
  exceptOfferId: string,
  audit: AuditEntry[],
) {
  const rest = await tx
    .select()
    .from(offers)
    .where(
      and(
        eq(offers.guaranteeGroupId, groupId),
        ne(offers.id, exceptOfferId),
        inArray(offers.status, ['pending', 'offered', 'accepted']),
      ),
    );
  for (const o of rest) {
    await tx
      .update(offers)
      .set({ status: 'withdrawn', updatedAt: ctx.now })
      .where(eq(offers.id, o.id));
    audit.push({
      entityType: 'offer',
      entityId: o.id,
      action: 'offer.withdrawn',
      data: { groupId, reason: 'group_dissolved' },
    });
    await tx
      .update(applications)
      .set({ status: 'withdrawn', updatedAt: ctx.now })
      .where(
        and(
          eq(applications.id, o.applicationId),
          inArray(applications.status, ['approved', 'accepted']),
        ),
      );
  }
  await tx
    .update(guaranteeGroups)
    .set({ status: 'dissolved', updatedAt: ctx.now })
    .where(eq(guaranteeGroups.id, groupId));
  await tx
    .update(guaranteeGroupMembers)
    .set({ active: false })
    .where(eq(guaranteeGroupMembers.groupId, groupId));
  audit.push({
    entityType: 'guarantee_group',
    entityId: groupId,
    action: 'guarantee_group.dissolved',
    data: { declinedOffer: exceptOfferId },
  });
}

/**
 * Expires open offers past their date and frees their capacity (run by a timer, and in tests),
 * one application per transaction, locking as every other offer command does.
 */
export async function expireDueOffers(
  deps: AppDeps,
  ctx: CommandContext,
  batch = 500,
): Promise<number> {
  const due = await deps.db
    .selectDistinct({ applicationId: offers.applicationId })
    .from(offers)
    .where(and(eq(offers.status, 'offered'), lt(offers.expiresAt, ctx.now)))
    .limit(batch);
  let expired = 0;
  for (const { applicationId } of due) {
    expired += await deps.db.transaction(async (tx) => {
      await tx
        .select({ id: applications.id })
        .from(applications)
        .where(eq(applications.id, applicationId))
        .for('update');
      const rows = await tx
        .select()
        .from(offers)
        .where(
          and(
            eq(offers.applicationId, applicationId),
            eq(offers.status, 'offered'),
            lt(offers.expiresAt, ctx.now),
          ),
        )
        .for('update');
      const audit: AuditEntry[] = [];
      for (const offer of rows) {
        await closeOffer(tx, ctx, offer, 'expired', audit);
        await endGroupOf(tx, ctx, offer, audit);
      }
      await closeApplicationIfSpent(tx, ctx, applicationId, audit);
      if (audit.length) await tx.insert(auditEvents).values(auditRows(ctx, audit));
      return rows.length;
    });
  }
  return expired;
}

export async function getOffer(
  deps: AppDeps,
  ctx: Pick<CommandContext, 'actor'>,
  id: string,
): Promise<OfferView> {
  const [row] = await deps.db
    .select({ offer: offers, application: applications })
    .from(offers)
    .innerJoin(applications, eq(applications.id, offers.applicationId))
    .where(eq(offers.id, id));
  if (!row || !canSeeMerchant(ctx.actor, row.application)) throw notFound('Offer');
  return offerView(row.offer);
}
