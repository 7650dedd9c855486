import { z } from 'zod';
import { AGREEMENT_STATUSES } from '../../db/vocabulary';
import { fen, idString, isoDateTime, listOf } from '../../platform/schemas';

const capacity = fen().describe('Total guarantee capacity the operator grants, in fen (1/100 CNY)');
const perMerchantCap = fen().describe(
  'Largest guarantee for one merchant, in fen (1/100 CNY); at most capacity',
);
const maxTermMonths = z
  .number()
  .int()
  .min(1)
  .max(60)
  .describe('Longest loan term the operator guarantees, in months (1-60)');
const depositRatioBps = z
  .number()
  .int()
  .min(0)
  .max(10_000)
  .describe('Security deposit the merchant lodges, in basis points of the loan (0-10000)');
const status = z
  .enum(AGREEMENT_STATUSES)
  .describe('suspended: the operator guarantees no new loans');

const capIssue = {
  code: 'custom' as const,
  path: ['perMerchantCap'],
  message: 'perMerchantCap must not exceed capacity',
  params: { messageZh: '单户担保上限不能超过担保总额度' },
};

export const guaranteeAgreementBody = z
  .strictObject({ capacity, perMerchantCap, maxTermMonths, depositRatioBps, status })
  .superRefine((a, ctx) => {
    if (a.perMerchantCap > a.capacity) ctx.addIssue(capIssue);
  });

export const createOperatorBody = z.strictObject({
  name: z.string().trim().min(1).max(200).describe('Registered name of the operating company'),
  guaranteeAgreement: guaranteeAgreementBody,
});
export type CreateOperatorBody = z.infer<typeof createOperatorBody>;

/** A partial change: only the fields sent change; at least one must be sent. */
export const updateGuaranteeAgreementBody = z
  .strictObject({
    capacity: capacity.optional(),
    perMerchantCap: perMerchantCap.optional(),
    maxTermMonths: maxTermMonths.optional(),
    depositRatioBps: depositRatioBps.optional(),
    status: status.optional(),
  })
  .superRefine((a, ctx) => {
    if (Object.values(a).every((v) => v === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: 'send at least one field to change',
        params: { messageZh: '请至少提供一个要修改的字段' },
      });
    }
    if (a.capacity !== undefined && a.perMerchantCap !== undefined && a.perMerchantCap > a.capacity)
      ctx.addIssue(capIssue);
  });
export type UpdateGuaranteeAgreementBody = z.infer<typeof updateGuaranteeAgreementBody>;

export const guaranteeAgreementSchema = z
  .object({ capacity, perMerchantCap, maxTermMonths, depositRatioBps, status })
  .meta({ id: 'GuaranteeAgreement' });

export const operatorSchema = z
  .object({
    id: idString().describe('opr_…'),
    name: z.string().max(200),
    guaranteeAgreement: guaranteeAgreementSchema,
    used: fen().describe('Guarantee capacity taken by booked loans, in fen'),
    reserved: fen().describe('Guarantee capacity held by open offers, in fen'),
    available: fen().describe('capacity - used - reserved, in fen'),
    createdAt: isoDateTime(),
  })
  .meta({ id: 'Operator' });
export type OperatorView = z.infer<typeof operatorSchema>;

export const operatorListSchema = listOf(operatorSchema).meta({ id: 'OperatorList' });
