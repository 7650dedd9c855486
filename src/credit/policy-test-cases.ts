/**
 * Policy test cases: examples a policy carries with it (as rule engines attach test cases to a
 * ruleset), each a survey, a request and a context with what the decision must show. This
 * file holds their shape; policy-check.ts runs them.
 */
import { z } from 'zod';
import { BINDING_LIMITS } from './binding-limits';
import { DOCUMENT_LIMITS as MAX } from './document-limits';
import { GRADES } from './grades';
import { loanRequestSchema, PRODUCTS, surveySchema } from './survey';

const fen = z.number().int().nonnegative();

/** The service's side of a decision (DecisionContext), as a test case states it. */
export const decisionContextSchema = z.strictObject({
  operator: z
    .strictObject({
      agreementStatus: z.enum(['active', 'suspended']),
      perMerchantCap: fen,
      available: fen,
      maxTermMonths: z.number().int().min(1).max(600),
      depositRatioBps: z.number().int().min(0).max(10_000),
    })
    .nullable()
    .optional(),
  guaranteeGroup: z
    .strictObject({
      id: z.string().min(1).max(MAX.code),
      memberCount: z.number().int().min(1).max(100),
    })
    .nullable()
    .optional(),
  leaseRemainingMonths: z.number().int().min(0).max(600).nullable().optional(),
  override: z
    .strictObject({ outcome: z.literal('approve'), maxAmount: fen.optional() })
    .nullable()
    .optional(),
  /** What the borrower already has with the lender (the ledger); absent: nothing counted. */
  exposure: z
    .strictObject({
      total: fen,
      byProduct: z.strictObject({
        operator_guarantee: fen,
        joint_guarantee: fen,
        credit_loan: fen,
        credit_card: fen,
      }),
      monthlyInstalments: fen,
      contingent: fen,
    })
    .nullable()
    .optional(),
});

export const policyTestCaseSchema = z.strictObject({
  name: z.string().min(1).max(MAX.name),
  survey: surveySchema,
  request: loanRequestSchema,
  context: decisionContextSchema.optional(),
  /** Every stated expectation must hold; unstated ones are not checked. */
  expect: z.strictObject({
    outcome: z.enum(['approve', 'refer', 'decline']).optional(),
    grade: z.enum(GRADES).optional(),
    /** The offered products, in the order offered ([] for none). */
    products: z.array(z.enum(PRODUCTS)).max(MAX.items).optional(),
    /** Bounds (fen) on the first offer's amount; stating one requires an offer. */
    minAmount: fen.optional(),
    maxAmount: fen.optional(),
    /** Reason codes that must be among the decision's reasons. */
    reasons: z.array(z.string().min(1).max(MAX.code)).max(MAX.items).optional(),
    /** What set the first offer's amount; stating it requires an offer. */
    bindingLimit: z.enum(BINDING_LIMITS).optional(),
  }),
});

export type PolicyTestCase = z.infer<typeof policyTestCaseSchema>;
