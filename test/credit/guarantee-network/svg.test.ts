import { analyzeNetwork } from '../../../src/credit/guarantee-network/circles';
import { escapeXml, renderNetworkSvg, yuan } from '../../../src/credit/guarantee-network/svg';
import { chain, group, individual, network, operatorEdge } from './fixtures';

const net = network([
  ...group('g1', { a: 300_000, b: 120_000, c: 90_000 }),
  individual('d', 'c', 50_000),
  individual('c', 'd', 5_000),
  ...chain('r', 4, true),
  operatorEdge('opr_1', 'a', 200_000),
]);
const render = (labels?: Record<string, string>) =>
  renderNetworkSvg({
    title: 'Market <A> & "B"',
    network: net,
    analysis: analyzeNetwork(net),
    labels,
  });

describe('renderNetworkSvg', () => {
  it('is deterministic and whatever the order of the input', () => {
    const reversed = { nodes: [...net.nodes].reverse(), edges: [...net.edges].reverse() };
    const again = renderNetworkSvg({
      title: 'Market <A> & "B"',
      network: reversed,
      analysis: analyzeNetwork(reversed),
    });
    expect(render()).toBe(render());
    expect(again).toBe(render());
  });

  it('escapes every text and refers to nothing outside itself', () => {
    const svg = render({ a: '<script>alert(1)</script>', b: "O'Brien & Co" });
    expect(svg).not.toContain('<script');
    expect(svg).toContain('&lt;script&gt;');
    expect(svg).toContain('O&#39;Brien &amp; Co');
    expect(svg).toContain('<title id="gn-title">Market &lt;A&gt; &amp; &quot;B&quot;</title>');
    expect(svg).not.toMatch(/style=|<style|href=|on[a-z]+=/i);
    // The only URL is the SVG namespace.
    expect(svg.match(/https?:\/\/[^"]*/g)).toEqual(['http://www.w3.org/2000/svg']);
  });

  it('highlights each circle, draws every edge with a width by amount, and has a legend', () => {
    const svg = render();
    const a = analyzeNetwork(net);
    // Circles: the group clique {a,b,c} (a triangle), the pair {c,d}, the ring r1..r4.
    expect(a.circles.map((c) => c.shape).sort()).toEqual(['pair', 'ring', 'triangle']);
    expect(svg.match(/<polygon /g)).toHaveLength(3);
    expect(svg.match(/<line [^>]*marker-end/g)).toHaveLength(net.edges.length);
    // Largest amount 300,000: width 6; 5,000: 0.8 + 5.2 x sqrt(5000/300000) = 1.47 -> 1.5.
    expect(svg).toContain('stroke-width="6" marker-end');
    expect(svg).toContain('stroke-width="1.5" marker-end');
    expect(svg).toContain('id="gn-legend"');
    expect(svg).toContain('互保对 mutual pair (1)');
    expect(svg).toContain('¥3,000');
  });

  it('formats yuan and escapes the five XML characters', () => {
    expect(yuan(123_456_700)).toBe('1,234,567');
    expect(yuan(0)).toBe('0');
    expect(escapeXml(`<&>"'`)).toBe('&lt;&amp;&gt;&quot;&#39;');
  });
});
