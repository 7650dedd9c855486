import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../deps';
import { commandContext } from '../../lib/command-context';
import { commonErrors, errorSchema, idParams, listQuery } from '../../platform/schemas';
import { createMarketBody, marketListSchema, marketSchema } from './schemas';
import * as service from './service';

const tags = ['markets'];

export async function marketRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/v1/markets',
    {
      config: { roles: ['admin'] as const, idempotency: 'optional' },
      schema: {
        tags,
        operationId: 'createMarket',
        summary: 'Register a market run by an existing operator (admin)',
        description: 'An unknown operatorId is 400 naming body.operatorId.',
        body: createMarketBody,
        response: { 201: marketSchema, ...commonErrors },
      },
    },
    async (request, reply) =>
      reply.command({
        status: 201,
        run: (tx) => service.createMarket(commandContext(request, deps.clock), request.body, tx),
      }),
  );
  r.get(
    '/v1/markets',
    {
      schema: {
        tags,
        operationId: 'listMarkets',
        summary: 'List markets, newest first (officers: only their own markets)',
        querystring: listQuery,
        response: { 200: marketListSchema, ...commonErrors },
      },
    },
    async (request) =>
      service.listMarkets(deps, request.principal, request.query.limit, request.query.cursor),
  );
  r.get(
    '/v1/markets/:id',
    {
      config: { errors: { 404: ['NOT_FOUND'] } },
      schema: {
        tags,
        operationId: 'getMarket',
        summary: 'Read a market',
        description: "A market outside an officer's markets answers 404, like an unknown one.",
        params: idParams,
        response: { 200: marketSchema, 404: errorSchema, ...commonErrors },
      },
    },
    async (request) => service.getMarket(deps, request.principal, request.params.id),
  );
}
