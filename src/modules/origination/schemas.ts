import { z } from 'zod';
import {
  BINDING_LIMITS,
  GROUP_SIZE_BOUNDS,
  loanRequestSchema,
  NETWORK_FINDING_CODES,
  SURVEY_CROSS_FIELD_RULES,
  surveySchema,
} from '../../credit';
import { PRODUCTS, PURPOSES } from '../../credit/survey';
import {
  APPLICATION_STATUSES,
  DECISION_SOURCES,
  GRADES,
  GROUP_STATUSES,
  OFFER_STATUSES,
  OUTCOMES,
  POLICY_ARMS,
} from '../../db/vocabulary';
import { jsonValueSchema } from '../../platform/json-value';
import {
  fen,
  idString,
  isoDateTime,
  listOf,
  listQuery,
  MAX_LENGTH,
  MAX_PAGE,
} from '../../platform/schemas';
import { scheduleRowSchema } from '../schedules/routes';

const guarantorRequestSchema = z
  .strictObject({
    merchantId: z.string().min(1).max(64).describe('The guarantor, a merchant of the same market'),
    amount: z
      .number()
      .int()
      .min(1)
      .max(1_000_000_000_000)
      .describe('Fen: the most the guarantor pays; at most the requested amount'),
    consentRef: z
      .string()
      .min(1)
      .max(128)
      .describe(
        "Where the guarantor's signed consent is recorded (a form's reference; no personal data)",
      ),
    consentedAt: isoDateTime().describe('When the guarantor consented; not in the future'),
  })
  .meta({ id: 'GuarantorRequest' });

export const submitApplicationBody = z
  .strictObject({
    merchantId: z.string().min(1).max(MAX_LENGTH.id),
    survey: surveySchema.describe(
      `The standard merchant survey; money in fen. ${SURVEY_CROSS_FIELD_RULES}`,
    ),
    request: loanRequestSchema.describe('What the merchant asks for; amount in fen'),
    guarantors: z
      .array(guarantorRequestSchema)
      .max(10)
      .optional()
      .describe(
        "Individual guarantors (保证人): other merchants of the applicant's market, each with its recorded consent and the amount it guarantees (at most the active policy's individualGuarantee.maxGuarantors); they count in each guarantor's exposure as a contingent liability and lower the loan's LGD",
      ),
  })
  .meta({ id: 'ApplicationRequest' });
export type SubmitApplicationBody = z.infer<typeof submitApplicationBody>;

const reasonSchema = z
  .object({
    code: z.string().max(MAX_LENGTH.code).describe('Stable reason code'),
    kind: z.enum(['knockout', 'data', 'characteristic', 'product']),
    textZh: z.string().max(MAX_LENGTH.text),
    textEn: z.string().max(MAX_LENGTH.text),
  })
  .meta({ id: 'Reason' });

export const decisionSchema = z
  .object({
    id: idString(),
    outcome: z.enum(OUTCOMES),
    score: z.number().int(),
    grade: z.enum(GRADES),
    pd: z.number().describe('Probability of default implied by the score'),
    reasons: z
      .array(reasonSchema)
      .max(4)
      .describe('At most four principal reasons, knock-outs first'),
    knockouts: z.array(z.string().max(MAX_LENGTH.code)).max(100),
    metrics: z
      .record(z.string().max(MAX_LENGTH.code), z.number())
      .describe('Cash-flow metrics; money in fen, ratios plain numbers'),
    points: z
      .array(
        z.object({
          characteristic: z.string().max(MAX_LENGTH.name),
          value: z.union([z.number(), z.string().max(MAX_LENGTH.code)]),
          bin: z.string().max(MAX_LENGTH.name),
          points: z.number(),
          maxPoints: z.number(),
        }),
      )
      .max(100),
    productResults: z
      .array(
        z.object({
          product: z.enum(PRODUCTS),
          eligible: z.boolean(),
          reasons: z.array(reasonSchema).max(100),
        }),
      )
      .max(PRODUCTS.length),
    policyId: idString(),
    policyVersion: z.number().int(),
    arm: z.enum(POLICY_ARMS),
    source: z.enum(DECISION_SOURCES),
    note: z.string().max(MAX_LENGTH.text).nullable(),
    decidedAt: isoDateTime(),
  })
  .meta({ id: 'Decision' });

