import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../deps';
import { commonErrors } from '../../platform/schemas';
import { eventListSchema, listEventsQuery } from './schemas';
import { eventFeed } from './service';

export async function eventRoutes(app: FastifyInstance, deps: AppDeps) {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/v1/events',
    {
      config: { roles: ['officer', 'partner', 'reviewer', 'risk', 'admin'] },
      schema: {
        tags: ['events'],
        operationId: 'listEvents',
        summary:
          'The events you may see, oldest first: poll with `after` = the last nextCursor (at-least-once, ordered per object)',
        querystring: listEventsQuery,
        response: { 200: eventListSchema, ...commonErrors },
      },
    },
    async (request) => eventFeed(deps, request.principal, request.query),
  );
}
