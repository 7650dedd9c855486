/**
 * A market's merchant-to-merchant guarantees compiled once for the formation check (issue #16
 * item 5): merchants numbered, each one's guarantees out and in as contiguous slices of typed
 * arrays (compressed sparse rows), in the order the edges were given (the check's searches visit
 * them in that order, so a search cut at its node budget cuts the same nodes as over the list).
 * A service caches one per market and version; the check then allocates only in proportion to
 * what it visits, never to the market.
 */

/** A guarantee between two merchants (checks.ts NetworkEdge): `guarantor` pays if `borrower` defaults. */
interface Link {
  guarantor: string;
  borrower: string;
  groupId: string | null;
}

export interface NetworkIndex {
  /** Merchant id of each node number. */
  readonly ids: readonly string[];
  readonly numberOf: ReadonlyMap<string, number>;
  /** Number of each group id the edges name (an individual guarantee's group is -1). */
  readonly groupNumberOf: ReadonlyMap<string, number>;
  /** Node n's guarantees out: outNode[outStart[n]..outStart[n + 1]), their groups in outGroup. */
  readonly outStart: Int32Array;
  readonly outNode: Int32Array;
  readonly outGroup: Int32Array;
  /** Node n's guarantees in (from guarantor to n), likewise. */
  readonly inStart: Int32Array;
  readonly inNode: Int32Array;
  readonly inGroup: Int32Array;
  /** Edges kept (a merchant's guarantee of itself is none). */
  readonly edgeCount: number;
  /**
   * Working arrays of the check (checks.ts), one set per index so that a check allocates nothing
   * in proportion to the market. The check is synchronous and marks entries by an epoch instead
   * of clearing them, so one set serves every check of this index in turn.
   */
  readonly scratch: NetworkScratch;
}

export interface NetworkScratch {
  epoch: number;
  /** Search: epoch of the visit, hops, and the visit order (a breadth-first queue). */
  seen: Int32Array;
  hops: Int32Array;
  queue: Int32Array;
  /** Per node: epoch of the check, then the two nearest members forward and backward. */
  touched: Int32Array;
  fwd1: Int32Array;
  fwd1Member: Int32Array;
  fwd2: Int32Array;
  bwd1: Int32Array;
  bwd1Member: Int32Array;
  bwd2: Int32Array;
}

/** Compiles `edges` (self-guarantees left out). */
export function indexNetwork(edges: readonly Link[]): NetworkIndex {
  const numberOf = new Map<string, number>();
  const ids: string[] = [];
  const groupNumberOf = new Map<string, number>();
  const number = (id: string) => {
    let n = numberOf.get(id);
    if (n === undefined) {
      n = ids.length;
      numberOf.set(id, n);
      ids.push(id);
    }
    return n;
  };
  const kept = edges.filter((e) => e.guarantor !== e.borrower);
  const from = new Int32Array(kept.length);
  const to = new Int32Array(kept.length);
  const group = new Int32Array(kept.length);
  kept.forEach((e, i) => {
    from[i] = number(e.guarantor);
    to[i] = number(e.borrower);
    if (e.groupId === null) group[i] = -1;
    else {
      let g = groupNumberOf.get(e.groupId);
      if (g === undefined) {
        g = groupNumberOf.size;
        groupNumberOf.set(e.groupId, g);
      }
      group[i] = g;
    }
  });
  const n = ids.length;
  const out = rows(n, from, to, group);
  const into = rows(n, to, from, group);
  return {
    ids,
    numberOf,
    groupNumberOf,
    outStart: out.start,
    outNode: out.node,
    outGroup: out.group,
    inStart: into.start,
    inNode: into.node,
    inGroup: into.group,
    edgeCount: kept.length,
    scratch: {
      epoch: 0,
      seen: new Int32Array(n),
      hops: new Int32Array(n),
      queue: new Int32Array(n),
      touched: new Int32Array(n),
      fwd1: new Int32Array(n),
      fwd1Member: new Int32Array(n),
      fwd2: new Int32Array(n),
      bwd1: new Int32Array(n),
      bwd1Member: new Int32Array(n),
      bwd2: new Int32Array(n),
    },
  };
}

/** Edges grouped by `key` node, each row in the edges' order (a stable counting sort). */
function rows(n: number, key: Int32Array, other: Int32Array, group: Int32Array) {
  const start = new Int32Array(n + 1);
  for (const k of key) start[k + 1] = (start[k + 1] as number) + 1;
  for (let i = 0; i < n; i++) start[i + 1] = (start[i + 1] as number) + (start[i] as number);
  const fill = start.slice(0, n);
  const node = new Int32Array(key.length);
  const groupOf = new Int32Array(key.length);
  for (let i = 0; i < key.length; i++) {
    const k = key[i] as number;
    const at = fill[k] as number;
    node[at] = other[i] as number;
    groupOf[at] = group[i] as number;
    fill[k] = at + 1;
  }
  return { start, node, group: groupOf };
}
