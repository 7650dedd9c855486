/**
 * fast-check generators for hostile request bodies. Not a test file.
 */
import fc from 'fast-check';

export const PROTO_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

/** Keys a caller might try to mass-assign. */
export const MASS_ASSIGNMENT_KEYS = [
  'id',
  'role',
  'status',
  'createdBy',
  'createdAt',
  'partnerId',
  'secretHash',
  'isAdmin',
  'marketIds',
  'used',
  'reserved',
  'decision',
  'publishedBy',
  'idNumberDigest',
];

/** An own property even for "__proto__" (plain assignment would set the prototype instead). */
export function withKey(target: Record<string, unknown>, key: string, value: unknown) {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return target;
}

export const deepNest = (depth: number, kind: 'array' | 'object') => {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = kind === 'array' ? [v] : { a: v };
  return v;
};

/** Objects whose keys include __proto__, constructor, prototype (and a polluting payload). */
export const evilObject: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(
    fc.constantFrom(...PROTO_KEYS, 'toString', 'hasOwnProperty', 'valueOf'),
    fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant({ polluted: 'yes' })),
    fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
  )
  .map(([key, value, rest]) => withKey({ ...rest }, key, value));

const nanLike = fc.constantFrom(
  'NaN',
  'Infinity',
  '-Infinity',
  '1e999',
  '-0',
  '0x10',
  '1_000',
  '١٢٣',
  '',
  ' ',
  'null',
  'undefined',
  'true',
);

const nasty = fc.constantFrom(
  "'; drop table applications; --",
  "1' or '1'='1",
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
  '{{7*7}}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, on purpose
  '${7*7}',
  '\u0000',
  '\u202e\u202d',
  '\ud800',
  '𠜎𠜱𠝹𠱓',
  '💥'.repeat(300),
  'Ａｄｍｉｎ',
  '2026-02-30',
  '9999-99-99T99:99:99Z',
  'mkt_demo_majiayan\u0000',
);

const extremeNumber = fc.oneof(
  fc.constantFrom(
    -1,
    -0,
    0.5,
    -1e308,
    1e308,
    Number.MAX_SAFE_INTEGER + 2,
    -Number.MAX_SAFE_INTEGER - 2,
    2 ** 63,
    Number.MIN_VALUE,
    1e-7,
  ),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer({ min: -(2 ** 31), max: -1 }),
  fc.maxSafeInteger(),
);

/** A value that is wrong somewhere: wrong type, out of range, huge, hostile. */
export const junk: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constantFrom(null, true, false, [], {}), weight: 2 },
  { arbitrary: extremeNumber, weight: 3 },
  { arbitrary: nanLike, weight: 2 },
  { arbitrary: nasty, weight: 2 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }), weight: 2 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 1 },
  { arbitrary: fc.integer({ min: 2_001, max: 120_000 }).map((n) => 'x'.repeat(n)), weight: 1 },
  {
    arbitrary: fc.integer({ min: 101, max: 20_000 }).map((n) => Array.from({ length: n }, () => 0)),
    weight: 1,
  },
  {
    arbitrary: fc
      .tuple(
        fc.integer({ min: 10, max: 2_000 }),
        fc.constantFrom('array', 'object') as fc.Arbitrary<'array' | 'object'>,
      )
      .map(([d, k]) => deepNest(d, k)),
    weight: 1,
  },
  { arbitrary: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 6 }), weight: 1 },
  { arbitrary: evilObject, weight: 2 },
);

type Path = (string | number)[];

/** Every place in a JSON value: containers and leaves. */
function places(v: unknown, at: Path = []): Path[] {
  const out: Path[] = [at];
  if (Array.isArray(v)) {
    for (const [i, x] of v.entries()) out.push(...places(x, [...at, i]));
  } else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) out.push(...places(x, [...at, k]));
  return out;
}

function parentOf(root: unknown, path: Path): unknown {
  let cur = root;
  for (const p of path.slice(0, -1)) cur = (cur as Record<string | number, unknown>)[p];
  return cur;
}

export type Mutation =
  | { op: 'delete' }
  | { op: 'replace'; value: unknown }
  | { op: 'extra'; key: string; value: unknown };

/** One mutation of a valid body: a field dropped, replaced with junk, or an extra key added. */
export function mutated(base: unknown): fc.Arbitrary<unknown> {
  const where = places(base);
  return fc
    .tuple(
      fc.nat({ max: where.length - 1 }),
      fc.oneof(
        fc.constant({ op: 'delete' } as Mutation),
        junk.map((value) => ({ op: 'replace', value }) as Mutation),
        fc
          .tuple(
            fc.oneof(
              fc.constantFrom(...PROTO_KEYS, ...MASS_ASSIGNMENT_KEYS),
              fc.string({ unit: 'grapheme', maxLength: 20 }),
            ),
            fc.oneof(junk, fc.constant({ polluted: 'yes' })),
          )
          .map(([key, value]) => ({ op: 'extra', key, value }) as Mutation),
      ),
    )
    .map(([i, m]) => {
      const body = structuredClone(base) as Record<string, unknown>;
      const path = where[i] ?? [];
      if (m.op === 'extra') {
        const target = path.length ? getAt(body, path) : body;
        if (target && typeof target === 'object' && !Array.isArray(target))
          withKey(target as Record<string, unknown>, m.key, m.value);
        else withKey(body, m.key, m.value);
        return body;
      }
      if (path.length === 0) return m.op === 'replace' ? m.value : undefined;
      const parent = parentOf(body, path) as Record<string | number, unknown>;
      const last = path[path.length - 1] as string | number;
      if (m.op === 'delete') {
        if (Array.isArray(parent)) parent.splice(last as number, 1);
        else delete parent[last];
      } else if (typeof last === 'string')
        withKey(parent as Record<string, unknown>, last, m.value);
      else parent[last] = m.value;
      return body;
    });
}

function getAt(root: unknown, path: Path): unknown {
  let cur = root;
  for (const p of path) cur = (cur as Record<string | number, unknown>)[p];
  return cur;
}

/** Bodies for a route: anything at all, hostile objects, and (given a valid body) its mutations. */
export function hostileBody(base?: unknown): fc.Arbitrary<unknown> {
  const general = fc.oneof(
    fc.anything({ maxDepth: 3 }),
    fc.jsonValue({ maxDepth: 4 }),
    evilObject,
    junk,
    fc.dictionary(fc.constantFrom(...MASS_ASSIGNMENT_KEYS), junk, { maxKeys: 4 }),
  );
  return base === undefined
    ? general
    : fc.oneof({ arbitrary: general, weight: 1 }, { arbitrary: mutated(base), weight: 3 });
}

/** Path parameters that name nothing: unicode, huge, traversal, injection, prototype names. */
export const hostileId: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...PROTO_KEYS, '..', '.', '%2e%2e', "' or 1=1 --", 'null', 'NaN', '-1', '0'),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
  fc.string({ minLength: 65, maxLength: 2_000 }),
  nasty.filter((s) => s.length > 0),
  fc.string({ minLength: 4, maxLength: 30 }).map((s) => `app_${s}`),
);
