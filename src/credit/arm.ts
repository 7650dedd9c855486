/**
 * Champion/challenger assignment: a merchant always lands in the same arm, with no stored
 * state and no randomness, by hashing its id (32-bit FNV-1a over UTF-16 code units).
 */
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

export function fnv1a32(text: string): number {
  let hash = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, FNV_PRIME);
  }
  return hash >>> 0;
}

/**
 * MurmurHash3's finaliser: FNV-1a alone barely moves the high bits when only the last
 * characters differ (mer_…01, mer_…02), and the arm is read from the high bits.
 */
function avalanche(h: number): number {
  let x = h;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** share in [0, 1]: the fraction of merchants that get the challenger policy. */
export function pickArm(merchantId: string, challengerShare: number): 'champion' | 'challenger' {
  return avalanche(fnv1a32(merchantId)) / 2 ** 32 < challengerShare ? 'challenger' : 'champion';
}
