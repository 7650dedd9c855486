import { z } from 'zod';
import { MARKET_CATEGORIES } from '../../db/vocabulary';
import { isoDateTime, listOf } from '../../platform/schemas';

export const createMarketBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  city: z.string().trim().min(1).max(100),
  category: z.enum(MARKET_CATEGORIES),
  operatorId: z.string().min(1).max(64).describe('The operator (landlord) running the market'),
});
export type CreateMarketBody = z.infer<typeof createMarketBody>;

export const marketSchema = z
  .object({
    id: z.string().describe('mkt_…'),
    name: z.string(),
    city: z.string(),
    category: z.enum(MARKET_CATEGORIES),
    operatorId: z.string().nullable(),
    createdAt: isoDateTime(),
  })
  .meta({ id: 'Market' });
export type MarketView = z.infer<typeof marketSchema>;

export const marketListSchema = listOf(marketSchema).meta({ id: 'MarketList' });
