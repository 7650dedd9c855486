/**
 * A market's merchant-to-merchant guarantees compiled once for the formation check (issue #16
 * item 5): merchants numbered, each one's guarantees out and in as contiguous slices of typed
 * arrays (compressed sparse rows), in the order the edges were given (the check's searches visit
 * them in that order, so a search cut at its node budget cuts the same nodes as over the list).
 * A service caches one per market and version; the check then allocates only in proportion to
 * what it visits, never to the market.
 *
 * A network compiled from links in canonical order (`compareLinks`: guarantor, borrower, group)
 * has every row in the order of its neighbours' ids (then groups), so `patchNetwork` can add and
 * remove links in place of a new compile and give the very network a compile of the resulting
 * list would (ADR 0011: the cache applies a market's logged changes).
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
  /** Group id of each group number. */
  readonly groupIds: readonly string[];
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
  const groupIds: string[] = [];
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
        groupIds.push(e.groupId);
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
    groupIds,
    outStart: out.start,
    outNode: out.node,
    outGroup: out.group,
    inStart: into.start,
    inNode: into.node,
    inGroup: into.group,
    edgeCount: kept.length,
    scratch: scratchOf(n),
  };
}

function scratchOf(n: number): NetworkScratch {
  return {
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
  };
}

/** Code-unit order of two ids (not the locale's: the same in every instance). */
const compareIds = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
/** Group ids in that order, an individual guarantee (null) first. */
const compareGroups = (a: string | null, b: string | null) =>
  a === b ? 0 : a === null ? -1 : b === null ? 1 : compareIds(a, b);

/**
 * The canonical order of links: by guarantor, borrower, then group (null first), ids compared by
 * code unit. Links equal in all three are interchangeable for every check.
 */
export function compareLinks(a: Link, b: Link): number {
  return (
    compareIds(a.guarantor, b.guarantor) ||
    compareIds(a.borrower, b.borrower) ||
    compareGroups(a.groupId, b.groupId)
  );
}

/** Numbers ids in order of arrival, over a shared list and map copied on the first new id. */
function numbering(sharedIds: readonly string[], sharedNumberOf: ReadonlyMap<string, number>) {
  let ids = sharedIds as string[];
  let numberOf = sharedNumberOf as Map<string, number>;
  return {
    number(id: string): number {
      let n = numberOf.get(id);
      if (n === undefined) {
        if (ids === sharedIds) {
          ids = [...ids];
          numberOf = new Map(numberOf);
        }
        n = ids.length;
        numberOf.set(id, n);
        ids.push(id);
      }
      return n;
    },
    current: () => ({ ids, numberOf }),
  };
}

/**
 * `index` with `removed` taken out (one link each, removals first) and `added` put in, as a new
 * network (`index` is left as it was: a check may still hold it). When `index` was compiled from
 * links in canonical order (or is such a network patched), the result is the network
 * `indexNetwork` compiles from the resulting links in canonical order, row for row (node and group
 * numbers aside: a new merchant or group takes the next number, and a merchant left without links
 * keeps its number and empty rows). Self-guarantees are ignored, as by `indexNetwork`. Null when
 * a removed link is not in the network (the changes do not follow from this network).
 */
