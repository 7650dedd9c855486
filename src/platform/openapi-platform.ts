/**
 * What the platform adds to every operation, declared in the OpenAPI document: the answers any
 * route can give whatever its own schema says (401 with its challenge, 413/415 for a body,
 * 429, 500, 503) and the headers the plugins send (request id, rate limit, Retry-After,
 * Idempotent-Replayed; canonical casing, as linters look for it). Routes declare their own statuses; this fills in the rest, so that the
 * document tells a partner everything the server may answer.
 */
type Json = Record<string, unknown>;

const ERROR = { $ref: '#/components/schemas/Error' };

const HEADERS: Record<string, Json> = {
  RequestId: {
    description: 'The request id: yours from `x-request-id` if sane, else one made for you',
    schema: { type: 'string', maxLength: 128 },
  },
  RateLimitLimit: {
    description: 'Requests allowed per window for this API key',
    schema: { type: 'integer', format: 'int32', minimum: 0 },
  },
  RateLimitRemaining: {
    description: 'Requests left in the current window',
    schema: { type: 'integer', format: 'int32', minimum: 0 },
  },
  RateLimitReset: {
    description: 'Seconds until the window resets',
    schema: { type: 'integer', format: 'int32', minimum: 0 },
  },
  RetryAfter: {
    description: 'Seconds to wait before retrying',
    schema: { type: 'integer', format: 'int32', minimum: 0 },
  },
  IdempotentReplayed: {
    description:
      '`true` when this is the stored answer to an earlier request with the same Idempotency-Key',
    schema: { type: 'string', enum: ['true'] },
  },
  WwwAuthenticate: {
    description: 'The Bearer challenge (RFC 6750)',
    schema: { type: 'string', maxLength: 200 },
  },
};

const ref = (name: keyof typeof HEADERS) => ({ $ref: `#/components/headers/${name}` });

const PLATFORM_ANSWERS: Record<string, string> = {
  '401': 'No API key, or one that is not valid (`UNAUTHORIZED`)',
  '413': 'The body is larger than the limit (`PAYLOAD_TOO_LARGE`)',
  '415': 'The body is not UTF-8 JSON (`UNSUPPORTED_MEDIA_TYPE`)',
  '429':
    'Too many requests for this key, or failed authentications from this address (`RATE_LIMITED`)',
  '500': 'An unexpected error (`INTERNAL_ERROR`); nothing about it is disclosed',
  '503': 'The database is unavailable or the server is closing (`SERVICE_UNAVAILABLE`)',
};

const DEFAULT_DESCRIPTIONS: Record<string, string> = {
  '200': 'OK',
  '201': 'Created',
  '400':
    'The request is not valid (`VALIDATION_FAILED`, `INVALID_JSON`); `details` names each field',
  '403': 'Your role may not take this action (`FORBIDDEN`)',
  '404': 'Not found, or not yours to see (`NOT_FOUND`)',
  '409': 'The object is not in a state that allows this, or a conflict (`INVALID_STATE`, …)',
  '422': 'Understood but refused by a business rule',
};

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

function declareOperation(path: string, op: Json) {
  const responses = (op.responses ?? {}) as Record<string, Json>;
  const isApi = path.startsWith('/v1/');
  const secured = !(Array.isArray(op.security) && op.security.length === 0);
  const wanted = ['500', '503'];
  if (isApi) wanted.push('429');
  if (isApi && secured) wanted.push('401');
  if (op.requestBody) wanted.push('413', '415');
  for (const status of wanted) {
    responses[status] ??= {
      description: PLATFORM_ANSWERS[status],
      content: { 'application/json': { schema: ERROR } },
    };
  }
  const replayable = ((op.parameters ?? []) as Json[]).some(
    (p) => p.in === 'header' && p.name === 'idempotency-key',
  );
  for (const [status, response] of Object.entries(responses)) {
    if (response.description === 'Default Response' || !response.description) {
      response.description = DEFAULT_DESCRIPTIONS[status] ?? PLATFORM_ANSWERS[status] ?? 'Answer';
    }
    const headers: Record<string, unknown> = { 'X-Request-Id': ref('RequestId') };
    if (isApi && (status.startsWith('2') || status.startsWith('4'))) {
      headers['X-RateLimit-Limit'] = ref('RateLimitLimit');
      headers['X-RateLimit-Remaining'] = ref('RateLimitRemaining');
      headers['X-RateLimit-Reset'] = ref('RateLimitReset');
    }
    if (status === '429' || status === '503') headers['Retry-After'] = ref('RetryAfter');
    if (status === '401') headers['WWW-Authenticate'] = ref('WwwAuthenticate');
    if (replayable && status.startsWith('2'))
      headers['Idempotent-Replayed'] = ref('IdempotentReplayed');
    response.headers = { ...headers, ...((response.headers as Json | undefined) ?? {}) };
  }
  op.responses = responses;
}

const INT32_MAX = 2 ** 31 - 1;

/**
 * Integers say their width, read from the bounds the server enforces: int64 for fen and other
 * values that may pass 2^31 (zod keeps them within safe integers), int32 for the rest.
 */
function declareIntegerFormats(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) declareIntegerFormats(item);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const schema = node as Json;
  if (schema.type === 'integer' && schema.format === undefined) {
    const max = typeof schema.maximum === 'number' ? schema.maximum : Number.POSITIVE_INFINITY;
    const min = typeof schema.minimum === 'number' ? schema.minimum : Number.NEGATIVE_INFINITY;
    schema.format = max <= INT32_MAX && min >= -INT32_MAX - 1 ? 'int32' : 'int64';
  }
  for (const value of Object.values(schema)) declareIntegerFormats(value);
}

/** Applied to the finished document (after the zod transform). */
export function declarePlatform<T>(document: T): T {
  const doc = document as unknown as Json;
  declareIntegerFormats(doc.paths);
  declareIntegerFormats((doc.components as Json | undefined)?.schemas);
  const components = (doc.components ?? {}) as Json;
  components.headers = { ...HEADERS, ...((components.headers as Json | undefined) ?? {}) };
  doc.components = components;
  for (const [path, item] of Object.entries((doc.paths ?? {}) as Record<string, Json>)) {
    for (const method of METHODS) {
      const op = item[method] as Json | undefined;
      if (op) declareOperation(path, op);
    }
  }
  return document;
}
