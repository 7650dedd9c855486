/**
 * The structure count on a JSON text (before JSON.parse) agrees with the walk of the parsed
 * value: the same limits broken or none, whatever the JSON and its whitespace.
 */
import fc from 'fast-check';
import { inputProblem } from '../../src/platform/input-guard';
import { MAX_JSON_DEPTH } from '../../src/platform/input-limits';
import { jsonStructureProblem } from '../../src/platform/json-structure';

const small = { keysPerObject: 3, itemsPerArray: 3, values: 25 };

describe('jsonStructureProblem', () => {
  it('finds a broken limit exactly when the walk of the parsed value does', () => {
    fc.assert(
      fc.property(
        // Strings without NUL or lone surrogates: only structure differs between the two.
        fc.json({ maxDepth: 4, noUnicodeString: true }).filter((s) => !s.includes('\\u0000')),
        fc.boolean(),
        (text, pretty) => {
          const shown = pretty ? JSON.stringify(JSON.parse(text), null, 2) : text;
          const scanned = jsonStructureProblem(shown, 'body', small);
          const walked = inputProblem(JSON.parse(shown), 'body', small);
          expect(scanned === null).toBe(walked === null);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('names the path of the object, array or nesting at fault', () => {
    const limits = { keysPerObject: 2, itemsPerArray: 2, values: 100 };
    expect(jsonStructureProblem('{"a":[0,{"b\\"c":{"x":1,"y":2,"z":3}}]}', 'body', limits)).toEqual(
      expect.objectContaining({
        path: 'body.a.1.b"c',
        message: 'must not have more than 2 fields',
      }),
    );
    expect(jsonStructureProblem('{"a":{"b":[1, 2, 3]}}', 'body', limits)?.path).toBe('body.a.b');
    expect(jsonStructureProblem('[1,2]', 'body', { ...limits, values: 2 })?.path).toBe('body');
    const deep = `${'['.repeat(MAX_JSON_DEPTH + 1)}${']'.repeat(MAX_JSON_DEPTH + 1)}`;
    expect(jsonStructureProblem(deep, 'body', limits)?.message).toContain('nested deeper');
  });

  it('counts keys, not strings that look like them', () => {
    const limits = { keysPerObject: 1, itemsPerArray: 10, values: 100 };
    expect(jsonStructureProblem('{"a":"b,\\"c\\":1,{"}', 'body', limits)).toBeNull();
    expect(jsonStructureProblem('["a","b","c"]', 'body', limits)).toBeNull();
    expect(jsonStructureProblem('{"a":1,"b":2}', 'body', limits)?.path).toBe('body');
  });
});
