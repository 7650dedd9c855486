/**
 * The instance's cache of compiled market networks (ADR 0011): kept while the market's version
 * holds; brought forward by the changes logged since when they chain from the cached version to
 * the one read (the same network a fresh read compiles); read again otherwise (a gap, too many
 * changes, a version older than the cached one); and the least recently used markets leave once
 * the cached edges pass the budget.
 */
import { compareLinks, groupNetworkFiguresIn, indexNetwork } from '../../../../src/credit';
import type { Db } from '../../../../src/db/connect';
import type {
  MarketNetworkEdges,
  NetworkChange,
  NetworkLink,
} from '../../../../src/modules/origination/edges-repository';
import {
  NETWORK_PATCH_MAX_CHANGES,
  NetworkCache,
  type NetworkSource,
} from '../../../../src/modules/origination/network-cache';
import { networkRows } from '../../../helpers/network-rows';

/** A fake database: each market's version, edges and change log, and every edges read counted. */
function source(
  markets: Record<string, MarketNetworkEdges>,
  logs: Record<string, NetworkChange[]> = {},
) {
  const reads: string[] = [];
  const src: NetworkSource = {
    state: async (_db, m, after, limit) => {
      const version = markets[m]?.version ?? 0;
      const changes = (logs[m] ?? [])
        .filter((c) => after !== null && c.version > after && c.version <= version)
        .sort((a, b) => a.version - b.version)
        .slice(0, limit);
      return { version, changes };
    },
    edges: async (_db, m) => {
      reads.push(m);
      const market = markets[m] ?? { version: 0, edges: [], borrowers: new Map() };
      return { ...market, edges: [...market.edges] };
    },
  };
  return { src, reads };
}

/**
 * A market the fake database changes as settleEdges would: its edges, a fresh version, and a log
 * row naming what went and came (unless `logged` is false: a version set without a row).
 */
function changing(market: MarketNetworkEdges, log: NetworkChange[]) {
  let next = market.version;
  return (added: NetworkLink[], removed: NetworkLink[], logged = true) => {
    const edges = [...market.edges];
    for (const r of removed) {
      const at = edges.findIndex((e) => compareLinks(e, r) === 0);
      if (at < 0) throw new Error('removing a link the market does not hold');
      edges.splice(at, 1);
    }
    edges.push(...added);
    const previousVersion = market.version;
    next += 3; // a shared sequence: other markets take values in between
    market.version = next;
    market.edges = edges.sort(compareLinks);
    if (logged) log.push({ version: next, previousVersion, added, removed });
  };
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
      state: async () => ({ version, changes: [] }),
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

  const link = (guarantor: string, borrower: string, groupId: string | null = null) => ({
    guarantor,
    borrower,
    groupId,
  });

  it('brings a market forward by its logged changes: the network a fresh read compiles, no edges read', async () => {
    const market = ring(1, 6);
    const log: NetworkChange[] = [];
    const { src, reads } = source({ a: market }, { a: log });
    const cache = new NetworkCache(100, src);
    const change = changing(market, log);
    const members = ['m0', 'm3', 'n1'];
    const first = await cache.network(db, 'a');
    // m0 ~> m3 around the ring, and m3 ~> m0: the group {m0, m3, n1} closes the whole ring.
    expect(groupNetworkFiguresIn(first.index, members, 8).circle).toHaveLength(7);

    // A group {m3, n1} comes (both ways, with a new merchant), the ring's link m4 -> m5 goes;
    // then an individual guarantee n1 -> m1 comes.
    change([link('m3', 'n1', 'g1'), link('n1', 'm3', 'g1')], [link('m4', 'm5')]);
    change([link('n1', 'm1')], []);
    const patched = await cache.network(db, 'a');
    expect(reads).toEqual(['a']);
    expect(cache.stats).toMatchObject({ loads: 1, patches: 1, gaps: 0 });
    expect(patched.index.edgeCount).toBe(8);

    const fresh = indexNetwork(market.edges);
    expect(networkRows(patched.index)).toEqual(networkRows(fresh));
    for (const own of [null, 'g1']) {
      expect(groupNetworkFiguresIn(patched.index, members, 8, new Map(), own)).toEqual(
        groupNetworkFiguresIn(fresh, members, 8, new Map(), own),
      );
    }
    // The network the check held before is unchanged: a check in flight keeps its snapshot.
    expect(groupNetworkFiguresIn(first.index, members, 8).circle).toHaveLength(7);
    expect(await cache.network(db, 'a')).toBe(patched);
    expect(cache.stats.hits).toBe(1);
  });

  it('reads the market again when the log does not chain from the cached version', async () => {
    const market = ring(1, 5);
    const log: NetworkChange[] = [];
    const { src, reads } = source({ a: market }, { a: log });
    const cache = new NetworkCache(100, src);
    const change = changing(market, log);
    await cache.network(db, 'a');

    // A version set without a log row (a repair, or rows pruned): the chain has a gap.
    change([link('m0', 'm2')], [], false);
    change([link('m1', 'm3')], []);
    const reloaded = await cache.network(db, 'a');
    expect(reads).toEqual(['a', 'a']);
    expect(cache.stats).toMatchObject({ loads: 2, patches: 0, gaps: 1 });
    expect(networkRows(reloaded.index)).toEqual(networkRows(indexNetwork(market.edges)));

    // The newest change missing (its row not visible): the chain stops short of the version.
    change([link('m2', 'm4')], []);
    log.pop();
    await cache.network(db, 'a');
    expect(reads).toEqual(['a', 'a', 'a']);
    expect(cache.stats.gaps).toBe(2);

    // Logged again: patched.
    change([link('m3', 'm0')], []);
    await cache.network(db, 'a');
    expect(cache.stats).toMatchObject({ loads: 3, patches: 1, gaps: 2 });
  });

  it('reads the market again when more changes than it patches at once came since', async () => {
    const market = ring(1, 4);
    const log: NetworkChange[] = [];
    const { src, reads } = source({ a: market }, { a: log });
    const cache = new NetworkCache(100, src);
    const change = changing(market, log);
    await cache.network(db, 'a');
    for (let i = 0; i < NETWORK_PATCH_MAX_CHANGES; i++) change([link('m0', `x${i}`)], []);
    await cache.network(db, 'a');
    expect(cache.stats).toMatchObject({ loads: 1, patches: 1 });
    for (let i = 0; i <= NETWORK_PATCH_MAX_CHANGES; i++) change([link('m1', `y${i}`)], []);
    const reloaded = await cache.network(db, 'a');
    expect(reads).toEqual(['a', 'a']);
    expect(cache.stats).toMatchObject({ loads: 2, patches: 1, gaps: 1 });
    expect(reloaded.index.edgeCount).toBe(4 + 2 * NETWORK_PATCH_MAX_CHANGES + 1);
  });

  it('reads the market again when a log removes a link it does not hold', async () => {
    const market = ring(1, 4);
    const log: NetworkChange[] = [
      { version: 4, previousVersion: 1, added: [], removed: [link('m0', 'm2')] },
    ];
    const { src, reads } = source({ a: market }, { a: log });
    const cache = new NetworkCache(100, src);
    await cache.network(db, 'a');
    market.version = 4;
    await cache.network(db, 'a');
    expect(reads).toEqual(['a', 'a']);
    expect(cache.stats).toMatchObject({ loads: 2, patches: 0, gaps: 1 });
  });
});
