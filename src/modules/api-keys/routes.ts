import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../deps';
import { commonErrors, errorSchema, idParams, listQuery } from '../../platform/schemas';
import { apiKeyListSchema, apiKeySchema, createApiKeyBody, issuedApiKeySchema } from './schemas';
import * as service from './service';

const adminOnly = { roles: ['admin'] as const };
/** The answer holds the secret, stored nowhere but as its hash: no stored answer, no replay. */
const issuing = { ...adminOnly, idempotency: 'never' as const };

export async function apiKeyRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/v1/api-keys',
    {
      config: issuing,
      schema: {
        tags: ['api-keys'],
        operationId: 'createApiKey',
        summary: 'Issue an API key; the secret is shown in this answer only',
        description:
          'Takes no Idempotency-Key (400 IDEMPOTENCY_KEY_NOT_ACCEPTED): the answer would have to be stored to be replayed, and the secret is stored only as its hash. If an answer is lost, find the key by its name in GET /v1/api-keys, revoke it and issue another.',
        body: createApiKeyBody,
        response: { 201: issuedApiKeySchema, ...commonErrors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await service.issueApiKey(deps, request.principal, request.body)),
  );
  r.get(
    '/v1/api-keys',
    {
      config: adminOnly,
      schema: {
        tags: ['api-keys'],
        operationId: 'listApiKeys',
        summary: 'List API keys (never their secrets)',
        querystring: listQuery,
        response: { 200: apiKeyListSchema, ...commonErrors },
      },
    },
    async (request) => service.listApiKeys(deps, request.query.limit, request.query.cursor),
  );
  r.delete(
    '/v1/api-keys/:id',
    {
      config: { errors: { 404: ['NOT_FOUND'] }, ...adminOnly, idempotency: 'optional' },
      schema: {
        tags: ['api-keys'],
        operationId: 'revokeApiKey',
        summary: 'Revoke an API key',
        params: idParams,
        response: { 200: apiKeySchema, 404: errorSchema, ...commonErrors },
      },
    },
    async (request, reply) =>
      reply.command({
        status: 200,
        run: (tx) => service.revokeApiKey(deps, request.params.id, tx),
      }),
  );
}