export const offerSchema = z
  .object({
    id: idString(),
    applicationId: idString(),
    merchantId: idString(),
    product: z.enum(PRODUCTS),
    amount: fen().describe('Loan amount, or the card limit, in fen'),
    termMonths: z.number().int(),
    annualRateBps: z.number().int(),
    method: z.enum(['equal_instalment', 'equal_principal', 'revolving']),
    schedule: z.array(scheduleRowSchema).max(600).describe('Empty for a card'),
    totalInterest: fen(),
    monthlyInstalment: fen().describe(
      "What the offer costs a month as the exposure ledger counts it: a loan's highest instalment, a card's limit repaid over its review term",
    ),
    bindingLimit: z
      .enum(BINDING_LIMITS)
      .describe(
        'What set the amount, the smallest of its limits: the request itself, or what the cash flow repays, the working-capital gap, a cap net of what the borrower already holds (product_cap, operator_per_merchant_cap, total_exposure), ...',
      ),
    limitReason: reasonSchema
      .nullable()
      .describe(
        'Why the amount is below the request (LIMITED_BY_<LIMIT>, Chinese and English); null when the request is met',
      ),
    operatorId: idString().nullable(),
    guaranteeGroupId: idString().nullable(),
    expiresAt: isoDateTime(),
    status: z.enum(OFFER_STATUSES),
  })
  .meta({ id: 'Offer' });

export const applicationSchema = z
  .object({
    id: idString(),
    status: z.enum(APPLICATION_STATUSES),
    merchantId: idString(),
    marketId: idString(),
    request: z.object({
      product: z
        .string()
        .max(MAX_LENGTH.code)
        .describe(`One of ${[...PRODUCTS, 'any'].join(', ')}`),
      amount: fen(),
      termMonths: z.number().int(),
      purpose: z
        .string()
        .max(MAX_LENGTH.code)
        .describe(`One of ${PURPOSES.join(', ')}`),
      guaranteeGroupId: idString().nullable(),
    }),
    decision: decisionSchema,
    offers: z.array(offerSchema).max(PRODUCTS.length),
    createdAt: isoDateTime(),
    updatedAt: isoDateTime(),
  })
  .meta({ id: 'Application' });
export type ApplicationView = z.infer<typeof applicationSchema>;

export const applicationSummarySchema = applicationSchema
  .omit({ decision: true, offers: true })
  .extend({
    outcome: z.enum(OUTCOMES),
    score: z.number().int(),
    grade: z
      .string()
      .max(MAX_LENGTH.code)
      .describe(`One of ${GRADES.join(', ')}`),
  })
  .meta({ id: 'ApplicationSummary' });

export const applicationListSchema = listOf(applicationSummarySchema).meta({
  id: 'ApplicationList',
});

export const listApplicationsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(50),
  cursor: z.string().max(MAX_LENGTH.cursor).optional(),
  status: z.enum(APPLICATION_STATUSES).optional(),
  marketId: z.string().max(MAX_LENGTH.id).optional(),
  product: z.enum([...PRODUCTS, 'any']).optional(),
  since: z.iso
    .datetime({ offset: true })
    .max(40)
    .optional()
    .describe('Only applications created at or after this instant'),
});

export const auditEventSchema = z
  .object({
    id: idString(),
    entityType: z.string().max(MAX_LENGTH.code),
    entityId: idString(),
    action: z.string().max(MAX_LENGTH.code),
    actorKeyId: idString().nullable(),
    actorRole: z.string().max(MAX_LENGTH.code).nullable(),
    actorOwner: z
      .string()
      .max(MAX_LENGTH.name)
      .nullable()
      .describe('The person behind the key (null on older events whose key is unknown)'),
    requestId: z.string().max(128).nullable(),
    data: jsonValueSchema.describe(
      'What the action recorded: ids, statuses, reason codes, changed paths',
    ),
    at: isoDateTime(),
  })
  .meta({ id: 'AuditEvent' });

/** An application's audit trail lists at most this many events (a lifecycle has a handful). */
export const MAX_AUDIT_EVENTS = 500;

export const auditEventListSchema = z
  .object({
    data: z.array(auditEventSchema).max(MAX_AUDIT_EVENTS).describe('Oldest first, the first 500'),
  })
  .meta({ id: 'AuditEventList' });

export const reviewBody = z
  .strictObject({
    action: z.enum(['approve', 'decline']),
    note: z.string().trim().min(1, 'a review note is required').max(2000),
    amount: z
      .number()
      .int()
      .positive()
      .max(Number.MAX_SAFE_INTEGER)
      .optional()
      .describe('Approve at most this amount (fen)'),
  })
  .meta({ id: 'ReviewRequest' });
export type ReviewBody = z.infer<typeof reviewBody>;

// Guarantee groups (联保小组)

