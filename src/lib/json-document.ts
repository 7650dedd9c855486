/** JSON merge patch (RFC 7396) and a field-by-field diff, for policy documents. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isObject = (v: unknown): v is Record<string, Json> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export function mergePatch(target: unknown, patch: unknown): Json {
  if (!isObject(patch)) return patch as Json;
  const result: Record<string, Json> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

export interface FieldChange {
  path: string;
  kind: 'added' | 'removed' | 'changed';
  before?: Json;
  after?: Json;
}

/** Every leaf that differs, with paths like `scorecard.characteristics[2].bins[1].max`. */
export function diffDocuments(before: unknown, after: unknown, path = ''): FieldChange[] {
  // Both sides are JSON (documents read from jsonb, decisions as stored).
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => {
      const p = path ? `${path}.${k}` : k;
      if (!(k in after)) return [{ path: p, kind: 'removed' as const, before: before[k] }];
      if (!(k in before)) return [{ path: p, kind: 'added' as const, after: after[k] }];
      return diffDocuments(before[k], after[k], p);
    });
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const n = Math.max(before.length, after.length);
    return Array.from({ length: n }, (_, i) => {
      const p = `${path}[${i}]`;
      if (i >= after.length) return [{ path: p, kind: 'removed' as const, before: before[i] }];
      if (i >= before.length) return [{ path: p, kind: 'added' as const, after: after[i] }];
      return diffDocuments(before[i], after[i], p);
    }).flat();
  }
  return JSON.stringify(before) === JSON.stringify(after)
    ? []
    : [{ path, kind: 'changed', before: before as Json, after: after as Json }];
}
