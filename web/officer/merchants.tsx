import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, api, newKey, type Page } from '../shared/api';
import { fieldErrors, SelectField, TextField } from '../shared/form';
import { ScreenHeading } from '../shared/heading';
import { tr } from '../shared/i18n';
import type { Draft } from './drafts';
import type { Market, Merchant } from './types';

/** Every page of a list (a market has at most a few hundred merchants). */
async function all<T>(path: string): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 10; i++) {
    const sep = path.includes('?') ? '&' : '?';
    const page: Page<T> = await api<Page<T>>(
      `${path}${sep}limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    out.push(...page.data);
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  return out;
}

export function MarketPicker(props: { onPick: (m: Market) => void }) {
  const [markets, setMarkets] = useState<Market[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    all<Market>('/v1/markets')
      .then(setMarkets)
      .catch((e) => setError(e instanceof ApiError ? e.text() : tr('无法连接服务', 'Offline')));
  }, []);
  return (
    <section class="card">
      <ScreenHeading>{tr('选择市场', 'Pick a market')}</ScreenHeading>
      {error && <p class="notice error">{error}</p>}
      {!markets && !error && <p>{tr('加载中…', 'Loading…')}</p>}
      <ul class="plain">
        {markets?.map((m) => (
          <li key={m.id}>
            <button type="button" onClick={() => props.onPick(m)}>
              {m.name} · {m.city}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function MerchantFinder(props: {
  market: Market;
  drafts: Draft[];
  onPick: (m: Merchant) => void;
  onOpenDraft: (d: Draft) => void;
  onRegister: () => void;
  onChangeMarket: () => void;
  groups: string[];
  onFormGroup: () => void;
  onOpenGroup: (id: string) => void;
}) {
  const [merchants, setMerchants] = useState<Merchant[] | null>(null);
  const [query, setQuery] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    all<Merchant>(`/v1/merchants?marketId=${encodeURIComponent(props.market.id)}`)
      .then(setMerchants)
      .catch((e) => setError(e instanceof ApiError ? e.text() : tr('无法连接服务', 'Offline')));
  }, [props.market.id]);
  const found = useMemo(() => {
    const q = query.trim().toLowerCase();
    return (merchants ?? []).filter(
      (m) => !q || m.name.toLowerCase().includes(q) || m.stallNo.toLowerCase().includes(q),
    );
  }, [merchants, query]);
  const open = props.drafts.filter(
    (d) => d.marketId === props.market.id && d.state !== 'submitted',
  );
  return (
    <>
      <section class="card">
        <ScreenHeading>{props.market.name}</ScreenHeading>
        <div class="row">
          <button type="button" onClick={props.onChangeMarket}>
            {tr('换市场', 'Change market')}
          </button>
          <button type="button" class="primary" onClick={props.onRegister}>
            {tr('登记新商户', 'Register a merchant')}
          </button>
          <button type="button" onClick={props.onFormGroup}>
            {tr('组建联保小组', 'Form a joint-guarantee group')}
          </button>
        </div>
        {props.groups.length > 0 && (
          <>
            <h3>{tr('我的联保小组', 'My joint-guarantee groups')}</h3>
            <ul class="plain">
              {props.groups.map((id, i) => (
                <li key={id}>
                  <button type="button" onClick={() => props.onOpenGroup(id)}>
                    {tr('小组', 'Group')} {props.groups.length - i} · {id}
                  </button>
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
      {open.length > 0 && (
        <section class="card" aria-labelledby="drafts-title">
          <h3 id="drafts-title">{tr('未完成的调查', 'Unfinished surveys')}</h3>
          <ul class="plain">
            {open.map((d) => (
              <li key={d.id}>
                <button type="button" onClick={() => props.onOpenDraft(d)}>
                  {d.merchantName}{' '}
                  <span class={`badge ${d.state}`}>
                    {d.state === 'pending' ? tr('待发送', 'Pending') : tr('草稿', 'Draft')}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      <section class="card">
        <TextField
          id="merchantSearch"
          type="search"
          label={tr('查找商户', 'Find a merchant')}
          hint={tr('按店名或摊位号', 'By shop name or stall number')}
          value={query}
          onInput={setQuery}
        />
        {error && <p class="notice error">{error}</p>}
        {!merchants && !error && <p>{tr('加载中…', 'Loading…')}</p>}
        {merchants && found.length === 0 && <p>{tr('没有找到', 'No merchant found')}</p>}
        <ul class="plain" aria-label={tr('商户', 'Merchants')}>
          {found.slice(0, 50).map((m) => (
            <li key={m.id}>
              <button type="button" onClick={() => props.onPick(m)}>
                {m.name} · {tr('摊位', 'stall')} {m.stallNo}
              </button>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}

const EMPTY = { name: '', idNumber: '', phone: '', stallNo: '', leaseEndsOn: '', businessForm: '' };

/** Registration: identity number and phone are sent once and never kept on the device. */
export function RegisterMerchant(props: {
  market: Market;
  onDone: (m: Merchant) => void;
  onCancel: () => void;
}) {
  const [v, setV] = useState(EMPTY);
  const [key] = useState(newKey);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<string | null>(null);
  const [existing, setExisting] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (f: keyof typeof EMPTY) => (value: string) => setV({ ...v, [f]: value });
  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    setNotice(null);
    const body: Record<string, string> = {
      name: v.name,
      idNumber: v.idNumber.trim(),
      phone: v.phone.trim(),
      stallNo: v.stallNo,
      marketId: props.market.id,
    };
    if (v.leaseEndsOn) body.leaseEndsOn = v.leaseEndsOn;
    if (v.businessForm) body.businessForm = v.businessForm;
    try {
      props.onDone(
        await api<Merchant>('/v1/merchants', { method: 'POST', body, idempotencyKey: key }),
      );
    } catch (err) {
      if (err instanceof ApiError) {
        setErrors(fieldErrors(err.details, (zh, en) => tr(zh ?? en, en)));
        setNotice(err.text());
        if (err.code === 'DUPLICATE_MERCHANT' && err.existingId) setExisting(err.existingId);
      } else setNotice(tr('无法连接服务，请稍后再试', 'Cannot reach the service; try again'));
    } finally {
      setBusy(false);
    }
  }
  async function useExisting() {
    if (existing) props.onDone(await api<Merchant>(`/v1/merchants/${existing}`));
  }
  return (
    <form class="card" onSubmit={submit} noValidate>
      <ScreenHeading>{tr('登记新商户', 'Register a merchant')}</ScreenHeading>
      <p class="hint">{props.market.name}</p>
      {notice && (
        <p class="notice error" role="alert">
          {notice}
        </p>
      )}
      {existing && (
        <p>
          <button type="button" onClick={useExisting}>
            {tr('使用已登记的商户', 'Use the merchant already registered')}
          </button>
        </p>
      )}
      <TextField
        id="name"
        label={tr('店名', 'Shop name')}
        value={v.name}
        onInput={set('name')}
        error={errors.name}
        required
      />
      <TextField
        id="stallNo"
        label={tr('摊位号', 'Stall number')}
        value={v.stallNo}
        onInput={set('stallNo')}
        error={errors.stallNo}
        required
      />
      <TextField
        id="idNumber"
        label={tr('身份证号或统一社会信用代码', 'Identity number or social credit code')}
        hint={tr(
          '18 位；只保存加密摘要与掩码',
          '18 characters; stored only as a digest and a masked copy',
        )}
        value={v.idNumber}
        onInput={set('idNumber')}
        error={errors.idNumber}
        required
      />
      <TextField
        id="phone"
        label={tr('手机号', 'Mobile number')}
        inputMode="tel"
        value={v.phone}
        onInput={set('phone')}
        error={errors.phone}
        required
      />
      <TextField
        id="leaseEndsOn"
        type="date"
        label={tr('租约到期日（选填）', 'Lease ends on (optional)')}
        value={v.leaseEndsOn}
        onInput={set('leaseEndsOn')}
        error={errors.leaseEndsOn}
      />
      <SelectField
        id="businessForm"
        label={tr('经营主体（选填）', 'Business form (optional)')}
        value={v.businessForm}
        onChange={set('businessForm')}
        error={errors.businessForm}
        options={[
          ['', tr('按证件自动判断', 'From the identifier')],
          ['individual', tr('个体工商户', 'Individual')],
          ['enterprise', tr('企业', 'Enterprise')],
        ]}
      />
      <div class="row">
        <button type="button" onClick={props.onCancel}>
          {tr('取消', 'Cancel')}
        </button>
        <button type="submit" class="primary" disabled={busy}>
          {tr('登记', 'Register')}
        </button>
      </div>
    </form>
  );
}
