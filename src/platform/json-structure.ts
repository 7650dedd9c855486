import type { ErrorDetail } from '../lib/errors';
import {
  type InputLimits,
  MAX_JSON_DEPTH,
  showKey,
  tooDeep,
  tooManyItems,
  tooManyKeys,
  tooManyValues,
} from './input-limits';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
const endsLiteral = (c: number) =>
  isSpace(c) || c === COMMA || c === COLON || c === CLOSE_OBJECT || c === CLOSE_ARRAY;

function decodeKey(raw: string): string {
  try {
    return showKey(String(JSON.parse(raw)));
  } catch {
    return showKey(raw.slice(1, -1));
  }
}

/**
 * The first structural limit a JSON text breaks (keys per object, items per array, values in
 * all, nesting), found by one pass over its characters without building anything. Run before
 * JSON.parse: parsing an object of a million keys alone takes seconds, and nothing after it
 * should see one. Not a syntax check (JSON.parse follows); on malformed text it just counts.
 */
export function jsonStructureProblem(
  text: string,
  root: string,
  limits: InputLimits,
): ErrorDetail | null {
  // Per open container: object or array, members so far, and (objects) the current key's text.
  const isObject: boolean[] = [];
  const counts: number[] = [];
  const keys: string[] = [];
  let values = 0;
  let expectKey = false;
  /** The path of the container open at `depth` (0: the root value). */
  const pathTo = (depth: number) => {
    let path = root;
    for (let j = 0; j < depth; j++)
      path += `.${isObject[j] ? decodeKey(keys[j] as string) : String((counts[j] as number) - 1)}`;
    return path;
  };

  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) continue;
    if (c === COLON) {
      expectKey = false;
      continue;
    }
    if (c === COMMA) {
      expectKey = isObject[isObject.length - 1] === true;
      continue;
    }
    if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      isObject.pop();
      counts.pop();
      keys.pop();
      expectKey = false;
      continue;
    }
    const top = isObject.length - 1;
    if (c === QUOTE) {
      const start = i;
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === BACKSLASH) i++;
        else if (d === QUOTE) break;
      }
      if (expectKey && isObject[top]) {
        keys[top] = text.slice(start, i + 1);
        counts[top] = (counts[top] as number) + 1;
        if ((counts[top] as number) > limits.keysPerObject)
          return tooManyKeys(pathTo(top), limits.keysPerObject);
        expectKey = false;
        continue;
      }
    } else if (c !== OPEN_OBJECT && c !== OPEN_ARRAY) {
      // A number or literal: skip to its end.
      while (i + 1 < text.length && !endsLiteral(text.charCodeAt(i + 1))) i++;
    }
    // A value starts here.
    if (++values > limits.values) return tooManyValues(root, limits.values);
    if (top >= 0 && !isObject[top]) {
      counts[top] = (counts[top] as number) + 1;
      if ((counts[top] as number) > limits.itemsPerArray)
        return tooManyItems(pathTo(top), limits.itemsPerArray);
    }
    if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (isObject.length >= MAX_JSON_DEPTH) return tooDeep(pathTo(isObject.length));
      isObject.push(c === OPEN_OBJECT);
      counts.push(0);
      keys.push('');
      expectKey = c === OPEN_OBJECT;
    }
  }
  return null;
}