export const createGroupBody = z
  .strictObject({
    marketId: z.string().min(1).max(MAX_LENGTH.id),
    memberIds: z
      .array(z.string().min(1).max(MAX_LENGTH.id))
      .min(GROUP_SIZE_BOUNDS.min)
      .max(GROUP_SIZE_BOUNDS.max)
      .describe(
        "Merchants of the market (联保小组), as many as the active policy's products.joint_guarantee.minGroupSize-maxGroupSize (3-5 by default); another number is 400 naming body.memberIds",
      ),
  })
  .meta({ id: 'GuaranteeGroupRequest' });
export type CreateGroupBody = z.infer<typeof createGroupBody>;

export const groupReviewBody = z
  .strictObject({
    action: z
      .enum(['approve', 'decline'])
      .describe("approve: the members' loans are offered as proposed; decline: all withdrawn"),
    note: z.string().trim().min(1, 'a review note is required').max(2000),
  })
  .meta({ id: 'GuaranteeGroupReviewRequest' });
export type GroupReviewBody = z.infer<typeof groupReviewBody>;

export const groupNetworkSchema = z
  .object({
    circle: z
      .array(z.string().max(64))
      .max(10_000)
      .describe(
        'Merchants of the guarantee circle (担保圈) the group closes, itself included; empty when none',
      ),
    sharedPairs: z
      .array(z.array(z.string().max(64)).max(2))
      .max(200)
      .describe('Pairs of members that already guarantee each other elsewhere'),
    chainLength: z
      .number()
      .int()
      .min(0)
      .max(1000)
      .describe(
        'Hops to the farthest merchant linked to a member by guarantees (within the search depth)',
      ),
    circleBorrowing: fen().describe(
      "The circle's members' borrowing together (ledger totals), fen",
    ),
    circleBorrowingCap: fen().nullable().describe("The policy's per-circle cap, fen; null: none"),
    truncated: z.boolean().describe('The search stopped at its node budget'),
    findings: z
      .array(reasonSchema)
      .max(10)
      .describe('What the rules found, in Chinese and English'),
    referred: z.boolean().describe('Formed for review despite findings (the policy refers)'),
  })
  .meta({ id: 'GuaranteeNetworkFigures' });
export type GroupNetwork = z.infer<typeof groupNetworkSchema>;

/** A schedule row as a decision stores it (an offer's dates come when it is accepted). */
const proposedScheduleRow = z.object({
  period: z.number().int().min(1).max(600),
  principal: fen(),
  interest: fen(),
  payment: fen(),
  balance: fen().describe('Outstanding principal after this payment'),
});

/** An offer as a decision proposes it (credit's OfferProposal): a group member's pending loan. */
const offerProposalSchema = z.object({
  product: z.enum(PRODUCTS),
  amount: fen(),
  termMonths: z.number().int(),
  annualRateBps: z.number().int(),
  method: z.enum(['equal_instalment', 'equal_principal', 'revolving']),
  schedule: z.array(proposedScheduleRow).max(600),
  totalInterest: fen(),
  bindingCap: z.string().max(MAX_LENGTH.code).describe('The cap that set the amount'),
  // Decisions made before issue #12 named their cap only.
  bindingLimit: z.enum(BINDING_LIMITS).optional(),
  limitReason: reasonSchema.nullable().optional(),
  fit: z.number().describe('How well it fits the request; offers are sorted by it'),
  guaranteeRequired: z
    .discriminatedUnion('kind', [
      z.object({
        kind: z.literal('operator'),
        depositRatioBps: z.number().int(),
        depositAmount: fen(),
      }),
      z.object({
        kind: z.literal('joint'),
        groupId: idString(),
        memberCount: z.number().int(),
        contingentLiabilityMultiple: z.number(),
      }),
    ])
    .optional(),
});

/**
 * The group decision as stored (credit's GroupResolution); fields added since are optional, for
 * groups decided before them.
 */
