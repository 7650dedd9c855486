import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api, newKey, session } from '../shared/api';
import { fieldErrors } from '../shared/form';
import { Header } from '../shared/header';
import { onLangChange, tr } from '../shared/i18n';
import { SignIn } from '../shared/sign-in';
import {
  type ApplicationView,
  buildBody,
  clearDrafts,
  type Draft,
  isRetryable,
  loadDrafts,
  newDraft,
  type OfferView,
  saveDraft,
  send,
  waitingDrafts,
} from './drafts';
import { FormGroup, forgetGroups, GroupDetail, rememberedGroups } from './groups';
import { MarketPicker, MerchantFinder, RegisterMerchant } from './merchants';
import { Result } from './result';
import { SurveyForm } from './survey';
import type { Market, Merchant } from './types';

type View =
  | { name: 'markets' }
  | { name: 'merchants' }
  | { name: 'register' }
  | { name: 'form-group' }
  | { name: 'group'; groupId: string }
  | { name: 'survey'; draftId: string }
  | { name: 'result'; draftId: string };

type Notice = { kind: 'error' | 'pending' | 'info'; text: string } | null;

const MARKET_STORE = 'mlk.market';
/** Unanswered submissions are retried on reconnect, and at least this often meanwhile. */
const RETRY_EVERY_MS = 15_000;

const pendingText = () =>
  tr(
    '待发送：网络恢复后会用同一编号自动重发，不会重复申请。',
    'Pending: it will be resent with the same key when the network is back; it cannot be applied twice.',
  );

