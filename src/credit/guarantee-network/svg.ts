import type { CircleShape, Network, NetworkAnalysis } from './types';

/**
 * The guarantee network as a standalone SVG picture: a circular layout (circles' members next to
 * each other, then the other merchants by id; operators in the middle), edges from guarantor to
 * borrower with widths by amount, circles highlighted by shape, a legend. Deterministic (the
 * same network gives the same bytes), no scripts, styles or external references, every text
 * escaped: safe to serve as image/svg+xml and to show in an <img>.
 */
export interface SvgInput {
  title: string;
  network: Network;
  analysis: NetworkAnalysis;
  /** Display names by node id (default: the id). */
  labels?: Readonly<Record<string, string>>;
}

const WIDTH = 1120;
const HEIGHT = 860;
const CX = 420;
const CY = 430;
const RING = 360;
const LEGEND_X = 860;

export const SHAPE_COLOURS: Record<CircleShape, string> = {
  pair: '#c0392b',
  triangle: '#e67e22',
  ring: '#8e44ad',
  clique: '#16a085',
  mesh: '#b7950b',
};

const SHAPE_NAMES: Record<CircleShape, string> = {
  pair: '互保对 mutual pair',
  triangle: '三角 triangle',
  ring: '环 ring',
  clique: '联保组 group clique',
  mesh: '网状 mesh',
};

const EDGE_IN_CIRCLE = '#c0392b';
const EDGE_OPERATOR = '#2471a3';
const EDGE_OTHER = '#7f8c8d';

export function escapeXml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}

/** One decimal, no "-0": stable bytes across platforms. */
const num = (x: number) => {
  const r = Math.round(x * 10) / 10;
  return Object.is(r, -0) ? '0' : String(r);
};

