/**
 * All SQL of webhooks: endpoints, the fan-out cursor and the deliveries with their lease.
 * The worker never holds a transaction over an HTTP call: a claim is one statement that sets a
 * lease, a completion another that checks the lease is still its own.
 */
import { and, asc, count, eq, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/connect';
import { newestFirst } from '../../db/keyset';
import {
  events,
  type WebhookAttempt,
  webhookDeliveries,
  webhookEndpoints,
  webhookFanout,
} from '../../db/schema';
import type { Cursor } from '../../lib/cursor';
import type { FeedCursor } from '../events/repository';

export type EndpointRow = typeof webhookEndpoints.$inferSelect;
export type DeliveryRow = typeof webhookDeliveries.$inferSelect;
type DeliveryInsert = typeof webhookDeliveries.$inferInsert;

/**
 * Whose endpoints a caller sees: a partner its own tenant's (`partnerId`), the bank (admin)
 * every endpoint (`undefined`).
 */
export type EndpointScope = { partnerId: string } | undefined;

const scoped = (scope: EndpointScope): SQL | undefined =>
  scope ? eq(webhookEndpoints.partnerId, scope.partnerId) : undefined;

export async function insertEndpoint(
  db: Db,
  row: typeof webhookEndpoints.$inferInsert,
): Promise<EndpointRow> {
  const [inserted] = await db.insert(webhookEndpoints).values(row).returning();
  if (!inserted) throw new Error('insert returned no row');
  return inserted;
}

/** Live endpoints of one owner (a partner, or the bank's with `null`): the per-owner cap. */
export async function countLiveEndpoints(db: Db, partnerId: string | null): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(webhookEndpoints)
    .where(
      and(
        partnerId === null
          ? isNull(webhookEndpoints.partnerId)
          : eq(webhookEndpoints.partnerId, partnerId),
        isNull(webhookEndpoints.deletedAt),
      ),
    );
  return row?.n ?? 0;
}

export async function listEndpoints(
  db: Db,
  scope: EndpointScope,
  limit: number,
  after: Cursor | null,
): Promise<EndpointRow[]> {
  const page = newestFirst(webhookEndpoints.createdAt, webhookEndpoints.id, after);
  return db
    .select()
    .from(webhookEndpoints)
    .where(and(scoped(scope), isNull(webhookEndpoints.deletedAt), page.after))
    .orderBy(...page.order)
    .limit(limit);
}

export async function findEndpoint(
  db: Db,
  id: string,
  scope: EndpointScope,
): Promise<EndpointRow | undefined> {
  const [row] = await db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, id), scoped(scope), isNull(webhookEndpoints.deletedAt)))
    .limit(1);
  return row;
}

/** Marks the endpoint deleted and cancels what it still had to receive; undefined if none. */
export async function deleteEndpoint(
  tx: Db,
  id: string,
  scope: EndpointScope,
  at: Date,
): Promise<EndpointRow | undefined> {
  const [row] = await tx
    .update(webhookEndpoints)
    .set({ deletedAt: at })
    .where(and(eq(webhookEndpoints.id, id), scoped(scope), isNull(webhookEndpoints.deletedAt)))
    .returning();
  if (!row) return undefined;
  await tx
    .update(webhookDeliveries)
    .set({ status: 'cancelled', leaseUntil: null, leaseToken: null })
    .where(and(eq(webhookDeliveries.endpointId, id), eq(webhookDeliveries.status, 'pending')));
  return row;
}

/** Every live endpoint (the fan-out matches each event against them). */
export async function liveEndpoints(tx: Db): Promise<EndpointRow[]> {
  return tx.select().from(webhookEndpoints).where(isNull(webhookEndpoints.deletedAt));
}

/** Where the fan-out stands, read without a lock (an idle round then writes nothing). */
export async function fanoutCursor(db: Db): Promise<FeedCursor | null> {
  const [row] = await db
    .select({ txId: webhookFanout.txId, seq: webhookFanout.seq })
    .from(webhookFanout)
    .where(eq(webhookFanout.id, 'feed'));
  return row ?? null;
}

/**
 * Locks the fan-out cursor for this transaction. `skipIfBusy`: another worker fanning out
 * right now means there is nothing for this one to do (null); otherwise wait for it.
 */
export async function lockFanoutCursor(tx: Db, skipIfBusy: boolean): Promise<FeedCursor | null> {
  const query = tx
    .select({ txId: webhookFanout.txId, seq: webhookFanout.seq })
    .from(webhookFanout)
    .where(eq(webhookFanout.id, 'feed'));
  const [row] = await (skipIfBusy
    ? query.for('update', { skipLocked: true })
    : query.for('update'));
  return row ?? null;
}

