import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { buildSchedule } from '../../credit';
import { commonErrors, fen } from '../../platform/schemas';

const quoteBody = z
  .strictObject({
    amount: z.number().int().min(1).max(100_000_000_000).describe('Principal in fen (1/100 CNY)'),
    annualRateBps: z.number().int().min(0).max(10_000).describe('Annual rate in basis points'),
    termMonths: z.number().int().min(1).max(360),
    method: z.enum(['equal_instalment', 'equal_principal']).describe('等额本息 / 等额本金'),
  })
  .meta({ id: 'ScheduleQuoteRequest' });

export const scheduleRowSchema = z
  .object({
    period: z.number().int(),
    principal: fen(),
    interest: fen(),
    payment: fen(),
    balance: fen(),
  })
  .meta({ id: 'ScheduleRow' });

const quoteResponse = z
  .object({ schedule: z.array(scheduleRowSchema), totalInterest: fen() })
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
          const { schedule, totalInterest } = buildSchedule(request.body);
          return { schedule, totalInterest };
        },
      }),
  );
}
