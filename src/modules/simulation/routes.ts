import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../deps';
import { commonErrors, errorSchema, idParams } from '../../platform/schemas';
import { checkInlineBatch } from './inline-batch';
import { MAX_INLINE_SURVEYS, simulateBody, simulationResultSchema } from './schemas';
import { simulatePolicy } from './service';

/** An inline batch of 10,000 surveys is about 7 MB of JSON: this route alone takes up to 16 MiB. */
const SIMULATE_BODY_LIMIT = 16 * 1024 * 1024;
/** Such a batch: 10,000 items, about 40 values each (the input guard's default is 20,000 values). */
const SIMULATE_INPUT_LIMITS = { itemsPerArray: MAX_INLINE_SURVEYS, values: 1_000_000 };

export async function simulationRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/v1/policies/:id/simulate',
    {
      bodyLimit: SIMULATE_BODY_LIMIT,
      config: {
        errors: { 404: ['NOT_FOUND'], 422: ['POLICY_INVALID'] },
        roles: ['risk', 'admin'],
        idempotency: 'optional',
        inputLimits: SIMULATE_INPUT_LIMITS,
      },
      preValidation: checkInlineBatch,
      schema: {
        tags: ['simulation'],
        operationId: 'simulatePolicy',
        summary:
          'Replay stored applications (or an inline batch of surveys) through a policy and compare it with the active champion',
        description:
          'Runs the same decide() as production on each case with the candidate policy and with the active champion. ' +
          "Stored applications use their survey, their request and the context of their first model decision. No body (or no filter) means every stored application. Any policy status may be simulated; a draft that does not validate answers 422 POLICY_INVALID with every problem. Expected loss sums PD x LGD (the candidate's products.<product>.lgd) x amount over the first offer of each approved case, rounded to fen.",
        params: idParams,
        // No body at all reads as {}: every stored application.
        body: z.preprocess((body) => body ?? {}, simulateBody),
        response: {
          200: simulationResultSchema,
          404: errorSchema,
          413: errorSchema,
          422: errorSchema,
          ...commonErrors,
        },
      },
    },
    async (request, reply) =>
      reply.command({
        status: 200,
        read: () => simulatePolicy(deps, request.params.id, request.body),
      }),
  );
}