/** Fen as 元 with thousands separators, e.g. 1234500 -> "12,345". */
export function yuan(fen: number): string {
  const whole = Math.round(fen / 100);
  return String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** Node order around the ring: each circle's members together, then the rest by id. */
function ringOrder(network: Network, analysis: NetworkAnalysis): string[] {
  const merchants = new Set(network.nodes.filter((n) => n.kind === 'merchant').map((n) => n.id));
  const placed = new Set<string>();
  const order: string[] = [];
  for (const c of analysis.circles) {
    for (const m of c.members) {
      if (merchants.has(m) && !placed.has(m)) {
        placed.add(m);
        order.push(m);
      }
    }
  }
  for (const id of [...merchants].sort()) if (!placed.has(id)) order.push(id);
  return order;
}

export function renderNetworkSvg(input: SvgInput): string {
  const { network, analysis } = input;
  const label = (id: string) => input.labels?.[id] ?? id;
  const pos = new Map<string, { x: number; y: number }>();
  const ring = ringOrder(network, analysis);
  ring.forEach((id, i) => {
    const a = -Math.PI / 2 + (2 * Math.PI * i) / Math.max(1, ring.length);
    pos.set(id, { x: CX + RING * Math.cos(a), y: CY + RING * Math.sin(a) });
  });
  const operators = network.nodes
    .filter((n) => n.kind === 'operator')
    .map((n) => n.id)
    .sort();
  operators.forEach((id, i) => {
    const r = operators.length === 1 ? 0 : 60;
    const a = -Math.PI / 2 + (2 * Math.PI * i) / operators.length;
    pos.set(id, { x: CX + r * Math.cos(a), y: CY + r * Math.sin(a) });
  });
  const many = ring.length > 60;
  const nodeR = ring.length > 400 ? 2.5 : many ? 5 : 10;

  const circleOf = new Map<string, Set<string>>();
  const shapeOfNode = new Map<string, CircleShape>();
  const riskiest = new Set<string>();
  for (const c of analysis.circles) {
    for (const m of c.members) {
      let set = circleOf.get(m);
      if (!set) {
        set = new Set();
        circleOf.set(m, set);
      }
      set.add(c.id);
      if (!shapeOfNode.has(m)) shapeOfNode.set(m, c.shape);
      if (c.riskiest) riskiest.add(m);
    }
  }
  const sameCircle = (a: string, b: string) => {
    const s = circleOf.get(a);
    const t = circleOf.get(b);
    if (!s || !t) return false;
    for (const id of s) if (t.has(id)) return true;
    return false;
  };

  const maxAmount = network.edges.reduce((m, e) => Math.max(m, e.amountFen), 0);
  const minAmount = network.edges.reduce((m, e) => Math.min(m, e.amountFen), maxAmount);
  const widthOf = (amount: number) =>
    maxAmount > 0 ? 0.8 + 5.2 * Math.sqrt(Math.max(0, amount) / maxAmount) : 0.8;

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-labelledby="gn-title">`,
    `<title id="gn-title">${escapeXml(input.title)}</title>`,
    '<defs>',
    ...[
      ['in', EDGE_IN_CIRCLE],
      ['op', EDGE_OPERATOR],
      ['other', EDGE_OTHER],
    ].map(
      ([id, colour]) =>
        `<marker id="gn-arrow-${id}" viewBox="0 0 10 10" refX="10" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto"><path d="M0 0L10 5L0 10z" fill="${colour}"/></marker>`,
    ),
    '</defs>',
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
  );

  // Circles first (underneath): a translucent polygon through the members' places.
  out.push('<g id="gn-circles">');
  for (const c of analysis.circles) {
    const colour = SHAPE_COLOURS[c.shape];
    const pts = c.members
      .map((m) => pos.get(m))
      .filter((p): p is { x: number; y: number } => p !== undefined)
      .map((p) => ({ p, a: Math.atan2(p.y - CY, p.x - CX) }))
      .sort((s, t) => s.a - t.a)
      .map(({ p }) => `${num(p.x)},${num(p.y)}`)
      .join(' ');
    out.push(
      `<polygon points="${pts}" fill="${colour}" fill-opacity="0.12" stroke="${colour}" stroke-opacity="0.45" stroke-width="${many ? 4 : 10}" stroke-linejoin="round"><title>${escapeXml(`${c.id}: ${SHAPE_NAMES[c.shape]}, ${c.members.length}`)}</title></polygon>`,
    );
  }
  out.push('</g>');

  out.push('<g id="gn-edges">');
  const edges = [...network.edges].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const e of edges) {
    const from = pos.get(e.guarantorId);
    const to = pos.get(e.borrowerId);
    if (!from || !to) continue;
    const dx = to.x - from.x;
    const dy = to.y - from.y;
    const len = Math.hypot(dx, dy) || 1;
    // Stop at the node's edge so that the arrow head shows; offset a little sideways so that
    // the two directions of a mutual pair do not overlap.
    const ox = (-dy / len) * 3;
    const oy = (dx / len) * 3;
    const x1 = from.x + (dx / len) * nodeR + ox;
    const y1 = from.y + (dy / len) * nodeR + oy;
    const x2 = to.x - (dx / len) * (nodeR + 1) + ox;
    const y2 = to.y - (dy / len) * (nodeR + 1) + oy;
    const kind =
      e.guarantorKind === 'operator'
        ? 'op'
        : sameCircle(e.guarantorId, e.borrowerId)
          ? 'in'
          : 'other';
    const colour = kind === 'op' ? EDGE_OPERATOR : kind === 'in' ? EDGE_IN_CIRCLE : EDGE_OTHER;
    out.push(
      `<line x1="${num(x1)}" y1="${num(y1)}" x2="${num(x2)}" y2="${num(y2)}" stroke="${colour}" stroke-opacity="0.75" stroke-width="${num(widthOf(e.amountFen))}" marker-end="url(#gn-arrow-${kind})"><title>${escapeXml(`${label(e.guarantorId)} → ${label(e.borrowerId)}: ¥${yuan(e.amountFen)} (${e.source})`)}</title></line>`,
    );
  }
  out.push('</g>');

  out.push('<g id="gn-nodes" font-family="sans-serif" font-size="11">');
  const figures = new Map(analysis.nodes.map((n) => [n.id, n]));
  for (const node of [...network.nodes].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    const p = pos.get(node.id);
    if (!p) continue;
    const f = figures.get(node.id);
    const tip = escapeXml(
      `${label(node.id)} (${node.id})${f ? `: 或有负债 contingent ¥${yuan(f.contingentLiabilityFen)}` : ''}`,
    );
    if (node.kind === 'operator') {
      out.push(
        `<rect x="${num(p.x - 9)}" y="${num(p.y - 9)}" width="18" height="18" fill="${EDGE_OPERATOR}"><title>${tip}</title></rect>`,
      );
    } else {
      const shape = shapeOfNode.get(node.id);
      const fill = riskiest.has(node.id)
        ? SHAPE_COLOURS.pair
        : shape
          ? SHAPE_COLOURS[shape]
          : '#5d6d7e';
      out.push(
        `<circle cx="${num(p.x)}" cy="${num(p.y)}" r="${nodeR}" fill="${fill}" stroke="#ffffff" stroke-width="1"><title>${tip}</title></circle>`,
      );
    }
    if (!many) {
      const a = Math.atan2(p.y - CY, p.x - CX);
      const onRing = node.kind === 'merchant';
      const lx = onRing ? p.x + Math.cos(a) * 18 : p.x;
      const ly = onRing ? p.y + Math.sin(a) * 18 + 4 : p.y + 24;
      const anchor = !onRing
        ? 'middle'
        : Math.cos(a) > 0.3
          ? 'start'
          : Math.cos(a) < -0.3
            ? 'end'
            : 'middle';
      out.push(
        `<text x="${num(lx)}" y="${num(ly)}" text-anchor="${anchor}" fill="#1b2631">${escapeXml(truncate(label(node.id), 14))}</text>`,
      );
    }
  }
  out.push('</g>');

  out.push(...legend(input, minAmount, maxAmount, widthOf));
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

