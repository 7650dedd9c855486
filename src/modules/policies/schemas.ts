import { z } from 'zod';
import { POLICY_ARMS, POLICY_STATUSES } from '../../db/vocabulary';
import { isoDateTime, listOf } from '../../platform/schemas';

const documentField = z
  .record(z.string(), z.unknown())
  .describe('A credit-policy document (see docs/default-policy.md)');

export const activePolicySchema = z
  .object({
    id: z.string(),
    version: z.number().int(),
    status: z.enum(POLICY_STATUSES),
    activatedAt: isoDateTime(),
    document: documentField,
    challenger: z
      .object({ id: z.string(), version: z.number().int(), shareBps: z.number().int() })
      .nullable()
      .describe('A challenger policy receiving a share of traffic, if any'),
  })
  .meta({ id: 'ActivePolicy' });

export const createPolicyBody = z
  .strictObject({
    document: documentField.optional(),
    cloneOf: z.string().min(1).max(64).optional().describe('Start from this policy'),
    changes: z
      .record(z.string(), z.unknown())
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
  path: z.string(),
  message: z.string(),
  messageZh: z.string().describe('The same problem in Chinese'),
});

export const policySchema = z
  .object({
    id: z.string(),
    version: z.number().int(),
    status: z.enum(POLICY_STATUSES),
    name: z.string().nullable(),
    document: documentField,
    valid: z.boolean().describe('Whether the document passes validation'),
    role: z.enum(POLICY_ARMS).nullable().describe('Its place in the rollout, if active'),
    shareBps: z.number().int().nullable(),
    createdBy: z.string().nullable(),
    authors: z
      .array(z.string())
      .describe(
        'Owners of every key that created or changed the draft; none of them may publish it',
      ),
    createdAt: isoDateTime(),
    publishedBy: z.string().nullable(),
    publishedAt: isoDateTime().nullable(),
  })
  .meta({ id: 'Policy' });
export type PolicyView = z.infer<typeof policySchema>;

export const policySummarySchema = policySchema
  .omit({ document: true })
  .meta({ id: 'PolicySummary' });
export const policyListSchema = listOf(policySummarySchema).meta({ id: 'PolicyList' });

export const listPoliciesQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
  status: z.enum(POLICY_STATUSES).optional(),
});

export const validationResultSchema = z
  .object({
    id: z.string(),
    version: z.number().int(),
    valid: z.boolean(),
    problems: z.array(problemSchema),
  })
  .meta({ id: 'PolicyValidation' });

export const diffSchema = z
  .object({
    from: z.object({ id: z.string(), version: z.number().int() }),
    to: z.object({ id: z.string(), version: z.number().int() }),
    changes: z.array(
      z.object({
        path: z.string(),
        kind: z.enum(['added', 'removed', 'changed']),
        before: z.unknown().optional(),
        after: z.unknown().optional(),
      }),
    ),
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
