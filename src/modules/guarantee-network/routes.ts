import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../deps';
import { commonErrors, errorSchema } from '../../platform/schemas';
import { networkQuery, networkSchema, stressBody, stressSchema } from './schemas';
import { networkSvg, networkView, stressNetwork } from './service';

/** The guarantee network is the risk team's view, like simulation and monitoring. */
const riskTeam = { roles: ['risk', 'admin'] as const };

/** SVG when the caller asks for it and prefers it to JSON (the order of Accept decides a tie). */
export function wantsSvg(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  const ranked = accept
    .split(',')
    .map((part, order) => {
      const [type = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { type: type.trim(), q: q ? Number(q.slice(2)) : 1, order };
    })
    .filter((t) => t.q > 0 && Number.isFinite(t.q))
    .sort((a, b) => b.q - a.q || a.order - b.order);
  const svg = ranked.find((t) => t.type === 'image/svg+xml');
  const json = ranked.find((t) => ['application/json', 'application/*', '*/*'].includes(t.type));
  return svg !== undefined && (json === undefined || ranked.indexOf(svg) < ranked.indexOf(json));
}

export async function guaranteeNetworkRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/v1/risk/guarantee-network',
    {
      config: { ...riskTeam, errors: { 404: ['NOT_FOUND'], 422: ['NETWORK_TOO_LARGE'] } },
      schema: {
        tags: ['guarantee network'],
        operationId: 'getGuaranteeNetwork',
        summary:
          "A market's guarantee network (担保网络): merchants and operators, guarantees, circles and chains; JSON, or SVG with Accept: image/svg+xml",
        description:
          'Edges run from guarantor to borrower, one per live guarantee (a group member for each other member, an individual guarantor for the loan it backs, the operator for each operator-guaranteed loan taken), weighted by the amount guaranteed. A circle (担保圈) is a block of a strongly connected component: merchants whose defaults can reach each other; two circles sharing one member are two circles in one cluster. Shapes: pair and triangle-with-a-pair are the riskiest. With Accept: image/svg+xml the answer is a standalone picture (circular layout, circles highlighted, edge widths by amount, a legend; no scripts or external references). Risk and admin keys only.',
        querystring: networkQuery,
        produces: ['application/json', 'image/svg+xml'],
        response: {
          200: {
            description:
              'The network as JSON; with Accept: image/svg+xml, the same network as an SVG picture',
            content: {
              'application/json': { schema: networkSchema },
              'image/svg+xml': {
                schema: z.string().max(50_000_000).describe('A standalone SVG document'),
              },
            },
          },
          404: errorSchema,
          422: errorSchema,
          ...commonErrors,
        },
      },
    },
    async (request, reply) => {
      if (wantsSvg(request)) {
        const svg = await networkSvg(deps, request.query.marketId);
        // The picture is served as a document of its own: no script may run in it.
        return (
          reply
            .type('image/svg+xml; charset=utf-8')
            .header('content-security-policy', "default-src 'none'; style-src 'none'")
            .header('vary', 'Accept')
            .serializer((payload) => payload as string)
            // The typed reply knows only the JSON schema; the picture is sent as text, unserialised.
            .send(svg as never)
        );
      }
      reply.header('vary', 'Accept');
      return networkView(deps, request.query.marketId);
    },
  );

  r.post(
    '/v1/risk/guarantee-network/stress',
    {
      config: {
        ...riskTeam,
        idempotency: 'optional',
        errors: { 404: ['NOT_FOUND'], 422: ['NETWORK_TOO_LARGE'] },
      },
      schema: {
        tags: ['guarantee network'],
        operationId: 'stressGuaranteeNetwork',
        summary:
          'Contagion through guarantees: who is called on to pay and how much, round by round, until nothing more fails',
        description:
          "Round 1: the given merchants (or a seeded random share of the merchants in scope) default and every guarantee of their loans is called: a group's loan is shared equally among the group's guarantors that have not failed (odd fen to the first by id, each at most its edge's amount), an individual guarantor pays the amount it guarantees, an operator pays and never fails. A merchant fails when what it has been called to pay in all rounds exceeds the champion policy's guaranteeNetwork.failureShareOfAnnualNetProfit (default 0.5) of its annual net profit (its latest application's survey; none known: any call fails it); it defaults in the next round and does not pay what it was called for. A share once called is not called again from co-guarantors when its guarantor fails later. The answer lists the cascade by round, the lender's loss by round, and the merchants most central by DebtRank (distress from a default alone, weighed by guaranteed borrowing). Nothing is written.",
        headers: z.object({ 'idempotency-key': z.string().min(1).max(255).optional() }),
        body: stressBody,
        response: {
          200: stressSchema,
          404: errorSchema,
          422: errorSchema,
          ...commonErrors,
        },
      },
    },
    async (request, reply) =>
      reply.command({
        status: 200,
        read: () => stressNetwork(deps, request.body),
      }),
  );
}
