/**
 * Which error `code`s each operation can answer, per status: what the route declares its own
 * code paths throw (`config.errors`), plus what the platform adds to every route of its kind
 * (validation, authentication, roles, idempotency, body limits, rate limits, outages). The
 * OpenAPI document lists them as an enum on each error response, and in test mode the error
 * handler refuses to send a code the route did not declare, so the list cannot fall behind.
 */
import type { RouteOptions } from 'fastify';
import type { AppError } from '../lib/errors';

/** Error statuses a route may declare codes for (the platform declares the rest itself). */
export type RouteErrorStatus = 400 | 403 | 404 | 409 | 422 | 503;
export type RouteErrors = Partial<Record<RouteErrorStatus, readonly string[]>>;
/** Status (as a string, like the document's keys) to the codes answered with it. */
export type ErrorCodeTable = Record<string, string[]>;

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The error codes this route's own code paths throw, by status (NOT_FOUND,
     * INVALID_STATE...); the platform's are added (see platformErrors).
     */
    errors?: RouteErrors;
    /** Filled in when the route registers: the route's and the platform's codes. */
    errorCodes?: ErrorCodeTable;
  }
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

type RouteShape = Pick<RouteOptions, 'method' | 'url'> & {
  config?: { roles?: readonly string[]; public?: boolean; idempotency?: string };
};

/** The codes the platform may answer this route with, whatever the route itself does. */
export function platformErrors(route: RouteShape): ErrorCodeTable {
  const methods = [route.method].flat().map((m) => m.toUpperCase());
  const isApi = route.url.startsWith('/v1/');
  const secured = isApi && !route.config?.public;
  const takesBody = methods.some((m) => BODY_METHODS.has(m));
  const idempotency = route.config?.idempotency;
  const table: ErrorCodeTable = {
    // input-guard refuses NUL characters and oversized structures in any query or body.
    '400': ['VALIDATION_FAILED', 'BAD_REQUEST'],
    '500': ['INTERNAL_ERROR'],
    '503': ['SERVICE_UNAVAILABLE'],
  };
  if (takesBody) {
    table['400']?.push('INVALID_JSON');
    table['413'] = ['PAYLOAD_TOO_LARGE'];
    table['415'] = ['UNSUPPORTED_MEDIA_TYPE'];
  }
  if (secured) table['401'] = ['UNAUTHORIZED'];
  if (secured && route.config?.roles) table['403'] = ['FORBIDDEN'];
  if (isApi) table['429'] = ['RATE_LIMITED'];
  if (route.url.includes(':')) table['414'] = ['URI_TOO_LONG'];
  if (takesBody && isApi) {
    if (idempotency === 'never') table['400']?.push('IDEMPOTENCY_KEY_NOT_ACCEPTED');
    if (idempotency === 'optional' || idempotency === 'required') {
      table['409'] = ['IDEMPOTENCY_KEY_IN_USE'];
      table['422'] = ['IDEMPOTENCY_KEY_REUSED'];
    }
  }
  return table;
}

/** The route's own codes merged into the platform's, each list sorted and without repeats. */
export function errorCodeTable(route: RouteShape & { config?: { errors?: RouteErrors } }) {
  const table = platformErrors(route);
  for (const [status, codes] of Object.entries(route.config?.errors ?? {})) {
    table[status] = [...(table[status] ?? []), ...(codes as string[])];
  }
  for (const status of Object.keys(table))
    table[status] = [...new Set(table[status])].sort((a, b) => a.localeCompare(b));
  return table;
}

/** Whether the table lists this error's code under its status. */
export function declares(table: ErrorCodeTable | undefined, error: AppError): boolean {
  return table?.[String(error.statusCode)]?.includes(error.code) ?? false;
}
