import type { FastifyRequest } from 'fastify';
import type { Principal } from './principal';

/** Who acts, in which request, at which instant: one clock reading per request. */
export interface CommandContext {
  actor: Principal;
  requestId: string;
  now: Date;
}

export function commandContext(request: FastifyRequest, clock: () => Date): CommandContext {
  return { actor: request.principal, requestId: request.id, now: clock() };
}
