import { z } from 'zod';
import { isoDateTime } from '../../platform/schemas';

export const createGroupBody = z
  .strictObject({
    marketId: z.string().min(1).max(64),
    memberIds: z
      .array(z.string().min(1).max(64))
      .min(3)
      .max(5)
      .describe('3-5 merchants of the market (联保小组)'),
  })
  .meta({ id: 'GuaranteeGroupRequest' });
export type CreateGroupBody = z.infer<typeof createGroupBody>;

export const groupSchema = z
  .object({
    id: z.string(),
    marketId: z.string(),
    status: z.enum(['forming', 'offered', 'declined', 'active', 'dissolved']),
    members: z.array(
      z.object({
        merchantId: z.string(),
        name: z.string(),
        applicationId: z.string().nullable(),
        applicationStatus: z.string().nullable(),
        offerId: z.string().nullable(),
        offerStatus: z.string().nullable(),
      }),
    ),
    decision: z
      .unknown()
      .describe(
        'The group decision once every member has applied: reasons and contingent liabilities',
      ),
    createdAt: isoDateTime(),
    updatedAt: isoDateTime(),
  })
  .meta({ id: 'GuaranteeGroup' });
export type GroupView = z.infer<typeof groupSchema>;
