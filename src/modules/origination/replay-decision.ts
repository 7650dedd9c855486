import {
  type Decision,
  type DecisionContext,
  decide,
  type LoanRequest,
  type Survey,
} from '../../credit';
import type { AppDeps } from '../../deps';
import { notFound, validationFailed } from '../../lib/errors';
import { diffDocuments } from '../../lib/json-document';
import type { Principal } from '../../lib/principal';
import { stableStringify } from '../../lib/stable-json';
import { canSeeMerchant } from '../merchants/access';
import { type ApplicationRow, decisionWithApplication } from './repository';

/** The request as decide() saw it, rebuilt from the application row. */
function loanRequestOf(app: ApplicationRow): LoanRequest {
  return {
    product: app.product as LoanRequest['product'],
    amount: app.amount,
    termMonths: app.termMonths,
    purpose: app.purpose as LoanRequest['purpose'],
    ...(app.guaranteeGroupId ? { guaranteeGroupId: app.guaranteeGroupId } : {}),
  };
}

/**
 * POST /v1/decisions/:id/replay: re-runs a stored decision's inputs (survey, request, context) through decide() with the stored
 * policy version, or with another policy (`policyId`) to see what it would have decided. The
 * same version must give the same result byte for byte (compared as canonical JSON).
 */
export async function replayDecision(
  deps: AppDeps,
  principal: Principal,
  id: string,
  policyId?: string,
) {
  const row = await decisionWithApplication(deps.db, id);
  if (!row || !canSeeMerchant(principal, row.application)) throw notFound('Decision');
  const { decision, application } = row;
  let policy: Awaited<ReturnType<AppDeps['policies']['byId']>>;
  try {
    policy = await deps.policies.byId(policyId ?? decision.policyId);
  } catch (err) {
    if (policyId)
      throw validationFailed([
        {
          path: 'querystring.policy',
          message: `unknown or invalid policy ${policyId}`,
          messageZh: `策略 ${policyId} 不存在或无效`,
        },
      ]);
    throw err;
  }
  const replayed: Decision = decide(
    application.survey as Survey,
    loanRequestOf(application),
    policy.compiled,
    decision.context as DecisionContext,
  );
  const stored = decision.result as Decision;
  // A reviewer's decline keeps the model's result but not its outcome: compare what the model said.
  const identical = stableStringify(replayed) === stableStringify(stored);
  return {
    decisionId: decision.id,
    applicationId: application.id,
    storedPolicy: { id: decision.policyId, version: decision.policyVersion },
    replayPolicy: { id: policy.id, version: policy.version },
    identical,
    stored: {
      outcome: stored.outcome,
      score: stored.score,
      grade: stored.grade,
      pd: stored.pd,
      offers: stored.offers.length,
    },
    replayed: {
      outcome: replayed.outcome,
      score: replayed.score,
      grade: replayed.grade,
      pd: replayed.pd,
      offers: replayed.offers.length,
    },
    differences: identical
      ? []
      : diffDocuments(
          JSON.parse(stableStringify(stored)),
          JSON.parse(stableStringify(replayed)),
        ).slice(0, 200),
  };
}
