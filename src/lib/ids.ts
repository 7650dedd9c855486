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
  | 'out'
  | 'whe'
  | 'whd';

// Random bytes drawn from the CSPRNG in blocks: one system call per ~270 ids, not one per id
// (Node's randomUUID batches the same way).
const BLOCK = 4096;
let block = Buffer.alloc(0);
let offset = 0;

/** `size` unguessable random bytes as base64url. */
export function randomToken(size: number): string {
  if (offset + size > block.length) {
    block = randomBytes(Math.max(BLOCK, size));
    offset = 0;
  }
  const token = block.toString('base64url', offset, offset + size);
  offset += size;
  return token;
}

/** Opaque, unguessable identifiers with a type prefix (API conventions). */
export function newId(prefix: IdPrefix): string {
  return `${prefix}_${randomToken(15)}`;
}
