/**
 * The guarantee network as the credit model sees it (issue #16): merchants and operators as
 * nodes, one edge from guarantor to borrower per live guarantee, weighted by the amount
 * guaranteed (fen). Plain data, read by the module from `guarantee_edges`; pure functions only.
 */

export type NodeKind = 'merchant' | 'operator';
export type EdgeSource = 'group' | 'individual' | 'operator';

export interface NetworkNode {
  id: string;
  kind: NodeKind;
  marketId: string;
  /** Merchant: round(annualSales x netMargin) of its latest application's survey; null if none. */
  annualNetProfitFen: number | null;
}

export interface NetworkEdge {
  id: string;
  guarantorId: string;
  guarantorKind: NodeKind;
  borrowerId: string;
  source: EdgeSource;
  groupId: string | null;
  applicationId: string | null;
  /** Fen: what the guarantor guarantees of the borrower's loan(s) under this guarantee. */
  amountFen: number;
}

export interface Network {
  nodes: NetworkNode[];
  edges: NetworkEdge[];
}

/**
 * A circle's shape. Research on bank data finds mutual pairs, and triangles that contain one,
 * the riskiest shapes; a ring spreads a default all the way round; a clique is one joint-
 * guarantee group (every member guarantees every other); a mesh is anything denser than a
 * ring that is not a clique (e.g. two groups sharing a pair of members).
 */
export type CircleShape = 'pair' | 'triangle' | 'ring' | 'clique' | 'mesh';

/**
 * A circle (担保圈): a set of at least two merchants in which each one's default can reach
 * every other through guarantees. Computed as a block (2-connected piece) of a strongly
 * connected component, so that two circles sharing one member are reported as two circles,
 * and the component they form together as one cluster.
 */
export interface Circle {
  id: string;
  /** Member ids, sorted. */
  members: string[];
  shape: CircleShape;
  /** Unordered member pairs that guarantee each other both ways. */
  mutualPairs: number;
  /** Whether this is one of the riskiest shapes: a mutual pair, or a triangle containing one. */
  riskiest: boolean;
  /** The strongly connected component (cluster) it belongs to. */
  cluster: number;
  /** Guarantee groups whose edges run inside the circle, sorted. */
  groupIds: string[];
  /** Sum of the amounts of the edges inside the circle, fen. */
  guaranteedFen: number;
}

/** Per-node figures. */
export interface NodeFigures {
  id: string;
  /** What it guarantees of others' loans (sum of its outgoing edges), fen. */
  contingentLiabilityFen: number;
  /** Its own loans that others guarantee, each guarantee counted once, fen. */
  guaranteedBorrowingFen: number;
  /** Circles it is a member of (ids). */
  circleIds: string[];
  /** Longest guarantee chain starting at it (edges; a circle counts as one step). */
  chainLength: number;
}

export interface NetworkFigures {
  nodes: number;
  merchants: number;
  operators: number;
  edges: number;
  guaranteedFen: number;
  circles: number;
  circlesByShape: Record<CircleShape, number>;
  riskiestCircles: number;
  merchantsInCircles: number;
  largestCircle: number;
  /** Longest chain of guarantees in the network (edges, each circle counted as one step). */
  longestChain: number;
  maxContingentLiabilityFen: number;
}

export interface NetworkAnalysis {
  circles: Circle[];
  nodes: NodeFigures[];
  figures: NetworkFigures;
}
