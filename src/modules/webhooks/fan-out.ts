import type { Db } from '../../db/connect';
import { newId } from '../../lib/ids';
import type { Principal } from '../../lib/principal';
import { type EventHead, listEventHeads } from '../events/repository';
import { receives } from './audience';
import * as repo from './repository';

/** The fan-out reads the whole feed, as the bank does; `receives` then scopes each endpoint. */
const WHOLE_FEED: Principal = {
  keyId: 'system_webhooks',
  role: 'admin',
  name: 'webhook fan-out',
  owner: 'system:webhooks',
  marketIds: [],
  partnerId: null,
};

/** The deliveries of these events (in feed order) to the endpoints that receive them. */
export function deliveriesOf(
  rows: EventHead[],
  endpoints: repo.EndpointRow[],
  now: Date,
  source: 'feed' | 'redelivery',
  anyAge = false,
) {
  return rows.flatMap((event) =>
    endpoints
      .filter((endpoint) => receives(endpoint, event, anyAge))
      .map((endpoint) => ({
        id: newId('whd'),
        endpointId: endpoint.id,
        eventId: event.id,
        objectId: event.objectId,
        source,
        nextAttemptAt: now,
        createdAt: now,
      })),
  );
}

/**
 * Moves the worker's cursor on the events feed by up to `limit` events, turning each into a
 * delivery per endpoint that receives it, in one transaction: the cursor and the deliveries
 * commit together, so a crash loses neither and repeats nothing (the (endpoint, event) unique
 * index would refuse a repeat anyway). One worker fans out at a time (the cursor row is locked;
 * the others skip). Returns how many events were read.
 */
export async function fanOut(db: Db, now: Date, limit: number): Promise<number> {
  // Most rounds find nothing new: look first, so that an idle worker takes no row lock.
  const seen = await repo.fanoutCursor(db);
  if (!seen || (await listEventHeads(db, { visibleTo: WHOLE_FEED }, 1, seen)).length === 0)
    return 0;
  return db.transaction(async (tx) => {
    const cursor = await repo.lockFanoutCursor(tx, true);
    if (!cursor) return 0;
    const rows = await listEventHeads(tx, { visibleTo: WHOLE_FEED }, limit, cursor);
    const last = rows[rows.length - 1];
    if (!last) return 0;
    const deliveries = deliveriesOf(rows, await repo.liveEndpoints(tx), now, 'feed');
    for (let i = 0; i < deliveries.length; i += 500)
      await repo.insertDeliveries(tx, deliveries.slice(i, i + 500));
    await repo.advanceFanoutCursor(tx, { txId: last.txId, seq: last.seq }, now);
    return rows.length;
  });
}
