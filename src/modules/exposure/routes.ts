import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../deps';
import { commonErrors, errorSchema, fen, idParams } from '../../platform/schemas';
import { merchantExposure } from './service';

const exposureSchema = z
  .object({
    merchantId: z.string(),
    loans: z.array(
      z.object({
        offerId: z.string(),
        applicationId: z.string(),
        product: z.string(),
        amount: fen(),
        termMonths: z.number().int(),
        annualRateBps: z.number().int(),
        status: z.string(),
      }),
    ),
    cardLimits: z.array(z.object({ offerId: z.string(), limit: fen(), status: z.string() })),
    guaranteesGiven: z
      .array(
        z.object({
          groupId: z.string(),
          borrowerMerchantId: z.string(),
          offerId: z.string(),
          amount: fen(),
          status: z.string(),
        }),
      )
      .describe("Group partners' loans this merchant guarantees (联保)"),
    totals: z.object({ loans: fen(), cardLimits: fen(), guaranteesGiven: fen() }),
  })
  .meta({ id: 'MerchantExposure' });

export async function exposureRoutes(app: FastifyInstance, deps: AppDeps) {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/v1/merchants/:id/exposure',
    {
      schema: {
        tags: ['merchants'],
        operationId: 'getMerchantExposure',
        summary: 'Loans, card limits and guarantees given by a merchant',
        params: idParams,
        response: { 200: exposureSchema, 404: errorSchema, ...commonErrors },
      },
    },
    async (request) => merchantExposure(deps, request.principal, request.params.id),
  );
}
