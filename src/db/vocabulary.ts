/**
 * The service's words for the states it stores, shared by the drizzle schema, the API's zod
 * schemas and the state machines: one list per concept, never retyped. The credit model's own
 * words (products, business forms, outcomes, grades, loan performance) live in src/credit and
 * are re-exported here so that a reader finds every stored vocabulary in one place.
 */
export {
  BUSINESS_FORMS,
  GRADES,
  OUTCOME_STATUSES as LOAN_PERFORMANCE_STATUSES,
  OUTCOMES,
  PRODUCTS,
} from '../credit';
export { ROLES } from '../lib/principal';

export const AGREEMENT_STATUSES = ['active', 'suspended'] as const;
export const MARKET_CATEGORIES = [
  'building_materials',
  'furniture',
  'small_commodities',
  'produce',
  'other',
] as const;
export const POLICY_STATUSES = ['draft', 'published', 'retired'] as const;
/** Which arm of a champion/challenger rollout a policy serves (and a decision came from). */
export const POLICY_ARMS = ['champion', 'challenger'] as const;
export const DECISION_SOURCES = ['model', 'review'] as const;
export const APPLICATION_STATUSES = [
  'submitted',
  'approved',
  'referred',
  'declined',
  'accepted',
  'closed',
  'withdrawn',
] as const;
export const OFFER_STATUSES = [
  'pending',
  'offered',
  'accepted',
  'booked',
  'declined',
  'expired',
  'withdrawn',
] as const;
export const GROUP_STATUSES = [
  'forming',
  'offered',
  'declined',
  'active',
  'dissolved',
  'referred',
] as const;
