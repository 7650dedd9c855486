import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Key format `mlk_<prefix>_<secret>`: the prefix is public and indexes the row, the whole
 * key is stored only as a SHA-256 digest (keys are 190 random bits, so a slow hash adds nothing).
 */
const KEY_PATTERN = /^mlk_([A-Za-z0-9]{12})_([A-Za-z0-9_-]{32})$/;

export function generateApiKey(): { prefix: string; secret: string; hash: string } {
  const prefix = randomBytes(9).toString('base64url').replace(/[-_]/g, 'x').slice(0, 12);
  const secret = `mlk_${prefix}_${randomBytes(24).toString('base64url')}`;
  return { prefix, secret, hash: hashApiKey(secret) };
}

export function hashApiKey(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function parseApiKey(secret: string): { prefix: string } | null {
  const m = KEY_PATTERN.exec(secret);
  return m?.[1] ? { prefix: m[1] } : null;
}

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}
