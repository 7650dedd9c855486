import type { ErrorDetail } from '../lib/errors';

/** Deepest JSON nesting a request may carry (the default policy document has 7 levels). */
export const MAX_JSON_DEPTH = 64;

/**
 * How much structure one request part may carry before any schema sees it. Parsing and
 * validation work and the size of error answers grow with these, so they are bounded first,
 * far above anything real: the default policy document has 362 values, 17 keys in its
 * largest object and 10 items in its longest array; a survey case has about 40 values.
 */
export interface InputLimits {
  keysPerObject: number;
  itemsPerArray: number;
  /** Values of every kind (objects, arrays, strings, numbers...) in the whole part. */
  values: number;
}

export const BODY_LIMITS: InputLimits = {
  keysPerObject: 1_000,
  itemsPerArray: 1_000,
  values: 20_000,
};
/** A query string is flat and short: a handful of parameters. */
export const QUERY_LIMITS: InputLimits = { keysPerObject: 100, itemsPerArray: 100, values: 1_000 };

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Body limits of a route that takes more than BODY_LIMITS (inline simulation batches). */
    inputLimits?: Partial<InputLimits>;
  }
}

/** A route's body limits: its own, over the defaults. */
export const bodyLimitsOf = (own: Partial<InputLimits> | undefined): InputLimits =>
  own ? { ...BODY_LIMITS, ...own } : BODY_LIMITS;

export const tooManyKeys = (path: string, max: number): ErrorDetail => ({
  path,
  message: `must not have more than ${max} fields`,
  messageZh: `字段数量不得超过 ${max} 个`,
});

export const tooManyItems = (path: string, max: number): ErrorDetail => ({
  path,
  message: `must not have more than ${max} items`,
  messageZh: `元素数量不得超过 ${max} 个`,
});

export const tooManyValues = (path: string, max: number): ErrorDetail => ({
  path,
  message: `must not carry more than ${max} values in all`,
  messageZh: `值的总数不得超过 ${max} 个`,
});

export const tooDeep = (path: string): ErrorDetail => ({
  path,
  message: `must not be nested deeper than ${MAX_JSON_DEPTH} levels`,
  messageZh: `嵌套层级不得超过 ${MAX_JSON_DEPTH} 层`,
});

/** A key as a path shows it: never echoing the characters refused (NUL, lone surrogates). */
export const showKey = (key: string) =>
  key.replace(/\p{Cs}/gu, '\ufffd').replaceAll('\u0000', '\ufffd');
