/**
 * The stall survey (request contract: field names are fixed) and the loan request.
 * Bounds catch typing slips; cross-field checks catch figures that cannot all be true.
 * Custom issues carry an English `message` and a Chinese `params.messageZh`.
 */
import { z } from 'zod';

/** Money in fen: a non-negative safe integer (zod's int() already stays within safe integers). */
export const fenSchema = z.number().int().nonnegative();

export const BUSINESS_FORMS = ['individual', 'enterprise'] as const;
export const BUSINESS_MODELS = ['distributor', 'manufacturer_outlet'] as const;
export const CREDIT_HISTORIES = ['none', 'clean', 'late_30', 'late_90_plus', 'default'] as const;
export const PRODUCTS = [
  'operator_guarantee',
  'joint_guarantee',
  'credit_loan',
  'credit_card',
] as const;
export const PURPOSES = ['working_capital', 'store_expansion', 'short_term_turnover'] as const;

/** Upper bounds that no stall in the markets can plausibly exceed. */
const MAX_TENURE_MONTHS = 600;
/** A stall lease runs at most ten years: the field's own bound, so the document states it. */
const MAX_LEASE_MONTHS = 120;
const MAX_INVENTORY_TO_SALES = 5;

/** Money fields say their unit: a newcomer once sent 元 and was scored 100 times smaller. */
const money = (what: string) => fenSchema.describe(`${what}; fen (1/100 元)`);

const surveyShape = z.strictObject({
  businessForm: z.enum(BUSINESS_FORMS).describe('经营主体 business form'),
  businessModel: z.enum(BUSINESS_MODELS).describe('经营模式 business model'),
  tenureMonths: z
    .number()
    .int()
    .min(0)
    .max(MAX_TENURE_MONTHS)
    .describe('经营年限 months in business'),
  storeCount: z.number().int().min(1).max(100).describe('门店数 number of stores'),
  annualSales: money('年销售收入 annual sales'),
  netMargin: z.number().min(-1).max(1).describe('销售利润率 net margin, a ratio (0.1 = 10%)'),
  inventoryValue: money('存货 stock at cost'),
  inventoryTurnoverDays: z
    .number()
    .int()
    .min(0)
    .max(720)
    .describe('存货周转天数 reported inventory turnover, days'),
  receivables: money('应收账款 receivables'),
  payables: money('应付账款 payables'),
  supplierPrepayments: money('预付账款 prepayments to suppliers').optional(),
  customerAdvances: money('预收账款 advances (deposits) from customers').optional(),
  existingDebt: money(
    "现有借款 existing loans outstanding from other lenders (this lender's own loans and limits are counted from its exposure ledger)",
  ),
  monthlyDebtService: money('月还款额 monthly debt service of the loans from other lenders'),
  ownFunds: money('自有资金 own funds put into working capital').optional(),
  creditHistory: z.enum(CREDIT_HISTORIES).describe('信用记录 credit history'),
  leaseRemainingMonths: z
    .number()
    .int()
    .min(0)
    .max(MAX_LEASE_MONTHS)
    .optional()
    .describe('剩余租期 months of stall lease remaining (at most 120)'),
});

export type Survey = z.infer<typeof surveyShape>;

interface CrossCheck {
  path: keyof Survey;
  fails: (s: Survey) => boolean;
  message: string;
  messageZh: string;
}

const crossChecks: CrossCheck[] = [
  {
    path: 'inventoryValue',
    fails: (s) => s.inventoryValue > MAX_INVENTORY_TO_SALES * s.annualSales,
    message: 'inventoryValue must not exceed 5 times annualSales',
    messageZh: '存货价值不得超过年销售额的5倍',
  },
  {
    path: 'monthlyDebtService',
    fails: (s) => s.monthlyDebtService > s.annualSales,
    message: 'monthlyDebtService must not exceed annualSales',
    messageZh: '月还款额不得超过年销售额',
  },
  {
    path: 'receivables',
    fails: (s) => s.receivables > s.annualSales,
    message: 'receivables must not exceed annualSales',
    messageZh: '应收账款不得超过年销售额',
  },
  {
    path: 'customerAdvances',
    fails: (s) => (s.customerAdvances ?? 0) > s.annualSales,
    message: 'customerAdvances must not exceed annualSales',
    messageZh: '预收账款不得超过年销售额',
  },
  {
    path: 'supplierPrepayments',
    fails: (s) => (s.supplierPrepayments ?? 0) > s.annualSales,
    message: 'supplierPrepayments must not exceed annualSales',
    messageZh: '预付账款不得超过年销售额',
  },
  {
    path: 'monthlyDebtService',
    fails: (s) => s.monthlyDebtService > 0 && s.existingDebt === 0,
    message: 'monthlyDebtService must be 0 when existingDebt is 0',
    messageZh: '无现有负债时月还款额应为0',
  },
];

/** The cross-field rules, stated in the document as the server applies them. */
export const SURVEY_CROSS_FIELD_RULES = `Cross-field rules (each refused with 400 naming the field): ${crossChecks
  .map((c) => c.message)
  .join('; ')}.`;

export const surveySchema: z.ZodType<Survey> = surveyShape
  .describe(SURVEY_CROSS_FIELD_RULES)
  .superRefine((s, ctx) => {
    for (const check of crossChecks) {
      if (check.fails(s)) {
        ctx.addIssue({
          code: 'custom',
          path: [check.path],
          message: check.message,
          params: { messageZh: check.messageZh },
        });
      }
    }
  });

export const loanRequestSchema = z.strictObject({
  product: z.enum([...PRODUCTS, 'any']),
  amount: z.number().int().positive().describe('申请金额 amount asked for; fen (1/100 元)'),
  termMonths: z.number().int().min(1).max(60),
  purpose: z.enum(PURPOSES),
  guaranteeGroupId: z.string().min(1).max(100).optional(),
});

export type LoanRequest = z.infer<typeof loanRequestSchema>;
export type Product = (typeof PRODUCTS)[number];
export type Purpose = (typeof PURPOSES)[number];
export type CreditHistory = (typeof CREDIT_HISTORIES)[number];
