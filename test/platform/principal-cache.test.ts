import type { Principal } from '../../src/lib/principal';
import { PrincipalCache } from '../../src/platform/principal-cache';

const principal = (keyId: string): Principal => ({
  keyId,
  role: 'officer',
  name: keyId,
  owner: keyId,
  marketIds: [],
  partnerId: null,
});

describe('PrincipalCache', () => {
  it('remembers a key for its TTL, then forgets it', () => {
    let now = 1_000;
    const cache = new PrincipalCache(10_000, 100, () => now);
    cache.set('hash-a', principal('key_a'));
    now += 9_999;
    expect(cache.get('hash-a')?.keyId).toBe('key_a');
    now += 1;
    expect(cache.get('hash-a')).toBeUndefined();
  });

  it('forgets a revoked key at once, leaving the others', () => {
    const cache = new PrincipalCache(10_000);
    cache.set('hash-a', principal('key_a'));
    cache.set('hash-b', principal('key_b'));
    cache.forget('key_a');
    expect(cache.get('hash-a')).toBeUndefined();
    expect(cache.get('hash-b')?.keyId).toBe('key_b');
  });

  it('keeps nothing with a TTL of 0', () => {
    const cache = new PrincipalCache(0);
    cache.set('hash-a', principal('key_a'));
    expect(cache.get('hash-a')).toBeUndefined();
  });

  it('never holds more than its limit', () => {
    const cache = new PrincipalCache(10_000, 3);
    for (let i = 0; i < 10; i++) cache.set(`hash-${i}`, principal(`key_${i}`));
    const kept = Array.from({ length: 10 }, (_, i) => cache.get(`hash-${i}`)).filter(Boolean);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThanOrEqual(3);
    expect(cache.get('hash-9')?.keyId).toBe('key_9');
  });
});
