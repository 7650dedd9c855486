import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isDatabaseUnavailable } from './database-errors';
import { AppError, type ErrorDetail, serviceUnavailable } from './errors';

/** Chinese wording for zod's generic issue codes; custom checks carry their own `messageZh`. */
const ZH_BY_ZOD_CODE: Record<string, string> = {
  invalid_type: '类型不正确或缺少必填字段',
  too_small: '数值过小或长度过短',
  too_big: '数值过大或长度过长',
  invalid_value: '取值不在允许范围内',
  invalid_format: '格式不正确',
  unrecognized_keys: '包含不允许的字段',
  invalid_union: '取值不符合任何允许的形式',
  not_multiple_of: '数值不是要求的倍数',
  custom: '取值无效',
};

function send(reply: FastifyReply, err: AppError) {
  if (err.headers) reply.headers(err.headers);
  const body: Record<string, unknown> = {
    statusCode: err.statusCode,
    code: err.code,
    message: err.message,
  };
  if (err.messageZh) body.messageZh = err.messageZh;
  if (err.details?.length) body.details = err.details;
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

export const errorHandler = fp(async (app: FastifyInstance) => {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AppError) return send(reply, error);

    if (hasZodFastifySchemaValidationErrors(error)) {
      const where = error.validationContext ?? 'body';
      const details: ErrorDetail[] = error.validation.flatMap((v) => {
        const sub = v.instancePath.replace(/^\//, '').split('/').filter(Boolean);
        const params = v.params as { params?: { messageZh?: string }; keys?: string[] };
        // For unknown keys, name the offending key in the path rather than its parent.
        const keys =
          v.keyword === 'unrecognized_keys' && params.keys?.length ? params.keys : [undefined];
        return keys.map((k) => ({
          path: [where, ...sub, ...(k ? [k] : [])].join('.'),
          message: v.message ?? 'invalid value',
          messageZh: params.params?.messageZh ?? ZH_BY_ZOD_CODE[v.keyword] ?? '取值无效',
        }));
      });
      return send(
        reply,
        new AppError(
          400,
          'VALIDATION_FAILED',
          `Invalid ${where}: ${details.map((d) => d.path).join(', ')}`,
          '请求参数校验失败',
          details,
        ),
      );
    }

    const known = error.code ? FASTIFY_CODES[error.code] : undefined;
    if (known)
      return send(
        reply,
        new AppError(
          known[0],
          known[1],
          known[1] === 'UNSUPPORTED_MEDIA_TYPE'
            ? 'Content-Type must be application/json'
            : error.message,
          known[2],
        ),
      );

    if (error.statusCode === 429) {
      return send(
        reply,
        new AppError(
          429,
          'RATE_LIMITED',
          'Too many requests; slow down and retry later',
          '请求过于频繁，请稍后重试',
        ),
      );
    }

    if (isDatabaseUnavailable(error)) {
      request.log.warn({ err: error }, 'database unavailable');
      return send(reply, serviceUnavailable());
    }

    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return send(reply, new AppError(error.statusCode, 'BAD_REQUEST', error.message, '请求无效'));
    }

    request.log.error({ err: error }, 'unhandled error');
    return send(
      reply,
      new AppError(500, 'INTERNAL_ERROR', 'An internal error occurred', '服务器内部错误'),
    );
  });

  app.setNotFoundHandler((request, reply) =>
    send(
      reply,
      new AppError(
        404,
        'NOT_FOUND',
        `Route ${request.method} ${request.url.split('?')[0]} not found`,
        '未找到该接口',
      ),
    ),
  );
});
