/**
 * The credit-policy document: everything credit-related the model uses, as versioned data.
 * This file holds its structure (zod); policy-validate.ts checks what structure cannot say
 * (bins without gaps, ordered cutoffs, consistent caps), and policy-compile.ts turns it into
 * closures. Every object is strict: an unknown key (a typo such as `cashFlow.minDscrr`) is an
 * error with its path, never silently dropped.
 */
import { z } from 'zod';
import { DOCUMENT_LIMITS as MAX } from './document-limits';
import { GRADES } from './grades';
import { policyTestCaseSchema } from './policy-test-cases';
import { PURPOSES } from './survey';

const reasonCode = z
  .string()
  .max(MAX.code)
  .regex(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/, 'a reason code is SCREAMING_SNAKE, e.g. TENURE_SHORT');
const texts = {
  textZh: z.string().min(1).max(MAX.text),
  textEn: z.string().min(1).max(MAX.text),
};
const bps = z.number().int().min(0).max(100_000);
const fen = z.number().int().nonnegative();
const months = z.number().int().min(1).max(600);
const grade = z.enum(GRADES);
const purpose = z.enum(PURPOSES);

/** A numeric bin is the half-open interval [min, max); null means unbounded on that side. */
const numericBin = z.strictObject({
  min: z.number().nullable(),
  max: z.number().nullable(),
  points: z.number().int(),
});

const categoricalBin = z.strictObject({
  values: z.array(z.string().max(MAX.name)).min(1).max(MAX.items),
  points: z.number().int(),
});

const characteristicBase = {
  /** Stable name shown in a decision's points. */
  name: z.string().min(1).max(MAX.name),
  /** A survey field or a derived metric (see fields.ts). */
  field: z.string().min(1).max(MAX.name),
  reasonCode,
  ...texts,
};

const numericCharacteristic = z.strictObject({
  kind: z.literal('numeric'),
  ...characteristicBase,
  /** Which way is better: validation then requires points to be monotone that way. */
  direction: z.enum(['higher_is_better', 'lower_is_better', 'none']),
  bins: z.array(numericBin).min(1).max(MAX.items),
});

const categoricalCharacteristic = z.strictObject({
  kind: z.literal('categorical'),
  ...characteristicBase,
  bins: z.array(categoricalBin).min(1).max(MAX.items),
});

export const characteristicSchema = z.discriminatedUnion('kind', [
  numericCharacteristic,
  categoricalCharacteristic,
]);

export const knockoutSchema = z.strictObject({
  code: reasonCode,
  field: z.string().min(1).max(MAX.name),
  operator: z.enum(['lt', 'lte', 'gt', 'gte', 'in']),
  /** A number for comparisons, a list of categories for `in`. */
  value: z.union([z.number(), z.array(z.string().max(MAX.name)).min(1).max(MAX.items)]),
  ...texts,
});

const pricing = {
  /** Loss given default, 0..1: expected loss = PD x LGD. */
  lgd: z.number().min(0).max(1),
  marginBps: bps,
  rateFloorBps: bps,
  rateCapBps: bps,
};

const productBase = {
  enabled: z.boolean(),
  /** The weakest grade the product accepts. */
  minGrade: grade,
  /** Purposes the product may fund. */
  purposes: z.array(purpose).min(1).max(MAX.items),
  /** Purposes the product is designed for: they rank it first when the request says `any`. */
  fitPurposes: z.array(purpose).max(MAX.items),
  minAmount: fen,
  maxAmount: fen,
  ...pricing,
};

const loanProduct = {
  ...productBase,
  minTermMonths: months,
  maxTermMonths: months,
  method: z.enum(['equal_instalment', 'equal_principal']),
};

/** The group sizes any policy may allow; the policy itself says which (3-5 by default). */
export const GROUP_SIZE_BOUNDS = { min: 2, max: 20 } as const;

/** Each product's rules, parsed one by one for validation: one broken product hides no other. */
export const productSchemas = {
  /** Term also within the lease remaining and the operator agreement's maximum term. */
  operator_guarantee: z.strictObject(loanProduct),
  joint_guarantee: z.strictObject({
    ...loanProduct,
    perMemberCap: fen,
    minGroupSize: z.number().int().min(GROUP_SIZE_BOUNDS.min).max(GROUP_SIZE_BOUNDS.max),
    maxGroupSize: z.number().int().min(GROUP_SIZE_BOUNDS.min).max(GROUP_SIZE_BOUNDS.max),
    /**
     * Each member's contingent liability at most this multiple of its annual net profit: in the
     * group, and (with guaranteeNetwork rules) across all its groups and individual guarantees.
     */
    contingentLiabilityMultiple: z.number().positive(),
    /** How many live groups (forming, referred, offered, active) one merchant may belong to (issue #16). */
    maxGroupsPerMerchant: z.number().int().min(1).max(10),
  }),
  /** Unsecured: no guarantor, so a coverage of its own, at least the house minimum. */
  credit_loan: z.strictObject({
    ...loanProduct,
    minDscr: z.number().min(1).max(10),
  }),
  credit_card: z.strictObject({
    ...productBase,
    /** Months until the limit is reviewed, shown as the card offer's term. */
    termMonths: months,
    sizingBasis: z.enum(['monthly_sales', 'monthly_net_cash_flow']),
    multiplesByGrade: z.strictObject({
      A: z.number().min(0),
      B: z.number().min(0),
      C: z.number().min(0),
      D: z.number().min(0),
      E: z.number().min(0),
    }),
    /**
     * The limit at most this multiple of the monthly net cash flow left after debt service (net
     * cash flow / cashFlow.minDscr - the survey's and the lender's instalments). Required; null
     * only in versions published before the cap existed (no cap).
     */
    maxMultipleOfMonthlyNetCashFlow: z.number().positive().max(120).nullable(),
    /** The limit at most this share of annual net profit. Required; null: no cap (as above). */
    maxShareOfAnnualNetProfit: z.number().positive().max(10).nullable(),
  }),
};

