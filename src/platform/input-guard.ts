import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { type ErrorDetail, validationFailed } from './errors';

/** Deepest JSON nesting a request may carry (the default policy document has 7 levels). */
export const MAX_JSON_DEPTH = 64;

/**
 * The first thing in a parsed request part that PostgreSQL or our recursive code cannot take:
 * a NUL character in a string or key (PostgreSQL text and jsonb refuse it), or nesting deeper
 * than MAX_JSON_DEPTH (stringifying, merge-patching or diffing it would overflow the stack).
 * Iterative, so hostile nesting cannot overflow the check itself.
 */
export function inputProblem(value: unknown, root: string): ErrorDetail | null {
  const stack: [unknown, string, number][] = [[value, root, 0]];
  while (stack.length > 0) {
    const [v, path, depth] = stack.pop() as [unknown, string, number];
    if (typeof v === 'string') {
      if (v.includes('\u0000'))
        return { path, message: 'must not contain NUL characters', messageZh: '不得包含空字符' };
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH)
      return {
        path,
        message: `must not be nested deeper than ${MAX_JSON_DEPTH} levels`,
        messageZh: `嵌套层级不得超过 ${MAX_JSON_DEPTH} 层`,
      };
    for (const [key, child] of Object.entries(v)) {
      if (key.includes('\u0000'))
        return {
          path: `${path}.${key}`,
          message: 'keys must not contain NUL characters',
          messageZh: '字段名不得包含空字符',
        };
      stack.push([child, `${path}.${key}`, depth + 1]);
    }
  }
  return null;
}

/** Refuses such input with 400 VALIDATION_FAILED before any route validates or stores it. */
export const inputGuard = fp(async (app: FastifyInstance) => {
  app.addHook('preValidation', async (request) => {
    const problem =
      inputProblem(request.params, 'params') ??
      inputProblem(request.query, 'querystring') ??
      inputProblem(request.body, 'body');
    if (problem)
      throw validationFailed([problem], `Invalid ${problem.path.split('.')[0]}: ${problem.path}`);
  });
});
