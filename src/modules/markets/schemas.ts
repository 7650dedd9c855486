import { z } from 'zod';
import { MARKET_CATEGORIES } from '../../db/vocabulary';
import { idString, isoDateTime, listOf, MAX_LENGTH } from '../../platform/schemas';

export const createMarketBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  city: z.string().trim().min(1).max(100),
  category: z.enum(MARKET_CATEGORIES),
  operatorId: z
    .string()
    .min(1)
    .max(MAX_LENGTH.id)
    .describe('The operator (landlord) running the market'),
});
export type CreateMarketBody = z.infer<typeof createMarketBody>;

export const marketSchema = z
  .object({
    id: idString().describe('mkt_…'),
    name: z.string().max(200),
    city: z.string().max(100),
    category: z.enum(MARKET_CATEGORIES),
    operatorId: idString().nullable(),
    createdAt: isoDateTime(),
  })
  .meta({ id: 'Market' });
export type MarketView = z.infer<typeof marketSchema>;

export const marketListSchema = listOf(marketSchema).meta({ id: 'MarketList' });
