/**
 * The instance's cache of compiled market networks (ADR 0011): a market is read again exactly
 * when the version its check reads differs from the one cached, kept while the version holds, and
 * the least recently used markets leave once the cached edges pass the budget.
 */
import type { Db } from '../../../../src/db/connect';
import type { MarketNetworkEdges } from '../../../../src/modules/origination/edges-repository';
import {
  NetworkCache,
  type NetworkSource,
} from '../../../../src/modules/origination/network-cache';

/** A fake database: each market's version and edges, and every read counted. */
function source(markets: Record<string, MarketNetworkEdges>) {
  const reads: string[] = [];
  const src: NetworkSource = {
    version: async (_db, m) => markets[m]?.version ?? 0,
    edges: async (_db, m) => {
      reads.push(m);
      return markets[m] ?? { version: 0, edges: [], borrowers: new Map() };
    },
  };
  return { src, reads };
}

const db = {} as Db;
/** A market whose `n` edges run a ring m0 -> m1 -> ... -> m0. */
const ring = (version: number, n: number): MarketNetworkEdges => ({
  version,
  borrowers: new Map(Array.from({ length: n }, (_, i) => [`m${i}`, `digest${i}`])),
  edges: Array.from({ length: n }, (_, i) => ({
    guarantor: `m${i}`,
    borrower: `m${(i + 1) % n}`,
    groupId: null,
  })),
});

describe('NetworkCache', () => {
  it('serves a market from the cache while its version holds, and reads it again when it moves', async () => {
    const markets = { a: ring(1, 3) };
    const { src, reads } = source(markets);
    const cache = new NetworkCache(100, src);
    const first = await cache.network(db, 'a');
    expect(first.index.edgeCount).toBe(3);
    expect(first.borrowerOf.get('m2')).toBe('digest2');
    expect(await cache.network(db, 'a')).toBe(first);
    expect(reads).toEqual(['a']);
    expect(cache.stats).toMatchObject({ hits: 1, loads: 1 });

    markets.a = ring(7, 4);
    const second = await cache.network(db, 'a');
    expect(second).not.toBe(first);
    expect(second.index.edgeCount).toBe(4);
    expect(reads).toEqual(['a', 'a']);
    expect(await cache.network(db, 'a')).toBe(second);
    expect(reads).toHaveLength(2);
  });

  it('tags what it read with the version read with it, not the one seen before', async () => {
    // A change commits between the check's version read and its edges read.
    let version = 1;
    const reads: number[] = [];
    const src: NetworkSource = {
      version: async () => version,
      edges: async () => {
        version = 2;
        reads.push(version);
        return ring(2, 5);
      },
    };
    const cache = new NetworkCache(100, src);
    await cache.network(db, 'a');
    await cache.network(db, 'a');
    expect(reads).toEqual([2]);
  });

  it('lets the least recently used markets go once the cached edges pass the budget', async () => {
    const { src, reads } = source({ a: ring(1, 4), b: ring(1, 4), c: ring(1, 4), d: ring(1, 20) });
    const cache = new NetworkCache(10, src);
    await cache.network(db, 'a');
    await cache.network(db, 'b');
    await cache.network(db, 'a'); // a is now the more recent
    await cache.network(db, 'c'); // 12 edges: b goes
    expect(cache.cachedMarkets()).toEqual(['a', 'c']);
    expect(cache.stats.evictions).toBe(1);
    await cache.network(db, 'a');
    expect(reads).toEqual(['a', 'b', 'c']);
    await cache.network(db, 'b'); // read again: 12 edges, c (least recent) goes
    expect(cache.cachedMarkets()).toEqual(['a', 'b']);
    expect(reads).toEqual(['a', 'b', 'c', 'b']);
    // A market larger than the whole budget is served but never kept, and evicts nothing.
    const big = await cache.network(db, 'd');
    expect(big.index.edgeCount).toBe(20);
    expect(cache.cachedMarkets()).toEqual(['a', 'b']);
    await cache.network(db, 'd');
    expect(reads.filter((m) => m === 'd')).toHaveLength(2);
  });
});
