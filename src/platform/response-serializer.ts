import type { FastifySerializerCompiler } from 'fastify/types/schema';
import { ResponseSerializationError } from 'fastify-type-provider-zod';
import { $ZodType, safeEncode, safeParse } from 'zod/v4/core';

/**
 * Answers serialized through their zod schema, as fastify-type-provider-zod does (`safeEncode`),
 * except that a schema with no part whose encoding differs from its parsing is checked with
 * `safeParse`: the same answer, about three times faster (zod's encode checks every node twice and
 * tries every member of a discriminated union; ~120 → ~35 µs for a submission's answer, issue #11).
 */

/** Zod 4 kinds that run differently backward (encode) than forward (parse). */
const DIRECTIONAL = new Set([
  'transform',
  'pipe',
  'default',
  'prefault',
  'catch',
  'success',
  'readonly',
]);

/** Whether the schema, anywhere inside, has a part that encodes otherwise than it parses. */
export function encodesLikeItParses(schema: $ZodType): boolean {
  const seen = new Set<$ZodType>();
  const plain = (s: $ZodType): boolean => {
    if (seen.has(s)) return true; // a recursive schema: its parts are being checked already
    seen.add(s);
    const def = s._zod.def as unknown as Record<string, unknown> & { type: string };
    if (DIRECTIONAL.has(def.type)) return false;
    if (def.type === 'lazy') return plain((def.getter as () => $ZodType)());
    return Object.values(def).every((v) => {
      if (v instanceof $ZodType) return plain(v);
      if (Array.isArray(v)) return v.every((x) => !(x instanceof $ZodType) || plain(x));
      if (v && typeof v === 'object')
        return Object.values(v).every((x) => !(x instanceof $ZodType) || plain(x));
      return true;
    });
  };
  return plain(schema);
}

function resolveSchema(maybe: unknown): $ZodType {
  if (maybe instanceof $ZodType) return maybe;
  const properties = (maybe as { properties?: unknown } | null)?.properties;
  if (properties instanceof $ZodType) return properties;
  throw new Error(`not a zod schema: ${JSON.stringify(maybe)}`);
}

export const serializerCompiler: FastifySerializerCompiler<unknown> = ({
  schema: maybeSchema,
  method,
  url,
}) => {
  const schema = resolveSchema(maybeSchema);
  const check = encodesLikeItParses(schema) ? safeParse : safeEncode;
  return (data) => {
    const result = check(schema, data);
    if (result.error) throw new ResponseSerializationError(method, url, { cause: result.error });
    return JSON.stringify(result.data);
  };
};
