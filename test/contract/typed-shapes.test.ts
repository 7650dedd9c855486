/**
 * No public shape without a type (issue #14): every schema in the document says what it holds.
 * Free-form JSON (a draft's document, a merge patch, a diff's values) is the JsonValue component;
 * a new untyped place fails here.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

type Json = Record<string, unknown>;
const doc: Json = JSON.parse(
  readFileSync(path.resolve(__dirname, '../../openapi/openapi.json'), 'utf8'),
);

/** Places allowed to stay untyped: none. */
const NOT_YET_TYPED: string[] = [];

const SCHEMA_POSITION =
  /(schema|properties\.[^.]+|items|additionalProperties|(anyOf|allOf|oneOf)\.\d+)$/;
const TYPED_BY = ['type', '$ref', 'anyOf', 'allOf', 'oneOf', 'enum', 'const'];

function untyped(node: unknown, at: string, found: string[]): void {
  if (Array.isArray(node)) {
    node.forEach((item, i) => {
      untyped(item, `${at}.${i}`, found);
    });
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  if (SCHEMA_POSITION.test(at) && !TYPED_BY.some((k) => k in node)) found.push(at);
  for (const [key, value] of Object.entries(node))
    if (key !== 'example' && key !== 'examples') untyped(value, `${at}.${key}`, found);
}

test('every schema in the document has a type, but for the known free-form places', () => {
  const found: string[] = [];
  untyped(doc.paths, 'paths', found);
  untyped(doc.components, 'components', found);
  expect(found.sort()).toEqual(NOT_YET_TYPED);
});
