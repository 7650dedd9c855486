import { z } from 'zod';
import { policyDocumentSchema } from '../../credit';
import { POLICY_ARMS, POLICY_STATUSES } from '../../db/vocabulary';
import { jsonValueSchema } from '../../platform/json-value';
import { idString, isoDateTime, listOf, MAX_LENGTH, MAX_PAGE } from '../../platform/schemas';

/** At most this many validation problems are listed (a policy has about 360 values). */
export const MAX_PROBLEMS = 1000;
/** At most this many changes in a diff, first ones first. */
export const MAX_CHANGES = 1000;
/** At most this many authors of a draft are listed. */
export const MAX_AUTHORS = 100;

/**
 * A credit-policy document as validation defines it (src/credit/policy-schema.ts), limits
 * included: every published policy's document is one, and the spec shows it in full.
 */
const policyDocument = policyDocumentSchema.meta({
  id: 'PolicyDocument',
  description: 'A credit-policy document (see docs/default-policy.md)',
});

/**
 * A draft's document (written, or shown): a valid document, or any JSON object. Drafts are saved
 * as written, however wrong, and their problems listed by path (validate, the draft's `valid`),
 * so a required-fields-optional document schema would still refuse what drafts accept today (a
 * misspelt key, a wrong type): any JSON object, typed as JsonValue, is the honest second branch.
 * Top-level keys keep their former limit.
 */
const documentField = z
  .union([policyDocument, z.record(z.string().max(MAX_LENGTH.code), jsonValueSchema)])
  .describe(
    'A credit-policy document (PolicyDocument); a draft may hold any JSON object, its problems listed by validate',
  );

export const activePolicySchema = z
  .object({
    id: idString(),
    version: z.number().int(),
    status: z.enum(POLICY_STATUSES),
    activatedAt: isoDateTime(),
    // Only published policies are active: always a valid document.
    document: policyDocument,
    challenger: z
      .object({ id: idString(), version: z.number().int(), shareBps: z.number().int() })
      .nullable()
      .describe('A challenger policy receiving a share of traffic, if any'),
  })
  .meta({ id: 'ActivePolicy' });

export const createPolicyBody = z
  .strictObject({
    document: documentField.optional(),
    cloneOf: z.string().min(1).max(64).optional().describe('Start from this policy'),
    changes: z
      .record(z.string().max(MAX_LENGTH.code), jsonValueSchema)
      .optional()
      .describe("A JSON merge patch (RFC 7396) applied to cloneOf's document"),
  })
  .superRefine((b, ctx) => {
    if (!b.document === !b.cloneOf) {
      ctx.addIssue({
        code: 'custom',
        path: ['document'],
        message: 'send either document or cloneOf',
        params: { messageZh: '请提供 document 或 cloneOf 之一' },
      });
    }
    if (b.changes && !b.cloneOf) {
      ctx.addIssue({
        code: 'custom',
        path: ['changes'],
        message: 'changes apply to cloneOf',
        params: { messageZh: 'changes 仅与 cloneOf 一起使用' },
      });
    }
  })
  .meta({ id: 'PolicyDraftRequest' });
export type CreatePolicyBody = z.infer<typeof createPolicyBody>;

export const updatePolicyBody = z
  .strictObject({ document: documentField })
  .meta({ id: 'PolicyUpdateRequest' });

export const problemSchema = z.object({
  path: z.string().max(MAX_LENGTH.path),
  message: z.string().max(MAX_LENGTH.text),
  messageZh: z.string().max(MAX_LENGTH.text).describe('The same problem in Chinese'),
});

export const policySchema = z
  .object({
    id: idString(),
    version: z.number().int(),
    status: z.enum(POLICY_STATUSES),
    name: z.string().max(MAX_LENGTH.name).nullable(),
    document: documentField,
    valid: z.boolean().describe('Whether the document passes validation'),
    role: z.enum(POLICY_ARMS).nullable().describe('Its place in the rollout, if active'),
    shareBps: z.number().int().nullable(),
    createdBy: idString().nullable(),
    authors: z
      .array(z.string().max(MAX_LENGTH.name))
      .max(MAX_AUTHORS)
      .describe(
        'Owners of every key that created or changed the draft (the first 100); none of them may publish it',
      ),
    createdAt: isoDateTime(),
    publishedBy: idString().nullable(),
    publishedAt: isoDateTime().nullable(),
  })
  .meta({ id: 'Policy' });
export type PolicyView = z.infer<typeof policySchema>;

export const policySummarySchema = policySchema
  .omit({ document: true })
  .meta({ id: 'PolicySummary' });
export const policyListSchema = listOf(policySummarySchema).meta({ id: 'PolicyList' });

export const listPoliciesQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(50),
  cursor: z.string().max(MAX_LENGTH.cursor).optional(),
  status: z.enum(POLICY_STATUSES).optional(),
});

export const validationResultSchema = z
  .object({
    id: idString(),
    version: z.number().int(),
    valid: z.boolean(),
    problems: z.array(problemSchema).max(MAX_PROBLEMS).describe('The first 1000 problems'),
  })
  .meta({ id: 'PolicyValidation' });

export const diffSchema = z
  .object({
    from: z.object({ id: idString(), version: z.number().int() }),
    to: z.object({ id: idString(), version: z.number().int() }),
    changes: z
      .array(
        z.object({
          path: z.string().max(MAX_LENGTH.path),
          kind: z.enum(['added', 'removed', 'changed']),
          before: jsonValueSchema.optional(),
          after: jsonValueSchema.optional(),
        }),
      )
      .max(MAX_CHANGES)
      .describe('The first 1000 changes, in document order'),
  })
  .meta({ id: 'PolicyDiff' });

export const activateBody = z
  .strictObject({
    role: z.enum(POLICY_ARMS),
    share: z
      .number()
      .gt(0)
      .lt(1)
      .optional()
      .describe('Challenger share of traffic, 0-1 (default 0.1)'),
  })
  .superRefine((b, ctx) => {
    if (b.role === 'champion' && b.share !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['share'],
        message: 'the champion takes all traffic the challenger does not',
        params: { messageZh: '冠军策略不设流量比例' },
      });
    }
  })
  .meta({ id: 'PolicyActivation' });
export type ActivateBody = z.infer<typeof activateBody>;
