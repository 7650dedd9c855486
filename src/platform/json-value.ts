import { z } from 'zod';
import type { Json } from '../lib/json-document';
import { BODY_LIMITS } from './input-limits';

/**
 * The longest string or key a JSON value may hold: a request body's default limit (256 KiB), so
 * no value a request could carry is refused by it, while the document still states a limit.
 */
export const MAX_JSON_STRING = 256 * 1024;

export type JsonValue =
  | string
  | number
  | boolean
  | null
  | JsonValue[]
  | { [key: string]: JsonValue };

/**
 * Any JSON value, typed (issue #14): for what carries any part of a policy document (a draft's
 * merge patch, a diff's before and after, audit data). One component, recursive by $ref; its
 * limits are the input guard's (BODY_LIMITS), so it refuses nothing the guard lets through.
 */
export const jsonValueSchema: z.ZodType<JsonValue> = z
  .lazy(() =>
    z.union([
      z.string().max(MAX_JSON_STRING),
      z.number(),
      z.boolean(),
      z.null(),
      z.array(jsonValueSchema).max(BODY_LIMITS.itemsPerArray),
      jsonObjectOf(jsonValueSchema),
    ]),
  )
  .meta({ id: 'JsonValue', description: 'Any JSON value' });

/** A JSON object of values of `value` (how many keys it has, the input guard bounds). */
export const jsonObjectOf = <T extends z.ZodType>(value: T) =>
  z.record(z.string().max(MAX_JSON_STRING), value);
