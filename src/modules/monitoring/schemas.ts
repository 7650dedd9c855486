import { z } from 'zod';
import { GRADES, OUTCOME_STATUSES } from '../../credit';
import { idString, isoDateTime, MAX_LENGTH } from '../../platform/schemas';

const isoDate = () => z.iso.date().max(10).describe('Date YYYY-MM-DD (UTC)');

/** Score bins a histogram may have: 20-point bins over any plausible score range. */
export const MAX_SCORE_BINS = 1000;

export const recordOutcomeBody = z
  .strictObject({
    offerId: z
      .string()
      .min(1)
      .max(MAX_LENGTH.id)
      .describe('A taken offer (accepted or booked): the loan'),
    status: z
      .enum(OUTCOME_STATUSES)
      .describe('Loan performance on that date; late_90 and default count as bad in monitoring'),
    asOf: isoDate().describe(
      'Date the status holds, YYYY-MM-DD: not in the future (UTC) nor before the offer was made',
    ),
  })
  .meta({ id: 'OutcomeRequest' });
export type RecordOutcomeBody = z.infer<typeof recordOutcomeBody>;

export const outcomeSchema = z
  .object({
    id: idString(),
    offerId: idString(),
    applicationId: idString(),
    decisionId: idString().describe('The decision that made the offer'),
    status: z.enum(OUTCOME_STATUSES),
    asOf: isoDate(),
    createdAt: isoDateTime(),
  })
  .meta({ id: 'Outcome' });
export type OutcomeView = z.infer<typeof outcomeSchema>;

const ZH = {
  untilAfterSince: 'until 须晚于 since',
  baselinePair: 'baselineSince 与 baselineUntil 须同时提供',
  baselineOrder: 'baselineUntil 须晚于 baselineSince',
};

export const monitoringQuery = z
  .strictObject({
    since: isoDate().describe('First day of the period (decisions made on or after it)'),
    until: isoDate().describe(
      'Day after the period (decisions made before it; outcomes dated before it)',
    ),
    baselineSince: isoDate()
      .optional()
      .describe('PSI baseline start; default: the equally long period right before since'),
    baselineUntil: isoDate().optional().describe('PSI baseline end (exclusive)'),
  })
  .superRefine((q, ctx) => {
    if (q.until <= q.since)
      ctx.addIssue({
        code: 'custom',
        path: ['until'],
        message: 'until must be after since',
        params: { messageZh: ZH.untilAfterSince },
      });
    if ((q.baselineSince === undefined) !== (q.baselineUntil === undefined))
      ctx.addIssue({
        code: 'custom',
        path: [q.baselineSince === undefined ? 'baselineSince' : 'baselineUntil'],
        message: 'baselineSince and baselineUntil go together',
        params: { messageZh: ZH.baselinePair },
      });
    else if (q.baselineSince && q.baselineUntil && q.baselineUntil <= q.baselineSince)
      ctx.addIssue({
        code: 'custom',
        path: ['baselineUntil'],
        message: 'baselineUntil must be after baselineSince',
        params: { messageZh: ZH.baselineOrder },
      });
  });
export type MonitoringQuery = z.infer<typeof monitoringQuery>;

const ratio = () => z.number().min(0).max(1);

export const monitoringSchema = z
  .object({
    policy: z.object({ id: idString(), version: z.number().int() }),
    period: z.object({ since: isoDate(), until: isoDate() }),
    count: z
      .number()
      .int()
      .describe('Decisions of the policy made in the period that have an outcome before until'),
    bads: z
      .number()
      .int()
      .describe('Of those, how many are bad: latest outcome before until is late_90 or default'),
    badRate: ratio().nullable().describe('bads / count; null when count is 0'),
    badRateByGrade: z
      .array(
        z.object({
          grade: z
            .string()
            .max(MAX_LENGTH.code)
            .describe(`One of ${GRADES.join(', ')}`),
          count: z.number().int(),
          bads: z.number().int(),
          badRate: ratio(),
        }),
      )
      .max(GRADES.length),
    gini: z
      .number()
      .min(-1)
      .max(1)
      .nullable()
      .describe(
        '2·AUC − 1, AUC = P(a good scores above a bad), ties half; null without goods or bads',
      ),
    ks: ratio()
      .nullable()
      .describe(
        'Largest gap between the cumulative score distributions of goods and bads; null without goods or bads',
      ),
    psi: z.object({
      value: z
        .number()
        .min(0)
        .nullable()
        .describe(
          'Σ (actual − expected)·ln(actual / expected) over 20-point score bins, an empty bin counting as 0.0001; null when either period has no decision',
        ),
      baseline: z.object({
        since: isoDate(),
        until: isoDate(),
        count: z.number().int().describe('Model decisions of the policy in the baseline period'),
      }),
      current: z.object({
        count: z.number().int().describe('Model decisions of the policy in the period'),
      }),
      bins: z
        .array(
          z.object({
            from: z.number().int().describe('Lowest score in the bin'),
            to: z.number().int().describe('Scores below this'),
            expected: ratio().describe('Share of the baseline decisions in the bin'),
            actual: ratio().describe('Share of the period decisions in the bin'),
          }),
        )
        .max(MAX_SCORE_BINS),
    }),
  })
  .meta({ id: 'PolicyMonitoring' });
export type MonitoringView = z.infer<typeof monitoringSchema>;
