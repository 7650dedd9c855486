import { type Claim, PendingReleases } from '../../src/platform/idempotency-releases';

describe('PendingReleases', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  const claim = (key: string): Claim => ({ apiKeyId: 'key_a', key, lockToken: `t-${key}` });
  /** A database that is down until `up` is set. */
  const database = () => {
    const state = { up: false, freed: [] as string[] };
    const free = async (c: Claim) => {
      if (!state.up) throw new Error('Connection terminated unexpectedly');
      state.freed.push(c.key);
    };
    return { state, free };
  };

  it('keeps a release that failed and retries it in the background once the database is back', async () => {
    const { state, free } = database();
    let now = 0;
    const releases = new PendingReleases(free, () => new Date(now), 10_000, 500);
    await expect(releases.release(claim('k1'))).rejects.toThrow('Connection terminated');
    expect(releases.size).toBe(1);
    await jest.advanceTimersByTimeAsync(1_500);
    expect(releases.size).toBe(1);
    state.up = true;
    now = 2_000;
    await jest.advanceTimersByTimeAsync(500);
    expect(state.freed).toEqual(['k1']);
    expect(releases.size).toBe(0);
    releases.close();
  });

  it('frees a key first when it comes back, and gives up once the claim is stale anyway', async () => {
    const { state, free } = database();
    let now = 0;
    const releases = new PendingReleases(free, () => new Date(now), 10_000, 500);
    releases.add(claim('k1'));
    releases.add(claim('k2'));
    await expect(releases.settle('key_a', 'k1')).rejects.toThrow();
    state.up = true;
    await releases.settle('key_a', 'k1');
    expect(state.freed).toEqual(['k1']);
    state.up = false;
    now = 10_000;
    await jest.advanceTimersByTimeAsync(500);
    expect(releases.size).toBe(0);
    expect(state.freed).toEqual(['k1']);
    releases.close();
  });
});
