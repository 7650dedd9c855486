import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../../deps';
import { commonErrors, errorSchema, idParams } from '../../../platform/schemas';
import { replayDecision } from '../replay-decision';
import { replaySchema } from '../schemas';

export async function decisionRoutes(app: FastifyInstance, deps: AppDeps) {
  app.withTypeProvider<ZodTypeProvider>().post(
    '/v1/decisions/:id/replay',
    {
      config: {
        errors: { 404: ['NOT_FOUND'] },
        roles: ['risk', 'admin', 'reviewer'],
        idempotency: 'optional',
      },
      schema: {
        tags: ['policies'],
        operationId: 'replayDecision',
        summary:
          'Re-run a stored decision with its policy version (or ?policy=ID to compare another)',
        params: idParams,
        querystring: z.strictObject({ policy: z.string().min(1).max(64).optional() }),
        response: { 200: replaySchema, 404: errorSchema, ...commonErrors },
      },
    },
    async (request, reply) =>
      reply.command({
        status: 200,
        read: () =>
          replayDecision(deps, request.principal, request.params.id, request.query.policy),
      }),
  );
}
