import type { NetworkIndex } from '../../src/credit';

/**
 * A compiled network's rows by merchant id: each merchant's guarantees out and in as
 * `neighbour/group` ('-': an individual guarantee), in the order the searches visit them. Two
 * networks with equal rows give equal figures for every check, whatever their numbering. A
 * merchant without links (a patched network keeps its number) is left out.
 */
export function networkRows(index: NetworkIndex) {
  const rows = new Map<string, { out: string[]; in: string[] }>();
  const row = (start: Int32Array, node: Int32Array, group: Int32Array, n: number) => {
    const list: string[] = [];
    for (let i = start[n] as number; i < (start[n + 1] as number); i++) {
      const g = group[i] as number;
      list.push(`${index.ids[node[i] as number]}/${g < 0 ? '-' : index.groupIds[g]}`);
    }
    return list;
  };
  index.ids.forEach((id, n) => {
    const out = row(index.outStart, index.outNode, index.outGroup, n);
    const into = row(index.inStart, index.inNode, index.inGroup, n);
    if (out.length > 0 || into.length > 0) rows.set(id, { out, in: into });
  });
  return rows;
}
