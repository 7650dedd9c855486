import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../../deps';
import { commandContext } from '../../../lib/command-context';
import { commonErrors, errorSchema, idParams } from '../../../platform/schemas';
import { acceptOffer } from '../accept-offer';
import { declineOffer } from '../decline-offer';
import { getOffer } from '../queries';
import { offerSchema } from '../schemas';

const stateErrors = { 404: errorSchema, 409: errorSchema, 422: errorSchema };
const actors = { roles: ['officer', 'partner', 'admin'] as const };
/** Commands take no body: fields sent along (status, amount, rate...) are refused, not ignored. */
const noBody = z.strictObject({}).nullish();

export async function offerRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/v1/offers/:id',
    {
      config: { errors: { 404: ['NOT_FOUND'] } },
      schema: {
        tags: ['offers'],
        operationId: 'getOffer',
        summary: 'An offer',
        params: idParams,
        response: { 200: offerSchema, 404: errorSchema, ...commonErrors },
      },
    },
    async (request) => getOffer(deps, request.principal, request.params.id),
  );
  r.post(
    '/v1/offers/:id/accept',
    {
      config: {
        errors: { 404: ['NOT_FOUND'], 409: ['INVALID_STATE'] },
        ...actors,
        idempotency: 'required',
      },
      schema: {
        tags: ['offers'],
        operationId: 'acceptOffer',
        summary:
          "Accept an offer: the application's other offers are withdrawn; an expired offer cannot be accepted",
        headers: z.object({ 'idempotency-key': z.string().min(1).max(255) }),
        params: idParams,
        body: noBody,
        response: { 200: offerSchema, ...stateErrors, ...commonErrors },
      },
    },
    async (request, reply) =>
      reply.command({
        status: 200,
        run: (tx) => acceptOffer(tx, commandContext(request, deps.clock), request.params.id),
      }),
  );
  r.post(
    '/v1/offers/:id/decline',
    {
      config: {
        errors: { 404: ['NOT_FOUND'], 409: ['INVALID_STATE'] },
        ...actors,
        idempotency: 'optional',
      },
      schema: {
        tags: ['offers'],
        operationId: 'declineOffer',
        summary: 'Decline an offer, releasing any guarantee capacity it held',
        headers: z.object({ 'idempotency-key': z.string().min(1).max(255).optional() }),
        params: idParams,
        body: noBody,
        response: { 200: offerSchema, ...stateErrors, ...commonErrors },
      },
    },
    async (request, reply) =>
      reply.command({
        status: 200,
        run: (tx) => declineOffer(tx, commandContext(request, deps.clock), request.params.id),
      }),
  );
}
