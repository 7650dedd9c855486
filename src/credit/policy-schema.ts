/**
 * The credit-policy document: everything credit-related the model uses, as versioned data.
 * This file holds its structure (zod); policy-validate.ts checks what structure cannot say
 * (bins without gaps, ordered cutoffs, consistent caps), and policy-compile.ts turns it into
 * closures.
 */
import { z } from 'zod';
import { GRADES } from './grades';
import { PURPOSES } from './survey';

const reasonCode = z
  .string()
  .regex(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/, 'a reason code is SCREAMING_SNAKE, e.g. TENURE_SHORT');
const texts = { textZh: z.string().min(1), textEn: z.string().min(1) };
const bps = z.number().int().min(0).max(100_000);
const fen = z.number().int().nonnegative();
const months = z.number().int().min(1).max(600);
const grade = z.enum(GRADES);
const purpose = z.enum(PURPOSES);

/** A numeric bin is the half-open interval [min, max); null means unbounded on that side. */
const numericBin = z.object({
  min: z.number().nullable(),
  max: z.number().nullable(),
  points: z.number().int(),
});

const categoricalBin = z.object({
  values: z.array(z.string()).min(1),
  points: z.number().int(),
});

const characteristicBase = {
  /** Stable name shown in a decision's points. */
  name: z.string().min(1),
  /** A survey field or a derived metric (see fields.ts). */
  field: z.string().min(1),
  reasonCode,
  ...texts,
};

const numericCharacteristic = z.object({
  kind: z.literal('numeric'),
  ...characteristicBase,
  /** Which way is better: validation then requires points to be monotone that way. */
  direction: z.enum(['higher_is_better', 'lower_is_better', 'none']),
  bins: z.array(numericBin).min(1),
});

const categoricalCharacteristic = z.object({
  kind: z.literal('categorical'),
  ...characteristicBase,
  bins: z.array(categoricalBin).min(1),
});

const characteristic = z.discriminatedUnion('kind', [
  numericCharacteristic,
  categoricalCharacteristic,
]);

const knockout = z.object({
  code: reasonCode,
  field: z.string().min(1),
  operator: z.enum(['lt', 'lte', 'gt', 'gte', 'in']),
  /** A number for comparisons, a list of categories for `in`. */
  value: z.union([z.number(), z.array(z.string()).min(1)]),
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
  purposes: z.array(purpose).min(1),
  /** Purposes the product is designed for: they rank it first when the request says `any`. */
  fitPurposes: z.array(purpose),
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

export const policyDocumentSchema = z.object({
  version: z.number().int().min(1),
  name: z.string().min(1),
  /** Days an offer stays open; the service stamps the dates. */
  offerValidityDays: z.number().int().min(1).max(365),
  scaling: z.object({
    baseScore: z.number().int(),
    baseOdds: z.number().positive(),
    pdo: z.number().positive(),
  }),
  scorecard: z.object({
    basePoints: z.number().int(),
    characteristics: z.array(characteristic).min(1),
  }),
  /** Minimum score of each grade; below D is E. */
  grades: z.object({
    A: z.number().int(),
    B: z.number().int(),
    C: z.number().int(),
    D: z.number().int(),
  }),
  outcomes: z.object({ approveMinScore: z.number().int(), referMinScore: z.number().int() }),
  knockouts: z.array(knockout),
  cashFlow: z.object({
    growthRate: z.number().min(-0.5).max(2),
    minCycleDays: z.number().positive().max(360),
    minDscr: z.number().min(1).max(10),
    assessmentRateBps: bps,
  }),
  limits: z.object({
    maxShareOfAnnualSales: z.number().positive().max(1),
    /** Offers are rounded down to a multiple of this (fen). */
    roundDownToFen: z.number().int().min(1),
    storeExpansion: z.object({ minAmount: fen, maxAmount: fen }),
    shortTermTurnover: z.object({ monthsOfSales: z.number().positive().max(12) }),
  }),
  pricing: z.object({ costOfFundsBps: bps, operatingCostBps: bps }),
  products: z.object({
    /** Term also within the lease remaining and the operator agreement's maximum term. */
    operator_guarantee: z.object(loanProduct),
    joint_guarantee: z.object({
      ...loanProduct,
      perMemberCap: fen,
      minGroupSize: z.number().int().min(GROUP_SIZE_BOUNDS.min).max(GROUP_SIZE_BOUNDS.max),
      maxGroupSize: z.number().int().min(GROUP_SIZE_BOUNDS.min).max(GROUP_SIZE_BOUNDS.max),
      /** Each member's contingent liability at most this multiple of its annual net profit. */
      contingentLiabilityMultiple: z.number().positive(),
    }),
    credit_card: z.object({
      ...productBase,
      /** Months until the limit is reviewed, shown as the card offer's term. */
      termMonths: months,
      sizingBasis: z.enum(['monthly_sales', 'monthly_net_cash_flow']),
      multiplesByGrade: z.object({
        A: z.number().min(0),
        B: z.number().min(0),
        C: z.number().min(0),
        D: z.number().min(0),
        E: z.number().min(0),
      }),
    }),
  }),
});

export type PolicyDocument = z.infer<typeof policyDocumentSchema>;
export type CharacteristicDocument = z.infer<typeof characteristic>;
export type KnockoutDocument = z.infer<typeof knockout>;
export type ProductsDocument = PolicyDocument['products'];
