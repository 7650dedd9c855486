import { z } from 'zod';
import { ownerSchema } from '../../lib/owner';
import { ROLES } from '../../lib/principal';
import { idString, isoDateTime, listOf, MAX_LENGTH } from '../../platform/schemas';

const partnerId = z
  .string()
  .max(MAX_LENGTH.id)
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, "_" or "-"')
  .describe('The partner this key acts for (role partner)');

export const createApiKeyBody = z
  .strictObject({
    role: z.enum(ROLES),
    name: z.string().trim().min(1).max(100),
    owner: ownerSchema
      .optional()
      .describe(
        'The person this key belongs to (employee id or e-mail), compared case-insensitively by four-eyes rules; required for every role but partner, whose keys default to the partner',
      ),
    marketIds: z
      .array(z.string().min(1).max(64))
      .min(1)
      .max(100)
      .optional()
      .describe('Markets an officer works in (role officer)'),
    partnerId: partnerId.optional(),
    expiresAt: z.iso
      .datetime({ offset: true })
      .max(40)
      .optional()
      .describe(
        'When the key stops working (ISO 8601); must be in the future. Absent: until revoked',
      ),
  })
  .superRefine((body, ctx) => {
    // Keys used by people must say whose they are, or one person could hold keys that four-eyes
    // rules take for different people. A partner app is its partner unless told otherwise.
    if (body.role !== 'partner' && !body.owner) {
      ctx.addIssue({
        code: 'custom',
        path: ['owner'],
        message: `a ${body.role} key needs an owner: the person it belongs to`,
        params: { messageZh: '该角色的密钥需要 owner：密钥所属的人员' },
      });
    }
    if (body.role === 'officer' && !body.marketIds?.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['marketIds'],
        message: 'an officer key needs at least one market',
        params: { messageZh: '信贷员密钥至少需要绑定一个市场' },
      });
    }
    if (body.role !== 'officer' && body.marketIds) {
      ctx.addIssue({
        code: 'custom',
        path: ['marketIds'],
        message: 'only officer keys are bound to markets',
        params: { messageZh: '只有信贷员密钥可以绑定市场' },
      });
    }
    if (body.role === 'partner' && !body.partnerId) {
      ctx.addIssue({
        code: 'custom',
        path: ['partnerId'],
        message: 'a partner key needs a partnerId',
        params: { messageZh: '合作方密钥需要 partnerId' },
      });
    }
    if (body.role !== 'partner' && body.partnerId) {
      ctx.addIssue({
        code: 'custom',
        path: ['partnerId'],
        message: 'only partner keys carry a partnerId',
        params: { messageZh: '只有合作方密钥可以设置 partnerId' },
      });
    }
  });
export type CreateApiKeyBody = z.infer<typeof createApiKeyBody>;

export const apiKeySchema = z
  .object({
    id: idString(),
    prefix: z.string().max(16).describe('Public part of the key, shown in listings'),
    role: z.enum(ROLES),
    name: z.string().max(100),
    owner: z
      .string()
      .max(MAX_LENGTH.name)
      .describe('The person the key belongs to; four-eyes rules compare owners'),
    marketIds: z.array(idString()).max(100),
    partnerId: idString().nullable(),
    createdAt: isoDateTime(),
    revokedAt: isoDateTime().nullable(),
    expiresAt: isoDateTime().nullable().describe('After this the key no longer authenticates'),
    lastUsedAt: isoDateTime()
      .nullable()
      .describe('When the key last authenticated, to within a minute; null if never'),
  })
  .meta({ id: 'ApiKey' });
export type ApiKeyView = z.infer<typeof apiKeySchema>;

export const issuedApiKeySchema = apiKeySchema
  .extend({
    secret: z.string().max(100).describe('The API key itself; shown this once, never again'),
  })
  .meta({ id: 'IssuedApiKey' });

export const apiKeyListSchema = listOf(apiKeySchema).meta({ id: 'ApiKeyList' });
