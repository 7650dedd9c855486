import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../deps';
import { commandContext } from '../../lib/command-context';
import { commonErrors, errorSchema, idParams } from '../../platform/schemas';
import {
  createMerchantBody,
  listMerchantsQuery,
  merchantListSchema,
  merchantSchema,
} from './schemas';
import * as service from './service';

const tags = ['merchants'];

export async function merchantRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/v1/merchants',
    {
      config: {
        errors: { 404: ['NOT_FOUND'], 409: ['DUPLICATE_MERCHANT'] },
        roles: ['officer', 'partner', 'admin'] as const,
        idempotency: 'optional',
      },
      schema: {
        tags,
        operationId: 'createMerchant',
        summary: 'Register a merchant in a market (officer, partner, admin)',
        description:
          "Identity number and phone are validated, stored only as a keyed digest and a masked copy, and shown masked. An officer registering in a market outside its own gets 404 (market not found, details naming body.marketId), whether or not the market exists; for other callers an unknown marketId is 400 naming body.marketId. The same identity number twice in one market is 409 DUPLICATE_MERCHANT. A partner key's partnerId is recorded: partners see only the merchants registered under it.",
        body: createMerchantBody,
        response: { 201: merchantSchema, 404: errorSchema, 409: errorSchema, ...commonErrors },
      },
    },
    async (request, reply) =>
      reply.command({
        status: 201,
        run: (tx) =>
          service.createMerchant(deps, commandContext(request, deps.clock), request.body, tx),
      }),
  );
  r.get(
    '/v1/merchants',
    {
      schema: {
        tags,
        operationId: 'listMerchants',
        summary: 'List the merchants the caller may see, newest first',
        description:
          "Officers see their markets' merchants, partners the merchants registered under their partnerId, reviewers, risk and admins all.",
        querystring: listMerchantsQuery,
        response: { 200: merchantListSchema, ...commonErrors },
      },
    },
    async (request) => service.listMerchants(deps, request.principal, request.query),
  );
  r.get(
    '/v1/merchants/:id',
    {
      config: { errors: { 404: ['NOT_FOUND'] } },
      schema: {
        tags,
        operationId: 'getMerchant',
        summary: 'Read a merchant (identity number and phone masked)',
        description: 'A merchant the caller may not see answers 404, like an unknown one.',
        params: idParams,
        response: { 200: merchantSchema, 404: errorSchema, ...commonErrors },
      },
    },
    async (request) => service.getMerchant(deps, request.principal, request.params.id),
  );
}
