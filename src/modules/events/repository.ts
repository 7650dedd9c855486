/**
 * The transactional outbox (issue #14): the one writer of `events` and the feed that reads them.
 * Events are written in the same statement or transaction as the change they report, so a
 * change is never without its event nor an event without its change.
 */
import { and, asc, eq, getTableColumns, gt, inArray, or, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/connect';
import { toRecord } from '../../db/records';
import { events } from '../../db/schema';
import { newId } from '../../lib/ids';
import type { Principal } from '../../lib/principal';
import { visibleTo } from '../merchants/access';

/** The event types: a public contract, never renamed. */
export const EVENT_TYPES = [
  'application.decided',
  'application.referred',
  'application.reviewed',
  'offer.accepted',
  'offer.declined',
  'offer.expired',
  'offer.withdrawn',
  'guarantee_group.decided',
  'policy.published',
  'policy.activated',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export type EventRow = typeof events.$inferSelect;
type EventInsert = typeof events.$inferInsert;

/** One event: what changed, a small snapshot (ids, statuses, amounts; no personal data), whose. */
export interface EventEntry {
  type: EventType;
  objectType: 'application' | 'offer' | 'guarantee_group' | 'policy';
  objectId: string;
  data: Record<string, unknown>;
  /** The tenant the object belongs to; null for the bank's own objects (policies). */
  partnerId: string | null;
  marketId: string | null;
}

function eventRows(now: Date, entries: EventEntry[]): EventInsert[] {
  return entries.map((e) => ({
    id: newId('evt'),
    type: e.type,
    objectType: e.objectType,
    objectId: e.objectId,
    data: e.data,
    partnerId: e.partnerId,
    marketId: e.marketId,
    createdAt: now,
  }));
}

/** Appends events inside the caller's transaction (pass `tx`); in order, one seq each. */
export async function appendEvents(tx: Db, now: Date, entries: EventEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await tx.insert(events).values(eventRows(now, entries));
}

/** The events as JSON records for `eventsCte` (a statement of data-modifying CTEs). */
export function eventRecords(now: Date, entries: EventEntry[]): string {
  return JSON.stringify(eventRows(now, entries).map((r) => toRecord(events, r)));
}

/**
 * The CTE text that writes the events of `eventRecords` passed as parameter `$param`, only when
 * `gate` (an SQL boolean) holds: for a single statement that must stay one round trip (ADR 0001).
 */
export function eventsCte(name: string, param: number, gate: string): string {
  return `${name} as (
      insert into events (id, type, object_type, object_id, data, partner_id, market_id, created_at)
      select r.id, r.type, r.object_type, r.object_id, r.data, r.partner_id, r.market_id, r.created_at
      from jsonb_populate_recordset(null::events, $${param}::jsonb) r where ${gate}
      returning id
    )`;
}

/** Where a reader of the feed stands: the last event it saw, by (transaction, seq). */
export interface FeedCursor {
  txId: string;
  seq: number;
}

export interface FeedFilter {
  visibleTo: Principal;
  types?: EventType[];
}

/**
 * Events after `after`, oldest first, at most `limit`. Only events of transactions older than
 * every transaction still running are read (`pg_snapshot_xmin`): all of those have committed or
 * rolled back, and any event that becomes readable later belongs to a later transaction, so it
 * sorts after every cursor handed out before. A cursor therefore never passes an event.
 */
export async function listEvents(
  db: Db,
  filter: FeedFilter,
  limit: number,
  after: FeedCursor | null,
): Promise<EventRow[]> {
  return db
    .select()
    .from(events)
    .where(feedConditions(filter, after))
    .orderBy(asc(events.txId), asc(events.seq))
    .limit(limit);
}

/** An event without its snapshot: what the webhook fan-out routes it by. */
export type EventHead = Omit<EventRow, 'data'>;
const { data: _snapshot, ...headColumns } = getTableColumns(events);

/**
 * The same events as `listEvents`, without their snapshots: the fan-out routes each event by its
 * type, tenant and time, and a delivery reads the snapshot when it is sent. Neither PostgreSQL
 * nor the service turns every event's JSON into text and back as it goes by.
 */
export async function listEventHeads(
  db: Db,
  filter: FeedFilter,
  limit: number,
  after: FeedCursor | null,
): Promise<EventHead[]> {
  return db
    .select(headColumns)
    .from(events)
    .where(feedConditions(filter, after))
    .orderBy(asc(events.txId), asc(events.seq))
    .limit(limit);
}

function feedConditions(filter: FeedFilter, after: FeedCursor | null) {
  const conditions: (SQL | undefined)[] = [
    visibleTo(filter.visibleTo, { marketId: events.marketId, partnerId: events.partnerId }),
    filter.types?.length ? inArray(events.type, filter.types) : undefined,
    sql`${events.txId} < pg_snapshot_xmin(pg_current_snapshot())`,
    after
      ? or(gt(events.txId, after.txId), and(eq(events.txId, after.txId), gt(events.seq, after.seq)))
      : undefined,
  ];
  return and(...conditions);
}

/** One event, if the caller may see it (the feed's own rule). */
export async function findEvent(
  db: Db,
  id: string,
  visible: Principal,
): Promise<EventRow | undefined> {
  const [row] = await db
    .select()
    .from(events)
    .where(
      and(
        eq(events.id, id),
        visibleTo(visible, { marketId: events.marketId, partnerId: events.partnerId }),
      ),
    )
    .limit(1);
  return row;
}

/** Every stored event of these objects in feed order (tests and support). */
export async function eventsOf(db: Db, objectIds: string[]): Promise<EventRow[]> {
  if (objectIds.length === 0) return [];
  return db
    .select()
    .from(events)
    .where(inArray(events.objectId, objectIds))
    .orderBy(asc(events.txId), asc(events.seq));
}
