/**
 * 担保网络 / Guarantee network: a market's guarantee circles and chains (issue #16). The picture
 * is the API's own SVG (GET /v1/risk/guarantee-network with Accept: image/svg+xml), shown as an
 * <img> from a data: URL: an image cannot run scripts, and the page's CSP allows data: images
 * and nothing inline. The figures and the circle list come from the same route as JSON.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, NetworkError, type Page, session } from '../shared/api';
import { SelectField } from '../shared/form';
import { tr } from '../shared/i18n';

interface Market {
  id: string;
  name: string;
}

interface NetworkAnswer {
  circles: {
    id: string;
    members: string[];
    shape: 'pair' | 'triangle' | 'ring' | 'clique' | 'mesh';
    riskiest: boolean;
    guaranteed: number;
  }[];
  figures: {
    merchants: number;
    edges: number;
    circles: number;
    riskiestCircles: number;
    longestChain: number;
    maxContingentLiability: number;
  };
}

const SHAPES: Record<NetworkAnswer['circles'][number]['shape'], [string, string]> = {
  pair: ['互保对', 'mutual pair'],
  triangle: ['三角', 'triangle'],
  ring: ['环', 'ring'],
  clique: ['联保组', 'group clique'],
  mesh: ['网状', 'mesh'],
};

const yuan = (fen: number) => `¥${Math.round(fen / 100).toLocaleString('en-US')}`;

/** The SVG as text, with the session's key; errors in the API's shape. */
async function networkSvg(marketId: string): Promise<string> {
  let res: Response;
  try {
    res = await fetch(`/v1/risk/guarantee-network?marketId=${encodeURIComponent(marketId)}`, {
      headers: { accept: 'image/svg+xml', authorization: `Bearer ${session.key() ?? ''}` },
      cache: 'no-store',
    });
  } catch (error) {
    throw new NetworkError(String(error));
  }
  if (!res.ok || !(res.headers.get('content-type') ?? '').startsWith('image/svg+xml')) {
    throw new ApiError(res.status, 'HTTP_ERROR', `HTTP ${res.status}`, undefined, []);
  }
  return res.text();
}

export function GuaranteeNetwork() {
  const [markets, setMarkets] = useState<Market[]>([]);
  const [marketId, setMarketId] = useState('');
  const [answer, setAnswer] = useState<NetworkAnswer | null>(null);
  const [picture, setPicture] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const fail = (e: unknown) =>
    setError(e instanceof ApiError ? e.text() : tr('无法连接服务', 'Cannot reach the service'));

  useEffect(() => {
    api<Page<Market>>('/v1/markets?limit=200')
      .then((page) => {
        setMarkets(page.data);
        setMarketId((current) => current || (page.data[0]?.id ?? ''));
      })
      .catch(fail);
  }, []);

  useEffect(() => {
    if (!marketId) return;
    let live = true;
    setError(null);
    setAnswer(null);
    setPicture(null);
    Promise.all([
      api<NetworkAnswer>(`/v1/risk/guarantee-network?marketId=${encodeURIComponent(marketId)}`),
      networkSvg(marketId),
    ])
      .then(([json, svg]) => {
        if (!live) return;
        setAnswer(json);
        setPicture(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`);
      })
      .catch((e) => live && fail(e));
    return () => {
      live = false;
    };
  }, [marketId]);

  const f = answer?.figures;
  return (
    <section class="card" aria-labelledby="network-title">
      <h2 id="network-title">{tr('担保网络', 'Guarantee network')}</h2>
      <SelectField
        id="networkMarket"
        label={tr('市场', 'Market')}
        value={marketId}
        options={markets.map((m) => [m.id, m.name])}
        onChange={setMarketId}
      />
      {error && (
        <p class="notice error" role="alert">
          {error}
        </p>
      )}
      {f && (
        <p data-testid="network-figures">
          {tr('商户', 'Merchants')} {f.merchants} · {tr('担保', 'Guarantees')} {f.edges} ·{' '}
          {tr('担保圈', 'Circles')} {f.circles} ({tr('最危险', 'riskiest')} {f.riskiestCircles}) ·{' '}
          {tr('最长担保链', 'Longest chain')} {f.longestChain} ·{' '}
          {tr('最大或有负债', 'Largest contingent liability')} {yuan(f.maxContingentLiability)}
        </p>
      )}
      {picture && (
        <div class="scroll">
          <img
            src={picture}
            width={1120}
            height={860}
            alt={tr(
              `担保网络图：${f?.circles ?? 0} 个担保圈，圈内成员着色，线宽表示担保金额`,
              `Guarantee network: ${f?.circles ?? 0} circles, members coloured, line width by amount`,
            )}
            class="network-picture"
            data-testid="network-svg"
          />
        </div>
      )}
      {answer && answer.circles.length > 0 && (
        <div class="scroll">
          <table>
            <caption>{tr('担保圈', 'Circles')}</caption>
            <thead>
              <tr>
                <th scope="col">{tr('编号', 'Id')}</th>
                <th scope="col">{tr('形状', 'Shape')}</th>
                <th scope="col">{tr('成员', 'Members')}</th>
                <th scope="col">{tr('圈内担保', 'Guaranteed inside')}</th>
              </tr>
            </thead>
            <tbody>
              {answer.circles.map((c) => (
                <tr key={c.id}>
                  <td>{c.id}</td>
                  <td>
                    {tr(...SHAPES[c.shape])}
                    {c.riskiest ? ` · ${tr('最危险', 'riskiest')}` : ''}
                  </td>
                  <td>{c.members.join(', ')}</td>
                  <td>{yuan(c.guaranteed)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
