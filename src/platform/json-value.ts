import { z } from 'zod';
import type { Json } from '../lib/json-document';
import { BODY_LIMITS } from './input-limits';

/**
 * The longest string or key a JSON value may hold: a request body's default limit (256 KiB), so
 * no value a request could carry is refused by it, while the document still states a limit.
 */
export const MAX_JSON_STRING = 256 * 1024;

/**
 * How deep arrays may nest directly in arrays ([[1]] is 2): far beyond any document or record
 * (a policy has none, the network's pairs are 2). Stated level by level (below), not as an array
 * of itself: a type generated from the document (openapi-typescript) cannot hold an array of
 * itself (TS2502), while recursion through an object is fine; and tools parse at most 100 levels
 * of nesting, so the levels cannot reach the input guard's MAX_JSON_DEPTH.
 */
export const MAX_ARRAY_NESTING = 8;

export type JsonValue = Json;

const scalars = () => [z.string().max(MAX_JSON_STRING), z.number(), z.boolean(), z.null()] as const;

/** A JSON object of values of `value` (how many keys it has, the input guard bounds). */
export const jsonObjectOf = <T extends z.ZodType>(value: T) =>
  z.record(z.string().max(MAX_JSON_STRING), value);

/** An array whose items may be arrays `levels - 1` deep further. */
function jsonArray(levels: number): z.ZodType<Json[]> {
  const items = [...scalars(), jsonObjectOf(jsonValueSchema)] as z.ZodType<Json>[];
  if (levels > 1) items.push(jsonArray(levels - 1));
  return z
    .array(z.union(items as [z.ZodType<Json>, ...z.ZodType<Json>[]]))
    .max(BODY_LIMITS.itemsPerArray);
}

/**
 * Any JSON value, typed (issue #14): for what carries any part of a policy document (a draft's
 * merge patch, a diff's before and after, audit data). One component, recursive by $ref through
 * its objects; its limits are the input guard's (BODY_LIMITS) but for arrays directly in arrays
 * (MAX_ARRAY_NESTING).
 */
export const jsonValueSchema: z.ZodType<JsonValue> = z
  .lazy(() => z.union([...scalars(), jsonArray(MAX_ARRAY_NESTING), jsonObjectOf(jsonValueSchema)]))
  .meta({ id: 'JsonValue', description: 'Any JSON value' });
