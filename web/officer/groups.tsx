/**
 * Joint-guarantee groups (联保小组): 3-5 merchants of one market guarantee each other; each
 * member applies with the group's id and the group is decided all or none. The groups an
 * officer formed are remembered on the device (ids only) so they can be followed.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, newKey, type Page } from '../shared/api';
import { ScreenHeading } from '../shared/heading';
import { tr } from '../shared/i18n';
import { statusName } from '../shared/labels';
import type { Market, Merchant } from './types';

export interface GroupView {
  id: string;
  marketId: string;
  status: string;
  members: {
    merchantId: string;
    name: string;
    applicationId: string | null;
    applicationStatus: string | null;
    offerStatus: string | null;
  }[];
}

const STORE = 'mlk.groups';
export const rememberedGroups = (): string[] => {
  try {
    return JSON.parse(localStorage.getItem(STORE) ?? '[]') as string[];
  } catch {
    return [];
  }
};
/** Signing out forgets the groups followed on this device (see clearDrafts). */
export const forgetGroups = () => localStorage.removeItem(STORE);
const remember = (id: string) =>
  localStorage.setItem(
    STORE,
    JSON.stringify([id, ...rememberedGroups().filter((g) => g !== id)].slice(0, 20)),
  );

const groupStatus = (s: string) =>
  ({
    forming: tr('组建中', 'Forming'),
    offered: tr('已出方案', 'Offered'),
    referred: tr('担保网络待人工审核', 'Awaiting review (guarantee network)'),
    declined: tr('已拒绝', 'Declined'),
    active: tr('生效', 'Active'),
    dissolved: tr('已解散', 'Dissolved'),
  })[s] ?? s;

export function FormGroup(props: {
  market: Market;
  onFormed: (g: GroupView) => void;
  onCancel: () => void;
}) {
  const [merchants, setMerchants] = useState<Merchant[]>([]);
  const [chosen, setChosen] = useState<string[]>([]);
  const [key] = useState(newKey);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<Page<Merchant>>(`/v1/merchants?marketId=${encodeURIComponent(props.market.id)}&limit=200`)
      .then((p) => setMerchants(p.data))
      .catch((e) => setError(e instanceof ApiError ? e.text() : tr('无法连接服务', 'Offline')));
  }, [props.market.id]);
  const toggle = (id: string) =>
    setChosen(chosen.includes(id) ? chosen.filter((x) => x !== id) : [...chosen, id]);
  async function submit(e: Event) {
    e.preventDefault();
    setError(null);
    try {
      const g = await api<GroupView>('/v1/guarantee-groups', {
        method: 'POST',
        body: { marketId: props.market.id, memberIds: chosen },
        idempotencyKey: key,
      });
      remember(g.id);
      props.onFormed(g);
    } catch (err) {
      setError(
        err instanceof ApiError
          ? err.text()
          : tr('无法连接服务，请重试', 'Cannot reach the service; try again'),
      );
    }
  }
  return (
    <form class="card" onSubmit={submit}>
      <ScreenHeading>{tr('组建联保小组', 'Form a joint-guarantee group')}</ScreenHeading>
      {error && (
        <p class="notice error" role="alert">
          {error}
        </p>
      )}
      <fieldset>
        <legend>{tr('选择 3-5 位本市场商户', 'Pick 3-5 merchants of this market')}</legend>
        {merchants.map((m) => (
          <div class="check" key={m.id}>
            <input
              type="checkbox"
              id={`member-${m.id}`}
              checked={chosen.includes(m.id)}
              onChange={() => toggle(m.id)}
            />
            <label for={`member-${m.id}`}>
              {m.name} · {tr('摊位', 'stall')} {m.stallNo}
            </label>
          </div>
        ))}
      </fieldset>
      <p class="hint" role="status">
        {tr(`已选 ${chosen.length} 位`, `${chosen.length} chosen`)}
      </p>
      <div class="row">
        <button type="button" onClick={props.onCancel}>
          {tr('取消', 'Cancel')}
        </button>
        <button type="submit" class="primary" disabled={chosen.length < 3 || chosen.length > 5}>
          {tr('组建', 'Form the group')}
        </button>
      </div>
    </form>
  );
}

/** A group and its members' applications; a member without one can start its survey here. */
export function GroupDetail(props: {
  id: string;
  onSurvey: (member: { merchantId: string; name: string }, group: GroupView) => void;
  onBack: () => void;
}) {
  const [g, setG] = useState<GroupView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () =>
    api<GroupView>(`/v1/guarantee-groups/${props.id}`)
      .then(setG)
      .catch((e) => setError(e instanceof ApiError ? e.text() : tr('无法连接服务', 'Offline')));
  useEffect(() => {
    void load();
  }, [props.id]);
  return (
    <section class="card">
      <ScreenHeading>
        {tr('联保小组', 'Joint-guarantee group')}{' '}
        {g && <span class={`badge ${g.status}`}>{groupStatus(g.status)}</span>}
      </ScreenHeading>
      {error && <p class="notice error">{error}</p>}
      {g && (
        <ul class="plain" aria-label={tr('成员', 'Members')}>
          {g.members.map((m) => (
            <li key={m.merchantId} class="member">
              <strong>{m.name}</strong>{' '}
              {m.applicationStatus ? (
                <span class={`badge ${m.applicationStatus}`}>
                  {tr('申请', 'Application')}: {statusName(m.applicationStatus)}
                </span>
              ) : (
                <button type="button" onClick={() => props.onSurvey(m, g)}>
                  {tr('填写调查', 'Start the survey')}
                </button>
              )}
              {m.offerStatus && (
                <span class={`badge ${m.offerStatus}`}>
                  {tr('方案', 'Offer')}: {statusName(m.offerStatus)}
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
      <div class="row">
        <button type="button" onClick={props.onBack}>
          {tr('返回', 'Back')}
        </button>
        <button type="button" onClick={() => void load()}>
          {tr('刷新', 'Refresh')}
        </button>
      </div>
    </section>
  );
}
