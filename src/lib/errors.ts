/**
 * Named domain errors: services throw these, the error handler turns them into the one
 * JSON shape `{statusCode, code, message, messageZh?, details?}`.
 */
export interface ErrorDetail {
  path: string;
  message: string;
  messageZh?: string;
}

export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly messageZh?: string,
    readonly details?: ErrorDetail[],
    readonly headers?: Record<string, string>,
    /** Fields the answer carries besides the shape's own, e.g. `existingId` of a duplicate. */
    readonly extra?: { existingId?: string },
  ) {
    super(message);
    this.name = code;
  }
}

export const notFound = (what: string) =>
  new AppError(404, 'NOT_FOUND', `${what} not found`, `未找到${what}`);

export const forbidden = (
  message = 'Your role may not take this action',
  messageZh = '您的角色无权执行此操作',
) => new AppError(403, 'FORBIDDEN', message, messageZh);

export const unauthorized = (message: string) =>
  new AppError(401, 'UNAUTHORIZED', message, '身份验证失败');

export const validationFailed = (details: ErrorDetail[], message = 'Request validation failed') =>
  new AppError(400, 'VALIDATION_FAILED', message, '请求参数校验失败', details);

export const invalidState = (current: string, action: string) =>
  new AppError(
    409,
    'INVALID_STATE',
    `Cannot ${action}: current state is ${current}`,
    `当前状态为 ${current}，无法执行该操作`,
    [{ path: 'status', message: current }],
  );

export const conflict = (
  code: string,
  message: string,
  messageZh: string,
  details?: ErrorDetail[],
  extra?: AppError['extra'],
) => new AppError(409, code, message, messageZh, details, undefined, extra);

export const unprocessable = (
  code: string,
  message: string,
  messageZh: string,
  details?: ErrorDetail[],
) => new AppError(422, code, message, messageZh, details);

export const serviceUnavailable = () =>
  new AppError(
    503,
    'SERVICE_UNAVAILABLE',
    'The service is temporarily unavailable; retry shortly',
    '服务暂时不可用，请稍后重试',
    undefined,
    {
      'retry-after': '2',
    },
  );
