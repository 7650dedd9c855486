/**
 * What the platform adds to every operation, declared in the OpenAPI document: the answers any
 * route can give whatever its own schema says (401 with its challenge, 413/415 for a body,
 * 429, 500, 503) and the headers the plugins send (request id, rate limit, Retry-After,
 * Idempotent-Replayed; canonical casing, as linters look for it). Routes declare their own statuses; this fills in the rest, so that the
 * document tells a partner everything the server may answer.
 */
import { declareExamples, type OperationExample } from './openapi-examples';

type Json = Record<string, unknown>;

const ERROR = { $ref: '#/components/schemas/Error' };

const HEADERS: Record<string, Json> = {
  RequestId: {
    description: 'The request id: yours from `x-request-id` if sane, else one made for you',
    schema: { type: 'string', maxLength: 128 },
  },
  RateLimitLimit: {
    description:
      'Requests allowed per window for this API key; on a 401, failed authentications allowed from this address',
    schema: { type: 'integer', format: 'int32', minimum: 0, maximum: 1_000_000 },
  },
  RateLimitRemaining: {
    description: 'Requests (on a 401: failed authentications) left in the current window',
    schema: { type: 'integer', format: 'int32', minimum: 0, maximum: 1_000_000 },
  },
  RateLimitReset: {
    description: 'Seconds until the window resets',
    schema: { type: 'integer', format: 'int32', minimum: 0, maximum: 86_400 },
  },
  RetryAfter: {
    description: 'Seconds to wait before retrying',
    schema: { type: 'integer', format: 'int32', minimum: 0, maximum: 86_400 },
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

/** What a route's config says about who may call it and how retries work, for its description. */
export function operationDescription(
  summary: string | undefined,
  url: string,
  config: { roles?: readonly string[]; public?: boolean; idempotency?: string },
): string {
  const lines = [summary ? `${summary.replace(/[.;:]$/, '')}.` : ''];
  if (!url.startsWith('/v1/') || config.public) lines.push('No API key needed.');
  else if (config.roles) lines.push(`Roles: ${config.roles.join(', ')}.`);
  else lines.push('Any API key; answers are scoped to what the key may see.');
  if (config.idempotency === 'required')
    lines.push(
      'Send an `Idempotency-Key`: a retry with the same key and body replays the first answer (`Idempotent-Replayed: true`).',
    );
  if (config.idempotency === 'optional')
    lines.push(
      'An `Idempotency-Key` is optional: with one, a retry with the same key and body replays the first answer.',
    );
  return lines.filter(Boolean).join(' ');
}

/** The operation's key carrying its error codes from the transform (removed once used). */
export const ERROR_CODES_KEY = 'x-error-codes';

/** What each error status means, before its codes. */
const ERROR_DESCRIPTIONS: Record<string, string> = {
  '400': 'The request is not valid; `details` names each field',
  '401': 'No API key, or one that is not valid, revoked or expired',
  '403': 'Your role may not take this action',
  '404': 'Not found, or not yours to see',
  '409': 'The object is not in a state that allows this, or a conflicting request',
  '413': 'The body is larger than the limit',
  '414': 'A path parameter is too long',
  '415': 'The body is not UTF-8 JSON',
  '422': 'Understood but refused by a business rule',
  '429': 'Too many requests for this key, or failed authentications from this address',
  '500': 'An unexpected error; nothing about it is disclosed',
  '503': 'The database is unavailable or the server is closing',
};

const SUCCESS_DESCRIPTIONS: Record<string, string> = {
  '200': 'OK',
  '201': 'Created',
};

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** The error shape with `code` narrowed to what this response can carry. */
const errorWithCodes = (codes: string[]) => ({
  allOf: [ERROR, { type: 'object', properties: { code: { type: 'string', enum: codes } } }],
});

function declareOperation(path: string, op: Json) {
  const given = (op.responses ?? {}) as Record<string, Json>;
  const codes = (op[ERROR_CODES_KEY] ?? {}) as Record<string, string[]>;
  delete op[ERROR_CODES_KEY];
  const isApi = path.startsWith('/v1/');
  // A command that takes no body (accept, decline) says so: its body may be absent.
  const body = op.requestBody as Json | undefined;
  const bodySchema = ((body?.content as Record<string, Json> | undefined)?.['application/json']
    ?.schema ?? {}) as Json;
  if (body && ((bodySchema.anyOf ?? []) as Json[]).some((s) => s.type === 'null'))
    body.required = false;
  const replayable = ((op.parameters ?? []) as Json[]).some(
    (p) => p.in === 'header' && p.name === 'idempotency-key',
  );
  // Successes as the route declares them; every error status exactly as its code table says.
  const responses: Record<string, Json> = {};
  for (const [status, response] of Object.entries(given))
    if (status.startsWith('2')) responses[status] = response;
  for (const status of Object.keys(codes).sort()) {
    const list = codes[status] ?? [];
    responses[status] = {
      description: `${ERROR_DESCRIPTIONS[status] ?? 'Refused'}: ${list.map((c) => `\`${c}\``).join(', ')}`,
      content: { 'application/json': { schema: errorWithCodes(list) } },
    };
  }
  for (const [status, response] of Object.entries(responses)) {
    if (response.description === 'Default Response' || !response.description) {
      response.description = SUCCESS_DESCRIPTIONS[status] ?? 'Answer';
    }
    const headers: Record<string, unknown> = { 'X-Request-Id': ref('RequestId') };
    // A 401 (and a 429 for failed authentications) carries the failure budget's counters.
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

/** Every `$ref` target under `node`. */
function refsIn(node: unknown, found: Set<string>): void {
  if (Array.isArray(node)) {
    for (const item of node) refsIn(item, found);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string') found.add(value);
    else refsIn(value, found);
  }
}

/**
 * Drops the schemas no operation reaches: the zod provider emits an input and an output twin of
 * every named schema, and only one of them is used (a request's input, a response's output).
 */
function pruneUnusedSchemas(doc: Json): void {
  const schemas = ((doc.components as Json | undefined)?.schemas ?? {}) as Json;
  const reached = new Set<string>();
  const queue: string[] = [];
  const visit = (node: unknown) => {
    const refs = new Set<string>();
    refsIn(node, refs);
    for (const r of refs) {
      if (reached.has(r)) continue;
      reached.add(r);
      queue.push(r);
    }
  };
  visit(doc.paths);
  visit(doc.webhooks);
  while (queue.length > 0) {
    const next = queue.pop() as string;
    const name = next.replace('#/components/schemas/', '');
    if (next !== name) visit(schemas[name]);
  }
  for (const name of Object.keys(schemas))
    if (!reached.has(`#/components/schemas/${name}`)) delete schemas[name];
}

/** Applied to the finished document (after the zod transform). */
export function declarePlatform<T>(
  document: T,
  examples: Record<string, OperationExample> = {},
): T {
  const doc = document as unknown as Json;
  declareIntegerFormats(doc.paths);
  declareIntegerFormats((doc.components as Json | undefined)?.schemas);
  // For partners, not internal (OWASP API9: every server states its audience).
  for (const server of (doc.servers ?? []) as Json[]) server['x-internal'] ??= false;
  const components = (doc.components ?? {}) as Json;
  components.headers = { ...HEADERS, ...((components.headers as Json | undefined) ?? {}) };
  doc.components = components;
  for (const [path, item] of Object.entries((doc.paths ?? {}) as Record<string, Json>)) {
    for (const method of METHODS) {
      const op = item[method] as Json | undefined;
      if (op) declareOperation(path, op);
    }
  }
  declareExamples(doc, examples);
  pruneUnusedSchemas(doc);
  return document;
}
