/**
 * JsonValue, the typed free-form JSON of the document (issue #14): any JSON value, with the
 * stated limits; arrays directly in arrays are stated level by level (MAX_ARRAY_NESTING).
 */
import { jsonValueSchema, MAX_ARRAY_NESTING, MAX_JSON_STRING } from '../../src/platform/json-value';

const nestedArrays = (n: number): unknown => (n === 0 ? 1 : [nestedArrays(n - 1)]);
const nestedObjects = (n: number): unknown => (n === 0 ? 'x' : { a: [nestedObjects(n - 1)] });

describe('jsonValueSchema', () => {
  it.each([
    ['a string', 's'],
    ['a number', -1.5],
    ['a boolean', false],
    ['null', null],
    ['a document', { name: 'p', bins: [{ min: null, max: 3 }], values: [['a', 'b']] }],
    ['arrays nested to the limit', nestedArrays(MAX_ARRAY_NESTING)],
    ['objects and arrays alternating 30 deep', nestedObjects(30)],
  ])('accepts %s', (_, value) => {
    expect(jsonValueSchema.safeParse(value)).toEqual({ success: true, data: value });
  });

  it.each([
    ['arrays nested beyond the limit', nestedArrays(MAX_ARRAY_NESTING + 1)],
    ['a string over the limit', 'x'.repeat(MAX_JSON_STRING + 1)],
    ['undefined', undefined],
    ['a function', () => 1],
  ])('refuses %s', (_, value) => {
    expect(jsonValueSchema.safeParse(value).success).toBe(false);
  });
});
