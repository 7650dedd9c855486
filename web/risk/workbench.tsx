import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, type Page, session } from '../shared/api';
import { Header } from '../shared/header';
import { onLangChange, tr } from '../shared/i18n';
import { statusName } from '../shared/labels';
import { SignIn } from '../shared/sign-in';
import { ApplicationPanel, useLinkedApplication } from './application-panel';
import { GuaranteeNetwork } from './guarantee-network';
import { PolicyDetail } from './policy-detail';
import type { Policy } from './types';

/** The risk team's page: policies, drafts, diff, simulation, four-eyes publish, rollout. */
export function Workbench() {
  const [, setTick] = useState(0);
  useEffect(() => onLangChange(() => setTick((n) => n + 1)), []);
  const [signedIn, setSignedIn] = useState(session.key() !== null);
  const [policies, setPolicies] = useState<Policy[] | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const linked = useLinkedApplication();
  const load = async () => {
    try {
      setPolicies((await api<Page<Policy>>('/v1/policies?limit=200')).data);
    } catch (e) {
      setError(e instanceof ApiError ? e.text() : tr('无法连接服务', 'Cannot reach the service'));
    }
  };
  useEffect(() => {
    if (signedIn) void load();
  }, [signedIn]);
  const signOut = () => {
    session.signOut();
    setSignedIn(false);
    setPolicies(null);
    setSelected(null);
  };
  const champion = policies?.find((p) => p.role === 'champion');
  return (
    <>
      <Header
        title={tr('风险策略工作台', 'Risk workbench')}
        onSignOut={signedIn ? signOut : undefined}
      />
      <main class="wide">
        {!signedIn && (
          <SignIn
            title={tr('风险团队登录', 'Risk team sign-in')}
            check="/v1/policies?limit=1"
            onSignedIn={() => setSignedIn(true)}
          />
        )}
        {error && (
          <p class="notice error" role="alert">
            {error}
          </p>
        )}
        {signedIn && policies && (
          <section class="card" aria-labelledby="policies-title">
            <h2 id="policies-title">{tr('策略版本', 'Policies')}</h2>
            <div class="scroll">
              <table>
                <caption class="visually-hidden">{tr('策略版本', 'Policies')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{tr('版本', 'Version')}</th>
                    <th scope="col">{tr('状态', 'Status')}</th>
                    <th scope="col">{tr('角色', 'Arm')}</th>
                    <th scope="col">{tr('作者', 'Authors')}</th>
                    <th scope="col">{tr('发布人', 'Published by')}</th>
                    <th scope="col">
                      <span class="visually-hidden">{tr('操作', 'Actions')}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {policies.map((p) => (
                    <tr key={p.id} aria-current={p.id === selected ? 'true' : undefined}>
                      <td>
                        v{p.version} {p.name ?? ''}
                      </td>
                      <td>
                        <span class={`badge ${p.status}`}>{statusName(p.status)}</span>
                      </td>
                      <td>
                        {p.role === 'champion'
                          ? tr('冠军', 'Champion')
                          : p.role === 'challenger'
                            ? `${tr('挑战者', 'Challenger')} ${((p.shareBps ?? 0) / 100).toFixed(0)}%`
                            : '—'}
                      </td>
                      <td>{p.authors.join(', ') || '—'}</td>
                      <td>{p.publishedBy ?? '—'}</td>
                      <td>
                        <button
                          type="button"
                          onClick={() => setSelected(p.id)}
                          aria-label={`${tr('打开', 'Open')} v${p.version}`}
                        >
                          {tr('打开', 'Open')}
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        )}
        {signedIn && policies && <GuaranteeNetwork />}
        {signedIn && selected && (
          <PolicyDetail
            key={selected}
            id={selected}
            champion={champion}
            policies={policies ?? []}
            onChanged={(id) => {
              void load();
              if (id) setSelected(id);
            }}
          />
        )}
        {signedIn && linked && <ApplicationPanel key={linked} id={linked} />}
      </main>
    </>
  );
}
