/**
 * Each market's guarantee network, compiled for the formation check and kept in this process
 * (issue #16 item 5, ADR 0011): tagged with the market's version (guarantee_network_versions,
 * renewed by settleEdges in the statement that adds or removes a merchant's guarantee of a
 * merchant there), used only when the check's own transaction reads that same version, so an
 * instance never checks against edges another instance (or this one) has changed since.
 * Otherwise the market's edges are read again in one indexed statement with their version and
 * compiled once. Least recently used markets go first once the cached edges pass `maxEdges`.
 */
import { indexNetwork, type NetworkIndex } from '../../credit';
import type { Db } from '../../db/connect';
import { type MarketNetworkEdges, marketNetworkEdges, networkVersion } from './edges-repository';

/** Where the cache reads a market's version and edges (the repository; tests count reads). */
export interface NetworkSource {
  version(db: Db, marketId: string): Promise<number>;
  edges(db: Db, marketId: string): Promise<MarketNetworkEdges>;
}

/**
 * The edges cached at most, over all markets: 2 million is two hundred dense markets of 1,000
 * merchants (every market of a large city) in about 70 MB of heap (the bench: 1 million edges
 * of 100 markets, compiled with their merchants' borrowers, take ~35 MB), within one instance.
 */
export const NETWORK_CACHE_MAX_EDGES = 2_000_000;

const repositorySource: NetworkSource = { version: networkVersion, edges: marketNetworkEdges };

/** A market's network as the check uses it. */
export interface MarketNetwork {
  index: NetworkIndex;
  /** The borrower (identity digest) of each merchant of the network, by merchant id. */
  borrowerOf: ReadonlyMap<string, string>;
}

interface Entry extends MarketNetwork {
  version: number;
}

export class NetworkCache {
  /** Insertion order is recency: a hit moves its market to the end. */
  private readonly markets = new Map<string, Entry>();
  private edges = 0;
  readonly stats = { hits: 0, loads: 0, evictions: 0 };

  constructor(
    private readonly maxEdges: number = NETWORK_CACHE_MAX_EDGES,
    private readonly source: NetworkSource = repositorySource,
  ) {}

  /** The market's network as `db` (the check's transaction) sees it now. */
  async network(db: Db, marketId: string): Promise<MarketNetwork> {
    const version = await this.source.version(db, marketId);
    const cached = this.markets.get(marketId);
    if (cached && cached.version === version) {
      this.markets.delete(marketId);
      this.markets.set(marketId, cached);
      this.stats.hits++;
      return cached;
    }
    // Read again, with the version of what is read: a change committed since the version above
    // is then read too, and tagged with its own version.
    const loaded = await this.source.edges(db, marketId);
    const index = indexNetwork(loaded.edges);
    // Only the network's merchants: what is kept stays in proportion to the edges.
    const borrowerOf = new Map<string, string>();
    for (const id of index.ids) {
      const borrower = loaded.borrowers.get(id);
      if (borrower !== undefined) borrowerOf.set(id, borrower);
    }
    this.stats.loads++;
    const entry = { version: loaded.version, index, borrowerOf };
    this.put(marketId, entry);
    return entry;
  }

  /** Markets cached now, least recently used first. */
  cachedMarkets(): string[] {
    return [...this.markets.keys()];
  }

  private put(marketId: string, entry: Entry) {
    this.drop(marketId);
    // A market larger than the whole budget is checked but never kept.
    if (entry.index.edgeCount > this.maxEdges) return;
    this.markets.set(marketId, entry);
    this.edges += entry.index.edgeCount;
    for (const oldest of this.markets.keys()) {
      if (this.edges <= this.maxEdges) break;
      this.drop(oldest);
      this.stats.evictions++;
    }
  }

  private drop(marketId: string) {
    const entry = this.markets.get(marketId);
    if (!entry) return;
    this.markets.delete(marketId);
    this.edges -= entry.index.edgeCount;
  }
}
