/**
 * A fingerprint of what the model decided before issue #12 (the exposure ledger): decisions of
 * the 200 sample merchants in three contexts and of 2,000 generated cases (fixed seed), as JSON
 * without the two offer fields the issue added. A policy whose new caps are null, deciding a
 * context without exposure, must reproduce it byte for byte: stored decisions replay unchanged.
 * Left out: approves whose requested product is not offered, which now say why (issue #12 item 4).
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import {
  type CompiledPolicy,
  type Decision,
  type DecisionContext,
  decide,
  type LoanRequest,
} from '../../src/credit';
import { legacyContextArb, requestArb, surveyArb } from './arbitraries';
import { activeOperator } from './helpers';
import { defaultRequest, sampleMerchants } from './sample';

const NEW_OFFER_FIELDS = new Set(['bindingLimit', 'limitReason']);

export function legacyFingerprint(policy: CompiledPolicy): { count: number; sha256: string } {
  const hash = createHash('sha256');
  let count = 0;
  const replacer = (key: string, value: unknown) => (NEW_OFFER_FIELDS.has(key) ? undefined : value);
  const add = (request: LoanRequest, d: Decision) => {
    const served = d.offers.some((o) => o.product === request.product);
    if (d.outcome === 'approve' && request.product !== 'any' && !served) return;
    hash.update(JSON.stringify(d, replacer));
    hash.update('\n');
    count++;
  };
  const contexts: DecisionContext[] = [
    { operator: activeOperator },
    {},
    { operator: activeOperator, guaranteeGroup: { id: 'grp_golden', memberCount: 4 } },
  ];
  for (const context of contexts) {
    for (const m of sampleMerchants) {
      const request = m.request ?? defaultRequest;
      add(request, decide(m.survey, request, policy, context));
    }
  }
  const cases = fc.sample(fc.tuple(surveyArb, requestArb, legacyContextArb), {
    seed: 20_261_202,
    numRuns: 2_000,
  });
  for (const [survey, request, context] of cases) {
    add(request, decide(survey, request, policy, context));
  }
  return { count, sha256: hash.digest('hex') };
}
