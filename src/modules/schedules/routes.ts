import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { buildSchedule, dueDates, type ScheduleRow } from '../../credit';
import { commonErrors, fen } from '../../platform/schemas';

const quoteBody = z
  .strictObject({
    amount: z.number().int().min(1).max(100_000_000_000).describe('Principal in fen (1/100 CNY)'),
    annualRateBps: z.number().int().min(0).max(10_000).describe('Annual rate in basis points'),
    termMonths: z.number().int().min(1).max(360),
    method: z.enum(['equal_instalment', 'equal_principal']).describe('等额本息 / 等额本金'),
    acceptedOn: z.iso
      .date()
      .max(10)
      .optional()
      .describe(
        'The day the loan starts (China time): the answer then carries each due date (instalment k is due k months later, on the same day or the month-end)',
      ),
  })
  .meta({ id: 'ScheduleQuoteRequest' });

export const scheduleRowSchema = z
  .object({
    period: z.number().int().min(1).max(600),
    principal: fen(),
    interest: fen(),
    payment: fen(),
    balance: fen(),
    dueDate: z.iso
      .date()
      .max(10)
      .nullable()
      .describe(
        'When the instalment falls due (China time): k calendar months after the day the offer was accepted, on the same day or the last day of a shorter month; null until a start is known (an open offer)',
      ),
  })
  .meta({ id: 'ScheduleRow' });

const quoteResponse = z
  .object({ schedule: z.array(scheduleRowSchema).max(360), totalInterest: fen() })
  .meta({ id: 'ScheduleQuote' });

export async function scheduleRoutes(app: FastifyInstance) {
  app.withTypeProvider<ZodTypeProvider>().post(
    '/v1/schedules/quote',
    {
      config: { idempotency: 'optional' },
      schema: {
        tags: ['schedules'],
        operationId: 'quoteSchedule',
        summary:
          'A monthly repayment schedule in fen: interest rounded per period, the last instalment absorbs the remainder',
        body: quoteBody,
        response: { 200: quoteResponse, ...commonErrors },
      },
    },
    async (request, reply) =>
      reply.command({
        status: 200,
        read: async () => {
          const { acceptedOn, ...terms } = request.body;
          const { schedule, totalInterest } = buildSchedule(terms);
          return { schedule: withDueDates(schedule, acceptedOn ?? null), totalInterest };
        },
      }),
  );
}

/** A schedule's rows with their due dates from `acceptedOn`, or null dates without one. */
export function withDueDates(schedule: ScheduleRow[], acceptedOn: string | null) {
  const due = acceptedOn ? dueDates(acceptedOn, schedule.length) : [];
  return schedule.map((row) => ({ ...row, dueDate: due[row.period - 1] ?? null }));
}
