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

/** share in [0, 1]: the fraction of merchants that get the challenger policy. */
export function pickArm(merchantId: string, challengerShare: number): 'champion' | 'challenger' {
  return fnv1a32(merchantId) / 2 ** 32 < challengerShare ? 'challenger' : 'champion';
}
