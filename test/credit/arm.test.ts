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

  it('splits ids that differ only in their last characters, as real ids do', () => {
    // Plain FNV-1a put all six of these in one arm at share 0.5.
    const ids = Array.from(
      { length: 2_000 },
      (_, i) => `mer_demo_mjy${String(i).padStart(2, '0')}`,
    );
    for (const block of [ids.slice(0, 8), ids.slice(100, 108)]) {
      expect(new Set(block.map((id) => pickArm(id, 0.5))).size).toBe(2);
    }
    const share = ids.filter((id) => pickArm(id, 0.5) === 'challenger').length / ids.length;
    expect(share).toBeGreaterThan(0.45);
    expect(share).toBeLessThan(0.55);
  });
});
