import fc from 'fast-check';
import { newId, randomToken } from '../../src/lib/ids';

const BASE32 = '[0-9a-hjkmnp-tv-z]';

describe('newId', () => {
  afterEach(() => jest.useRealTimers());

  it('is the prefix, ten base32 characters of time and sixteen random ones', () => {
    expect(newId('app')).toMatch(new RegExp(`^app_${BASE32}{26}$`));
  });

  it('never repeats across many blocks of drawn randomness, in one millisecond too', () => {
    jest.useFakeTimers({ now: new Date('2026-12-03T00:00:00Z'), doNotFake: ['nextTick'] });
    const ids = new Set(Array.from({ length: 20_000 }, () => newId('off')));
    expect(ids.size).toBe(20_000);
  });

  it('sorts as its creation time does, byte by byte and in a language collation alike', () => {
    const collator = new Intl.Collator('en-US');
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 48 - 2 }),
        fc.integer({ min: 1, max: 2 ** 40 }),
        (earlier, gap) => {
          jest.useFakeTimers({ now: earlier, doNotFake: ['nextTick'] });
          const a = newId('app');
          jest.setSystemTime(Math.min(earlier + gap, 2 ** 48 - 1));
          const b = newId('app');
          expect(a < b).toBe(true);
          expect(collator.compare(a, b)).toBeLessThan(0);
        },
      ),
    );
  });

  it('draws each random character evenly from the 32', () => {
    jest.useFakeTimers({ now: new Date('2026-12-03T00:00:00Z'), doNotFake: ['nextTick'] });
    const counts = new Map<string, number>();
    for (let i = 0; i < 4_000; i++)
      for (const c of newId('dec').slice(14)) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(32);
    // 64,000 characters: 2,000 expected each; a skewed draw (say a missing bit) would halve some.
    for (const n of counts.values()) expect(Math.abs(n - 2_000)).toBeLessThan(300);
  });
});

describe('randomToken', () => {
  it('gives tokens of the asked size, also larger than a block', () => {
    for (const size of [1, 12, 15, 4095, 5000]) {
      expect(Buffer.from(randomToken(size), 'base64url')).toHaveLength(size);
    }
  });
});