/** The document's sections, parsed one by one for validation (see policy-validate.ts). */
export const policySections = {
  version: z.number().int().min(1),
  name: z.string().min(1).max(MAX.name),
  /** Days an offer stays open; the service stamps the dates. */
  offerValidityDays: z.number().int().min(1).max(365),
  scaling: z.strictObject({
    baseScore: z.number().int(),
    baseOdds: z.number().positive(),
    pdo: z.number().positive(),
  }),
  scorecard: z.strictObject({
    basePoints: z.number().int(),
    characteristics: z.array(characteristicSchema).min(1).max(MAX.items),
  }),
  /** Minimum score of each grade; below D is E. */
  grades: z.strictObject({
    A: z.number().int(),
    B: z.number().int(),
    C: z.number().int(),
    D: z.number().int(),
  }),
  outcomes: z.strictObject({ approveMinScore: z.number().int(), referMinScore: z.number().int() }),
  knockouts: z.array(knockoutSchema).max(MAX.items),
  /** Checks that the survey's figures agree with each other; a failed check refers. */
  dataChecks: z.strictObject({
    /** Days stock days (balance / cost of sales x 360) may differ from the reported turnover. */
    inventoryDaysTolerance: z.number().min(0).max(360),
  }),
  cashFlow: z.strictObject({
    growthRate: z.number().min(-0.5).max(2),
    minDscr: z.number().min(1).max(10),
    assessmentRateBps: bps,
  }),
  limits: z.strictObject({
    maxShareOfAnnualSales: z.number().positive().max(1),
    /** Offers are rounded down to a multiple of this (fen). */
    roundDownToFen: z.number().int().min(1),
    storeExpansion: z.strictObject({ minAmount: fen, maxAmount: fen }),
    shortTermTurnover: z.strictObject({ monthsOfSales: z.number().positive().max(12) }),
  }),
  /**
   * What one borrower may hold with the lender in all (open offers, loans, card limits, and its
   * guarantees for others at a weight): at most a multiple of its annual net profit.
   */
  exposure: z.strictObject({
    /** Required; null only in versions published before the cap existed (no total cap). */
    maxMultipleOfAnnualNetProfit: z.number().positive().max(100).nullable(),
    /** Share of contingent liabilities (guarantees for others) counted against the cap. */
    contingentWeight: z.number().min(0).max(1),
  }),
  /**
   * Individual guarantors (保证人, issue #16) an application names: how many, and their support:
   * every offer's LGD falls by lgdReduction x coverage, coverage being the guaranteed amounts'
   * share of the requested amount (at most 1).
   */
  individualGuarantee: z.strictObject({
    maxGuarantors: z.number().int().min(1).max(10),
    lgdReduction: z.number().min(0).max(1),
  }),
  /**
   * Rules on the guarantee network (担保圈, issue #16), checked at group formation and at the
   * group's decision; null: no network rules (versions published before them).
   */
  guaranteeNetwork: z
    .strictObject({
      /** What a finding does at formation: refuse the group (409) or form it for review. */
      action: z.enum(['refuse', 'refer']),
      /** The most merchants a circle closed by a new group may hold (the group included). */
      maxCircleSize: z.number().int().min(2).max(50),
      /** Whether two merchants may guarantee each other in two groups (a shared pair). */
      allowSharedPairs: z.boolean(),
      /** Fen: the most a circle's members may borrow together; null: no circle cap. */
      maxCircleBorrowing: fen.nullable(),
      /**
       * The stress test's failure rule: a merchant fails when guarantees called from it exceed
       * this share of its annual net profit. Absent (policies written before it): 0.5.
       */
      failureShareOfAnnualNetProfit: z.number().min(0).max(10).optional(),
    })
    .nullable(),
  pricing: z.strictObject({ costOfFundsBps: bps, operatingCostBps: bps }),
  products: z.strictObject(productSchemas),
  /** Examples the policy must decide as stated (see policy-test-cases.ts). */
  testCases: z.array(policyTestCaseSchema).max(MAX.items).optional(),
};

export const policyDocumentSchema = z.strictObject(policySections);

export type PolicyDocument = z.infer<typeof policyDocumentSchema>;
export type CharacteristicDocument = z.infer<typeof characteristicSchema>;
export type KnockoutDocument = z.infer<typeof knockoutSchema>;
export type ProductsDocument = PolicyDocument['products'];
