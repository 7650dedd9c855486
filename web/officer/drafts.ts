/**
 * Survey drafts on the device, saved as they are typed. Each draft gets its Idempotency-Key
 * when it is created, and every attempt to submit it sends that same key with the same body:
 * a submission whose answer was lost is retried, and the service answers the retry with the
 * application it already made, never a second one. While an attempt is unanswered the draft
 * is "pending" and cannot be edited (an edited body under the same key would be refused).
 * No identity number or phone is ever in a draft (only the merchant's id and name).
 */
import { ApiError, api, NetworkError, newKey } from '../shared/api';
import { yuanToFen } from '../shared/money';

export type DraftState = 'editing' | 'pending' | 'submitted';

export interface Draft {
  id: string;
  /** Idempotency-Key of the submission, fixed from the start. */
  key: string;
  merchantId: string;
  merchantName: string;
  marketId: string;
  values: Record<string, string>;
  state: DraftState;
  applicationId?: string;
  /** Idempotency-Keys of offer acceptances, one per offer, fixed at the first attempt. */
  acceptKeys: Record<string, string>;
  /** An acceptance sent without an answer yet. */
  acceptPending?: string;
  updatedAt: string;
}

const STORE = 'mlk.drafts';

export function loadDrafts(): Draft[] {
  try {
    const parsed = JSON.parse(localStorage.getItem(STORE) ?? '[]');
    return Array.isArray(parsed) ? (parsed as Draft[]) : [];
  } catch {
    return [];
  }
}

export function saveDraft(draft: Draft): void {
  const all = loadDrafts().filter((d) => d.id !== draft.id);
  all.unshift({ ...draft, updatedAt: new Date().toISOString() });
  localStorage.setItem(STORE, JSON.stringify(all.slice(0, 50)));
}

export function removeDraft(id: string): void {
  localStorage.setItem(STORE, JSON.stringify(loadDrafts().filter((d) => d.id !== id)));
}

/** Drafts waiting for the service's answer: signing out would drop their retries. */
export const waitingDrafts = (): number =>
  loadDrafts().filter((d) => d.state === 'pending' || d.acceptPending !== undefined).length;

/**
 * Signing out leaves nothing of the officer's work on a shared device: a draft holds the
 * merchant's name and business figures, which the next person to sign in must not see.
 */
export function clearDrafts(): void {
  localStorage.removeItem(STORE);
}

export function newDraft(merchant: {
  id: string;
  name: string;
  marketId: string;
  businessForm: string | null;
}): Draft {
  const key = newKey();
  return {
    id: key,
    key,
    merchantId: merchant.id,
    merchantName: merchant.name,
    marketId: merchant.marketId,
    values: { ...DEFAULT_VALUES, businessForm: merchant.businessForm ?? 'individual' },
    state: 'editing',
    acceptKeys: {},
    updatedAt: new Date().toISOString(),
  };
}

const DEFAULT_VALUES: Record<string, string> = {
  businessModel: 'distributor',
  creditHistory: 'clean',
  storeCount: '1',
  product: 'any',
  termMonths: '12',
  purpose: 'working_capital',
};

export const MONEY_FIELDS = [
  'annualSales',
  'inventoryValue',
  'receivables',
  'payables',
  'supplierPrepayments',
  'customerAdvances',
  'existingDebt',
  'monthlyDebtService',
  'ownFunds',
] as const;
const OPTIONAL = new Set([
  'supplierPrepayments',
  'customerAdvances',
  'ownFunds',
  'leaseRemainingMonths',
]);
const INTEGER_FIELDS = [
  'tenureMonths',
  'storeCount',
  'inventoryTurnoverDays',
  'leaseRemainingMonths',
] as const;

export interface LocalProblem {
  field: string;
  zh: string;
  en: string;
}

