import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { AppError, type ErrorDetail, validationFailed } from '../lib/errors';
import {
  BODY_LIMITS,
  bodyLimitsOf,
  type InputLimits,
  MAX_JSON_DEPTH,
  QUERY_LIMITS,
  showKey,
  tooDeep,
  tooManyItems,
  tooManyKeys,
  tooManyValues,
} from './input-limits';
import { jsonStructureProblem } from './json-structure';

export { MAX_JSON_DEPTH };

/** A UTF-16 surrogate without its partner: with the u flag, a proper pair is one code point. */
const LONE_SURROGATE = /\p{Cs}/u;

function badText(s: string): { message: string; messageZh: string } | null {
  if (s.includes('\u0000')) return { message: 'NUL characters', messageZh: '空字符' };
  if (LONE_SURROGATE.test(s))
    return {
      message: 'lone UTF-16 surrogates (invalid Unicode)',
      messageZh: '孤立的 UTF-16 代理项（无效 Unicode）',
    };
  return null;
}

/**
 * The first thing in a parsed request part that PostgreSQL, our recursive code or the
 * validator should not be given: a NUL character or a lone surrogate in a string or key
 * (PostgreSQL text and jsonb refuse NUL; jsonb refuses a lone surrogate, and text silently
 * turns it into U+FFFD), nesting deeper than MAX_JSON_DEPTH (stringifying, merge-patching or
 * diffing it would overflow the stack), or more keys, items or values than `limits`.
 * Iterative and stopping at the first problem, so hostile input cannot overflow or stall it.
 */
export function inputProblem(
  value: unknown,
  root: string,
  limits: InputLimits = BODY_LIMITS,
): ErrorDetail | null {
  const stack: [unknown, string, number][] = [[value, root, 0]];
  let values = 0;
  while (stack.length > 0) {
    const [v, path, depth] = stack.pop() as [unknown, string, number];
    if (++values > limits.values) return tooManyValues(root, limits.values);
    if (typeof v === 'string') {
      const bad = badText(v);
      if (bad)
        return {
          path,
          message: `must not contain ${bad.message}`,
          messageZh: `不得包含${bad.messageZh}`,
        };
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH) return tooDeep(path);
    if (Array.isArray(v)) {
      if (v.length > limits.itemsPerArray) return tooManyItems(path, limits.itemsPerArray);
      // Pushed last to first, so the first problem in document order is the one reported.
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${path}.${i}`, depth + 1]);
      continue;
    }
    const keys = Object.keys(v);
    if (keys.length > limits.keysPerObject) return tooManyKeys(path, limits.keysPerObject);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i] as string;
      const bad = badText(key);
      if (bad)
        return {
          path: `${path}.${showKey(key)}`,
          message: `keys must not contain ${bad.message}`,
          messageZh: `字段名不得包含${bad.messageZh}`,
        };
      stack.push([(v as Record<string, unknown>)[key], `${path}.${key}`, depth + 1]);
    }
  }
  return null;
}

/** The charset parameter of a Content-Type, lower case; null when none is given. */
function charsetOf(contentType: string | undefined): string | null {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '');
  return match?.[1] ? match[1].toLowerCase() : null;
}

const refuse = (problem: ErrorDetail) =>
  validationFailed([problem], `Invalid ${problem.path.split('.')[0]}: ${problem.path}`);

/**
 * Refuses such input with 400 VALIDATION_FAILED before any route validates or stores it: a
 * JSON body's structure is counted on its text before it is parsed, then every part is
 * walked once parsed.
 */
export const inputGuard = fp(async (app: FastifyInstance) => {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    // The body is read as UTF-8: text in another charset (GBK, say) would be stored as mojibake.
    const charset = charsetOf(request.headers['content-type']);
    if (charset && charset !== 'utf-8' && charset !== 'utf8') {
      done(
        new AppError(
          415,
          'UNSUPPORTED_MEDIA_TYPE',
          `Request bodies must be UTF-8 JSON; charset ${charset} is not supported`,
          `请求体须为 UTF-8 编码的 JSON；不支持字符集 ${charset}`,
        ),
        undefined,
      );
      return;
    }
    const limits = bodyLimitsOf(request.routeOptions.config?.inputLimits);
    const problem = jsonStructureProblem(body as string, 'body', limits);
    if (problem) done(refuse(problem), undefined);
    else parseJson(request, body as string, done);
  });

  app.addHook('preValidation', async (request) => {
    const problem =
      inputProblem(request.params, 'params', QUERY_LIMITS) ??
      inputProblem(request.query, 'querystring', QUERY_LIMITS) ??
      inputProblem(request.body, 'body', bodyLimitsOf(request.routeOptions.config?.inputLimits));
    if (problem) throw refuse(problem);
  });
});
