import { EVENT_TYPES } from '../events/repository';
import { RETRY_WINDOW_MS } from './retry';

/**
 * The deliveries as the OpenAPI 3.1 `webhooks` section declares them: one POST per event type,
 * its body the event as the feed shows it (`Event`), with the signature and event-id headers.
 */
const SIGNATURE = {
  name: 'Webhook-Signature',
  in: 'header',
  required: true,
  description:
    "`t=<unix seconds>,v1=<hex>`: v1 is HMAC-SHA256 of `<t>.<raw body>` under the endpoint's secret (whsec_…). Compute it over the raw bytes received, compare in constant time, and refuse a `t` more than 5 minutes away from your clock",
  schema: { type: 'string', maxLength: 200, pattern: '^t=\\d+(,v1=[0-9a-f]{64})+$' },
  example: 't=1764667800,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd',
};

const EVENT_ID = {
  name: 'Webhook-Id',
  in: 'header',
  required: true,
  description: 'The event id (evt_…): the same on a retry or a redelivery, so dedupe by it',
  schema: { type: 'string', maxLength: 64, pattern: '^evt_[A-Za-z0-9_-]+$' },
  example: 'evt_3q2m9Zx0aBcDeFgHiJkLmNo',
};

const HOURS = RETRY_WINDOW_MS / 3_600_000;

export function webhookDocuments(): Record<string, unknown> {
  return Object.fromEntries(
    EVENT_TYPES.map((type) => [
      type,
      {
        post: {
          tags: ['webhooks'],
          operationId: `webhook_${type.replace('.', '_')}`,
          summary: `${type}: POSTed to your endpoints subscribed to it`,
          description: `At least once (dedupe by \`Webhook-Id\`), in order per object. Any 2xx within the timeout acknowledges it; anything else (another status, a redirect, a timeout, a reset) is retried with exponential backoff and jitter (about 1 s, 4 s, 16 s, … then hourly) for ${HOURS} hours, then dead-lettered (POST /v1/events/{id}/redeliver sends it again).`,
          security: [],
          parameters: [SIGNATURE, EVENT_ID],
          requestBody: {
            required: true,
            description: `The event as GET /v1/events shows it; \`type\` is \`${type}\``,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Event' } } },
          },
          responses: {
            '200': { description: 'Received (any 2xx): not sent again' },
            '400': { description: 'Refused (e.g. a bad signature): retried, then dead-lettered' },
            '500': { description: 'Failed: retried with backoff' },
          },
        },
      },
    ]),
  );
}
