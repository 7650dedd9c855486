import { z } from 'zod';
import { loanRequestSchema, SURVEY_CROSS_FIELD_RULES, surveySchema } from '../../credit';
import { PRODUCTS } from '../../credit/survey';
import { AGREEMENT_STATUSES } from '../../db/vocabulary';
import { idString, MAX_LENGTH } from '../../platform/schemas';

/** At most this many inline surveys in one simulation. */
export const MAX_INLINE_SURVEYS = 10_000;
export const DEFAULT_SAMPLE_SIZE = 20;
/** Score bins a histogram may have: 20-point bins over any plausible score range. */
const MAX_SCORE_BINS = 1000;

const fenField = () =>
  z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).describe('Amount in fen (1/100 CNY)');

/** What the service knows beyond the survey, as production gives it to decide(). */
export const decisionContextSchema = z
  .strictObject({
    operator: z
      .strictObject({
        agreementStatus: z.enum(AGREEMENT_STATUSES),
        perMerchantCap: fenField().describe('Most the operator guarantees for one merchant, fen'),
        available: fenField().describe("The agreement's remaining capacity, fen"),
        maxTermMonths: z.number().int().min(1).max(600),
        depositRatioBps: z.number().int().min(0).max(10_000),
      })
      .nullable()
      .optional()
      .describe("The agreement of the operator of the merchant's market; null or absent: none"),
    guaranteeGroup: z
      .strictObject({
        id: z.string().min(1).max(100),
        memberCount: z.number().int().min(1).max(20),
      })
      .nullable()
      .optional()
      .describe('The guarantee group the request names; null or absent: none'),
    leaseRemainingMonths: z
      .number()
      .int()
      .min(0)
      .max(600)
      .nullable()
      .optional()
      .describe('From the merchant record when the survey lacks it'),
    exposure: z
      .strictObject({
        total: fenField().describe(
          "Each application's largest open offer, taken loans outstanding, card limits, fen",
        ),
        byProduct: z
          .strictObject(
            Object.fromEntries(PRODUCTS.map((p) => [p, fenField()])) as Record<
              (typeof PRODUCTS)[number],
              ReturnType<typeof fenField>
            >,
          )
          .describe('The same per product: what each product cap counts'),
        monthlyInstalments: fenField().describe('Of the same open offers and loans, fen'),
        contingent: fenField().describe("Guarantee-group partners' loans it guarantees, fen"),
      })
      .nullable()
      .optional()
      .describe(
        'What the borrower already has with the lender (the exposure ledger); null or absent: nothing',
      ),
  })
  .meta({ id: 'SimulationContext' });

export const inlineCase = z.strictObject({
  survey: surveySchema.describe(
    `The standard merchant survey; money in fen. ${SURVEY_CROSS_FIELD_RULES}`,
  ),
  request: loanRequestSchema.describe('What the merchant asks for; amount in fen'),
  context: decisionContextSchema
    .optional()
    .describe('Defaults to no operator agreement, no guarantee group'),
});

export const simulationFilterSchema = z
  .strictObject({
    since: z.iso
      .datetime({ offset: true })
      .max(40)
      .optional()
      .describe('Only applications created at or after this instant'),
    until: z.iso
      .datetime({ offset: true })
      .max(40)
      .optional()
      .describe('Only applications created before this instant'),
    marketId: z.string().min(1).max(64).optional(),
    product: z
      .enum([...PRODUCTS, 'any'])
      .optional()
      .describe('The product the application requested'),
  })
  .meta({ id: 'SimulationFilter' });
export type SimulationFilter = z.infer<typeof simulationFilterSchema>;

