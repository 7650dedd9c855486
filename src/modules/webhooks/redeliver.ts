import type { Db } from '../../db/connect';
import type { AppDeps } from '../../deps';
import { notFound } from '../../lib/errors';
import type { Principal } from '../../lib/principal';
import { findEvent } from '../events/repository';
import { endpointScope } from './endpoints';
import { deliveriesOf } from './fan-out';
import * as repo from './repository';

/**
 * POST /v1/events/:id/redeliver: a new delivery of an event the caller can see, to each of the
 * caller's live endpoints that receive its type (an admin: every endpoint that receives it).
 * It waits for the fan-out's lock, so deliveries are numbered in the order they commit and one
 * object's deliveries stay in order; it is sent after any earlier one of that object still pending.
 */
export async function redeliverEvent(deps: AppDeps, principal: Principal, eventId: string, tx: Db) {
  const scope = endpointScope(principal);
  const event = await findEvent(tx, eventId, principal);
  if (!event) throw notFound('Event');
  await repo.lockFanoutCursor(tx, false);
  const endpoints = (await repo.liveEndpoints(tx)).filter(
    (e) => !scope || e.partnerId === scope.partnerId,
  );
  const rows = await repo.insertDeliveries(
    tx,
    deliveriesOf([event], endpoints, deps.clock(), 'redelivery', true),
  );
  return {
    eventId,
    deliveries: rows.map((d) => ({
      id: d.id,
      endpointId: d.endpointId,
      eventId: d.eventId,
      status: d.status as 'pending',
      nextAttemptAt: d.nextAttemptAt.toISOString(),
    })),
  };
}
