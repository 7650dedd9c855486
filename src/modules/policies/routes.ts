import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../app';
import { commonErrors, errorSchema } from '../../platform/schemas';
import { activePolicySchema } from './schemas';
import * as service from './service';

export async function policyRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/v1/policies/active',
    {
      config: { roles: ['risk', 'admin', 'reviewer'] },
      schema: {
        tags: ['policies'],
        operationId: 'getActivePolicy',
        summary: 'The credit policy deciding live applications (the champion), and any challenger',
        response: { 200: activePolicySchema, 404: errorSchema, ...commonErrors },
      },
    },
    async () => service.activePolicy(deps),
  );
}
