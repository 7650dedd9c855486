import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { GETTING_STARTED } from './getting-started';
import { loadExamples } from './openapi-examples';
import { declarePlatform, ERROR_CODES_KEY, operationDescription } from './openapi-platform';

export const API_VERSION = '1.0.0';

export interface OpenApiOptions {
  /** The document's `webhooks` section (OpenAPI 3.1): what the service POSTs to partners. */
  webhooks?: Record<string, unknown>;
}

/** OpenAPI 3 built from the routes' zod schemas: GET /openapi.json and the UI at /docs. */
export const openapi = fp(async (app: FastifyInstance, options: OpenApiOptions) => {
  const examples = loadExamples();
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Merchant-market micro-lending origination API',
        description: GETTING_STARTED,
        version: API_VERSION,
        license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
      },
      servers: [
        {
          url: '/',
          description:
            'This server, wherever it runs (local, staging or production): one document per deployment',
        },
      ],
      components: {
        securitySchemes: {
          apiKey: {
            type: 'http',
            scheme: 'bearer',
            description: 'API key: Authorization: Bearer mlk_...',
          },
        },
      },
      security: [{ apiKey: [] }],
      ...(options.webhooks ? { webhooks: options.webhooks } : {}),
      tags: [
        { name: 'operations', description: 'Health and metrics' },
        { name: 'api-keys', description: 'API keys and roles (admin)' },
        {
          name: 'operators',
          description: 'Market operators (landlords) and their guarantee agreements',
        },
        { name: 'markets', description: 'Professional markets and the operators running them' },
        { name: 'merchants', description: 'Merchants (stall holders); personal data masked' },
        {
          name: 'policies',
          description: 'Credit policies: the scoring rules the risk team versions and publishes',
        },
        {
          name: 'simulation',
          description:
            'What-if: a credit policy replayed over stored applications or a batch of surveys',
        },
        { name: 'schedules', description: 'Repayment schedules' },
        {
          name: 'applications',
          description: 'Loan applications: a survey in, a decision with reasons and offers out',
        },
        { name: 'offers', description: 'Offers: accept, decline; they expire' },
        { name: 'reviews', description: 'Manual review of referred applications (审贷分离)' },
        { name: 'guarantee-groups', description: 'Joint-guarantee groups (联保小组)' },
        {
          name: 'guarantee network',
          description:
            'The guarantee network (担保网络): circles and chains of guarantees, and contagion stress',
        },
        {
          name: 'events',
          description:
            'What changed, oldest first (a transactional outbox): at-least-once, ordered per object',
        },
        {
          name: 'webhooks',
          description:
            'Webhook endpoints, and the signed deliveries of events to them (the `webhooks` section)',
        },
        {
          name: 'monitoring',
          description: 'Loan outcomes and how a policy performs: bad rates, Gini, KS, PSI',
        },
      ],
    },
    // The route's error codes (platform/error-codes.ts) ride along to declarePlatform.
    transform: (input) => {
      const out = jsonSchemaTransform(input);
      const config = input.route.config ?? {};
      const schema = out.schema as Record<string, unknown> | undefined;
      if (!schema || 'hide' in schema) return out;
      if (config.errorCodes) schema[ERROR_CODES_KEY] = config.errorCodes;
      schema.description ??= operationDescription(
        schema.summary as string | undefined,
        input.url,
        config,
      );
      return out;
    },
    transformObject: (input) => declarePlatform(jsonSchemaTransformObject(input), examples),
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
  app.get(
    '/openapi.json',
    {
      schema: {
        tags: ['operations'],
        operationId: 'getOpenApi',
        summary: 'This OpenAPI document; no key needed',
        security: [],
      },
    },
    async () => app.swagger(),
  );
});
