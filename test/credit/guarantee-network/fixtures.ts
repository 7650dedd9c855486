import type {
  Network,
  NetworkEdge,
  NetworkNode,
} from '../../../src/credit/guarantee-network/types';

/** Small networks for the tests: merchants by id, edges written as arrows. */
export function merchant(id: string, annualNetProfitFen: number | null = null): NetworkNode {
  return { id, kind: 'merchant', marketId: 'mkt_test', annualNetProfitFen };
}

export function operator(id: string): NetworkNode {
  return { id, kind: 'operator', marketId: 'mkt_test', annualNetProfitFen: null };
}

/** An individual guarantee: `guarantor` guarantees `amountFen` of `borrower`'s loan. */
export function individual(guarantor: string, borrower: string, amountFen = 100): NetworkEdge {
  return {
    id: `individual:${guarantor}:${borrower}`,
    guarantorId: guarantor,
    guarantorKind: 'merchant',
    borrowerId: borrower,
    source: 'individual',
    groupId: null,
    applicationId: `app_${borrower}`,
    amountFen,
  };
}

/** A joint-guarantee group: every member guarantees every other member's loan in full. */
export function group(groupId: string, loans: Record<string, number>): NetworkEdge[] {
  const members = Object.keys(loans);
  return members.flatMap((guarantor) =>
    members
      .filter((b) => b !== guarantor)
      .map((borrower) => ({
        id: `group:${groupId}:${guarantor}:${borrower}`,
        guarantorId: guarantor,
        guarantorKind: 'merchant' as const,
        borrowerId: borrower,
        source: 'group' as const,
        groupId,
        applicationId: null,
        amountFen: loans[borrower] as number,
      })),
  );
}

export function operatorEdge(op: string, borrower: string, amountFen: number): NetworkEdge {
  return {
    id: `operator:${op}:${borrower}`,
    guarantorId: op,
    guarantorKind: 'operator',
    borrowerId: borrower,
    source: 'operator',
    groupId: null,
    applicationId: `app_op_${borrower}`,
    amountFen,
  };
}

/** A network of merchants named in the edges (operators are those prefixed `opr`). */
export function network(edges: NetworkEdge[], extra: NetworkNode[] = []): Network {
  const ids = new Set<string>(extra.map((n) => n.id));
  const nodes = [...extra];
  for (const e of edges) {
    for (const id of [e.guarantorId, e.borrowerId]) {
      if (ids.has(id)) continue;
      ids.add(id);
      nodes.push(id.startsWith('opr') ? operator(id) : merchant(id));
    }
  }
  return { nodes, edges };
}

/** A chain a1 -> a2 -> ... -> an of individual guarantees, optionally closed an -> a1. */
export function chain(prefix: string, n: number, closed: boolean): NetworkEdge[] {
  const edges: NetworkEdge[] = [];
  for (let i = 1; i < n; i++) edges.push(individual(`${prefix}${i}`, `${prefix}${i + 1}`));
  if (closed) edges.push(individual(`${prefix}${n}`, `${prefix}1`));
  return edges;
}
