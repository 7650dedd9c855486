import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../../deps';
import { commandContext } from '../../../lib/command-context';
import { commonErrors, errorSchema, idParams, listQuery } from '../../../platform/schemas';
import * as queries from '../queries';
import { reviewApplication } from '../review-application';
import {
  applicationListSchema,
  applicationSchema,
  auditEventListSchema,
  listApplicationsQuery,
  reviewBody,
  submitApplicationBody,
} from '../schemas';
import { submitApplication } from '../submit-application';

const idempotencyHeader = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(255)
    .describe('Required: retries with the same key replay the first answer'),
});
const optionalIdempotency = z.object({ 'idempotency-key': z.string().min(1).max(255).optional() });
const stateErrors = { 404: errorSchema, 409: errorSchema, 422: errorSchema };

export async function applicationRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  app.answerRebuilders.set(queries.APPLICATION_ANSWER, queries.applicationAnswer);

  r.post(
    '/v1/applications',
    {
      config: {
        errors: {
          404: ['NOT_FOUND'],
          409: ['ALREADY_APPLIED', 'GROUP_NOT_FORMING', 'INVALID_STATE'],
          422: ['GUARANTOR_OTHER_MARKET', 'GUARANTOR_IS_APPLICANT'],
        },
        roles: ['officer', 'partner', 'admin'],
        idempotency: 'required',
        idempotencyDeferred: true,
      },
      schema: {
        tags: ['applications'],
        operationId: 'submitApplication',
        summary:
          'Submit a merchant survey; the decision, its reasons and the offers come back in this answer',
        headers: idempotencyHeader,
        body: submitApplicationBody,
        response: { 201: applicationSchema, ...stateErrors, ...commonErrors },
      },
    },
    async (request, reply) =>
      reply.command(submitApplication(deps, commandContext(request, deps.clock), request.body)),
  );

  r.get(
    '/v1/applications',
    {
      schema: {
        tags: ['applications'],
        operationId: 'listApplications',
        summary: 'Applications the caller may see, newest first',
        querystring: listApplicationsQuery,
        response: { 200: applicationListSchema, ...commonErrors },
      },
    },
    async (request) => {
      const { limit, cursor, ...filter } = request.query;
      return queries.listApplications(deps, request.principal, filter, limit, cursor);
    },
  );

  r.get(
    '/v1/applications/:id',
    {
      config: { errors: { 404: ['NOT_FOUND'] } },
      schema: {
        tags: ['applications'],
        operationId: 'getApplication',
        summary: 'An application with its latest decision and its offers',
        params: idParams,
        response: { 200: applicationSchema, 404: errorSchema, ...commonErrors },
      },
    },
    async (request) => queries.getApplication(deps, request.principal, request.params.id),
  );

  r.get(
    '/v1/applications/:id/events',
    {
      config: { errors: { 404: ['NOT_FOUND'] } },
      schema: {
        tags: ['applications'],
        operationId: 'listApplicationEvents',
        summary: 'The audit trail of an application and its offers, oldest first',
        params: idParams,
        response: {
          200: auditEventListSchema,
          404: errorSchema,
          ...commonErrors,
        },
      },
    },
    async (request) => queries.applicationEvents(deps, request.principal, request.params.id),
  );

  r.get(
    '/v1/reviews',
    {
      config: { roles: ['reviewer', 'admin'] },
      schema: {
        tags: ['reviews'],
        operationId: 'listReviews',
        summary: 'Referred applications waiting for a reviewer, newest first',
        querystring: listQuery.extend({ marketId: z.string().max(64).optional() }),
        response: { 200: applicationListSchema, ...commonErrors },
      },
    },
    async (request) => {
      const { limit, cursor, marketId } = request.query;
      return queries.listApplications(
        deps,
        request.principal,
        { status: 'referred', marketId },
        limit,
        cursor,
      );
    },
  );

  r.post(
    '/v1/applications/:id/review',
    {
      config: {
        errors: { 403: ['FORBIDDEN'], 404: ['NOT_FOUND'], 409: ['INVALID_STATE'] },
        roles: ['reviewer', 'admin'],
        idempotency: 'optional',
      },
      schema: {
        tags: ['reviews'],
        operationId: 'reviewApplication',
        summary:
          'Approve or decline a referred application (never one you submitted); a note is required',
        headers: optionalIdempotency,
        params: idParams,
        body: reviewBody,
        response: { 200: applicationSchema, ...stateErrors, ...commonErrors },
      },
    },
    async (request, reply) =>
      reply.command(
        reviewApplication(
          deps,
          commandContext(request, deps.clock),
          request.params.id,
          request.body,
        ),
      ),
  );
}