export const groupDecisionSchema = z
  .object({
    approved: z.boolean().describe('Every member offered (all or none)'),
    verdict: z
      .enum(['approve', 'refer', 'decline'])
      .optional()
      .describe(
        "refer: only the guarantee network's rules failed and the policy refers, so a reviewer decides (POST /v1/guarantee-groups/{id}/review); absent for groups decided before referral existed",
      ),
    review: z
      .object({
        action: z.enum(['approve', 'decline']),
        note: z.string().max(2000),
        by: idString().describe('The reviewer key'),
        at: isoDateTime(),
      })
      .optional()
      .describe("A reviewer's decision of a referred group"),
    reasons: z
      .array(reasonSchema)
      .max(100)
      .describe("The group's reasons, then each distinct member failure"),
    members: z
      .array(
        z.object({
          merchantId: idString(),
          offer: offerProposalSchema
            .nullable()
            .describe(
              "The member's joint_guarantee loan when the group stands or is referred, else null",
            ),
          contingentLiability: fen().describe("The other members' loans it guarantees, fen"),
          contingentLiabilityLimit: fen().describe(
            'The most it may guarantee (multiple x annual net profit), fen',
          ),
          contingentAcrossGroups: fen()
            .optional()
            .describe(
              'In this group and outside it (with network rules, else this group alone), fen; absent before issue #16',
            ),
          reasons: z.array(reasonSchema).max(100),
        }),
      )
      .max(GROUP_SIZE_BOUNDS.max),
    network: groupNetworkSchema
      .pick({
        circle: true,
        sharedPairs: true,
        chainLength: true,
        circleBorrowing: true,
        circleBorrowingCap: true,
        truncated: true,
      })
      .extend({
        findings: z
          .array(z.enum(NETWORK_FINDING_CODES))
          .max(NETWORK_FINDING_CODES.length)
          .describe('What the network rules found'),
      })
      .optional()
      .describe('The network figures the decision used and the cap; absent without network rules'),
  })
  .meta({ id: 'GuaranteeGroupDecision' });

export const groupSchema = z
  .object({
    id: idString(),
    marketId: idString(),
    status: z.enum(GROUP_STATUSES),
    members: z
      .array(
        z.object({
          merchantId: idString(),
          name: z.string().max(MAX_LENGTH.name),
          applicationId: idString().nullable(),
          applicationStatus: z.enum(APPLICATION_STATUSES).nullable(),
          offerId: idString().nullable(),
          offerStatus: z.enum(OFFER_STATUSES).nullable(),
        }),
      )
      .max(GROUP_SIZE_BOUNDS.max),
    decision: groupDecisionSchema
      .nullable()
      .describe(
        'The group decision once every member has applied: reasons, contingent liabilities (in the group and across all groups) and the guarantee-network figures it used',
      ),
    network: groupNetworkSchema
      .nullable()
      .describe(
        'The guarantee-network figures seen at formation; null when the policy has no network rules',
      ),
    createdAt: isoDateTime(),
    updatedAt: isoDateTime(),
  })
  .meta({ id: 'GuaranteeGroup' });
export type GroupView = z.infer<typeof groupSchema>;

const groupSummarySchema = z
  .object({
    id: idString(),
    marketId: idString(),
    status: z.enum(GROUP_STATUSES),
    memberIds: z.array(idString()).max(GROUP_SIZE_BOUNDS.max),
    reasons: z
      .array(z.string().max(MAX_LENGTH.code))
      .max(50)
      .describe("The codes of the group decision's reasons; [] before the decision"),
    createdAt: isoDateTime(),
    updatedAt: isoDateTime(),
  })
  .meta({ id: 'GuaranteeGroupSummary' });
export const groupListSchema = listOf(groupSummarySchema).meta({ id: 'GuaranteeGroupList' });
export type GroupSummary = z.infer<typeof groupSummarySchema>;

export const listGroupsQuery = listQuery.extend({
  status: z
    .enum(GROUP_STATUSES)
    .optional()
    .describe('e.g. referred: the groups waiting for a reviewer'),
  marketId: z.string().max(MAX_LENGTH.id).optional(),
});

// Decision replay

const replaySummary = z.object({
  outcome: z.enum(OUTCOMES),
  score: z.number(),
  grade: z.enum(GRADES),
  pd: z.number(),
  offers: z.number().int(),
});
export const replaySchema = z
  .object({
    decisionId: idString(),
    applicationId: idString(),
    storedPolicy: z.object({ id: idString(), version: z.number().int() }),
    replayPolicy: z.object({ id: idString(), version: z.number().int() }),
    identical: z
      .boolean()
      .describe('The replay equals the stored decision, byte for byte as canonical JSON'),
    stored: replaySummary,
    replayed: replaySummary,
    differences: z
      .array(
        z.object({
          path: z.string().max(MAX_LENGTH.path),
          kind: z.enum(['added', 'removed', 'changed']),
          before: jsonValueSchema.optional(),
          after: jsonValueSchema.optional(),
        }),
      )
      .max(200)
      .describe('The first 200 differences'),
  })
  .meta({ id: 'DecisionReplay' });

// Exposure

const guarantorSchema = z
  .object({
    kind: z
      .enum(['operator', 'guarantee_group', 'none'])
      .describe('Who stands behind the loan: the market operator, the 联保 group, nobody'),
    id: idString().nullable().describe('The operator or the group; null for none'),
  })
  .meta({ id: 'Guarantor' });