export function patchNetwork(
  index: NetworkIndex,
  added: readonly Link[],
  removed: readonly Link[],
): NetworkIndex | null {
  // Shared with `index` until a new merchant or group needs a number (copied then, once).
  const nodes = numbering(index.ids, index.numberOf);
  const groups = numbering(index.groupIds, index.groupNumberOf);
  const number = nodes.number;
  const groupNumber = (id: string | null) => (id === null ? -1 : groups.number(id));
  // Per node, its changes out and in: [neighbour, group, +1 | -1].
  const outChanges = new Map<number, [number, number, number][]>();
  const inChanges = new Map<number, [number, number, number][]>();
  const note = (map: typeof outChanges, key: number, change: [number, number, number]) => {
    const list = map.get(key);
    if (list) list.push(change);
    else map.set(key, [change]);
  };
  let edgeCount = index.edgeCount;
  for (const [links, sign] of [
    [removed, -1],
    [added, 1],
  ] as const) {
    for (const link of links) {
      if (link.guarantor === link.borrower) continue;
      const from = number(link.guarantor);
      const to = number(link.borrower);
      const group = groupNumber(link.groupId);
      note(outChanges, from, [to, group, sign]);
      note(inChanges, to, [from, group, sign]);
      edgeCount += sign;
    }
  }
  const { ids, numberOf } = nodes.current();
  const { ids: groupIds, numberOf: groupNumberOf } = groups.current();
  const n = ids.length;
  const groupOf = (g: number) => (g < 0 ? null : (groupIds[g] as string));
  const out = patchRows(index.outStart, index.outNode, index.outGroup, n, outChanges, ids, groupOf);
  const into = patchRows(index.inStart, index.inNode, index.inGroup, n, inChanges, ids, groupOf);
  if (!out || !into) return null;
  return {
    ids,
    numberOf,
    groupNumberOf,
    groupIds,
    outStart: out.start,
    outNode: out.node,
    outGroup: out.group,
    inStart: into.start,
    inNode: into.node,
    inGroup: into.group,
    edgeCount,
    // The same working arrays while they fit: checks run one at a time, marked by epoch.
    scratch: n === index.ids.length ? index.scratch : scratchOf(n),
  };
}

/**
 * Rows (start, node, group) of the nodes before `n` with `changes` applied: a removal takes out
 * one entry equal to it, an addition goes where the row's order (neighbour id, then group) puts
 * it; rows without changes are copied as they are. Null when a removal finds nothing.
 */
function patchRows(
  start: Int32Array,
  node: Int32Array,
  group: Int32Array,
  n: number,
  changes: ReadonlyMap<number, [number, number, number][]>,
  ids: readonly string[],
  groupOf: (g: number) => string | null,
) {
  const oldN = start.length - 1;
  // Room for every addition; removals not found return before it matters.
  let room = node.length;
  for (const list of changes.values()) for (const [, , sign] of list) if (sign > 0) room++;
  const newStart = new Int32Array(n + 1);
  const newNode = new Int32Array(room);
  const newGroup = new Int32Array(room);
  let at = 0;
  /** Rows [k, end) without changes: copied in one piece, their starts shifted. */
  const copy = (k: number, end: number) => {
    const last = Math.min(end, oldN);
    if (k < last) {
      const from = start[k] as number;
      const to = start[last] as number;
      newNode.set(node.subarray(from, to), at);
      newGroup.set(group.subarray(from, to), at);
      for (let j = k; j < last; j++) newStart[j] = (start[j] as number) - from + at;
      at += to - from;
    }
    for (let j = Math.max(k, last); j < end; j++) newStart[j] = at;
  };
  let next = 0;
  for (const k of [...changes.keys()].sort((a, b) => a - b)) {
    copy(next, k);
    next = k + 1;
    newStart[k] = at;
    const from = k < oldN ? (start[k] as number) : 0;
    const to = k < oldN ? (start[k + 1] as number) : 0;
    const list = changes.get(k) as [number, number, number][];
    const rowNode = Array.from(node.subarray(from, to));
    const rowGroup = Array.from(group.subarray(from, to));
    for (const [other, g, sign] of list) {
      if (sign < 0) {
        let i = 0;
        while (i < rowNode.length && !(rowNode[i] === other && rowGroup[i] === g)) i++;
        if (i === rowNode.length) return null;
        rowNode.splice(i, 1);
        rowGroup.splice(i, 1);
      } else {
        const id = ids[other] as string;
        const gid = groupOf(g);
        let i = 0;
        while (i < rowNode.length) {
          const c =
            compareIds(ids[rowNode[i] as number] as string, id) ||
            compareGroups(groupOf(rowGroup[i] as number), gid);
          if (c > 0) break;
          i++;
        }
        rowNode.splice(i, 0, other);
        rowGroup.splice(i, 0, g);
      }
    }
    newNode.set(rowNode, at);
    newGroup.set(rowGroup, at);
    at += rowNode.length;
  }
  copy(next, n);
  newStart[n] = at;
  if (at === room) return { start: newStart, node: newNode, group: newGroup };
  return { start: newStart, node: newNode.slice(0, at), group: newGroup.slice(0, at) };
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
