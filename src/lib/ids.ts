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

// Random bytes drawn from the CSPRNG in blocks: one system call per ~250 ids, not one per id
// (Node's randomUUID batches the same way).
const BLOCK = 4096;
let block = Buffer.alloc(0);
let offset = 0;

function draw(size: number): Buffer {
  if (offset + size > block.length) {
    block = randomBytes(Math.max(BLOCK, size));
    offset = 0;
  }
  const bytes = block.subarray(offset, offset + size);
  offset += size;
  return bytes;
}

/** `size` unguessable random bytes as base64url. */
export function randomToken(size: number): string {
  return draw(size).toString('base64url');
}

/** Crockford's base32, lower case: digits, then letters, so text sorts as the value in any collation. */
const BASE32 = '0123456789abcdefghjkmnpqrstvwxyz';
const TIME_CHARS = 10; // 50 bits of milliseconds: good until the year 10889
const RANDOM_CHARS = 16; // 80 random bits

let lastMs = -1;
let lastTime = '';

/** The millisecond as ten base32 characters: later times sort after earlier ones. */
function timePart(ms: number): string {
  if (ms === lastMs) return lastTime;
  let out = '';
  let rest = ms;
  for (let i = 0; i < TIME_CHARS; i++) {
    out = BASE32[rest % 32] + out;
    rest = Math.floor(rest / 32);
  }
  lastMs = ms;
  lastTime = out;
  return out;
}

/**
 * Opaque, unguessable identifiers with a type prefix (API conventions), time-ordered like a
 * UUIDv7 or a TypeID: the creation millisecond, then 80 random bits, in 26 base32 characters. New
 * rows' keys then go to the right-hand end of their indexes instead of to a random page, which
 * after each checkpoint would write that whole page to the WAL (ADR 0014). The time is the
 * machine's clock, for index order only: nothing reads it back.
 */
export function newId(prefix: IdPrefix): string {
  const random = draw(RANDOM_CHARS);
  let out = `${prefix}_${timePart(Date.now())}`;
  for (let i = 0; i < RANDOM_CHARS; i++) out += BASE32[(random[i] as number) & 31];
  return out;
}

/** The shape of an id `newId` makes: a three-letter prefix and 26 base32 characters. */
export const ID_SHAPE = /^[a-z]{3}_[0-9a-hjkmnp-tv-z]{26}$/;
