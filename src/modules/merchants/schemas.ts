import { z } from 'zod';
import { BUSINESS_FORMS } from '../../db/vocabulary';
import {
  isMainlandMobile,
  isResidentIdNumber,
  isUnifiedSocialCreditCode,
} from '../../lib/personal-data';
import {
  idString,
  isoDate,
  isoDateTime,
  listOf,
  listQuery,
  MAX_LENGTH,
} from '../../platform/schemas';

export type BusinessForm = (typeof BUSINESS_FORMS)[number];

/** Which kind of identifier a value is, if any (case-insensitive: a trailing `x` counts as `X`). */
export function identifierKind(value: string): BusinessForm | null {
  const v = value.toUpperCase();
  if (isResidentIdNumber(v)) return 'individual';
  if (isUnifiedSocialCreditCode(v)) return 'enterprise';
  return null;
}

export const createMerchantBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200).describe('Shop or company name'),
    idNumber: z
      .string()
      .max(64)
      .refine((v) => identifierKind(v) !== null, {
        message:
          'must be an 18-character resident identity number or unified social credit code with a valid check character',
        params: { messageZh: '须为 18 位居民身份证号码或统一社会信用代码，且校验位正确' },
      })
      .describe(
        'Resident identity number (individual) or unified social credit code (enterprise); stored only as a keyed digest and a masked copy',
      ),
    phone: z
      .string()
      .max(32)
      .refine(isMainlandMobile, {
        message: 'must be an 11-digit mainland mobile number starting 13-19',
        params: { messageZh: '须为 11 位中国大陆手机号码' },
      })
      .describe('Mainland mobile number; stored only as a keyed digest and a masked copy'),
    marketId: z.string().min(1).max(64),
    stallNo: z.string().trim().min(1).max(50).describe('Stall or shop number in the market'),
    leaseEndsOn: z.iso.date().max(10).optional().describe('Stall lease end date, YYYY-MM-DD'),
    businessForm: z
      .enum(BUSINESS_FORMS)
      .optional()
      .describe(
        'individual: idNumber is a resident identity number; enterprise: a unified social credit code. Inferred from idNumber when absent.',
      ),
  })
  .superRefine((body, ctx) => {
    if (!body.businessForm) return;
    const kind = identifierKind(body.idNumber);
    if (kind !== body.businessForm) {
      ctx.addIssue({
        code: 'custom',
        path: ['idNumber'],
        message:
          body.businessForm === 'enterprise'
            ? 'an enterprise needs a unified social credit code'
            : 'an individual needs a resident identity number',
        params: {
          messageZh:
            body.businessForm === 'enterprise'
              ? '企业须提供统一社会信用代码'
              : '个体经营者须提供居民身份证号码',
        },
      });
    }
  });
export type CreateMerchantBody = z.infer<typeof createMerchantBody>;

export const listMerchantsQuery = listQuery.extend({
  marketId: z
    .string()
    .min(1)
    .max(MAX_LENGTH.id)
    .optional()
    .describe('Only merchants of this market'),
  q: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .optional()
    .describe(
      'Search: a full identity number / credit code or mobile number finds that person exactly (matched by digest, never stored or logged in clear); any other text matches name or stall number (case-insensitive, part of the text)',
    ),
});

export const merchantSchema = z
  .object({
    id: idString().describe('mer_…'),
    name: z.string().max(200),
    idNumber: z.string().max(64).describe('Masked, e.g. 5001**********123X; never shown in clear'),
    phone: z.string().max(32).describe('Masked, e.g. 139****5678; never shown in clear'),
    businessForm: z.enum(BUSINESS_FORMS).nullable(),
    marketId: idString(),
    stallNo: z.string().max(50),
    leaseEndsOn: isoDate().nullable(),
    partnerId: idString().nullable().describe('The partner whose key registered the merchant'),
    createdBy: idString().nullable().describe('Id of the API key that registered the merchant'),
    createdAt: isoDateTime(),
  })
  .meta({ id: 'Merchant' });
export type MerchantView = z.infer<typeof merchantSchema>;

export const merchantListSchema = listOf(merchantSchema).meta({ id: 'MerchantList' });
