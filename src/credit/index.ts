/** The credit model's public API: pure functions from (survey, request, policy, context). */
export { fnv1a32, pickArm } from './arm';
export { decide } from './decide';
export {
  BINDING_LIMITS,
  type BindingLimit,
  type Decision,
  type DecisionContext,
  type ExistingExposure,
  type GuaranteeRequirement,
  type OfferMethod,
  type OfferProposal,
  type ProductResult,
  type Reason,
  type ReasonKind,
} from './decision-types';
export { defaultPolicyDocument } from './default-policy';
export { addMonths, chinaDate, dueDates, instalmentsDue } from './due-dates';
export {
  type LedgerItem,
  monthlyInstalmentOf,
  NO_EXPOSURE,
  offerInstalment,
  outstandingPrincipal,
  totalExposureRoom,
} from './exposure';
export { GRADES, type Grade, gradeAtLeast } from './grades';
export {
  type FormationProblem,
  formationProblem,
  type GroupCandidate,
  type GroupMemberInput,
  type GroupMemberResolution,
  type GroupResolution,
  type GroupReview,
  groupSizeProblem,
  groupSizeRange,
  resolveGuaranteeGroup,
  type StoredGroupDecision,
} from './guarantee-group';
export {
  circleBorrowing,
  contingentAcrossGroupsExceeded,
  type GroupNetworkFigures,
  type GuaranteeNetworkRules,
  groupNetworkFigures,
  groupNetworkFiguresIn,
  NETWORK_FINDING_CODES,
  NETWORK_NODE_BUDGET,
  NETWORK_TEXTS,
  type NetworkEdge,
  type NetworkFindingCode,
  networkFindings,
  networkReason,
} from './guarantee-network/checks';
export {
  compareLinks,
  indexNetwork,
  type NetworkIndex,
  patchNetwork,
} from './guarantee-network/network-index';
export { instalmentCapacity, maxLoanForInstalment } from './limits';
export {
  computeMetrics,
  METRIC_NAMES,
  type MetricParams,
  type Metrics,
  orderedMetrics,
  RATIO_CAP,
} from './metrics';
export {
  annuityPayment,
  annuityPresentValue,
  divRoundHalfUp,
  exactRate,
  floorTo,
  monthlyInterest,
  roundHalfUp,
  roundTo,
} from './money';
export {
  auc,
  BAD_STATUSES,
  badRateByGrade,
  type GradeBadRate,
  gini,
  isBad,
  ks,
  OUTCOME_STATUSES,
  type OutcomeStatus,
  PSI_BIN_WIDTH,
  PSI_EPSILON,
  type PsiBin,
  type PsiResult,
  psi,
  type ScoredLoan,
  scoreBinEdges,
} from './monitoring';
export {
  applicationStatusOf,
  type DecidedStatus,
  offersToMake,
  reviewOutcome,
} from './origination';
export { checkPolicy, runPolicyTestCases, type TestCaseFailure } from './policy-check';
export {
  type CompiledPolicy,
  compilePolicy,
  OUTCOMES,
  type Outcome,
  type PointsLine,
  PolicyInvalidError,
} from './policy-compile';
export { GROUP_SIZE_BOUNDS, type PolicyDocument, policyDocumentSchema } from './policy-schema';
export { decisionContextSchema, type PolicyTestCase } from './policy-test-cases';
export {
  formatPath,
  type PolicyProblem,
  type PolicyValidation,
  validatePolicy,
} from './policy-validate';
export { priceBps } from './pricing';
export { buildSchedule, type Schedule, type ScheduleMethod, type ScheduleRow } from './schedule';
export {
  BUSINESS_FORMS,
  type LoanRequest,
  loanRequestSchema,
  PRODUCTS,
  type Product,
  type Purpose,
  SURVEY_CROSS_FIELD_RULES,
  type Survey,
  surveySchema,
} from './survey';