export function App() {
  const [, setTick] = useState(0);
  useEffect(() => onLangChange(() => setTick((n) => n + 1)), []);
  const [signedIn, setSignedIn] = useState(session.key() !== null);
  const [market, setMarket] = useState<Market | null>(() => {
    const saved = sessionStorage.getItem(MARKET_STORE);
    return saved ? (JSON.parse(saved) as Market) : null;
  });
  const [view, setView] = useState<View>(market ? { name: 'merchants' } : { name: 'markets' });
  const [drafts, setDrafts] = useState<Draft[]>(loadDrafts);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<Notice>(null);
  const [applications, setApplications] = useState<Record<string, ApplicationView>>({});
  const viewRef = useRef(view);
  viewRef.current = view;
  const retrying = useRef(false);

  const refresh = () => setDrafts(loadDrafts());
  const draftOf = (id: string) => loadDrafts().find((d) => d.id === id);

  const showApplication = (draft: Draft, application: ApplicationView) => {
    setApplications((all) => ({ ...all, [draft.id]: application }));
    const v = viewRef.current;
    if (v.name === 'survey' && v.draftId === draft.id) {
      setNotice(null);
      setView({ name: 'result', draftId: draft.id });
    }
  };

  /** Resends what was sent without an answer: each with its own key and unchanged body. */
  const retryPending = useCallback(async () => {
    if (retrying.current || !session.key()) return;
    retrying.current = true;
    try {
      for (const d of loadDrafts()) {
        if (d.state === 'pending') {
          const built = buildBody(d);
          if (!built.ok) continue;
          const r = await send(d, built.body);
          if (r.kind === 'submitted') showApplication(r.draft, r.application);
          else if (r.kind === 'refused') setNotice({ kind: 'error', text: r.error.text() });
          else break; // still no answer: the network is not back yet
        }
        if (d.state === 'submitted' && d.acceptPending && d.applicationId)
          await acceptOffer(d, d.acceptPending);
      }
    } finally {
      retrying.current = false;
      refresh();
    }
  }, []);

  useEffect(() => {
    if (!signedIn) return;
    void retryPending();
    const onOnline = () => void retryPending();
    window.addEventListener('online', onOnline);
    const timer = setInterval(onOnline, RETRY_EVERY_MS);
    return () => {
      window.removeEventListener('online', onOnline);
      clearInterval(timer);
    };
  }, [signedIn, retryPending]);

  async function submit(draftId: string) {
    const d = draftOf(draftId);
    if (d?.state !== 'editing') return;
    const built = buildBody(d);
    if (!built.ok) {
      setErrors(Object.fromEntries(built.problems.map((p) => [p.field, tr(p.zh, p.en)])));
      setNotice({ kind: 'error', text: tr('请检查标红的项目', 'Check the fields marked in red') });
      return;
    }
    setErrors({});
    setNotice({ kind: 'info', text: tr('提交中…', 'Submitting…') });
    const r = await send(d, built.body);
    refresh();
    if (r.kind === 'submitted') showApplication(r.draft, r.application);
    else if (r.kind === 'pending') setNotice({ kind: 'pending', text: pendingText() });
    else {
      setErrors(fieldErrors(r.error.details, (zh, en) => tr(zh ?? en, en)));
      setNotice({ kind: 'error', text: r.error.text() });
    }
  }

  async function acceptOffer(d: Draft, offerId: string) {
    const key = d.acceptKeys[offerId] ?? newKey();
    const marked: Draft = {
      ...d,
      acceptKeys: { ...d.acceptKeys, [offerId]: key },
      acceptPending: offerId,
    };
    saveDraft(marked);
    refresh();
    try {
      await api(`/v1/offers/${offerId}/accept`, { method: 'POST', idempotencyKey: key });
      saveDraft({ ...marked, acceptPending: undefined });
      const application = await api<ApplicationView>(`/v1/applications/${d.applicationId}`);
      setApplications((all) => ({ ...all, [d.id]: application }));
      setNotice(null);
    } catch (error) {
      if (isRetryable(error)) setNotice({ kind: 'pending', text: pendingText() });
      else {
        saveDraft({ ...marked, acceptPending: undefined });
        setNotice({
          kind: 'error',
          text: error instanceof ApiError ? error.text() : String(error),
        });
      }
    } finally {
      refresh();
    }
  }

  function signOut() {
    const waiting = waitingDrafts();
    if (
      waiting > 0 &&
      !window.confirm(
        tr(
          `还有 ${waiting} 笔提交在等待服务回复。退出会从本机删除它们（服务已收到的申请不受影响）。确定退出？`,
          `${waiting} submission(s) are still waiting for the service's answer. Signing out deletes them from this device (applications the service received are kept). Sign out?`,
        ),
      )
    )
      return;
    clearDrafts();
    forgetGroups();
    session.signOut();
    sessionStorage.removeItem(MARKET_STORE);
    setMarket(null);
    setSignedIn(false);
    setView({ name: 'markets' });
  }

  const startSurvey = (m: Merchant, groupId?: string) => {
    const d = newDraft(m);
    if (groupId) d.values = { ...d.values, product: 'joint_guarantee', guaranteeGroupId: groupId };
    saveDraft(d);
    refresh();
    openDraft(d);
  };

  const openDraft = (d: Draft) => {
    setErrors({});
    setNotice(d.state === 'pending' ? { kind: 'pending', text: pendingText() } : null);
    setView(
      d.state === 'submitted'
        ? { name: 'result', draftId: d.id }
        : { name: 'survey', draftId: d.id },
    );
  };

  let body: ComponentChildren;
  if (!signedIn) body = <SignIn onSignedIn={() => setSignedIn(true)} />;
  else if (view.name === 'markets' || !market)
    body = (
      <MarketPicker
        onPick={(m) => {
          sessionStorage.setItem(MARKET_STORE, JSON.stringify(m));
          setMarket(m);
          setView({ name: 'merchants' });
        }}
      />
    );
  else if (view.name === 'register')
    body = (
      <RegisterMerchant
        market={market}
        onCancel={() => setView({ name: 'merchants' })}
        onDone={startSurvey}
      />
    );
  else if (view.name === 'form-group')
    body = (
      <FormGroup
        market={market}
        onCancel={() => setView({ name: 'merchants' })}
        onFormed={(g) => setView({ name: 'group', groupId: g.id })}
      />
    );
  else if (view.name === 'group')
    body = (
      <GroupDetail
        id={view.groupId}
        onBack={() => setView({ name: 'merchants' })}
        onSurvey={(m, g) =>
          startSurvey(
            {
              id: m.merchantId,
              name: m.name,
              marketId: g.marketId,
              businessForm: null,
              stallNo: '',
              idNumber: '',
              phone: '',
            },
            g.id,
          )
        }
      />
    );
  else if (view.name === 'merchants')
    body = (
      <MerchantFinder
        market={market}
        drafts={drafts}
        onPick={startSurvey}
        onOpenDraft={openDraft}
        onRegister={() => setView({ name: 'register' })}
        groups={rememberedGroups()}
        onFormGroup={() => setView({ name: 'form-group' })}
        onOpenGroup={(groupId) => setView({ name: 'group', groupId })}
        onChangeMarket={() => setView({ name: 'markets' })}
      />
    );
  else {
    const d = drafts.find((x) => x.id === view.draftId);
    if (!d) body = <p>{tr('草稿不存在', 'No such draft')}</p>;
    else if (view.name === 'survey')
      body = (
        <SurveyForm
          draft={d}
          errors={errors}
          notice={notice}
          onChange={(values) => {
            saveDraft({ ...d, values });
            refresh();
          }}
          onSubmit={() => void submit(d.id)}
          onRetry={() => void retryPending()}
          onBack={() => setView({ name: 'merchants' })}
        />
      );
    else
      body = (
        <ResultLoader
          draft={d}
          cached={applications[d.id]}
          notice={notice}
          onAccept={(o) => void acceptOffer(d, o.id)}
          onDone={() => setView({ name: 'merchants' })}
        />
      );
  }

  return (
    <>
      <Header title={tr('客户经理', 'Loan officer')} onSignOut={signedIn ? signOut : undefined} />
      <main>{body}</main>
    </>
  );
}

function ResultLoader(props: {
  draft: Draft;
  cached: ApplicationView | undefined;
  notice: Notice;
  onAccept: (o: OfferView) => void;
  onDone: () => void;
}) {
  const [loaded, setLoaded] = useState<ApplicationView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (props.cached || !props.draft.applicationId) return;
    api<ApplicationView>(`/v1/applications/${props.draft.applicationId}`)
      .then(setLoaded)
      .catch((e) => setError(e instanceof ApiError ? e.text() : tr('无法连接服务', 'Offline')));
  }, [props.draft.applicationId, props.cached]);
  const application = props.cached ?? loaded;
  if (error) return <p class="notice error">{error}</p>;
  if (!application) return <p>{tr('加载中…', 'Loading…')}</p>;
  return (
    <Result
      application={application}
      merchantName={props.draft.merchantName}
      acceptPending={props.draft.acceptPending}
      notice={props.notice?.kind === 'pending' ? props.notice.text : null}
      onAccept={props.onAccept}
      onDone={props.onDone}
    />
  );
}