/**
 * Lines of one kind in a merchant's exposure: the view lists at most this many of each, and its
 * totals count them all.
 */
export const MAX_EXPOSURE_LINES = 500;

const exposureAmounts = {
  open: fen().describe('Open offers (pending or offered), fen'),
  taken: fen().describe('Taken loans at their outstanding principal, and card limits, fen'),
};

export const exposureSchema = z
  .object({
    merchantId: idString(),
    asOf: isoDateTime().describe('The clock outstanding principal is computed at'),
    loans: z
      .array(
        z.object({
          offerId: idString(),
          applicationId: idString(),
          product: z.enum(PRODUCTS),
          amount: fen().describe('Principal as granted, fen'),
          termMonths: z.number().int(),
          annualRateBps: z.number().int(),
          status: z.enum(OFFER_STATUSES),
          outstanding: fen().describe('Principal still owed at asOf by the schedule, fen'),
          monthlyInstalment: fen(),
          acceptedAt: isoDateTime().nullable(),
          guarantor: guarantorSchema,
        }),
      )
      .max(MAX_EXPOSURE_LINES)
      .describe('Taken loans (accepted or booked)'),
    cardLimits: z
      .array(z.object({ offerId: idString(), limit: fen(), status: z.enum(OFFER_STATUSES) }))
      .max(MAX_EXPOSURE_LINES),
    openOffers: z
      .array(
        z.object({
          offerId: idString(),
          applicationId: idString(),
          product: z.enum(PRODUCTS),
          amount: fen(),
          monthlyInstalment: fen(),
          status: z.enum(OFFER_STATUSES),
          expiresAt: isoDateTime(),
          guarantor: guarantorSchema,
        }),
      )
      .max(MAX_EXPOSURE_LINES)
      .describe(
        'Offers not yet taken: each application counts with its largest (accepting one withdraws the rest)',
      ),
    guaranteesGiven: z
      .array(
        z.object({
          groupId: idString(),
          borrowerMerchantId: idString(),
          offerId: idString(),
          amount: fen(),
          status: z.enum(OFFER_STATUSES),
        }),
      )
      .max(MAX_EXPOSURE_LINES)
      .describe("Group partners' loans this merchant guarantees (联保)"),
    individualGuaranteesGiven: z
      .array(
        z.object({
          applicationId: idString(),
          borrowerMerchantId: idString(),
          offerId: idString().describe("The application's largest live offer (open or taken)"),
          loanAmount: fen().describe('The loan or open offer guaranteed, fen'),
          amount: fen().describe('What this merchant guarantees of it (at most the loan), fen'),
          status: z.enum(OFFER_STATUSES).describe("The offer's status"),
          consentedAt: isoDateTime(),
        }),
      )
      .max(MAX_EXPOSURE_LINES)
      .describe(
        'Live loans and open offers this merchant guarantees as an individual guarantor (保证人)',
      ),
    byProduct: z
      .array(z.object({ product: z.enum(PRODUCTS), ...exposureAmounts }))
      .max(PRODUCTS.length)
      .describe('Per product: what each product cap counts'),
    byGuarantor: z
      .array(z.object({ guarantor: guarantorSchema, ...exposureAmounts }))
      .max(MAX_EXPOSURE_LINES)
      .describe(
        'Per guarantor: what the operator (its per-merchant cap) and each group stand behind',
      ),
    totals: z.object({
      loans: fen().describe('Taken loans, principal as granted'),
      cardLimits: fen(),
      guaranteesGiven: fen().describe("Group partners' taken loans, fen"),
      individualGuaranteesGiven: fen().describe(
        'What it guarantees as an individual guarantor, fen',
      ),
      openOffers: fen().describe('The largest open offer of each application'),
      outstanding: fen().describe('Taken loans at their outstanding principal'),
      monthlyInstalments: fen().describe(
        'Of the open offers counted and the taken loans still running',
      ),
      contingent: fen().describe(
        "Partners' live loans and individually guaranteed loans this merchant guarantees, open ones included",
      ),
      total: fen().describe(
        'openOffers + outstanding + cardLimits: what the total exposure cap counts',
      ),
    }),
    ledger: z
      .object({
        version: z.number().int().min(0),
        updatedAt: isoDateTime().nullable(),
      })
      .nullable()
      .describe(
        "The borrower's ledger row (every market and partner; null for a partner, which sees its own lines only)",
      ),
  })
  .meta({ id: 'MerchantExposure' });
export type ExposureView = z.infer<typeof exposureSchema>;
