import { newId, randomToken } from '../../src/lib/ids';

describe('newId', () => {
  it('is the prefix and 20 base64url characters (15 random bytes)', () => {
    expect(newId('app')).toMatch(/^app_[A-Za-z0-9_-]{20}$/);
  });

  it('never repeats across many blocks of drawn randomness', () => {
    const ids = new Set(Array.from({ length: 20_000 }, () => newId('off')));
    expect(ids.size).toBe(20_000);
  });

  it('gives tokens of the asked size, also larger than a block', () => {
    for (const size of [1, 12, 15, 4095, 5000]) {
      expect(Buffer.from(randomToken(size), 'base64url')).toHaveLength(size);
    }
  });
});
