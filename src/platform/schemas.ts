import { z } from 'zod';

/** The one error shape every route answers with (API conventions). */
export const errorSchema = z
  .object({
    statusCode: z.number().int(),
    code: z.string().describe('Stable SCREAMING_SNAKE error code'),
    message: z.string(),
    messageZh: z.string().optional(),
    details: z
      .array(z.object({ path: z.string(), message: z.string(), messageZh: z.string().optional() }))
      .optional(),
    existingId: z
      .string()
      .optional()
      .describe('With DUPLICATE_MERCHANT: the id of your existing record of this merchant'),
  })
  .meta({ id: 'Error' });

/** Error responses every authenticated route may give, for the OpenAPI document. */
export const commonErrors = {
  400: errorSchema,
  401: errorSchema,
  403: errorSchema,
  429: errorSchema,
  503: errorSchema,
} as const;

export const listQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50).describe('Page size, at most 200'),
  cursor: z.string().max(200).optional().describe('nextCursor from the previous page'),
});

export const idParams = z.strictObject({ id: z.string().min(1).max(64) });

/** Money: integer fen (1/100 CNY). */
export const fen = () =>
  z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).describe('Amount in fen (1/100 CNY)');

/** A timestamp as sent: ISO 8601 in UTC (`format: date-time` in the document). */
export const isoDateTime = () => z.iso.datetime().describe('ISO 8601 UTC timestamp');

export const listOf = <T extends z.ZodTypeAny>(item: T) =>
  z.object({ data: z.array(item), nextCursor: z.string().nullable() });