/** The request body from what was typed (元 → fen, % → ratio), or the fields that cannot be. */
export function buildBody(
  d: Draft,
): { ok: true; body: Record<string, unknown> } | { ok: false; problems: LocalProblem[] } {
  const v = d.values;
  const problems: LocalProblem[] = [];
  const survey: Record<string, unknown> = {
    businessForm: v.businessForm,
    businessModel: v.businessModel,
    creditHistory: v.creditHistory,
  };
  const empty = (f: string) => (v[f] ?? '').trim() === '';
  for (const f of MONEY_FIELDS) {
    if (empty(f)) {
      if (!OPTIONAL.has(f)) problems.push({ field: f, zh: '请填写金额', en: 'Enter an amount' });
      continue;
    }
    const fen = yuanToFen(v[f] ?? '');
    if (fen === null)
      problems.push({
        field: f,
        zh: '请填写金额（元，最多两位小数）',
        en: 'Enter an amount in yuan (at most 2 decimals)',
      });
    else survey[f] = fen;
  }
  for (const f of INTEGER_FIELDS) {
    if (empty(f)) {
      if (!OPTIONAL.has(f)) problems.push({ field: f, zh: '请填写', en: 'Required' });
      continue;
    }
    if (!/^\d+$/.test((v[f] ?? '').trim()))
      problems.push({ field: f, zh: '请填写整数', en: 'Enter a whole number' });
    else survey[f] = Number(v[f]);
  }
  const margin = (v.netMargin ?? '').trim();
  if (!/^-?\d+(\.\d+)?$/.test(margin))
    problems.push({
      field: 'netMargin',
      zh: '请填写百分比，如 12',
      en: 'Enter a percentage, e.g. 12',
    });
  else survey.netMargin = Number(margin) / 100;
  const amount = yuanToFen(v.amount ?? '');
  if (amount === null)
    problems.push({ field: 'amount', zh: '请填写申请金额（元）', en: 'Enter the amount in yuan' });
  if (!/^\d+$/.test((v.termMonths ?? '').trim()))
    problems.push({ field: 'termMonths', zh: '请填写整数', en: 'Enter a whole number' });
  if (problems.length) return { ok: false, problems };
  return {
    ok: true,
    body: {
      merchantId: d.merchantId,
      survey,
      request: {
        product: v.product,
        amount,
        termMonths: Number(v.termMonths),
        purpose: v.purpose,
        ...(v.guaranteeGroupId ? { guaranteeGroupId: v.guaranteeGroupId } : {}),
      },
    },
  };
}

/** Answers the service gives while it cannot decide yet: try again later with the same key. */
const RETRYABLE = new Set(['IDEMPOTENCY_KEY_IN_USE', 'RATE_LIMITED', 'SERVICE_UNAVAILABLE']);
export const isRetryable = (e: unknown): boolean =>
  e instanceof NetworkError ||
  (e instanceof ApiError && (e.status >= 500 || RETRYABLE.has(e.code)));

export interface ApplicationView {
  id: string;
  status: string;
  createdAt: string;
  merchantId: string;
  request: { product: string; amount: number; termMonths: number };
  decision: {
    outcome: string;
    score: number;
    grade: string;
    reasons: { code: string; textZh: string; textEn: string }[];
    productResults: {
      product: string;
      eligible: boolean;
      reasons: { code: string; textZh: string; textEn: string }[];
    }[];
  };
  offers: OfferView[];
}

export interface OfferView {
  id: string;
  product: string;
  amount: number;
  termMonths: number;
  annualRateBps: number;
  method: string;
  schedule: {
    period: number;
    principal: number;
    interest: number;
    payment: number;
    balance: number;
    /** From the acceptance date (China time); null while the offer is open. */
    dueDate: string | null;
  }[];
  totalInterest: number;
  /** What set the amount (the smallest of its limits), and why it is below the request. */
  bindingLimit: string;
  limitReason: { code: string; textZh: string; textEn: string } | null;
  expiresAt: string;
  status: string;
}

export type SendResult =
  | { kind: 'submitted'; draft: Draft; application: ApplicationView }
  | { kind: 'pending'; draft: Draft }
  | { kind: 'refused'; draft: Draft; error: ApiError };

/** One attempt: pending is saved before the request leaves, so a closed tab still retries. */
export async function send(draft: Draft, body: Record<string, unknown>): Promise<SendResult> {
  const pending: Draft = { ...draft, state: 'pending' };
  saveDraft(pending);
  try {
    const application = await api<ApplicationView>('/v1/applications', {
      method: 'POST',
      body,
      idempotencyKey: draft.key,
    });
    const done: Draft = { ...pending, state: 'submitted', applicationId: application.id };
    saveDraft(done);
    return { kind: 'submitted', draft: done, application };
  } catch (error) {
    if (isRetryable(error)) return { kind: 'pending', draft: pending };
    const editing: Draft = { ...pending, state: 'editing' };
    saveDraft(editing);
    if (error instanceof ApiError) return { kind: 'refused', draft: editing, error };
    throw error;
  }
}
