import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../deps';
import { commandContext } from '../../lib/command-context';
import { commonErrors, errorSchema, idParams, listQuery } from '../../platform/schemas';
import {
  createOperatorBody,
  operatorListSchema,
  operatorSchema,
  updateGuaranteeAgreementBody,
} from './schemas';
import * as service from './service';

const adminOnly = { roles: ['admin'] as const };
const tags = ['operators'];

export async function operatorRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/v1/operators',
    {
      config: { ...adminOnly, idempotency: 'optional' },
      schema: {
        tags,
        operationId: 'createOperator',
        summary: 'Register a market operator and its guarantee agreement (admin)',
        body: createOperatorBody,
        response: { 201: operatorSchema, ...commonErrors },
      },
    },
    async (request, reply) =>
      reply.command({
        status: 201,
        run: (tx) => service.createOperator(commandContext(request, deps.clock), request.body, tx),
      }),
  );
  r.get(
    '/v1/operators',
    {
      schema: {
        tags,
        operationId: 'listOperators',
        summary: 'List market operators, newest first',
        querystring: listQuery,
        response: { 200: operatorListSchema, ...commonErrors },
      },
    },
    async (request) =>
      service.listOperators(deps, request.principal, request.query.limit, request.query.cursor),
  );
  r.get(
    '/v1/operators/:id',
    {
      config: { errors: { 404: ['NOT_FOUND'] } },
      schema: {
        tags,
        operationId: 'getOperator',
        summary: 'Read an operator with its guarantee capacity used, reserved and available',
        params: idParams,
        response: { 200: operatorSchema, 404: errorSchema, ...commonErrors },
      },
    },
    async (request) => service.getOperator(deps, request.principal, request.params.id),
  );
  r.patch(
    '/v1/operators/:id/guarantee-agreement',
    {
      config: {
        errors: { 404: ['NOT_FOUND'], 409: ['CAPACITY_EXCEEDED'] },
        ...adminOnly,
        idempotency: 'optional',
      },
      schema: {
        tags,
        operationId: 'updateGuaranteeAgreement',
        summary: "Change an operator's guarantee agreement (admin)",
        description:
          'Only the fields sent change. Capacity may not drop below used + reserved (409 CAPACITY_EXCEEDED naming body.capacity); perMerchantCap may not exceed capacity (400).',
        params: idParams,
        body: updateGuaranteeAgreementBody,
        response: { 200: operatorSchema, 404: errorSchema, 409: errorSchema, ...commonErrors },
      },
    },
    async (request, reply) =>
      reply.command({
        status: 200,
        run: (tx) =>
          service.updateGuaranteeAgreement(
            commandContext(request, deps.clock),
            request.params.id,
            request.body,
            tx,
          ),
      }),
  );
}
