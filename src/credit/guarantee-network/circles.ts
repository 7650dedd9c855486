import {
  type Block,
  buildCsr,
  type Components,
  type Csr,
  circleBlocks,
  longestChains,
  stronglyConnected,
} from './graph';
import type {
  Circle,
  CircleShape,
  Network,
  NetworkAnalysis,
  NetworkFigures,
  NodeFigures,
} from './types';

/** The network with node numbers: what every algorithm here works on. */
export interface IndexedNetwork {
  network: Network;
  index: Map<string, number>;
  /** Per edge: guarantor and borrower numbers (edges whose ends are unknown are dropped). */
  from: Int32Array;
  to: Int32Array;
  edgeOf: Int32Array;
  graph: Csr;
}

export function indexNetwork(network: Network): IndexedNetwork {
  const index = new Map<string, number>();
  network.nodes.forEach((node, i) => {
    index.set(node.id, i);
  });
  const from: number[] = [];
  const to: number[] = [];
  const edgeOf: number[] = [];
  network.edges.forEach((e, i) => {
    const f = index.get(e.guarantorId);
    const t = index.get(e.borrowerId);
    if (f === undefined || t === undefined) return;
    from.push(f);
    to.push(t);
    edgeOf.push(i);
  });
  const fromA = Int32Array.from(from);
  const toA = Int32Array.from(to);
  return {
    network,
    index,
    from: fromA,
    to: toA,
    edgeOf: Int32Array.from(edgeOf),
    graph: buildCsr(network.nodes.length, fromA, toA),
  };
}

/**
 * A block's shape from its size and arcs: two members are a pair (they guarantee each other:
 * a two-member strongly connected block has both arcs); three a triangle; a block whose
 * undirected edges are as many as its members is a ring; every ordered pair guaranteed is a
 * clique (one group); otherwise a mesh.
 */
export function shapeOf(members: number, undirectedEdges: number, arcs: number): CircleShape {
  if (members === 2) return 'pair';
  if (members === 3) return 'triangle';
  if (arcs === members * (members - 1)) return 'clique';
  if (undirectedEdges === members) return 'ring';
  return 'mesh';
}

/** Whether the arc a->b exists in the simple digraph (rows are short: a linear scan). */
function hasArc(g: Csr, a: number, b: number): boolean {
  for (let p = g.start[a] as number; p < (g.start[a + 1] as number); p++)
    if (g.adj[p] === b) return true;
  return false;
}

/** The circles of a network, its per-node figures and its totals. */
export function analyzeNetwork(network: Network): NetworkAnalysis {
  const net = indexNetwork(network);
  const comps = stronglyConnected(net.graph);
  const blocks = circleBlocks(net.graph, comps);
  const chains = longestChains(net.graph, comps);
  const circles = describeCircles(net, comps, blocks);
  const nodes = nodeFigures(net, circles, chains);
  return { circles, nodes, figures: totals(network, circles, nodes, chains) };
}

function describeCircles(net: IndexedNetwork, comps: Components, blocks: Block[]): Circle[] {
  const { network, graph } = net;
  const n = network.nodes.length;
  // Which block each undirected pair belongs to, to give every edge inside a circle its circle.
  const blockOfPair = new Map<number, number>();
  const pairKey = (a: number, b: number) => (a < b ? a * n + b : b * n + a);
  const described = blocks.map((block, bi) => {
    let arcs = 0;
    let mutual = 0;
    for (const [a, b] of block.edges) {
      blockOfPair.set(pairKey(a, b), bi);
      const ab = hasArc(graph, a, b);
      const ba = hasArc(graph, b, a);
      arcs += (ab ? 1 : 0) + (ba ? 1 : 0);
      if (ab && ba) mutual++;
    }
    const shape = shapeOf(block.nodes.length, block.edges.length, arcs);
    return {
      members: block.nodes.map((v) => network.nodes[v]?.id as string).sort(),
      shape,
      mutualPairs: mutual,
      riskiest: shape === 'pair' || (shape === 'triangle' && mutual > 0),
      cluster: comps.comp[block.nodes[0] as number] as number,
      groups: new Set<string>(),
      guaranteedFen: 0,
    };
  });
  for (let i = 0; i < net.from.length; i++) {
    const bi = blockOfPair.get(pairKey(net.from[i] as number, net.to[i] as number));
    if (bi === undefined) continue;
    const d = described[bi];
    const edge = network.edges[net.edgeOf[i] as number];
    if (!d || !edge) continue;
    d.guaranteedFen += edge.amountFen;
    if (edge.groupId) d.groups.add(edge.groupId);
  }
  // Deterministic order and ids: largest first, then by first member.
  described.sort(
    (a, b) =>
      b.members.length - a.members.length ||
      ((a.members[0] as string) < (b.members[0] as string) ? -1 : 1),
  );
  // Clusters renumbered in order of first appearance, so that ids do not depend on input order.
  const clusterIds = new Map<number, number>();
  return described.map((d, i) => {
    if (!clusterIds.has(d.cluster)) clusterIds.set(d.cluster, clusterIds.size + 1);
    return {
      id: `circle-${i + 1}`,
      members: d.members,
      shape: d.shape,
      mutualPairs: d.mutualPairs,
      riskiest: d.riskiest,
      cluster: clusterIds.get(d.cluster) as number,
      groupIds: [...d.groups].sort(),
      guaranteedFen: d.guaranteedFen,
    };
  });
}

