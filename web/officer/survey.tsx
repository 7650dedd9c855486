import { SelectField, TextField } from '../shared/form';
import { ScreenHeading } from '../shared/heading';
import { tr } from '../shared/i18n';
import { productName } from '../shared/labels';
import type { Draft } from './drafts';

const Y = () => tr('元', 'yuan');

/** The stall survey: money in 元 (sent as fen), the margin in %, every field labelled. */
export function SurveyForm(props: {
  draft: Draft;
  errors: Record<string, string>;
  notice: { kind: 'error' | 'pending' | 'info'; text: string } | null;
  onChange: (values: Record<string, string>) => void;
  onSubmit: () => void;
  onRetry: () => void;
  onBack: () => void;
}) {
  const { draft, errors } = props;
  const locked = draft.state !== 'editing';
  const v = draft.values;
  const text = (
    id: string,
    label: string,
    unit?: string,
    hint?: string,
    inputMode: 'decimal' | 'numeric' = 'decimal',
  ) => (
    <TextField
      id={id}
      label={label}
      unit={unit}
      hint={hint}
      inputMode={inputMode}
      value={v[id] ?? ''}
      readOnly={locked}
      error={errors[id]}
      onInput={(value) => props.onChange({ ...v, [id]: value })}
    />
  );
  const select = (id: string, label: string, options: [string, string][]) => (
    <SelectField
      id={id}
      label={label}
      value={v[id] ?? ''}
      options={options}
      disabled={locked}
      error={errors[id]}
      onChange={(value) => props.onChange({ ...v, [id]: value })}
    />
  );
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        props.onSubmit();
      }}
    >
      <section class="card">
        <ScreenHeading>
          {tr('经营调查', 'Survey')} · {draft.merchantName}
        </ScreenHeading>
        <p class="hint">
          {tr(
            '边填边保存在本机；网络断开也不会丢失。',
            'Saved on this device as you type; nothing is lost offline.',
          )}
        </p>
      </section>
      <fieldset class="card">
        <legend>{tr('经营情况', 'The business')}</legend>
        <div class="grid2">
          {select('businessForm', tr('经营主体', 'Business form'), [
            ['individual', tr('个体工商户', 'Individual')],
            ['enterprise', tr('企业', 'Enterprise')],
          ])}
          {select('businessModel', tr('经营模式', 'Business model'), [
            ['distributor', tr('经销商', 'Distributor')],
            ['manufacturer_outlet', tr('厂家直营', 'Manufacturer outlet')],
          ])}
          {text(
            'tenureMonths',
            tr('经营年限', 'Time in business'),
            tr('月', 'months'),
            undefined,
            'numeric',
          )}
          {text('storeCount', tr('门店数', 'Stores'), tr('家', 'stores'), undefined, 'numeric')}
          {text(
            'leaseRemainingMonths',
            tr('剩余租期（选填）', 'Lease remaining (optional)'),
            tr('月', 'months'),
            undefined,
            'numeric',
          )}
          {select('creditHistory', tr('信用记录', 'Credit history'), [
            ['clean', tr('良好', 'Clean')],
            ['none', tr('无记录', 'None')],
            ['late_30', tr('逾期 30 天内', 'Late up to 30 days')],
            ['late_90_plus', tr('逾期 90 天以上', 'Late 90+ days')],
            ['default', tr('违约', 'Default')],
          ])}
        </div>
      </fieldset>
      <fieldset class="card">
        <legend>{tr('销售与资金', 'Sales and working capital')}</legend>
        <div class="grid2">
          {text('annualSales', tr('年销售收入', 'Annual sales'), Y())}
          {text(
            'netMargin',
            tr('销售利润率', 'Net margin'),
            '%',
            tr('如 12 表示 12%', '12 means 12%'),
          )}
          {text('inventoryValue', tr('存货（成本价）', 'Stock at cost'), Y())}
          {text(
            'inventoryTurnoverDays',
            tr('存货周转天数', 'Inventory turnover'),
            tr('天', 'days'),
            undefined,
            'numeric',
          )}
          {text('receivables', tr('应收账款', 'Receivables'), Y())}
          {text('payables', tr('应付账款', 'Payables'), Y())}
          {text(
            'supplierPrepayments',
            tr('预付账款（选填）', 'Prepayments to suppliers (optional)'),
            Y(),
          )}
          {text(
            'customerAdvances',
            tr('预收账款（选填）', 'Advances from customers (optional)'),
            Y(),
          )}
          {text(
            'existingDebt',
            tr('现有借款', 'Existing loans'),
            Y(),
            // The exposure ledger already counts what the merchant has with us (issue #12).
            tr(
              '只填其他机构的借款：本行贷款和授信系统已自动计入',
              'Loans from other lenders only: ours are counted by the service',
            ),
          )}
          {text(
            'monthlyDebtService',
            tr('月还款额', 'Monthly debt service'),
            Y(),
            tr('只填其他机构借款的月还款', 'For loans from other lenders only'),
          )}
          {text('ownFunds', tr('自有资金（选填）', 'Own funds (optional)'), Y())}
        </div>
      </fieldset>
      <fieldset class="card">
        <legend>{tr('申请', 'The request')}</legend>
        <div class="grid2">
          {select(
            'product',
            tr('产品', 'Product'),
            ['any', 'operator_guarantee', 'joint_guarantee', 'credit_loan', 'credit_card'].map(
              (p) => [p, productName(p)],
            ),
          )}
          {text('amount', tr('申请金额', 'Amount'), Y())}
          {text('termMonths', tr('期限', 'Term'), tr('月', 'months'), undefined, 'numeric')}
          {select('purpose', tr('用途', 'Purpose'), [
            ['working_capital', tr('流动资金', 'Working capital')],
            ['store_expansion', tr('扩店', 'Store expansion')],
            ['short_term_turnover', tr('短期周转', 'Short-term turnover')],
          ])}
        </div>
      </fieldset>
      {/* Next to the button just pressed, where the officer is looking. */}
      {props.notice && (
        <p
          class={`notice ${props.notice.kind}`}
          role={props.notice.kind === 'error' ? 'alert' : 'status'}
        >
          {props.notice.text}
        </p>
      )}
      {draft.values.guaranteeGroupId && (
        <p class="hint">
          {tr('联保小组', 'Joint-guarantee group')} {draft.values.guaranteeGroupId}
        </p>
      )}
      <div class="row">
        <button type="button" onClick={props.onBack}>
          {tr('返回', 'Back')}
        </button>
        {draft.state === 'pending' ? (
          <button type="button" onClick={props.onRetry}>
            {tr('立即重试', 'Retry now')}
          </button>
        ) : (
          <button type="submit" class="primary" disabled={locked}>
            {tr('提交申请', 'Submit')}
          </button>
        )}
      </div>
    </form>
  );
}
