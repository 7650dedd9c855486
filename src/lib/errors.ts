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

/** What a 404 can be about, with its Chinese name: every 404 reads in both languages. */
const THINGS_ZH = {
  'API key': 'API 密钥',
  'Active credit policy': '生效的授信政策',
  Application: '贷款申请',
  Decision: '审批决定',
  Event: '事件',
  'Guarantee group': '联保小组',
  Market: '市场',
  Merchant: '商户',
  Offer: '授信方案',
  Operator: '市场业主方',
  Policy: '授信政策',
  'Webhook endpoint': 'Webhook 端点',
} as const;
export type Thing = keyof typeof THINGS_ZH;

export const notFound = (what: Thing) =>
  new AppError(404, 'NOT_FOUND', `${what} not found`, `未找到该${THINGS_ZH[what]}`);

export const forbidden = (
  message = 'Your role may not take this action',
  messageZh = '您的角色无权执行此操作',
) => new AppError(403, 'FORBIDDEN', message, messageZh);

/**
 * 401 with a challenge (RFC 6750): `error="invalid_token"` when a key was sent but is not
 * accepted, a bare challenge when none was sent.
 */
export const unauthorized = (message: string, messageZh: string, invalidToken = true) =>
  new AppError(401, 'UNAUTHORIZED', message, messageZh, undefined, {
    'www-authenticate': invalidToken
      ? 'Bearer realm="merchant-lending", error="invalid_token"'
      : 'Bearer realm="merchant-lending"',
  });

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