function legend(
  input: SvgInput,
  minAmount: number,
  maxAmount: number,
  widthOf: (amount: number) => number,
): string[] {
  const f = input.analysis.figures;
  const out: string[] = [
    '<g id="gn-legend" font-family="sans-serif" font-size="12" fill="#1b2631">',
  ];
  let y = 40;
  const text = (s: string, size = 12, weight = 'normal') => {
    out.push(
      `<text x="${LEGEND_X}" y="${y}" font-size="${size}" font-weight="${weight}">${escapeXml(s)}</text>`,
    );
    y += size + 8;
  };
  text(truncate(input.title, 34), 13, 'bold');
  text(`商户 merchants ${f.merchants} · 运营方 operators ${f.operators}`);
  text(`担保 guarantees ${f.edges} · ¥${yuan(f.guaranteedFen)}`);
  text(`担保圈 circles ${f.circles} (最危险 riskiest ${f.riskiestCircles})`);
  text(`最长担保链 longest chain ${f.longestChain}`);
  y += 10;
  text('担保圈形状 circle shapes', 13, 'bold');
  for (const shape of Object.keys(SHAPE_COLOURS) as CircleShape[]) {
    out.push(
      `<rect x="${LEGEND_X}" y="${y - 11}" width="14" height="14" fill="${SHAPE_COLOURS[shape]}" fill-opacity="0.6"/>`,
      `<text x="${LEGEND_X + 22}" y="${y}">${escapeXml(`${SHAPE_NAMES[shape]} (${f.circlesByShape[shape]})`)}</text>`,
    );
    y += 22;
  }
  y += 10;
  text('节点 nodes', 13, 'bold');
  out.push(
    `<circle cx="${LEGEND_X + 7}" cy="${y - 4}" r="7" fill="#5d6d7e"/>`,
    `<text x="${LEGEND_X + 22}" y="${y}">商户 merchant (圈内着色 coloured in a circle)</text>`,
  );
  y += 22;
  out.push(
    `<rect x="${LEGEND_X}" y="${y - 11}" width="14" height="14" fill="${EDGE_OPERATOR}"/>`,
    `<text x="${LEGEND_X + 22}" y="${y}">运营方 market operator</text>`,
  );
  y += 32;
  text('担保 edges: guarantor → borrower', 13, 'bold');
  for (const [colour, name] of [
    [EDGE_IN_CIRCLE, '圈内 inside a circle'],
    [EDGE_OTHER, '链上 on a chain'],
    [EDGE_OPERATOR, '运营方担保 operator'],
  ] as const) {
    out.push(
      `<line x1="${LEGEND_X}" y1="${y - 4}" x2="${LEGEND_X + 30}" y2="${y - 4}" stroke="${colour}" stroke-width="3"/>`,
      `<text x="${LEGEND_X + 38}" y="${y}">${escapeXml(name)}</text>`,
    );
    y += 22;
  }
  y += 10;
  text('线宽 width by amount', 13, 'bold');
  for (const amount of maxAmount > 0 ? [minAmount, maxAmount] : []) {
    out.push(
      `<line x1="${LEGEND_X}" y1="${y - 4}" x2="${LEGEND_X + 30}" y2="${y - 4}" stroke="${EDGE_OTHER}" stroke-width="${num(widthOf(amount))}"/>`,
      `<text x="${LEGEND_X + 38}" y="${y}">¥${escapeXml(yuan(amount))}</text>`,
    );
    y += 22;
  }
  out.push('</g>');
  return out;
}