export const simulateBody = z
  .strictObject({
    filter: simulationFilterSchema
      .optional()
      .describe('Which stored applications to replay; absent (and no surveys): all of them'),
    surveys: z
      .array(inlineCase)
      .min(1)
      .max(MAX_INLINE_SURVEYS)
      .optional()
      .describe(`An inline batch instead of stored applications, at most ${MAX_INLINE_SURVEYS}`),
    sampleSize: z
      .number()
      .int()
      .min(1)
      .max(100)
      .default(DEFAULT_SAMPLE_SIZE)
      .describe('Application ids (or batch indexes) shown per swap kind'),
  })
  .superRefine((body, ctx) => {
    if (body.filter !== undefined && body.surveys !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['surveys'],
        message: 'give either filter (stored applications) or surveys (an inline batch), not both',
        params: { messageZh: 'filter 与 surveys 只能二选一' },
      });
    }
    const { since, until } = body.filter ?? {};
    if (since && until && Date.parse(until) <= Date.parse(since)) {
      ctx.addIssue({
        code: 'custom',
        path: ['filter', 'until'],
        message: 'until must be after since',
        params: { messageZh: '结束时间必须晚于开始时间' },
      });
    }
  })
  .meta({ id: 'SimulationRequest' });
export type SimulateBody = z.infer<typeof simulateBody>;

const outcomeCount = z.object({
  count: z.number().int(),
  rate: z.number().describe('count / total, 0..1 (0 when nothing was simulated)'),
});

const swap = z.object({
  count: z.number().int(),
  sample: z
    .array(z.string().max(MAX_LENGTH.id))
    .max(100)
    .describe('Application ids (stored) or batch indexes as strings (inline), in input order'),
});

export const simulationResultSchema = z
  .object({
    policy: z
      .object({ id: idString(), version: z.number().int() })
      .describe('The candidate policy simulated'),
    against: z
      .object({ id: idString(), version: z.number().int() })
      .describe('The active champion it is compared with, run on the same inputs'),
    source: z.enum(['stored', 'inline']),
    count: z.number().int().describe('Applications (or inline surveys) decided'),
    outcomes: z.object({ approve: outcomeCount, refer: outcomeCount, decline: outcomeCount }),
    scoreHistogram: z
      .array(
        z.object({
          from: z.number().int(),
          to: z.number().int(),
          count: z.number().int(),
          byOutcome: z
            .object({
              approve: z.number().int(),
              refer: z.number().int(),
              decline: z.number().int(),
            })
            .describe("The bin's cases by the candidate's outcome (they add up to count)"),
        }),
      )
      .max(MAX_SCORE_BINS)
      .describe('Bins of 20 points, [from, to), contiguous from the lowest to the highest score'),
    cutoffCurve: z
      .array(
        z.object({
          cutoff: z.number().int().describe("An approve cutoff at this bin's lower edge"),
          approvedCount: z.number().int(),
          approvalRate: z.number().describe('approvedCount / count, 0..1'),
          expectedLoss: fenField().describe('PD x LGD x amount of the first offer, summed, fen'),
        }),
      )
      .max(MAX_SCORE_BINS)
      .describe(
        'What the candidate would approve, and expect to lose, with its approve cutoff at each ' +
          "histogram bin's lower edge, all else unchanged: a knock-out or a data-check referral " +
          'stays, every cap holds, and the loan is the offer decide() makes when it approves. ' +
          'One point per bin, in the same order.',
      ),
    gradeMix: z.object({
      A: z.number().int(),
      B: z.number().int(),
      C: z.number().int(),
      D: z.number().int(),
      E: z.number().int(),
    }),
    productMix: z
      .array(
        z.object({
          product: z.enum(PRODUCTS),
          count: z.number().int(),
          amount: fenField().describe('Sum of the offered amounts (card limits), fen'),
        }),
      )
      .max(PRODUCTS.length)
      .describe("Approved applications by their first (best-fitting) offer's product"),
    expectedLoss: fenField().describe(
      'Sum over approved applications of PD x LGD x amount of the first offer, rounded to fen',
    ),
    swaps: z.object({
      approveToDecline: swap,
      approveToRefer: swap,
      referToApprove: swap,
      referToDecline: swap,
      declineToApprove: swap,
      declineToRefer: swap,
    }),
    elapsedMs: z.number().int().describe('Time spent reading and deciding, milliseconds'),
  })
  .meta({ id: 'SimulationResult' });
export type SimulationResult = z.infer<typeof simulationResultSchema>;
