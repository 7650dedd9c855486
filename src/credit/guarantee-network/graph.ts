/**
 * Compact directed graphs for the guarantee network: nodes are 0..n-1, arcs in compressed
 * sparse rows (CSR), duplicates removed. Typed arrays and no recursion, so that a network of
 * 100,000 merchants and 1,000,000 guarantees fits in memory and never overflows the stack.
 */
export interface Csr {
  n: number;
  /** Arcs of node v are adj[start[v] .. start[v+1]). */
  start: Int32Array;
  adj: Int32Array;
}

/** A simple digraph from arc lists (self-loops and repeated arcs dropped). */
export function buildCsr(n: number, from: ArrayLike<number>, to: ArrayLike<number>): Csr {
  const count = new Int32Array(n + 1);
  for (let i = 0; i < from.length; i++) {
    const f = (from[i] as number) + 1;
    if (from[i] !== to[i]) count[f] = (count[f] as number) + 1;
  }
  for (let v = 0; v < n; v++) count[v + 1] = (count[v + 1] as number) + (count[v] as number);
  const fill = count.slice(0, n);
  const raw = new Int32Array(count[n] as number);
  for (let i = 0; i < from.length; i++) {
    const f = from[i] as number;
    if (f === to[i]) continue;
    const at = fill[f] as number;
    fill[f] = at + 1;
    raw[at] = to[i] as number;
  }
  // Drop repeated arcs row by row with a stamp array (a merchant may guarantee another twice).
  const seen = new Int32Array(n).fill(-1);
  const start = new Int32Array(n + 1);
  let k = 0;
  for (let v = 0; v < n; v++) {
    start[v] = k;
    for (let p = count[v] as number; p < (count[v + 1] as number); p++) {
      const w = raw[p] as number;
      if (seen[w] !== v) {
        seen[w] = v;
        raw[k++] = w;
      }
    }
  }
  start[n] = k;
  return { n, start, adj: raw.slice(0, k) };
}

/** The same arcs reversed (borrower to guarantor: the way a default travels). */
export function reverseCsr(g: Csr): Csr {
  const from: number[] = [];
  const to: number[] = [];
  for (let v = 0; v < g.n; v++) {
    for (let p = g.start[v] as number; p < (g.start[v + 1] as number); p++) {
      from.push(g.adj[p] as number);
      to.push(v);
    }
  }
  return buildCsr(g.n, from, to);
}

export interface Components {
  /** Component of each node. Components are numbered in reverse topological order: an arc
   * between two components always goes from a higher number to a lower one. */
  comp: Int32Array;
  count: number;
  size: Int32Array;
}

/** Strongly connected components: Tarjan's algorithm with an explicit stack. */
export function stronglyConnected(g: Csr): Components {
  const { n, start, adj } = g;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack = new Int32Array(n);
  const callNode = new Int32Array(n);
  const callPos = new Int32Array(n);
  const comp = new Int32Array(n).fill(-1);
  let sp = 0;
  let csp = 0;
  let counter = 0;
  let count = 0;
  for (let s = 0; s < n; s++) {
    if (index[s] !== -1) continue;
    index[s] = counter;
    low[s] = counter++;
    stack[sp++] = s;
    onStack[s] = 1;
    callNode[csp] = s;
    callPos[csp++] = start[s] as number;
    while (csp > 0) {
      const v = callNode[csp - 1] as number;
      const p = callPos[csp - 1] as number;
      if (p < (start[v + 1] as number)) {
        callPos[csp - 1] = p + 1;
        const w = adj[p] as number;
        if (index[w] === -1) {
          index[w] = counter;
          low[w] = counter++;
          stack[sp++] = w;
          onStack[w] = 1;
          callNode[csp] = w;
          callPos[csp++] = start[w] as number;
        } else if (onStack[w] && (index[w] as number) < (low[v] as number)) {
          low[v] = index[w] as number;
        }
        continue;
      }
      if (low[v] === index[v]) {
        let w: number;
        do {
          w = stack[--sp] as number;
          onStack[w] = 0;
          comp[w] = count;
        } while (w !== v);
        count++;
      }
      csp--;
      if (csp > 0) {
        const u = callNode[csp - 1] as number;
        if ((low[v] as number) < (low[u] as number)) low[u] = low[v] as number;
      }
    }
  }
  const size = new Int32Array(count);
  for (let v = 0; v < n; v++) {
    const k = comp[v] as number;
    size[k] = (size[k] as number) + 1;
  }
  return { comp, count, size };
}

/**
 * The longest path (in arcs) starting at each node on the DAG of components: a component counts
 * as one step, so a circle does not make the chain infinite.
 */
