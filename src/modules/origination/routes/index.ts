import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../../deps';
import { applicationRoutes } from './applications';
import { decisionRoutes } from './decisions';
import { exposureRoutes } from './exposure';
import { guaranteeGroupRoutes } from './guarantee-groups';
import { offerRoutes } from './offers';

/** Origination's routes: applications and reviews, offers, guarantee groups, exposure. */
export async function originationRoutes(app: FastifyInstance, deps: AppDeps) {
  await applicationRoutes(app, deps);
  await offerRoutes(app, deps);
  await guaranteeGroupRoutes(app, deps);
  await exposureRoutes(app, deps);
}

/** Registered after monitoring, where it always was: the OpenAPI document keeps its order. */
export { decisionRoutes };
