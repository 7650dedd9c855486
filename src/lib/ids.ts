import { randomBytes } from 'node:crypto';

export type IdPrefix =
  | 'app'
  | 'off'
  | 'mer'
  | 'mkt'
  | 'opr'
  | 'grp'
  | 'pol'
  | 'dec'
  | 'key'
  | 'evt'
  | 'ptn'
  | 'out';

/** Opaque, unguessable identifiers with a type prefix (API conventions). */
export function newId(prefix: IdPrefix): string {
  return `${prefix}_${randomBytes(15).toString('base64url')}`;
}
