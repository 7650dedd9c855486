/**
 * Each market's guarantee network, compiled for the formation check and kept in this process
 * (issue #16 item 5, ADR 0011): tagged with the market's version (guarantee_network_versions,
 * renewed by settleEdges in the statement that adds or removes a merchant's guarantee of a
 * merchant there), used only when the check's own transaction reads that same version, so an
 * instance never checks against edges another instance (or this one) has changed since.
 * When the version moved on from the cached one, the changes logged since (guarantee_network_
 * changes), read in the check's transaction with the version (one statement), are, if they chain
 * from the cached version to the one read, applied to the cached network (patchNetwork: the network a fresh compile would give);
 * otherwise (a gap: pruned rows, a version set without a log row; or too many changes) the
 * market's edges are read again in one indexed statement with their version and compiled once.
 * Least recently used markets go first once the cached edges pass `maxEdges`.
 */
import { compareLinks, indexNetwork, type NetworkIndex, patchNetwork } from '../../credit';
import type { Db } from '../../db/connect';
import {
  type MarketNetworkEdges,
  marketNetworkEdges,
  type NetworkChange,
  networkState,
} from './edges-repository';

/** Where the cache reads a market's version, changes and edges (the repository; tests count reads). */
export interface NetworkSource {
  /**
   * The market's version and, given `after` (the cached version), the changes logged after it up
   * to that version, oldest first, at most `limit`, read together.
   */
  state(
    db: Db,
    marketId: string,
    after: number | null,
    limit: number,
  ): Promise<{ version: number; changes: NetworkChange[] }>;
  edges(db: Db, marketId: string): Promise<MarketNetworkEdges>;
}

/**
 * Versions a cached network is brought forward by at most in one check; further behind, the
 * market is read again (one read of ~10,000 links costs about what applying a few hundred
 * changes does).
 */
export const NETWORK_PATCH_MAX_CHANGES = 64;
/**
 * Changes kept in each market's log (the offer-expiry job prunes the rest): a cache that many
 * versions behind reads its market again. 1,000 formations is hours of a busy market.
 */
export const NETWORK_CHANGES_KEPT = 1_000;
/**
 * Changes applied to a network since it was compiled, at most: a merchant left without links
 * keeps its place in a patched network, so it is compiled afresh from time to time.
 */
export const NETWORK_PATCHES_PER_COMPILE = 1_000;

/**
 * The edges cached at most, over all markets: 2 million is two hundred dense markets of 1,000
 * merchants (every market of a large city) in about 70 MB of heap (the bench: 1 million edges
 * of 100 markets, compiled with their merchants' borrowers, take ~35 MB), within one instance.
 */
export const NETWORK_CACHE_MAX_EDGES = 2_000_000;

const repositorySource: NetworkSource = { state: networkState, edges: marketNetworkEdges };

/** A market's network as the check uses it. */
export interface MarketNetwork {
  /** The market's version this network is (guarantee_network_versions). */
  version: number;
  index: NetworkIndex;
  /** The borrower (identity digest) of each merchant of the network, by merchant id. */
  borrowerOf: ReadonlyMap<string, string>;
}

interface Entry extends MarketNetwork {
  /** Changes applied since the network was compiled. */
  patches: number;
}

export class NetworkCache {
  /** Insertion order is recency: a hit moves its market to the end. */
  private readonly markets = new Map<string, Entry>();
  private edges = 0;
  /** hits: served as cached; patches: brought forward by the log; gaps: a log that did not chain. */
  readonly stats = { hits: 0, patches: 0, gaps: 0, loads: 0, evictions: 0 };

  constructor(
    private readonly maxEdges: number = NETWORK_CACHE_MAX_EDGES,
    private readonly source: NetworkSource = repositorySource,
  ) {}

  /** The market's network as `db` (the check's transaction) sees it now. */
  async network(db: Db, marketId: string): Promise<MarketNetwork> {
    const cached = this.markets.get(marketId);
    const { version, changes } = await this.source.state(
      db,
      marketId,
      cached?.version ?? null,
      NETWORK_PATCH_MAX_CHANGES + 1,
    );
    if (cached && cached.version === version) {
      this.markets.delete(marketId);
      this.markets.set(marketId, cached);
      this.stats.hits++;
      return cached;
    }
    if (cached && cached.version < version && cached.patches < NETWORK_PATCHES_PER_COMPILE) {
      const patched = this.patch(cached, version, changes);
      if (patched) {
        this.stats.patches++;
        this.put(marketId, patched);
        return patched;
      }
      this.stats.gaps++;
    }
    // Read again, with the version of what is read: a change committed since the version above
    // is then read too, and tagged with its own version.
    const loaded = await this.source.edges(db, marketId);
    // Canonical order (the query's already; sorting a sorted list is one pass), so that the
    // network can be patched.
    const index = indexNetwork(loaded.edges.sort(compareLinks));
    // Only the network's merchants: what is kept stays in proportion to the edges.
    const borrowerOf = new Map<string, string>();
    for (const id of index.ids) {
      const borrower = loaded.borrowers.get(id);
      if (borrower !== undefined) borrowerOf.set(id, borrower);
    }
    this.stats.loads++;
    const entry = { version: loaded.version, patches: 0, index, borrowerOf };
    this.put(marketId, entry);
    return entry;
  }

  /**
   * `cached` brought to `version` by the changes logged in between (read with the version), or
   * null when they do not chain from its version to `version` (or are too many). A merchant new
   * to the network has no borrower here: borrowingTotal looks it up by its id.
   */
  private patch(cached: Entry, version: number, changes: readonly NetworkChange[]): Entry | null {
    if (changes.length === 0 || changes.length > NETWORK_PATCH_MAX_CHANGES) return null;
    let at = cached.version;
    for (const change of changes) {
      if (change.previousVersion !== at) return null;
      at = change.version;
    }
    if (at !== version) return null;
    let index: NetworkIndex | null = cached.index;
    for (const change of changes) {
      index = patchNetwork(index, change.added, change.removed);
      if (!index) return null;
    }
    return {
      version,
      patches: cached.patches + changes.length,
      index,
      borrowerOf: cached.borrowerOf,
    };
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
