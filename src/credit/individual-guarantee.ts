/**
 * Individual guarantors (保证人, issue #16): other merchants of the market who each guarantee part
 * of a loan, with their recorded consent. Their support lowers the loss given default of the
 * loans offered: LGD x (1 - lgdReduction x coverage), coverage being the guaranteed amounts'
 * share of the requested amount, at most 1 (a guarantee beyond the loan recovers nothing more).
 * They count in each guarantor's own exposure as a contingent liability (the service's ledger).
 */
import type { DecisionContext } from './decision-types';
import type { PolicyDocument } from './policy-schema';

/** The guaranteed share of the requested amount, 0..1. */
export function guaranteeCoverage(context: DecisionContext, requestedAmount: number): number {
  const guaranteed = (context.guarantors ?? []).reduce((sum, g) => sum + Math.max(0, g.amount), 0);
  if (guaranteed <= 0 || requestedAmount <= 0) return 0;
  return Math.min(1, guaranteed / requestedAmount);
}

/** A loan product's LGD with the application's individual guarantees counted. */
export function supportedLgd(
  lgd: number,
  doc: Pick<PolicyDocument, 'individualGuarantee'>,
  context: DecisionContext,
  requestedAmount: number,
): number {
  const coverage = guaranteeCoverage(context, requestedAmount);
  if (coverage === 0) return lgd;
  return lgd * (1 - doc.individualGuarantee.lgdReduction * coverage);
}
