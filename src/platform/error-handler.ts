import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isDatabaseUnavailable } from '../db/database-errors';
import { AppError, serviceUnavailable } from '../lib/errors';
import { declares, errorCodeTable } from './error-codes';
import { trackRouteMethods } from './route-methods';
import { MAX_LENGTH } from './schemas';
import { MAX_DETAILS, validationFailedAnswer } from './validation-details';

/** A text cut to the length the error shape declares (a path may echo a caller's long key). */
const clip = (text: string, max: number) =>
  text.length > max ? `${text.slice(0, max - 1)}…` : text;

function send(reply: FastifyReply, err: AppError) {
  if (err.headers) reply.headers(err.headers);
  let message = err.message;
  // Every answer stays small, whoever built the error (e.g. every problem of a policy).
  if (err.details && err.details.length > MAX_DETAILS)
    message = `${err.message} (${err.details.length} problems; details lists the first ${MAX_DETAILS})`;
  const body: Record<string, unknown> = {
    statusCode: err.statusCode,
    code: err.code,
    message: clip(message, MAX_LENGTH.text),
  };
  if (err.messageZh) body.messageZh = clip(err.messageZh, MAX_LENGTH.text);
  if (err.details?.length)
    body.details = err.details.slice(0, MAX_DETAILS).map((d) => ({
      ...d,
      path: clip(d.path, MAX_LENGTH.path),
      message: clip(d.message, MAX_LENGTH.text),
      ...(d.messageZh === undefined ? {} : { messageZh: clip(d.messageZh, MAX_LENGTH.text) }),
    }));
  if (err.extra) Object.assign(body, err.extra);
  return reply.status(err.statusCode).type('application/json; charset=utf-8').send(body);
}

/** Maps Fastify's own client errors to stable codes. */
const FASTIFY_CODES: Record<string, [number, string, string]> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'UNSUPPORTED_MEDIA_TYPE', '仅支持 application/json 请求'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'BAD_REQUEST', '请求长度无效'],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'PAYLOAD_TOO_LARGE', '请求体过大'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'INVALID_JSON', '请求体不能为空'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'INVALID_JSON', '请求体不是合法的 JSON'],
};

/**
 * Fastify's `frameworkErrors`: a malformed URL or an overlong path parameter is refused by the
 * router before any hook or error handler runs; answer it in the same error shape (Fastify's
 * default is its own shape), never echoing the URL. No onRequest hook runs for these, so the
 * request id and helmet's headers that matter for a JSON answer are set here.
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  reply.headers({
    'x-request-id': request.id,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'SAMEORIGIN',
    'referrer-policy': 'no-referrer',
    'strict-transport-security': 'max-age=31536000; includeSubDomains',
  });
  return send(
    reply,
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? new AppError(414, 'URI_TOO_LONG', 'A path parameter is too long', '路径参数过长')
      : new AppError(400, 'BAD_REQUEST', 'Malformed URL', '请求地址无效'),
  );
}

export interface ErrorHandlerOptions {
  /**
   * Refuse (500 UNDECLARED_ERROR_CODE) an error whose code the route does not declare for its
   * status: on in tests, so that every test that provokes an error also checks the document.
   */
  checkDeclaredCodes?: boolean;
}

/** In test mode: an AppError answered only if its route declares its code for its status. */
function declaredOrRefused(request: FastifyRequest, error: AppError, check: boolean): AppError {
  const table = request.routeOptions.config?.errorCodes;
  if (!check || !table || declares(table, error)) return error;
  request.log.error({ code: error.code, status: error.statusCode }, 'undeclared error code');
  return new AppError(
    500,
    'UNDECLARED_ERROR_CODE',
    `${request.routeOptions.method} ${request.routeOptions.url} answered ${error.statusCode} ${error.code}, which its config.errors does not declare`,
    '接口返回了未声明的错误码',
  );
}

export const errorHandler = fp(async (app: FastifyInstance, options: ErrorHandlerOptions) => {
  const check = options.checkDeclaredCodes === true;
  // Every route's error codes, for the document and for the check below.
  // Only documented operations: the web pages' static files answer as @fastify/static does.
  app.addHook('onRoute', (route) => {
    if (route.schema && 'operationId' in route.schema)
      route.config = { ...route.config, errorCodes: errorCodeTable(route) };
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const answer = toAppError(error, request);
    return send(
      reply,
      answer.statusCode === 500 ? answer : declaredOrRefused(request, answer, check),
    );
  });

  function toAppError(error: FastifyError, request: FastifyRequest): AppError {
    if (error instanceof AppError) return error;

    if (hasZodFastifySchemaValidationErrors(error))
      return validationFailedAnswer(error.validationContext ?? 'body', error.validation);

    const known = error.code ? FASTIFY_CODES[error.code] : undefined;
    if (known)
      return new AppError(
        known[0],
        known[1],
        known[1] === 'UNSUPPORTED_MEDIA_TYPE'
          ? 'Content-Type must be application/json'
          : error.message,
        known[2],
      );

    if (error.statusCode === 429) {
      return new AppError(
        429,
        'RATE_LIMITED',
        'Too many requests; slow down and retry later',
        '请求过于频繁，请稍后重试',
      );
    }

    if (isDatabaseUnavailable(error)) {
      request.log.warn({ err: error }, 'database unavailable');
      return serviceUnavailable();
    }

    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return new AppError(error.statusCode, 'BAD_REQUEST', error.message, '请求无效');
    }

    request.log.error({ err: error }, 'unhandled error');
    return new AppError(500, 'INTERNAL_ERROR', 'An internal error occurred', '服务器内部错误');
  }

  const allowedMethods = trackRouteMethods(app);
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    const allowed = allowedMethods(path);
    // A route of this method that found nothing (a missing static file) is a plain 404.
    const method = request.method === 'HEAD' ? 'GET' : request.method;
    if (allowed.length > 0 && !allowed.includes(method)) {
      const allow = [...allowed, ...(allowed.includes('GET') ? ['HEAD'] : [])].join(', ');
      return send(
        reply,
        new AppError(
          405,
          'METHOD_NOT_ALLOWED',
          `${request.method} is not allowed on ${path}; allowed: ${allow}`,
          `该接口不支持 ${request.method} 方法；支持：${allow}`,
          undefined,
          { allow },
        ),
      );
    }
    return send(
      reply,
      new AppError(404, 'NOT_FOUND', `Route ${request.method} ${path} not found`, '未找到该接口'),
    );
  });
});
