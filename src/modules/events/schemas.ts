import { z } from 'zod';
import { idString, isoDateTime, listOf } from '../../platform/schemas';
import {
  applicationEventData,
  groupEventData,
  offerEventData,
  policyActivatedData,
  policyPublishedData,
} from './data-schemas';
import { EVENT_TYPES, type EventType } from './repository';

/** One event type's envelope: the object it concerns and that type's data. */
const eventOf = <T extends EventType, O extends string, D extends z.ZodType>(
  type: T,
  objectType: O,
  data: D,
) =>
  z.object({
    id: idString().describe('evt_…; the same event delivered twice has the same id'),
    type: z.literal(type),
    objectType: z.literal(objectType),
    objectId: idString(),
    data,
    createdAt: isoDateTime(),
  });

/** An event of the outbox: one shape per type, told apart by `type`. */
export const eventSchema = z
  .discriminatedUnion('type', [
    eventOf('application.decided', 'application', applicationEventData),
    eventOf('application.referred', 'application', applicationEventData),
    eventOf('application.reviewed', 'application', applicationEventData),
    eventOf('offer.accepted', 'offer', offerEventData('accepted')),
    eventOf('offer.declined', 'offer', offerEventData('declined')),
    eventOf('offer.expired', 'offer', offerEventData('expired')),
    eventOf('offer.withdrawn', 'offer', offerEventData('withdrawn')),
    eventOf('guarantee_group.decided', 'guarantee_group', groupEventData),
    eventOf('policy.published', 'policy', policyPublishedData),
    eventOf('policy.activated', 'policy', policyActivatedData),
  ])
  .meta({
    id: 'Event',
    description: 'A change, with a small snapshot of the object (no personal data)',
  });
export type EventView = z.infer<typeof eventSchema>;

export const eventListSchema = listOf(eventSchema).meta({ id: 'EventList' });

export const listEventsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50).describe('Page size, at most 200'),
  after: z
    .string()
    .max(200)
    .regex(/^[A-Za-z0-9_-]+$/)
    .optional()
    .describe('nextCursor from the previous page: the feed continues after it'),
  type: z
    .union([z.enum(EVENT_TYPES), z.array(z.enum(EVENT_TYPES)).max(EVENT_TYPES.length)])
    .optional()
    .describe('Only events of this type (repeat the parameter for several)'),
});