export function longestChains(g: Csr, c: Components): Int32Array {
  const { n, start, adj } = g;
  // Nodes grouped by component, components in increasing number (= successors first).
  const offset = new Int32Array(c.count + 1);
  for (let v = 0; v < n; v++) {
    const k = (c.comp[v] as number) + 1;
    offset[k] = (offset[k] as number) + 1;
  }
  for (let k = 0; k < c.count; k++)
    offset[k + 1] = (offset[k + 1] as number) + (offset[k] as number);
  const place = offset.slice(0, c.count);
  const order = new Int32Array(n);
  for (let v = 0; v < n; v++) {
    const k = c.comp[v] as number;
    const at = place[k] as number;
    place[k] = at + 1;
    order[at] = v;
  }
  const chain = new Int32Array(c.count);
  for (let k = 0; k < c.count; k++) {
    let best = 0;
    for (let i = offset[k] as number; i < (offset[k + 1] as number); i++) {
      const v = order[i] as number;
      for (let p = start[v] as number; p < (start[v + 1] as number); p++) {
        const ck = c.comp[adj[p] as number] as number;
        if (ck !== k && (chain[ck] as number) + 1 > best) best = (chain[ck] as number) + 1;
      }
    }
    chain[k] = best;
  }
  const out = new Int32Array(n);
  for (let v = 0; v < n; v++) out[v] = chain[c.comp[v] as number] as number;
  return out;
}

/** One block: its nodes and its undirected edges (as pairs of node numbers). */
export interface Block {
  nodes: number[];
  edges: Array<[number, number]>;
}

/**
 * The blocks (biconnected components) of the undirected graph formed by the arcs that run
 * inside a strongly connected component of at least two nodes. In a strongly connected digraph
 * each block is itself strongly connected, so every block is a circle, and two circles that
 * share only a member (a cut vertex) come out as two blocks. Iterative Hopcroft-Tarjan.
 */
export function circleBlocks(g: Csr, c: Components): Block[] {
  const { n, start, adj } = g;
  // Undirected neighbours within the same component (size >= 2), each pair once per side.
  const from: number[] = [];
  const to: number[] = [];
  for (let v = 0; v < n; v++) {
    const cv = c.comp[v] as number;
    if ((c.size[cv] as number) < 2) continue;
    for (let p = start[v] as number; p < (start[v + 1] as number); p++) {
      const w = adj[p] as number;
      if (c.comp[w] === cv) {
        from.push(v, w);
        to.push(w, v);
      }
    }
  }
  const u = buildCsr(n, from, to);
  const disc = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const parent = new Int32Array(n).fill(-1);
  const callNode = new Int32Array(n);
  const callPos = new Int32Array(n);
  const edgeA: number[] = [];
  const edgeB: number[] = [];
  const mark = new Int32Array(n).fill(-1);
  const blocks: Block[] = [];
  let time = 0;

  const popBlock = (a: number, b: number) => {
    const nodes: number[] = [];
    const edges: Array<[number, number]> = [];
    const stamp = blocks.length;
    for (;;) {
      const x = edgeA.pop() as number;
      const y = edgeB.pop() as number;
      edges.push([x, y]);
      if (mark[x] !== stamp) {
        mark[x] = stamp;
        nodes.push(x);
      }
      if (mark[y] !== stamp) {
        mark[y] = stamp;
        nodes.push(y);
      }
      if (x === a && y === b) break;
    }
    nodes.sort((p, q) => p - q);
    blocks.push({ nodes, edges });
  };

  for (let r = 0; r < n; r++) {
    if (disc[r] !== -1 || u.start[r] === u.start[r + 1]) continue;
    disc[r] = time;
    low[r] = time++;
    let csp = 0;
    callNode[csp] = r;
    callPos[csp++] = u.start[r] as number;
    while (csp > 0) {
      const v = callNode[csp - 1] as number;
      const p = callPos[csp - 1] as number;
      if (p < (u.start[v + 1] as number)) {
        callPos[csp - 1] = p + 1;
        const w = u.adj[p] as number;
        if (disc[w] === -1) {
          parent[w] = v;
          edgeA.push(v);
          edgeB.push(w);
          disc[w] = time;
          low[w] = time++;
          callNode[csp] = w;
          callPos[csp++] = u.start[w] as number;
        } else if (w !== parent[v] && (disc[w] as number) < (disc[v] as number)) {
          edgeA.push(v);
          edgeB.push(w);
          if ((disc[w] as number) < (low[v] as number)) low[v] = disc[w] as number;
        }
        continue;
      }
      csp--;
      if (csp > 0) {
        const pv = callNode[csp - 1] as number;
        if ((low[v] as number) < (low[pv] as number)) low[pv] = low[v] as number;
        if ((low[v] as number) >= (disc[pv] as number)) popBlock(pv, v);
      }
    }
  }
  return blocks;
}
