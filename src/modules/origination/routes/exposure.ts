import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../../deps';
import { commonErrors, errorSchema, idParams } from '../../../platform/schemas';
import { merchantExposure } from '../queries';
import { exposureSchema } from '../schemas';

export async function exposureRoutes(app: FastifyInstance, deps: AppDeps) {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/v1/merchants/:id/exposure',
    {
      config: { errors: { 404: ['NOT_FOUND'] } },
      schema: {
        tags: ['merchants'],
        operationId: 'getMerchantExposure',
        summary: 'Loans, card limits and guarantees given by a merchant',
        params: idParams,
        response: { 200: exposureSchema, 404: errorSchema, ...commonErrors },
      },
    },
    async (request) => merchantExposure(deps, request.principal, request.params.id, deps.clock()),
  );
}
