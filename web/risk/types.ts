export interface Policy {
  id: string;
  version: number;
  status: 'draft' | 'published' | 'active' | 'retired';
  name: string | null;
  document?: Record<string, unknown>;
  valid: boolean;
  role: 'champion' | 'challenger' | null;
  shareBps: number | null;
  createdBy: string | null;
  authors: string[];
  createdAt: string;
  publishedBy: string | null;
  publishedAt: string | null;
}

export interface Problem {
  path: string;
  message: string;
}

export interface Diff {
  changes: {
    path: string;
    kind: 'added' | 'removed' | 'changed';
    before?: unknown;
    after?: unknown;
  }[];
}

interface Swap {
  count: number;
  sample: string[];
}

export interface Simulation {
  count: number;
  outcomes: Record<'approve' | 'refer' | 'decline', { count: number; rate: number }>;
  scoreHistogram: {
    from: number;
    to: number;
    count: number;
    byOutcome: Record<'approve' | 'refer' | 'decline', number>;
  }[];
  cutoffCurve: {
    cutoff: number;
    approvedCount: number;
    approvalRate: number;
    expectedLoss: number;
  }[];
  gradeMix: Record<'A' | 'B' | 'C' | 'D' | 'E', number>;
  productMix: { product: string; count: number; amount: number }[];
  expectedLoss: number;
  swaps: Record<string, Swap>;
  elapsedMs: number;
}

export interface Monitoring {
  period: { since: string; until: string };
  count: number;
  bads: number;
  badRate: number | null;
  badRateByGrade: { grade: string; count: number; bads: number; badRate: number }[];
  gini: number | null;
  ks: number | null;
  psi: {
    value: number | null;
    bins: { from: number; to: number; expected: number; actual: number }[];
  };
}
