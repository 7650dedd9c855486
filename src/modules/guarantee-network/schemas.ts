import { z } from 'zod';
import { fen } from '../../platform/schemas';

/** A market's picture holds at most this many merchants and guarantees (else 422). */
export const MAX_NODES = 20_000;
export const MAX_EDGES = 400_000;
/** Named initial defaulters at most. */
export const MAX_DEFAULTS = 10_000;
/** Merchants ranked by DebtRank in a stress answer. */
export const TOP_CENTRAL = 10;

const id = () => z.string().max(64);
const SHAPES = ['pair', 'triangle', 'ring', 'clique', 'mesh'] as const;

export const networkQuery = z.strictObject({
  marketId: z.string().min(1).max(64).describe('The market whose guarantee network to show'),
});
export type NetworkQuery = z.infer<typeof networkQuery>;

const nodeSchema = z.object({
  id: id(),
  kind: z.enum(['merchant', 'operator']),
  name: z.string().max(200).describe("The merchant's or operator's name"),
  annualNetProfit: z
    .number()
    .int()
    .min(-Number.MAX_SAFE_INTEGER)
    .max(Number.MAX_SAFE_INTEGER)
    .nullable()
    .describe(
      "Annual net profit of the merchant's latest application's survey (annual sales x net margin), fen; null: no application, or an operator",
    ),
  contingentLiability: fen().describe('What it guarantees of others (its outgoing edges), fen'),
  guaranteedBorrowing: fen().describe('Its loans that others guarantee, each guarantee once, fen'),
  circleIds: z.array(z.string().max(32)).max(MAX_NODES).describe('Circles it is a member of'),
  chainLength: z
    .number()
    .int()
    .min(0)
    .max(MAX_NODES)
    .describe('Longest chain of guarantees starting at it (a circle counts as one step)'),
});

const edgeSchema = z.object({
  id: z.string().max(300),
  guarantorId: id(),
  guarantorKind: z.enum(['merchant', 'operator']),
  borrowerId: id(),
  source: z
    .enum(['group', 'individual', 'operator'])
    .describe('A joint-guarantee group, an individual guarantor (保证人) or the market operator'),
  groupId: id().nullable(),
  applicationId: id().nullable(),
  amount: fen().describe('The amount guaranteed, fen'),
});

const circleSchema = z.object({
  id: z.string().max(32),
  members: z.array(id()).max(MAX_NODES).describe('Merchant ids, sorted'),
  shape: z
    .enum(SHAPES)
    .describe(
      'pair: two merchants guaranteeing each other; triangle: three; ring: a cycle with no chords; clique: every member guarantees every other (one group); mesh: anything else',
    ),
  mutualPairs: z
    .number()
    .int()
    .min(0)
    .max(MAX_EDGES)
    .describe('Member pairs guaranteeing each other'),
  riskiest: z
    .boolean()
    .describe('A mutual pair or a triangle containing one: the riskiest shapes in bank data'),
  cluster: z
    .number()
    .int()
    .min(1)
    .max(MAX_NODES)
    .describe('Circles sharing members belong to one cluster (strongly connected component)'),
  groupIds: z.array(id()).max(MAX_EDGES).describe('Groups whose guarantees run inside it'),
  guaranteed: fen().describe('Sum of the guarantees inside the circle, fen'),
});

const figuresSchema = z.object({
  nodes: z.number().int().min(0).max(MAX_NODES),
  merchants: z.number().int().min(0).max(MAX_NODES),
  operators: z.number().int().min(0).max(MAX_NODES),
  edges: z.number().int().min(0).max(MAX_EDGES),
  guaranteed: fen().describe('Sum of all edges, fen'),
  circles: z.number().int().min(0).max(MAX_NODES),
  circlesByShape: z.object(
    Object.fromEntries(SHAPES.map((s) => [s, z.number().int().min(0).max(MAX_NODES)])) as Record<
      (typeof SHAPES)[number],
      z.ZodNumber
    >,
  ),
  riskiestCircles: z.number().int().min(0).max(MAX_NODES),
  merchantsInCircles: z.number().int().min(0).max(MAX_NODES),
  largestCircle: z.number().int().min(0).max(MAX_NODES),
  longestChain: z
    .number()
    .int()
    .min(0)
    .max(MAX_NODES)
    .describe('Longest chain of guarantees (edges), each circle counted as one step'),
  maxContingentLiability: fen(),
});

