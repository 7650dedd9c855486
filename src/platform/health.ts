import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorSchema } from './schemas';

export interface HealthOptions {
  ping: () => Promise<void>;
  timeoutMs?: number;
}

const statusSchema = z.object({ status: z.literal('ok') });

/** Liveness says the process runs; readiness says it can reach its database. */
export async function health(app: FastifyInstance, options: HealthOptions) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const timeoutMs = options.timeoutMs ?? 1_000;
  r.get(
    '/health/live',
    {
      schema: {
        tags: ['operations'],
        operationId: 'getLiveness',
        summary: 'Liveness',
        security: [],
        response: { 200: statusSchema },
      },
    },
    async () => ({
      status: 'ok' as const,
    }),
  );
  r.get(
    '/health/ready',
    {
      config: { errors: { 503: ['NOT_READY'] } },
      schema: {
        tags: ['operations'],
        operationId: 'getReadiness',
        summary: 'Readiness: the database answers',
        security: [],
        response: { 200: statusSchema.extend({ database: z.literal('up') }), 503: errorSchema },
      },
    },
    async (_request, reply) => {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          options.ping(),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error('ping timeout')), timeoutMs);
          }),
        ]);
        return { status: 'ok' as const, database: 'up' as const };
      } catch {
        reply.header('retry-after', '2');
        return reply.status(503).send({
          statusCode: 503,
          code: 'NOT_READY',
          message: 'Database unavailable',
          messageZh: '数据库不可用',
        });
      } finally {
        clearTimeout(timer);
      }
    },
  );
}
