/**
 * The full check of a policy before it is published: validation (structure and meaning), then
 * its test cases run through decide(), so a change that breaks an agreed example is refused.
 * Pure, like the rest of the model; a policy without test cases is only validated.
 */
import { decide } from './decide';
import type { Decision } from './decision-types';
import { type CompiledPolicy, compilePolicy } from './policy-compile';
import type { PolicyTestCase } from './policy-test-cases';
import { type PolicyValidation, validatePolicy } from './policy-validate';

export interface TestCaseFailure {
  path: string;
  message: string;
  messageZh: string;
}

/** One expectation that did not hold: where, in English, in Chinese. */
type Mismatch = [key: string, message: string, messageZh: string];

/** Runs every test case of the policy; one failure per expectation that does not hold. */
export function runPolicyTestCases(policy: CompiledPolicy): TestCaseFailure[] {
  const failures: TestCaseFailure[] = [];
  (policy.document.testCases ?? []).forEach((tc, i) => {
    const d = decide(tc.survey, tc.request, policy, tc.context ?? {});
    for (const [key, message, messageZh] of mismatches(tc, d)) {
      failures.push({
        path: `testCases[${i}].expect.${key}`,
        message: `${tc.name}: ${message}`,
        messageZh: `${tc.name}：${messageZh}`,
      });
    }
  });
  return failures;
}

function mismatches(tc: PolicyTestCase, d: Decision): Mismatch[] {
  const e = tc.expect;
  const out: Mismatch[] = [];
  const codesSeen = d.reasons.map((r) => r.code).join(', ');
  const seen = `score ${d.score}, grade ${d.grade}, reasons [${codesSeen}]`;
  const seenZh = `得分 ${d.score}，等级 ${d.grade}，原因 [${codesSeen}]`;
  if (e.outcome !== undefined && d.outcome !== e.outcome) {
    out.push([
      'outcome',
      `expected ${e.outcome}, got ${d.outcome} (${seen})`,
      `预期结论 ${e.outcome}，实际为 ${d.outcome}（${seenZh}）`,
    ]);
  }
  if (e.grade !== undefined && d.grade !== e.grade) {
    out.push([
      'grade',
      `expected grade ${e.grade}, got ${d.grade} (${seen})`,
      `预期等级 ${e.grade}，实际为 ${d.grade}（${seenZh}）`,
    ]);
  }
  const products = d.offers.map((o) => o.product);
  if (e.products !== undefined && products.join() !== e.products.join()) {
    out.push([
      'products',
      `expected offers [${e.products.join(', ')}], got [${products.join(', ')}]`,
      `预期授信方案 [${e.products.join(', ')}]，实际为 [${products.join(', ')}]`,
    ]);
  }
  const first = d.offers[0];
  for (const key of ['minAmount', 'maxAmount'] as const) {
    const bound = e[key];
    if (bound === undefined) continue;
    if (!first)
      out.push([
        key,
        `expected an offer, got none (${seen})`,
        `预期有授信方案，实际没有（${seenZh}）`,
      ]);
    else if (key === 'minAmount' ? first.amount < bound : first.amount > bound) {
      const side = key === 'minAmount' ? 'at least' : 'at most';
      const sideZh = key === 'minAmount' ? '不低于' : '不高于';
      out.push([
        key,
        `expected the first offer ${side} ${bound} fen, got ${first.amount}`,
        `预期首个授信方案${sideZh} ${bound} 分，实际为 ${first.amount}`,
      ]);
    }
  }
  if (e.bindingLimit !== undefined && first?.bindingLimit !== e.bindingLimit) {
    out.push([
      'bindingLimit',
      `expected the first offer limited by ${e.bindingLimit}, got ${first ? first.bindingLimit : 'no offer'}`,
      `预期首个授信方案受 ${e.bindingLimit} 限制，实际为 ${first ? first.bindingLimit : '无授信方案'}`,
    ]);
  }
  const codes = new Set(d.reasons.map((r) => r.code));
  const missing = (e.reasons ?? []).filter((c) => !codes.has(c));
  if (missing.length > 0) {
    out.push([
      'reasons',
      `expected reasons ${missing.join(', ')} among the decision's (${seen})`,
      `预期决定包含原因 ${missing.join(', ')}（${seenZh}）`,
    ]);
  }
  return out;
}

/** Validation, then (for a valid policy) its test cases; every problem in one answer. */
export function checkPolicy(doc: unknown): PolicyValidation {
  const validation = validatePolicy(doc);
  if (!validation.ok) return validation;
  const failures = runPolicyTestCases(compilePolicy(validation.policy));
  return failures.length === 0 ? validation : { ok: false, problems: failures };
}
