import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../../deps';
import { commandContext } from '../../../lib/command-context';
import { commonErrors, errorSchema, idParams } from '../../../platform/schemas';
import { formGroup } from '../form-group';
import { getGroup, listGroups } from '../queries';
import { reviewGroup } from '../review-group';
import {
  createGroupBody,
  groupListSchema,
  groupReviewBody,
  groupSchema,
  listGroupsQuery,
} from '../schemas';

export async function guaranteeGroupRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/v1/guarantee-groups',
    {
      config: {
        errors: {
          404: ['NOT_FOUND'],
          409: ['MERCHANT_GROUP_LIMIT_REACHED', 'GUARANTEE_NETWORK_REFUSED'],
          422: ['GROUP_MARKETS_MIXED', 'GROUP_MEMBERS_RELATED'],
        },
        roles: ['officer', 'partner', 'admin'],
        idempotency: 'optional',
      },
      schema: {
        tags: ['guarantee-groups'],
        operationId: 'createGuaranteeGroup',
        summary:
          'Form a joint-guarantee group (联保小组) of merchants of one market, as many as the policy allows (3-5 by default)',
        headers: z.object({ 'idempotency-key': z.string().min(1).max(255).optional() }),
        body: createGroupBody,
        response: {
          201: groupSchema,
          404: errorSchema,
          409: errorSchema,
          422: errorSchema,
          ...commonErrors,
        },
      },
    },
    async (request, reply) =>
      reply.command(formGroup(deps, commandContext(request, deps.clock), request.body)),
  );
  r.get(
    '/v1/guarantee-groups',
    {
      schema: {
        tags: ['guarantee-groups'],
        operationId: 'listGuaranteeGroups',
        summary:
          'Groups you may see, newest first; `status=referred` lists the groups waiting for a reviewer',
        querystring: listGroupsQuery,
        response: { 200: groupListSchema, ...commonErrors },
      },
    },
    async (request) => {
      const { limit, cursor, status, marketId } = request.query;
      return listGroups(deps, request.principal, { status, marketId }, limit, cursor);
    },
  );
  r.get(
    '/v1/guarantee-groups/:id',
    {
      config: { errors: { 404: ['NOT_FOUND'] } },
      schema: {
        tags: ['guarantee-groups'],
        operationId: 'getGuaranteeGroup',
        summary: "A group, its members' applications and offers, and its decision",
        params: idParams,
        response: { 200: groupSchema, 404: errorSchema, ...commonErrors },
      },
    },
    async (request) => getGroup(deps, request.principal, request.params.id),
  );
  r.post(
    '/v1/guarantee-groups/:id/review',
    {
      config: {
        errors: { 403: ['FORBIDDEN'], 404: ['NOT_FOUND'], 409: ['INVALID_STATE'] },
        roles: ['reviewer', 'admin'],
        idempotency: 'optional',
      },
      schema: {
        tags: ['reviews'],
        operationId: 'reviewGuaranteeGroup',
        summary:
          "Approve or decline a group the guarantee network's rules referred (never one you formed or applied in); a note is required",
        headers: z.object({ 'idempotency-key': z.string().min(1).max(255).optional() }),
        params: idParams,
        body: groupReviewBody,
        response: {
          200: groupSchema,
          404: errorSchema,
          409: errorSchema,
          422: errorSchema,
          ...commonErrors,
        },
      },
    },
    async (request, reply) =>
      reply.command(
        reviewGroup(deps, commandContext(request, deps.clock), request.params.id, request.body),
      ),
  );
}
