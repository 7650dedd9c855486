import { ScreenHeading } from '../shared/heading';
import { tr } from '../shared/i18n';
import { methodName, outcomeName, productName, statusName } from '../shared/labels';
import { bpsToPercent, chinaToday, estimatedDueDate, fenToYuan } from '../shared/money';
import type { ApplicationView, OfferView } from './drafts';

/** The decision, its reasons, and each offer with its schedule; accepting one withdraws the rest. */
export function Result(props: {
  application: ApplicationView;
  merchantName: string;
  acceptPending: string | undefined;
  notice: string | null;
  onAccept: (offer: OfferView) => void;
  onDone: () => void;
}) {
  const { application: a } = props;
  const d = a.decision;
  const today = chinaToday();
  const accepted = a.offers.find((o) => o.status === 'accepted' || o.status === 'booked');
  return (
    <>
      <section class="card">
        <ScreenHeading>
          {tr('评估结果', 'Decision')} · {props.merchantName}
        </ScreenHeading>
        <p>
          <span class={`badge ${d.outcome}`} data-testid="outcome">
            {outcomeName(d.outcome)}
          </span>{' '}
          {tr('评分', 'Score')} {d.score} · {tr('等级', 'Grade')} {d.grade} ·{' '}
          {tr('申请状态', 'Status')}: <span data-testid="status">{statusName(a.status)}</span>
        </p>
        {d.reasons.length > 0 && (
          <>
            <h3>{tr('主要原因', 'Reasons')}</h3>
            <ul>
              {d.reasons.map((r) => (
                <li key={r.code}>{tr(r.textZh, r.textEn)}</li>
              ))}
            </ul>
          </>
        )}
      </section>
      {props.notice && (
        <p class="notice pending" role="status">
          {props.notice}
        </p>
      )}
      {accepted && (
        <p class="notice ok" role="status" data-testid="accepted">
          {tr('已接受', 'Accepted')}: {productName(accepted.product)} {fenToYuan(accepted.amount)}{' '}
          {tr('元', 'yuan')}
        </p>
      )}
      {a.offers.length === 0 && <p class="notice info">{tr('没有可接受的方案', 'No offer')}</p>}
      {a.offers.map((o) => {
        // Why the amount is below the request (the exposure ledger's caps included), then the
        // product's own reasons.
        // Due dates: the service's once the offer is taken (it sends them then); for an open
        // offer, an estimate labelled as one; for a withdrawn or expired offer, none.
        const due: 'server' | 'estimate' | 'none' = o.schedule.every((r) => r.dueDate !== null)
          ? 'server'
          : o.status === 'offered'
            ? 'estimate'
            : 'none';
        const limits = [
          ...(o.limitReason ? [o.limitReason] : []),
          ...(d.productResults.find((p) => p.product === o.product)?.reasons ?? []),
        ];
        return (
          <section class="card offer" key={o.id} aria-labelledby={`offer-${o.id}`}>
            <h3 id={`offer-${o.id}`}>
              {productName(o.product)}{' '}
              <span class={`badge ${o.status}`}>{statusName(o.status)}</span>
            </h3>
            <dl class="facts">
              <dt>{tr('额度', 'Amount')}</dt>
              <dd>
                {fenToYuan(o.amount)} {tr('元', 'yuan')}
              </dd>
              <dt>{tr('年利率', 'Annual rate')}</dt>
              <dd>{bpsToPercent(o.annualRateBps)}</dd>
              <dt>{tr('期限', 'Term')}</dt>
              <dd>
                {o.termMonths} {tr('个月', 'months')} · {methodName(o.method)}
              </dd>
              <dt>{tr('总利息', 'Total interest')}</dt>
              <dd>
                {fenToYuan(o.totalInterest)} {tr('元', 'yuan')}
              </dd>
              <dt>{tr('有效期至', 'Valid until')}</dt>
              <dd>{o.expiresAt.slice(0, 10)}</dd>
            </dl>
            {limits.length > 0 && (
              <>
                <h4>{tr('额度说明', 'What set the limit')}</h4>
                <ul>
                  {limits.map((r) => (
                    <li key={r.code}>{tr(r.textZh, r.textEn)}</li>
                  ))}
                </ul>
              </>
            )}
            {o.schedule.length > 0 && (
              <details>
                <summary>{tr('还款计划', 'Repayment schedule')}</summary>
                {/* Focusable, so a keyboard can scroll the table sideways on a phone (WCAG 2.1.1). */}
                <section
                  class="scroll"
                  aria-label={tr('还款计划表', 'Schedule table')}
                  // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must take focus
                  tabIndex={0}
                >
                  <table>
                    <caption class="visually-hidden">
                      {tr('还款计划（元）', 'Repayment schedule (yuan)')}
                    </caption>
                    <thead>
                      <tr>
                        <th scope="col">{tr('期', 'No.')}</th>
                        <th scope="col">
                          {due === 'estimate'
                            ? tr('预计应还日', 'Estimated due date')
                            : tr('应还日', 'Due date')}
                        </th>
                        <th scope="col">{tr('还款', 'Payment')}</th>
                        <th scope="col">{tr('本金', 'Principal')}</th>
                        <th scope="col">{tr('利息', 'Interest')}</th>
                        <th scope="col">{tr('余额', 'Balance')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {o.schedule.map((row) => (
                        <tr key={row.period}>
                          <td>{row.period}</td>
                          <td>
                            {row.dueDate ??
                              (due === 'estimate' ? estimatedDueDate(today, row.period) : '—')}
                          </td>
                          <td>{fenToYuan(row.payment, true)}</td>
                          <td>{fenToYuan(row.principal, true)}</td>
                          <td>{fenToYuan(row.interest, true)}</td>
                          <td>{fenToYuan(row.balance, true)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </section>
                {due !== 'none' && (
                  <p class="hint" data-testid="due-dates">
                    {due === 'estimate'
                      ? tr(
                          '预计应还日：假设今天接受、每月同日计算的估算，并非服务给出的日期；接受后显示服务确定的应还日。',
                          "Estimated due dates: as if accepted today, the same day each month; not the service's dates. Once accepted, the service's due dates are shown.",
                        )
                      : tr(
                          '应还日由服务按接受日（北京时间）确定。',
                          'Due dates set by the service from the day of acceptance (China time).',
                        )}
                  </p>
                )}
              </details>
            )}
            {o.status === 'offered' && !accepted && (
              <p>
                <button
                  type="button"
                  class="primary"
                  disabled={props.acceptPending !== undefined}
                  onClick={() => props.onAccept(o)}
                >
                  {props.acceptPending === o.id
                    ? tr('接受中（待发送）', 'Accepting (pending)')
                    : tr('接受此方案', 'Accept this offer')}
                </button>
              </p>
            )}
          </section>
        );
      })}
      <p>
        <button type="button" onClick={props.onDone}>
          {tr('返回商户列表', 'Back to merchants')}
        </button>
      </p>
    </>
  );
}
