import { useEffect, useState } from 'preact/hooks';
import { ApiError, api } from '../shared/api';
import { ScreenHeading } from '../shared/heading';
import { tr } from '../shared/i18n';
import { outcomeName, statusName } from '../shared/labels';

/**
 * An application linked from the workbench (the simulation's swap set): its address is
 * #/applications/<id> in this page, so a link can be opened, kept or shared; what it shows is
 * read through the API with the session's key, as any other figure here.
 */
export const applicationHref = (id: string): string => `#/applications/${encodeURIComponent(id)}`;

function linked(): string | null {
  const m = /^#\/applications\/([^/]+)$/.exec(window.location.hash);
  return m ? decodeURIComponent(m[1] as string) : null;
}

/** The application the address names, following the address as it changes. */
export function useLinkedApplication(): string | null {
  const [id, setId] = useState(linked);
  useEffect(() => {
    const onHash = () => setId(linked());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  return id;
}

interface LinkedApplication {
  id: string;
  merchantId: string;
  status: string;
  createdAt: string;
  decision: {
    outcome: string;
    score: number;
    grade: string;
    policyVersion: number;
    reasons: { code: string; textZh: string; textEn: string }[];
  };
}

export function ApplicationPanel(props: { id: string }) {
  const [a, setA] = useState<LinkedApplication | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<LinkedApplication>(`/v1/applications/${encodeURIComponent(props.id)}`)
      .then(setA)
      .catch((e) =>
        setError(e instanceof ApiError ? e.text() : tr('无法连接服务', 'Cannot reach the service')),
      );
  }, [props.id]);
  return (
    <section class="card" data-testid="linked-application" aria-labelledby="linked-title">
      <ScreenHeading>
        <span id="linked-title">
          {tr('申请', 'Application')} {props.id}
        </span>
      </ScreenHeading>
      {error && (
        <p class="notice error" role="alert">
          {error}
        </p>
      )}
      {!a && !error && <p>{tr('加载中…', 'Loading…')}</p>}
      {a && (
        <>
          <dl class="facts">
            <dt>{tr('状态', 'Status')}</dt>
            <dd>{statusName(a.status)}</dd>
            <dt>{tr('决策', 'Decision')}</dt>
            <dd data-testid="linked-outcome">{outcomeName(a.decision.outcome)}</dd>
            <dt>{tr('评分', 'Score')}</dt>
            <dd>{a.decision.score}</dd>
            <dt>{tr('等级', 'Grade')}</dt>
            <dd>{a.decision.grade}</dd>
            <dt>{tr('策略版本', 'Policy version')}</dt>
            <dd>v{a.decision.policyVersion}</dd>
            <dt>{tr('商户', 'Merchant')}</dt>
            <dd>{a.merchantId}</dd>
            <dt>{tr('申请时间', 'Applied at')}</dt>
            <dd>{a.createdAt.slice(0, 16).replace('T', ' ')} UTC</dd>
          </dl>
          {a.decision.reasons.length > 0 && (
            <>
              <h3>{tr('主要原因', 'Reasons')}</h3>
              <ul>
                {a.decision.reasons.map((r) => (
                  <li key={r.code}>{tr(r.textZh, r.textEn)}</li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
      <p>
        <button
          type="button"
          onClick={() => {
            window.location.hash = '';
          }}
        >
          {tr('关闭', 'Close')}
        </button>
      </p>
    </section>
  );
}
