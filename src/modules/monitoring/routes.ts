import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../deps';
import { commandContext } from '../../lib/command-context';
import { commonErrors, errorSchema, idParams } from '../../platform/schemas';
import { monitoringQuery, monitoringSchema, outcomeSchema, recordOutcomeBody } from './schemas';
import { policyMonitoring, recordOutcome } from './service';

/** Outcomes come from loan servicing (an admin key) or the risk team; risk and admin read. */
const riskTeam = { roles: ['risk', 'admin'] as const };

export async function monitoringRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/v1/outcomes',
    {
      config: {
        errors: { 404: ['NOT_FOUND'], 409: ['INVALID_STATE', 'OUTCOME_CONFLICT'] },
        ...riskTeam,
        idempotency: 'optional',
      },
      schema: {
        tags: ['monitoring'],
        operationId: 'recordOutcome',
        summary:
          'Record how a loan performs on a date; the same offer, date and status again answers the stored record',
        description:
          'Idempotent per offer and date: 201 the first time, 200 with the stored record for the same status, 409 OUTCOME_CONFLICT for another status. The offer must be accepted or booked (else 409 INVALID_STATE); asOf may not be in the future nor before the offer was made.',
        headers: z.object({ 'idempotency-key': z.string().min(1).max(255).optional() }),
        body: recordOutcomeBody,
        response: {
          200: outcomeSchema.describe('Already recorded with this status: the stored record'),
          201: outcomeSchema.describe('Recorded'),
          404: errorSchema,
          409: errorSchema,
          422: errorSchema,
          ...commonErrors,
        },
      },
    },
    async (request, reply) =>
      reply.command({
        status: 201,
        run: (tx) => recordOutcome(commandContext(request, deps.clock), request.body, tx),
      }),
  );

  r.get(
    '/v1/policies/:id/monitoring',
    {
      config: { ...riskTeam, errors: { 404: ['NOT_FOUND'] } },
      schema: {
        tags: ['monitoring'],
        operationId: 'getPolicyMonitoring',
        summary:
          'How a policy performs: bad rate by grade, Gini and KS of the score over decisions with outcomes, PSI of the score distribution against a baseline period',
        description:
          'Decisions of the policy made in [since, until) (UTC dates) that have an outcome dated before until. A loan is bad when its latest such outcome is late_90 or default, good when current, late_30 or repaid. PSI compares the scores of all model decisions of the policy in the period with those in the baseline period (default: the equally long period right before since) over fixed 20-point bins.',
        params: idParams,
        querystring: monitoringQuery,
        response: { 200: monitoringSchema, 404: errorSchema, ...commonErrors },
      },
    },
    async (request) => policyMonitoring(deps, request.params.id, request.query),
  );
}
