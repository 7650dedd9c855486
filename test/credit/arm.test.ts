import { fnv1a32, pickArm } from '../../src/credit';

describe('pickArm', () => {
  it('hashes with 32-bit FNV-1a (reference vectors)', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('is deterministic and honours the extremes', () => {
    expect(pickArm('mer_123', 0.5)).toBe(pickArm('mer_123', 0.5));
    expect(pickArm('mer_123', 0)).toBe('champion');
    expect(pickArm('mer_123', 1)).toBe('challenger');
  });

  it('splits many ids close to the share', () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => `mer_${i}`);
    const share = ids.filter((id) => pickArm(id, 0.2) === 'challenger').length / ids.length;
    expect(share).toBeGreaterThan(0.18);
    expect(share).toBeLessThan(0.22);
  });
});
