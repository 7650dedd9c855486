import { useEffect, useState } from 'preact/hooks';
import { ApiError, api } from '../shared/api';
import { TextField } from '../shared/form';
import { ScreenHeading } from '../shared/heading';
import { tr } from '../shared/i18n';
import { productName, statusName, swapName } from '../shared/labels';
import { fenToYuan } from '../shared/money';
import { applicationHref } from './application-panel';
import { BarChart, LineChart, noData, PairChart, pct, StackedBarChart } from './charts';
import type { Diff, Monitoring, Policy, Problem, Simulation } from './types';

const errorText = (e: unknown) =>
  e instanceof ApiError ? e.text() : tr('无法连接服务', 'Cannot reach the service');

const approveCutoff = (doc: Record<string, unknown> | undefined): number | undefined =>
  (doc?.outcomes as { approveMinScore?: number } | undefined)?.approveMinScore;

export function PolicyDetail(props: {
  id: string;
  champion: Policy | undefined;
  policies: Policy[];
  onChanged: (selectId?: string) => void;
}) {
  const [p, setP] = useState<Policy | null>(null);
  const [text, setText] = useState('');
  const [problems, setProblems] = useState<Problem[] | null>(null);
  const [notice, setNotice] = useState<{ kind: 'error' | 'ok' | 'info'; text: string } | null>(
    null,
  );
  const [against, setAgainst] = useState<string>(props.champion?.id ?? '');
  const [diff, setDiff] = useState<Diff | null>(null);
  const [sim, setSim] = useState<{ candidate: Simulation; champion: Simulation | null } | null>(
    null,
  );
  const [busy, setBusy] = useState(false);
  const [secondKey, setSecondKey] = useState('');
  const [role, setRole] = useState<'challenger' | 'champion'>('challenger');
  const [share, setShare] = useState('10');
  const [mon, setMon] = useState<Monitoring | null>(null);
  const [trend, setTrend] = useState<Monitoring[] | null>(null);
  const [since, setSince] = useState(() => dayOffset(-90));
  const [until, setUntil] = useState(() => dayOffset(1));

  const load = async () => {
    const policy = await api<Policy>(`/v1/policies/${props.id}`);
    setP(policy);
    setText(JSON.stringify(policy.document, null, 2));
  };
  useEffect(() => {
    load().catch((e) => setNotice({ kind: 'error', text: errorText(e) }));
  }, [props.id]);

  const run = async (what: () => Promise<void>) => {
    setBusy(true);
    setNotice(null);
    try {
      await what();
    } catch (e) {
      setNotice({ kind: 'error', text: errorText(e) });
    } finally {
      setBusy(false);
    }
  };

  if (!p) return <p>{notice?.text ?? tr('加载中…', 'Loading…')}</p>;
  const draft = p.status === 'draft';

  const clone = () =>
    run(async () => {
      const created = await api<Policy>('/v1/policies', {
        method: 'POST',
        body: { cloneOf: p.id },
      });
      props.onChanged(created.id);
    });

  const save = () =>
    run(async () => {
      let document: unknown;
      try {
        document = JSON.parse(text);
      } catch (e) {
        setProblems([{ path: '$', message: `JSON: ${(e as Error).message}` }]);
        return;
      }
      try {
        await api(`/v1/policies/${p.id}`, { method: 'PUT', body: { document } });
      } catch (e) {
        // Refused as it stands: its problems at their paths, as the service names them.
        if (!(e instanceof ApiError) || e.details.length === 0) throw e;
        setProblems(
          e.details.map((d) => ({
            path: d.path,
            message: tr(d.messageZh ?? d.message, d.message),
          })),
        );
        setNotice({ kind: 'error', text: e.text() });
        return;
      }
      const v = await api<{ valid: boolean; problems: Problem[] }>(
        `/v1/policies/${p.id}/validate`,
        {
          method: 'POST',
        },
      );
      setProblems(v.problems);
      setNotice(
        v.valid
          ? { kind: 'ok', text: tr('已保存，校验通过', 'Saved; the document is valid') }
          : { kind: 'error', text: tr('已保存，但有问题需要修正', 'Saved, with problems to fix') },
      );
      await load();
      props.onChanged();
    });

  const setCutoff = (value: string) => {
    try {
      const doc = JSON.parse(text) as { outcomes?: Record<string, unknown> };
      doc.outcomes = { ...doc.outcomes, approveMinScore: value === '' ? value : Number(value) };
      setText(JSON.stringify(doc, null, 2));
    } catch {
      // The text is not JSON right now: the cutoff field waits until it is.
    }
  };

  const showDiff = () =>
    run(async () => {
      setDiff(await api<Diff>(`/v1/policies/${p.id}/diff?against=${encodeURIComponent(against)}`));
    });

  const simulate = () =>
    run(async () => {
      const candidate = await api<Simulation>(`/v1/policies/${p.id}/simulate`, {
        method: 'POST',
        body: {},
      });
      const champion =
        props.champion && props.champion.id !== p.id
          ? await api<Simulation>(`/v1/policies/${props.champion.id}/simulate`, {
              method: 'POST',
              body: {},
            })
          : null;
      setSim({ candidate, champion });
    });

  const publish = () =>
    run(async () => {
      await api(`/v1/policies/${p.id}/publish`, { method: 'POST', apiKey: secondKey.trim() });
      setSecondKey('');
      setNotice({ kind: 'ok', text: tr('已发布', 'Published') });
      await load();
      props.onChanged();
    });

  const activate = () =>
    run(async () => {
      const body = role === 'champion' ? { role } : { role, share: Number(share) / 100 };
      await api(`/v1/policies/${p.id}/activate`, { method: 'POST', body });
      setNotice({ kind: 'ok', text: tr('已启用', 'Activated') });
      await load();
      props.onChanged();
    });

  /**
   * The whole period, and each calendar month of it against the same PSI baseline (the equally
   * long period before it, as the API takes by default for the whole), so the months compare.
   * Dates the API would refuse go to it as they are, for its own field message.
   */
  const monitor = () =>
    run(async () => {
      const get = (from: string, to: string, base?: { since: string; until: string }) =>
        api<Monitoring>(
          `/v1/policies/${p.id}/monitoring?since=${encodeURIComponent(from)}&until=${encodeURIComponent(to)}${
            base ? `&baselineSince=${base.since}&baselineUntil=${base.until}` : ''
          }`,
        );
      const base = baselineBefore(since, until);
      if (!base) {
        setTrend(null);
        setMon(await get(since, until));
        return;
      }
      const [whole, ...months] = await Promise.all([
        get(since, until, base),
        ...monthWindows(since, until).map((w) => get(w.since, w.until, base)),
      ]);
      setMon(whole ?? null);
      setTrend(months);
    });

  const cutoff = approveCutoff(p.document);
  const hist = sim?.candidate.scoreHistogram ?? [];
  // Where the cutoff falls along the bins (a fraction of the way through the bin holding it).
  const markIndex = cutoff === undefined || hist.length === 0 ? -1 : cutoffPosition(hist, cutoff);
  // The API's own sweep: what an approve cutoff at each bin's lower edge would approve, and lose.
  const curve = sim?.candidate.cutoffCurve ?? [];

  return (
    <section class="card" aria-labelledby="policy-title">
      <ScreenHeading>
        <span id="policy-title">
          v{p.version} {p.name ?? ''} · {statusName(p.status)}
        </span>
      </ScreenHeading>
      {notice && (
        <p class={`notice ${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'}>
          {notice.text}
        </p>
      )}
      <p class="row">
        <button type="button" onClick={clone} disabled={busy}>
          {tr('复制为新草稿', 'Clone into a new draft')}
        </button>
      </p>

      {draft && (
        <>
          <h3>{tr('编辑草稿', 'Edit the draft')}</h3>
          <TextField
            id="approveMinScore"
            label={tr('批准分数线', 'Approve cutoff')}
            unit={tr('分', 'points')}
            inputMode="numeric"
            value={String(approveCutoff(safeParse(text)) ?? '')}
            onInput={setCutoff}
          />
          <label for="document">{tr('策略文档（JSON）', 'Policy document (JSON)')}</label>
          <textarea
            id="document"
            spellcheck={false}
            value={text}
            aria-invalid={problems?.length ? 'true' : undefined}
            aria-describedby={problems?.length ? 'problems' : undefined}
            onInput={(e) => setText((e.currentTarget as HTMLTextAreaElement).value)}
          />
          <p>
            <button type="button" class="primary" onClick={save} disabled={busy}>
              {tr('保存并校验', 'Save and validate')}
            </button>
          </p>
          {problems && problems.length > 0 && (
            <ul id="problems" class="notice error">
              {problems.map((x) => (
                <li key={x.path + x.message}>
                  <code>{x.path}</code>: {x.message}
                </li>
              ))}
            </ul>
          )}
        </>
      )}

      <h3>{tr('版本对比', 'Diff')}</h3>
      <div class="row">
        <div>
          <label for="against">{tr('对比版本', 'Compare with')}</label>
          <select
            id="against"
            value={against}
            onChange={(e) => setAgainst((e.currentTarget as HTMLSelectElement).value)}
          >
            {props.policies
              .filter((x) => x.id !== p.id)
              .map((x) => (
                <option key={x.id} value={x.id}>
                  v{x.version} · {statusName(x.status)}
                </option>
              ))}
          </select>
        </div>
        <button type="button" onClick={showDiff} disabled={busy || !against}>
          {tr('对比', 'Show diff')}
        </button>
      </div>
      {diff && (
        <div class="scroll">
          <table data-testid="diff">
            <caption class="visually-hidden">{tr('差异', 'Differences')}</caption>
            <thead>
              <tr>
                <th scope="col">{tr('路径', 'Path')}</th>
                <th scope="col">{tr('变化', 'Change')}</th>
                <th scope="col">{tr('原值', 'Before')}</th>
                <th scope="col">{tr('新值', 'After')}</th>
              </tr>
            </thead>
            <tbody>
              {diff.changes.length === 0 && (
                <tr>
                  <td colSpan={4}>{tr('没有差异', 'No difference')}</td>
                </tr>
              )}
              {diff.changes.map((c) => (
                <tr key={c.path}>
                  <td>
                    <code>{c.path}</code>
                  </td>
                  <td>{c.kind}</td>
                  <td>{short(c.before)}</td>
                  <td>{short(c.after)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h3>{tr('模拟（历史申请）', 'Simulation over stored applications')}</h3>
      <p>
        <button type="button" onClick={simulate} disabled={busy}>
          {tr('运行模拟', 'Run the simulation')}
        </button>
      </p>
      {sim && (
        <div data-testid="simulation">
          <p>
            {tr('申请数', 'Applications')} {sim.candidate.count} · {tr('预期损失', 'Expected loss')}{' '}
            {fenToYuan(sim.candidate.expectedLoss)} {tr('元', 'yuan')}
            {sim.champion && (
              <>
                {' '}
                ({tr('冠军', 'champion')} {fenToYuan(sim.champion.expectedLoss)} {tr('元', 'yuan')})
              </>
            )}
          </p>
          {sim.candidate.count === 0 && <p class="notice info">{noData()}</p>}
          <div class="charts">
            <StackedBarChart
              testId="score-histogram"
              title={tr('评分分布（按决策结果）', 'Score histogram by outcome')}
              segments={[
                { name: tr('批准', 'approve'), color: '#1b6e3a' },
                { name: tr('转人工', 'refer'), color: '#b36b00' },
                { name: tr('拒绝', 'decline'), color: '#a8151b' },
              ]}
              bars={hist.map((b) => ({
                label: String(b.from),
                values: [b.byOutcome.approve, b.byOutcome.refer, b.byOutcome.decline],
              }))}
              markAt={
                markIndex >= 0 ? { index: markIndex, label: tr('批准线', 'cutoff') } : undefined
              }
            />
            <BarChart
              testId="approval-curve"
              title={tr('批准率（按批准分数线）', 'Approval rate against the approve cutoff')}
              bars={curve.map((p) => ({ label: String(p.cutoff), value: p.approvalRate }))}
              format={pct}
              markAt={markIndex >= 0 ? { index: markIndex, label: String(cutoff) } : undefined}
            />
            <BarChart
              testId="loss-curve"
              title={tr(
                '预期损失（元，按批准分数线）',
                'Expected loss (yuan) against the approve cutoff',
              )}
              bars={curve.map((p) => ({
                label: String(p.cutoff),
                value: p.expectedLoss,
                color: '#7a3e9d',
              }))}
              format={(v) => fenToYuan(Math.round(v))}
              markAt={markIndex >= 0 ? { index: markIndex, label: String(cutoff) } : undefined}
            />
            <PairChart
              title={tr('决策结果', 'Outcomes')}
              categories={(['approve', 'refer', 'decline'] as const).map((o) =>
                o === 'approve'
                  ? tr('批准', 'approve')
                  : o === 'refer'
                    ? tr('转人工', 'refer')
                    : tr('拒绝', 'decline'),
              )}
              a={{
                name: tr('本版本', 'this version'),
                values: (['approve', 'refer', 'decline'] as const).map(
                  (o) => sim.candidate.outcomes[o].rate,
                ),
              }}
              b={{
                name: tr('冠军', 'champion'),
                values: (['approve', 'refer', 'decline'] as const).map(
                  (o) => sim.champion?.outcomes[o].rate ?? 0,
                ),
              }}
              format={pct}
            />
            <PairChart
              title={tr('等级分布', 'Grade mix')}
              categories={['A', 'B', 'C', 'D', 'E']}
              a={{
                name: tr('本版本', 'this version'),
                values: (['A', 'B', 'C', 'D', 'E'] as const).map((g) => sim.candidate.gradeMix[g]),
              }}
              b={{
                name: tr('冠军', 'champion'),
                values: (['A', 'B', 'C', 'D', 'E'] as const).map(
                  (g) => sim.champion?.gradeMix[g] ?? 0,
                ),
              }}
              format={(v) => String(Math.round(v))}
            />
            <BarChart
              title={tr('产品结构（批准数）', 'Product mix (approved)')}
              bars={sim.candidate.productMix.map((m) => ({
                label: productName(m.product).slice(0, 8),
                value: m.count,
              }))}
            />
          </div>
          <h4>{tr('变化的申请（相对冠军）', 'Swap set (against the champion)')}</h4>
          <table>
            <caption class="visually-hidden">{tr('变化的申请', 'Swap set')}</caption>
            <thead>
              <tr>
                <th scope="col">{tr('变化', 'Swap')}</th>
                <th scope="col">{tr('数量', 'Count')}</th>
                <th scope="col">{tr('申请（示例）', 'Applications (sample)')}</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(sim.candidate.swaps).map(([kind, s]) => (
                <tr key={kind} data-swap={kind}>
                  <td>{swapName(kind)}</td>
                  <td>{s.count}</td>
                  <td>
                    <ul class="inline">
                      {s.sample.map((id) => (
                        <li key={id}>
                          <a href={applicationHref(id)}>{id}</a>
                        </li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {draft && (
        <>
          <h3>{tr('发布（四眼原则）', 'Publish (four eyes)')}</h3>
          <p class="hint" data-testid="who-may-publish">
            {tr(
              '可以发布的人：风险团队中不是本草稿作者的任何一位，用其自己的 API 密钥。作者：',
              "Who may publish: any risk team member who is not one of this draft's authors, with their own API key. Authors: ",
            )}
            {p.authors.join(', ') || '—'}
            {tr(
              '。作者本人及其他角色（管理员、客户经理）的密钥会被服务拒绝。',
              ". The service refuses an author's key and keys of other roles (admin, officer).",
            )}
          </p>
          <TextField
            id="secondKey"
            type="password"
            label={tr('第二位风险人员的 API 密钥', "Second risk member's API key")}
            hint={tr('只用于这一次发布，不保存', 'Used for this one publish, never kept')}
            value={secondKey}
            onInput={setSecondKey}
          />
          <p>
            <button
              type="button"
              class="primary"
              onClick={publish}
              disabled={busy || !secondKey.trim() || !p.valid}
            >
              {tr('发布', 'Publish')}
            </button>
          </p>
        </>
      )}

      {(p.status === 'published' || p.status === 'active') && (
        <>
          <h3>{tr('启用', 'Activate')}</h3>
          <div class="row">
            <div>
              <label for="role">{tr('角色', 'Arm')}</label>
              <select
                id="role"
                value={role}
                onChange={(e) =>
                  setRole((e.currentTarget as HTMLSelectElement).value as 'champion')
                }
              >
                <option value="challenger">{tr('挑战者', 'Challenger')}</option>
                <option value="champion">
                  {tr('冠军（替换现任）', 'Champion (replaces the current one)')}
                </option>
              </select>
            </div>
            {role === 'challenger' && (
              <TextField
                id="share"
                label={tr('流量占比', 'Share of traffic')}
                unit="%"
                inputMode="numeric"
                value={share}
                onInput={setShare}
              />
            )}
          </div>
          <p>
            <button type="button" class="primary" onClick={activate} disabled={busy}>
              {tr('启用', 'Activate')}
            </button>
          </p>
        </>
      )}

      <h3>{tr('监控', 'Monitoring')}</h3>
      <div class="row">
        <TextField
          id="since"
          type="date"
          label={tr('起始日', 'From')}
          value={since}
          onInput={setSince}
        />
        <TextField
          id="until"
          type="date"
          label={tr('截止日（不含）', 'Until (exclusive)')}
          value={until}
          onInput={setUntil}
        />
      </div>
      <p>
        <button type="button" onClick={monitor} disabled={busy}>
          {tr('查看监控', 'Show monitoring')}
        </button>
      </p>
      {mon && (
        <div data-testid="monitoring">
          <dl class="facts">
            <dt>{tr('期间', 'Period')}</dt>
            <dd>
              {mon.period.since} – {mon.period.until}
            </dd>
            <dt>{tr('有表现的贷款', 'Loans with outcomes')}</dt>
            <dd>{mon.count}</dd>
            <dt>{tr('坏账率', 'Bad rate')}</dt>
            <dd>{mon.badRate === null ? '—' : pct(mon.badRate)}</dd>
            <dt>Gini</dt>
            <dd>{mon.gini === null ? '—' : mon.gini.toFixed(3)}</dd>
            <dt>KS</dt>
            <dd>{mon.ks === null ? '—' : mon.ks.toFixed(3)}</dd>
            <dt>PSI</dt>
            <dd>{mon.psi.value === null ? '—' : mon.psi.value.toFixed(3)}</dd>
          </dl>
          <BarChart
            testId="bad-rate-by-grade"
            title={tr('各等级坏账率', 'Bad rate by grade')}
            bars={mon.badRateByGrade.map((g) => ({ label: g.grade, value: g.badRate }))}
            format={pct}
          />
          {mon.psi.bins.length > 0 && (
            <PairChart
              title={tr('评分分布稳定性（PSI）', 'Score stability (PSI)')}
              categories={mon.psi.bins.map((b) => String(b.from))}
              a={{ name: tr('基期', 'baseline'), values: mon.psi.bins.map((b) => b.expected) }}
              b={{ name: tr('本期', 'period'), values: mon.psi.bins.map((b) => b.actual) }}
              format={pct}
            />
          )}
          {trend && trend.length > 0 && (
            <>
              <h4>{tr('随时间（按月）', 'Over time (by month)')}</h4>
              <LineChart
                testId="monitoring-trend"
                title={tr('Gini、KS、PSI 随时间', 'Gini, KS and PSI over time')}
                categories={trend.map((m) => m.period.since.slice(0, 7))}
                series={[
                  { name: 'Gini', color: '#0b57a4', values: trend.map((m) => m.gini) },
                  { name: 'KS', color: '#1b6e3a', values: trend.map((m) => m.ks) },
                  { name: 'PSI', color: '#b36b00', values: trend.map((m) => m.psi.value) },
                ]}
                format={(v) => v.toFixed(2)}
              />
              <p class="hint">
                {tr(
                  '每月的 PSI 都与同一基期比较：所选期间之前等长的一段。没有数据的月份显示为“—”。',
                  'Each month\'s PSI is against the same baseline: the equally long period before the one chosen. A month without data shows "—".',
                )}
              </p>
              <div class="scroll">
                <table data-testid="monitoring-by-month">
                  <caption class="visually-hidden">{tr('按月监控', 'Monitoring by month')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{tr('期间', 'Period')}</th>
                      <th scope="col">{tr('有表现的贷款', 'Loans with outcomes')}</th>
                      <th scope="col">{tr('坏账率', 'Bad rate')}</th>
                      <th scope="col">Gini</th>
                      <th scope="col">KS</th>
                      <th scope="col">PSI</th>
                    </tr>
                  </thead>
                  <tbody>
                    {trend.map((m) => (
                      <tr key={m.period.since}>
                        <td>
                          {m.period.since} – {m.period.until}
                        </td>
                        <td>{m.count}</td>
                        <td>{m.badRate === null ? '—' : pct(m.badRate)}</td>
                        <td>{m.gini === null ? '—' : m.gini.toFixed(3)}</td>
                        <td>{m.ks === null ? '—' : m.ks.toFixed(3)}</td>
                        <td>{m.psi.value === null ? '—' : m.psi.value.toFixed(3)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
        </div>
      )}
    </section>
  );
}

function cutoffPosition(bins: { from: number; to: number }[], cutoff: number): number {
  const i = bins.findIndex((b) => cutoff >= b.from && cutoff < b.to);
  if (i < 0) return cutoff < (bins[0]?.from ?? 0) ? 0 : bins.length;
  const b = bins[i] as { from: number; to: number };
  return i + (cutoff - b.from) / (b.to - b.from);
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The equally long period right before [since, until), or null when the dates are not a period. */
function baselineBefore(since: string, until: string): { since: string; until: string } | null {
  const from = Date.parse(since);
  const to = Date.parse(until);
  if (!DATE.test(since) || !DATE.test(until) || !(from < to)) return null;
  return { since: new Date(from - (to - from)).toISOString().slice(0, 10), until: since };
}

/** [since, until) cut at each first of a month; the latest 12 when it is longer. */
export function monthWindows(since: string, until: string): { since: string; until: string }[] {
  const out: { since: string; until: string }[] = [];
  let from = since;
  while (from < until) {
    const [y, m] = from.split('-').map(Number) as [number, number];
    // Date.UTC's month is 0-based: month m (1-based) is the next month's first day.
    const next = new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
    const to = next < until ? next : until;
    out.push({ since: from, until: to });
    from = to;
  }
  return out.slice(-12);
}

/** Today plus `days`, as YYYY-MM-DD (UTC, as the API counts days). */
function dayOffset(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

function safeParse(text: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

function short(v: unknown): string {
  if (v === undefined) return '—';
  const s = JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}
