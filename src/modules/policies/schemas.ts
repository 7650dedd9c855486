import { z } from 'zod';
import { isoDateTime } from '../../platform/schemas';

export const activePolicySchema = z
  .object({
    id: z.string(),
    version: z.number().int(),
    status: z.enum(['draft', 'published', 'retired']),
    activatedAt: isoDateTime(),
    document: z
      .record(z.string(), z.unknown())
      .describe('The credit-policy document (see README: the default policy)'),
    challenger: z
      .object({ id: z.string(), version: z.number().int(), shareBps: z.number().int() })
      .nullable()
      .describe('A challenger policy receiving a share of traffic, if any'),
  })
  .meta({ id: 'ActivePolicy' });
