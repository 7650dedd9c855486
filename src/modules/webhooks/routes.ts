import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../deps';
import { commonErrors, errorSchema, idParams, listQuery } from '../../platform/schemas';
import * as endpoints from './endpoints';
import { redeliverEvent } from './redeliver';
import {
  createdWebhookEndpointSchema,
  createWebhookEndpointBody,
  deliveryListSchema,
  listDeliveriesQuery,
  redeliverySchema,
  webhookEndpointListSchema,
  webhookEndpointSchema,
} from './schemas';

/** Partners manage their tenant's endpoints; an admin the bank's (and sees every one). */
const owners = { roles: ['partner', 'admin'] as const };

export async function webhookRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/v1/webhook-endpoints',
    {
      // The answer holds the signing secret, stored only encrypted: no stored answer, no replay.
      config: { ...owners, idempotency: 'never', errors: { 422: ['TOO_MANY_WEBHOOK_ENDPOINTS'] } },
      schema: {
        tags: ['webhooks'],
        operationId: 'createWebhookEndpoint',
        summary: 'Register a webhook endpoint; its signing secret is shown in this answer only',
        description:
          'Events of the chosen types are POSTed to `url`, signed (`Webhook-Signature`, see the `webhooks` section). Takes no Idempotency-Key: if the answer is lost, delete the endpoint and register another. At most 20 live endpoints per partner.',
        body: createWebhookEndpointBody,
        response: {
          201: createdWebhookEndpointSchema,
          422: errorSchema.describe('Too many endpoints (`TOO_MANY_WEBHOOK_ENDPOINTS`)'),
          ...commonErrors,
        },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await endpoints.createEndpoint(deps, request.principal, request.body)),
  );
  r.get(
    '/v1/webhook-endpoints',
    {
      config: owners,
      schema: {
        tags: ['webhooks'],
        operationId: 'listWebhookEndpoints',
        summary: 'Your webhook endpoints, newest first (never their secrets)',
        querystring: listQuery,
        response: { 200: webhookEndpointListSchema, ...commonErrors },
      },
    },
    async (request) => endpoints.listEndpoints(deps, request.principal, request.query),
  );
  r.get(
    '/v1/webhook-endpoints/:id',
    {
      config: { ...owners, errors: { 404: ['NOT_FOUND'] } },
      schema: {
        tags: ['webhooks'],
        operationId: 'getWebhookEndpoint',
        summary: 'One of your webhook endpoints',
        params: idParams,
        response: { 200: webhookEndpointSchema, 404: errorSchema, ...commonErrors },
      },
    },
    async (request) => endpoints.getEndpoint(deps, request.principal, request.params.id),
  );
  r.get(
    '/v1/webhook-endpoints/:id/deliveries',
    {
      config: { ...owners, errors: { 404: ['NOT_FOUND'] } },
      schema: {
        tags: ['webhooks'],
        operationId: 'listWebhookDeliveries',
        summary: "An endpoint's deliveries, newest first: attempts, failures, dead letters",
        description:
          'Each delivery keeps its last 10 attempts (time, status code or error, duration). `status=dead` lists the dead letters; POST /v1/events/{id}/redeliver sends one again.',
        params: idParams,
        querystring: listDeliveriesQuery,
        response: { 200: deliveryListSchema, 404: errorSchema, ...commonErrors },
      },
    },
    async (request) =>
      endpoints.listEndpointDeliveries(deps, request.principal, request.params.id, request.query),
  );
  r.delete(
    '/v1/webhook-endpoints/:id',
    {
      config: { ...owners, idempotency: 'optional', errors: { 404: ['NOT_FOUND'] } },
      schema: {
        tags: ['webhooks'],
        operationId: 'deleteWebhookEndpoint',
        summary:
          'Delete a webhook endpoint: it receives nothing more, pending deliveries are cancelled',
        params: idParams,
        response: { 200: webhookEndpointSchema, 404: errorSchema, ...commonErrors },
      },
    },
    async (request, reply) =>
      reply.command({
        status: 200,
        run: (tx) => endpoints.deleteEndpoint(deps, request.principal, request.params.id, tx),
      }),
  );
  r.post(
    '/v1/events/:id/redeliver',
    {
      config: { ...owners, idempotency: 'optional', errors: { 404: ['NOT_FOUND'] } },
      schema: {
        tags: ['events'],
        operationId: 'redeliverEvent',
        summary: 'Send an event again to your endpoints that receive its type',
        description:
          "Schedules a new delivery (same `Webhook-Id`) to each of your live endpoints subscribed to the event's type, even one registered after the event; an admin schedules it to every endpoint that receives it. It is sent after any earlier delivery of the same object to that endpoint. 404 for an event you cannot see.",
        params: idParams,
        response: {
          202: redeliverySchema.describe('Scheduled: the new deliveries, sent by the worker'),
          404: errorSchema,
          ...commonErrors,
        },
      },
    },
    async (request, reply) =>
      reply.command({
        status: 202,
        run: (tx) => redeliverEvent(deps, request.principal, request.params.id, tx),
      }),
  );
}
