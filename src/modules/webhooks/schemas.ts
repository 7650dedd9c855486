import { z } from 'zod';
import { isoDateTime, listOf } from '../../platform/schemas';
import { EVENT_TYPES } from '../events/repository';

/** More endpoints than this per owner would only multiply every event's deliveries. */
export const MAX_ENDPOINTS_PER_OWNER = 20;

export const createWebhookEndpointBody = z.strictObject({
  url: z
    .string()
    .min(1)
    .max(2048)
    .describe(
      'Where events are POSTed. With NODE_ENV=production an https:// URL whose host resolves to public addresses only; otherwise http:// is allowed too',
    ),
  eventTypes: z
    .array(z.enum(EVENT_TYPES))
    .min(1)
    .max(EVENT_TYPES.length)
    .refine((types) => new Set(types).size === types.length, {
      error: 'must not repeat a type',
      params: { messageZh: '事件类型不得重复' },
    })
    .describe('The event types to receive'),
  description: z.string().trim().max(200).optional().describe('A note for yourself'),
});
export type CreateWebhookEndpointBody = z.infer<typeof createWebhookEndpointBody>;

export const webhookEndpointSchema = z
  .object({
    id: z.string().max(64).describe('whe_…'),
    url: z.string().max(2048),
    eventTypes: z.array(z.enum(EVENT_TYPES)).max(EVENT_TYPES.length),
    description: z.string().max(200).nullable(),
    partnerId: z
      .string()
      .max(64)
      .nullable()
      .describe('The partner whose events it receives; null: a bank-level endpoint (every event)'),
    createdAt: isoDateTime(),
  })
  .meta({ id: 'WebhookEndpoint' });
export type WebhookEndpointView = z.infer<typeof webhookEndpointSchema>;

export const createdWebhookEndpointSchema = webhookEndpointSchema
  .extend({
    secret: z
      .string()
      .max(100)
      .describe(
        "The signing secret (whsec_…): shown in this answer only. Verify each delivery's Webhook-Signature with it",
      ),
  })
  .meta({ id: 'CreatedWebhookEndpoint' });

export const webhookEndpointListSchema = listOf(webhookEndpointSchema).meta({
  id: 'WebhookEndpointList',
});

const DELIVERY_STATUSES = ['pending', 'delivered', 'dead', 'cancelled'] as const;

export const listDeliveriesQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50).describe('Page size, at most 200'),
  cursor: z.string().max(200).optional().describe('nextCursor from the previous page'),
  status: z
    .enum(DELIVERY_STATUSES)
    .optional()
    .describe('Only deliveries in this state, e.g. `dead` for the dead letters'),
});

const attemptSchema = z.object({
  at: isoDateTime(),
  statusCode: z.number().int().min(100).max(599).nullable().describe('null: no answer'),
  error: z.string().max(200).nullable().describe('What failed, in a few words; null if delivered'),
  durationMs: z.number().int().min(0).max(3_600_000),
});

export const deliverySchema = z
  .object({
    id: z.string().max(64).describe('whd_…'),
    eventId: z.string().max(64),
    eventType: z.enum(EVENT_TYPES),
    status: z
      .enum(DELIVERY_STATUSES)
      .describe(
        'pending (due or being retried), delivered, dead (24 hours of failures), cancelled (endpoint deleted)',
      ),
    source: z.enum(['feed', 'redelivery']),
    attempts: z.number().int().min(0).max(1_000_000),
    nextAttemptAt: isoDateTime().nullable().describe('When a pending delivery is tried next'),
    deliveredAt: isoDateTime().nullable(),
    lastAttempts: z.array(attemptSchema).max(10).describe('The last attempts, oldest first'),
    createdAt: isoDateTime(),
  })
  .meta({ id: 'WebhookDeliveryDetail' });

export type DeliveryView = z.infer<typeof deliverySchema>;

export const deliveryListSchema = listOf(deliverySchema).meta({ id: 'WebhookDeliveryList' });

export const scheduledDeliverySchema = z
  .object({
    id: z.string().max(64).describe('whd_…'),
    endpointId: z.string().max(64),
    eventId: z.string().max(64),
    status: z.enum(DELIVERY_STATUSES),
    nextAttemptAt: isoDateTime(),
  })
  .meta({ id: 'WebhookDelivery' });

export const redeliverySchema = z
  .object({
    eventId: z.string().max(64),
    deliveries: z
      .array(scheduledDeliverySchema)
      .max(100)
      .describe('One new delivery per endpoint of yours that receives this event type'),
  })
  .meta({ id: 'Redelivery' });