export async function advanceFanoutCursor(tx: Db, to: FeedCursor, at: Date): Promise<void> {
  await tx
    .update(webhookFanout)
    .set({ txId: to.txId, seq: to.seq, updatedAt: at })
    .where(eq(webhookFanout.id, 'feed'));
}

/** Inserted in order (their seq is their order per object and endpoint); a feed event once. */
export async function insertDeliveries(tx: Db, rows: DeliveryInsert[]): Promise<DeliveryRow[]> {
  if (rows.length === 0) return [];
  return tx.insert(webhookDeliveries).values(rows).onConflictDoNothing().returning();
}

/**
 * Leases up to `limit` due deliveries to one worker (token): pending, due, not leased or its
 * lease over, its endpoint live, and no earlier delivery of the same object to the same
 * endpoint still pending (per-object order). `skip locked`: rows another worker is claiming
 * this instant are left to it; once its claim commits, the lease keeps them out of ours.
 */
export async function claimDue(
  db: Db,
  now: Date,
  leaseUntil: Date,
  token: string,
  limit: number,
): Promise<string[]> {
  const at = now.toISOString();
  const result = (await db.execute(sql`
    update webhook_deliveries d
    set lease_until = ${leaseUntil.toISOString()}::timestamptz, lease_token = ${token}
    where d.id in (
      select c.id from webhook_deliveries c
      join webhook_endpoints e on e.id = c.endpoint_id and e.deleted_at is null
      where c.status = 'pending' and c.next_attempt_at <= ${at}::timestamptz
        and (c.lease_until is null or c.lease_until <= ${at}::timestamptz)
        and not exists (
          select 1 from webhook_deliveries p
          where p.endpoint_id = c.endpoint_id and p.object_id = c.object_id
            and p.status = 'pending' and p.seq < c.seq
        )
      order by c.next_attempt_at, c.seq
      limit ${limit}
      for update of c skip locked
    )
    returning d.id`)) as unknown as { rows: { id: string }[] };
  return result.rows.map((r) => r.id);
}

export interface ClaimedDelivery {
  delivery: DeliveryRow;
  endpoint: EndpointRow;
  event: typeof events.$inferSelect;
}

export async function claimedDeliveries(db: Db, ids: string[]): Promise<ClaimedDelivery[]> {
  if (ids.length === 0) return [];
  return db
    .select({ delivery: webhookDeliveries, endpoint: webhookEndpoints, event: events })
    .from(webhookDeliveries)
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .innerJoin(events, eq(events.id, webhookDeliveries.eventId))
    .where(inArray(webhookDeliveries.id, ids))
    .orderBy(asc(webhookDeliveries.seq));
}

export interface AttemptOutcome {
  status: 'pending' | 'delivered' | 'dead';
  attempts: number;
  firstAttemptAt: Date;
  nextAttemptAt: Date;
  attemptLog: WebhookAttempt[];
  deliveredAt: Date | null;
}

/**
 * Records an attempt and ends the lease, only if the lease is still this worker's (a worker
 * that outlived its lease lost the delivery to another and records nothing). True if recorded.
 */
export async function recordAttempt(
  db: Db,
  id: string,
  token: string,
  outcome: AttemptOutcome,
): Promise<boolean> {
  const rows = await db
    .update(webhookDeliveries)
    .set({ ...outcome, leaseUntil: null, leaseToken: null })
    .where(
      and(
        eq(webhookDeliveries.id, id),
        eq(webhookDeliveries.leaseToken, token),
        eq(webhookDeliveries.status, 'pending'),
      ),
    )
    .returning({ id: webhookDeliveries.id });
  return rows.length === 1;
}

/** An endpoint's deliveries, newest first (keyset), optionally of one status. */
export async function listDeliveries(
  db: Db,
  endpointId: string,
  status: string | undefined,
  limit: number,
  after: Cursor | null,
): Promise<(DeliveryRow & { eventType: string })[]> {
  const page = newestFirst(webhookDeliveries.createdAt, webhookDeliveries.id, after);
  const rows = await db
    .select({ delivery: webhookDeliveries, eventType: events.type })
    .from(webhookDeliveries)
    .innerJoin(events, eq(events.id, webhookDeliveries.eventId))
    .where(
      and(
        eq(webhookDeliveries.endpointId, endpointId),
        status ? eq(webhookDeliveries.status, status) : undefined,
        page.after,
      ),
    )
    .orderBy(...page.order)
    .limit(limit);
  return rows.map((r) => ({ ...r.delivery, eventType: r.eventType }));
}

/** One delivery (tests and support). */
export async function deliveriesOfEvent(db: Db, eventId: string): Promise<DeliveryRow[]> {
  return db
    .select()
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.eventId, eventId))
    .orderBy(asc(webhookDeliveries.seq));
}
