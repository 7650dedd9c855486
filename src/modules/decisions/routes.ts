import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../deps';
import { commonErrors, errorSchema, idParams } from '../../platform/schemas';
import { replayDecision } from './service';

const summary = z.object({
  outcome: z.string(),
  score: z.number(),
  grade: z.string(),
  pd: z.number(),
  offers: z.number().int(),
});
const replaySchema = z
  .object({
    decisionId: z.string(),
    applicationId: z.string(),
    storedPolicy: z.object({ id: z.string(), version: z.number().int() }),
    replayPolicy: z.object({ id: z.string(), version: z.number().int() }),
    identical: z
      .boolean()
      .describe('The replay equals the stored decision, byte for byte as canonical JSON'),
    stored: summary,
    replayed: summary,
    differences: z.array(
      z.object({
        path: z.string(),
        kind: z.enum(['added', 'removed', 'changed']),
        before: z.unknown().optional(),
        after: z.unknown().optional(),
      }),
    ),
  })
  .meta({ id: 'DecisionReplay' });

export async function decisionRoutes(app: FastifyInstance, deps: AppDeps) {
  app.withTypeProvider<ZodTypeProvider>().post(
    '/v1/decisions/:id/replay',
    {
      config: { roles: ['risk', 'admin', 'reviewer'], idempotency: 'optional' },
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