export const networkSchema = z
  .object({
    market: z.object({ id: id(), name: z.string().max(200) }),
    nodes: z.array(nodeSchema).max(MAX_NODES),
    edges: z.array(edgeSchema).max(MAX_EDGES),
    circles: z.array(circleSchema).max(MAX_NODES),
    figures: figuresSchema,
  })
  .meta({ id: 'GuaranteeNetwork' });
export type NetworkView = z.infer<typeof networkSchema>;

export const stressBody = z
  .strictObject({
    marketId: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .describe('The market to stress; absent: every market (each market is its own network)'),
    defaults: z
      .union([
        z
          .array(z.string().min(1).max(64))
          .min(1)
          .max(MAX_DEFAULTS)
          .describe('Merchant ids that default first'),
        z
          .strictObject({
            share: z
              .number()
              .min(0)
              .max(1)
              .describe('Share of the merchants in scope that default first (at least one if > 0)'),
            seed: z
              .number()
              .int()
              .min(0)
              .max(2 ** 32 - 1)
              .describe('Seed of the draw: the same seed draws the same merchants'),
          })
          .describe('A random draw of initial defaulters, reproducible by its seed'),
      ])
      .describe('Who defaults first: merchant ids, or a seeded random share'),
  })
  .meta({ id: 'GuaranteeStressRequest' });
export type StressBody = z.infer<typeof stressBody>;

const callSchema = z.object({
  guarantorId: id(),
  guarantorKind: z.enum(['merchant', 'operator']),
  amount: fen().describe('Called in this round, fen'),
  calledTotal: fen().describe('Called in all rounds so far, fen'),
  buffer: fen()
    .nullable()
    .describe(
      "A merchant's buffer: the policy share of its annual net profit, fen; null for an operator (never fails)",
    ),
  fails: z.boolean().describe('calledTotal exceeds buffer: it defaults in the next round'),
});

const roundSchema = z.object({
  round: z
    .number()
    .int()
    .min(1)
    .max(MAX_NODES + 1),
  defaulted: z.array(id()).max(MAX_NODES).describe('Merchants defaulting in this round'),
  called: fen().describe('Guarantees of their loans called, fen'),
  calls: z.array(callSchema).max(MAX_NODES).describe('Who is called on to pay, and how much'),
  calledFromMerchants: fen(),
  calledFromOperators: fen(),
  uncovered: fen().describe('Loans whose guarantors had all failed, fen'),
  unpaidByDefaulters: fen().describe(
    "What this round's defaulters had been called to pay earlier and will not, fen",
  ),
  lenderLoss: fen().describe("The lender's loss in this round: uncovered plus unpaid, fen"),
});

export const stressSchema = z
  .object({
    marketId: id().nullable(),
    failureShareOfAnnualNetProfit: z
      .number()
      .min(0)
      .max(100)
      .describe(
        'The policy share used: a merchant fails when called for more of its annual net profit',
      ),
    policy: z.object({ id: id(), version: z.number().int().min(1).max(1_000_000) }),
    initialDefaults: z.array(id()).max(MAX_NODES),
    rounds: z.array(roundSchema).max(MAX_NODES + 1),
    defaulted: z.array(id()).max(MAX_NODES).describe('Every merchant that defaulted'),
    failed: z.array(id()).max(MAX_NODES).describe('Those that failed because of calls'),
    totals: z.object({
      called: fen(),
      paid: fen().describe('Paid by guarantors that did not fail, fen'),
      lenderLoss: fen(),
    }),
    central: z
      .array(
        z.object({
          merchantId: id(),
          debtRank: z
            .number()
            .min(0)
            .max(1)
            .describe(
              "Share of the network's guaranteed borrowing put in distress by its default alone",
            ),
          reach: z.number().int().min(0).max(MAX_NODES).describe('Merchants it puts in distress'),
        }),
      )
      .max(TOP_CENTRAL)
      .describe(
        'The merchants of the cascade (every one that defaulted) most central to it, by DebtRank, highest first',
      ),
    elapsedMs: z.number().int().min(0).max(3_600_000),
  })
  .meta({ id: 'GuaranteeStressResult' });
export type StressView = z.infer<typeof stressSchema>;