/**
 * A guarantee is counted once per borrower: a group's members each guarantee the same loan,
 * so a group's edges into one borrower count as the largest of them; an individual guarantor's
 * or operator's edge counts as itself.
 */
export function guaranteeKey(e: {
  source: string;
  groupId: string | null;
  applicationId: string | null;
  id: string;
}): string {
  return e.source === 'group' ? `group:${e.groupId}` : `${e.source}:${e.id}`;
}

function nodeFigures(net: IndexedNetwork, circles: Circle[], chains: Int32Array): NodeFigures[] {
  const { network } = net;
  const contingent = new Float64Array(network.nodes.length);
  const claims = new Map<string, number>();
  for (let i = 0; i < net.from.length; i++) {
    const e = network.edges[net.edgeOf[i] as number];
    if (!e) continue;
    const g = net.from[i] as number;
    contingent[g] = (contingent[g] as number) + e.amountFen;
    const key = `${net.to[i]}|${guaranteeKey(e)}`;
    claims.set(key, Math.max(claims.get(key) ?? 0, e.amountFen));
  }
  const borrowing = new Float64Array(network.nodes.length);
  for (const [key, amount] of claims) {
    const v = Number(key.slice(0, key.indexOf('|')));
    borrowing[v] = (borrowing[v] as number) + amount;
  }
  const memberOf = new Map<string, string[]>();
  for (const c of circles) {
    for (const m of c.members) {
      const list = memberOf.get(m);
      if (list) list.push(c.id);
      else memberOf.set(m, [c.id]);
    }
  }
  return network.nodes.map((node, v) => ({
    id: node.id,
    contingentLiabilityFen: contingent[v] as number,
    guaranteedBorrowingFen: borrowing[v] as number,
    circleIds: memberOf.get(node.id) ?? [],
    chainLength: chains[v] as number,
  }));
}

function totals(
  network: Network,
  circles: Circle[],
  nodes: NodeFigures[],
  chains: Int32Array,
): NetworkFigures {
  const byShape: Record<CircleShape, number> = {
    pair: 0,
    triangle: 0,
    ring: 0,
    clique: 0,
    mesh: 0,
  };
  for (const c of circles) byShape[c.shape]++;
  const inCircles = new Set(circles.flatMap((c) => c.members));
  let longest = 0;
  for (const v of chains) if (v > longest) longest = v;
  const operators = network.nodes.filter((n) => n.kind === 'operator').length;
  return {
    nodes: network.nodes.length,
    merchants: network.nodes.length - operators,
    operators,
    edges: network.edges.length,
    guaranteedFen: network.edges.reduce((s, e) => s + e.amountFen, 0),
    circles: circles.length,
    circlesByShape: byShape,
    riskiestCircles: circles.filter((c) => c.riskiest).length,
    merchantsInCircles: inCircles.size,
    largestCircle: circles.reduce((m, c) => Math.max(m, c.members.length), 0),
    longestChain: longest,
    maxContingentLiabilityFen: nodes.reduce((m, n) => Math.max(m, n.contingentLiabilityFen), 0),
  };
}
