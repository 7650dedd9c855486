import { z } from 'zod';
import { idString, isoDateTime, listOf, MAX_LENGTH } from '../../platform/schemas';
import { EVENT_TYPES } from './repository';

export const eventSchema = z
  .object({
    id: idString().describe('evt_…; the same event delivered twice has the same id'),
    type: z.enum(EVENT_TYPES),
    objectType: z.enum(['application', 'offer', 'guarantee_group', 'policy']),
    objectId: idString(),
    data: z
      .record(z.string().max(MAX_LENGTH.code), z.unknown())
      .describe('A small snapshot of the object: ids, statuses, products, amounts in fen'),
    createdAt: isoDateTime(),
  })
  .meta({ id: 'Event' });

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
