import { z } from 'zod';

/**
 * The lengths the server holds strings to, on the way in (validation) and on the way out (the
 * zod provider encodes every answer through its schema): the document's `maxLength`s are these.
 */
export const MAX_LENGTH = {
  /** Ids (`app_…`), partner ids, path and query references to an object. */
  id: 64,
  /** Stable SCREAMING_SNAKE codes (error and reason codes) and short vocabulary words. */
  code: 64,
  /** Names of people, shops, markets, operators, policies. */
  name: 200,
  /** Paging cursors. */
  cursor: 200,
  /** A field path in an error or a policy problem. */
  path: 500,
  /** Human texts: error messages, reason texts, review notes. */
  text: 2000,
} as const;

/** At most this many items in any list page (`limit` is at most 200). */
export const MAX_PAGE = 200;

/** An object's id as the server hands it out (`app_…`, `mer_…`, …). */
export const idString = () => z.string().max(MAX_LENGTH.id);

/** The one error shape every route answers with (API conventions). */
export const errorSchema = z
  .object({
    statusCode: z.number().int().min(400).max(599),
    code: z.string().max(MAX_LENGTH.code).describe('Stable SCREAMING_SNAKE error code'),
    message: z.string().max(MAX_LENGTH.text),
    messageZh: z.string().max(MAX_LENGTH.text).optional(),
    details: z
      .array(
        z.object({
          path: z.string().max(MAX_LENGTH.path),
          message: z.string().max(MAX_LENGTH.text),
          messageZh: z.string().max(MAX_LENGTH.text).optional(),
        }),
      )
      .max(50)
      .optional(),
    existingId: idString()
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
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE)
    .default(50)
    .describe('Page size, at most 200'),
  cursor: z
    .string()
    .max(MAX_LENGTH.cursor)
    .optional()
    .describe('nextCursor from the previous page'),
});

export const idParams = z.strictObject({ id: z.string().min(1).max(MAX_LENGTH.id) });

/** Money: integer fen (1/100 CNY). */
export const fen = () =>
  z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).describe('Amount in fen (1/100 CNY)');

/** A timestamp as sent: ISO 8601 in UTC (`format: date-time` in the document). */
export const isoDateTime = () => z.iso.datetime().max(40).describe('ISO 8601 UTC timestamp');

/** A date without time, `YYYY-MM-DD` (`format: date`). */
export const isoDate = () => z.iso.date().max(10).describe('YYYY-MM-DD');

export const listOf = <T extends z.ZodTypeAny>(item: T) =>
  z.object({
    data: z.array(item).max(MAX_PAGE),
    nextCursor: z.string().max(MAX_LENGTH.cursor).nullable(),
  });
