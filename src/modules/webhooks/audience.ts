import type { EventHead } from '../events/repository';
import type { EndpointRow } from './repository';

/**
 * Which endpoints an event goes to, by the feed's own visibility rule (ADR 0009): a partner's
 * endpoint receives its tenant's events, as its partner key reads them in GET /v1/events; a
 * bank-level endpoint (created by an admin, `partnerId` null) receives every event, as an admin
 * reads the feed, including the events of no tenant (`policy.published`, `policy.activated`),
 * which no partner endpoint ever receives. Only the chosen types, and only events created since
 * the endpoint was (an endpoint does not receive the history before it) unless a redelivery
 * asks for an older one (`anyAge`).
 */
export function receives(endpoint: EndpointRow, event: EventHead, anyAge = false): boolean {
  return (
    endpoint.eventTypes.includes(event.type) &&
    (endpoint.partnerId === null || endpoint.partnerId === event.partnerId) &&
    (anyAge || event.createdAt.getTime() >= endpoint.createdAt.getTime())
  );
}
