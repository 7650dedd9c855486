import { checkPolicy, compilePolicy, runPolicyTestCases, validatePolicy } from '../../src/credit';
import type { PolicyTestCase } from '../../src/credit/policy-test-cases';
import { policyCopy } from './helpers';

function problemsOf(doc: unknown) {
  const r = checkPolicy(doc);
  if (r.ok) throw new Error('expected problems');
  return r.problems;
}

describe('policy test cases', () => {
  it('ships the default policy with at least eight cases from the survey, all passing', () => {
    const doc = policyCopy();
    expect(doc.testCases?.length).toBeGreaterThanOrEqual(8);
    expect(checkPolicy(doc).ok).toBe(true);
    const names = (doc.testCases ?? []).map((c) => c.name).join('\n');
    for (const topic of [
      /wholesaler of 10 years short of 2M/,
      /deposits/,
      /store expansion of 1M/,
    ]) {
      expect(names).toMatch(topic);
    }
    for (const topic of [/Newcomer/, /Loss-maker/]) expect(names).toMatch(topic);
  });

  it('reports each failed expectation with its path, the case name and what was seen', () => {
    const doc = policyCopy();
    doc.outcomes.approveMinScore = 670; // above every case's score
    doc.grades.A = 680;
    const problems = problemsOf(doc);
    const first = problems.filter((p) => p.path.startsWith('testCases[0].'));
    expect(first.map((p) => p.path)).toEqual([
      'testCases[0].expect.outcome',
      'testCases[0].expect.products',
      'testCases[0].expect.minAmount',
      'testCases[0].expect.maxAmount',
    ]);
    expect(first[0]?.message).toMatch(
      /^Majiayan wholesaler.*: expected approve, got refer \(score 610/,
    );
    // The declines still pass: knock-outs do not depend on the cutoff.
    expect(problems.some((p) => p.path.startsWith('testCases[6].'))).toBe(false);
  });

  it('checks reasons, grade and amounts', () => {
    const doc = policyCopy();
    const cases = doc.testCases as PolicyTestCase[];
    const base = cases[0] as PolicyTestCase;
    cases.push(
      { ...base, name: 'wrong grade', expect: { grade: 'A' } },
      { ...base, name: 'missing reason', expect: { reasons: ['TENURE_SHORT'] } },
      { ...base, name: 'too small', expect: { maxAmount: 1_000 } },
    );
    const n = cases.length;
    expect(problemsOf(doc).map((p) => p.path)).toEqual([
      `testCases[${n - 3}].expect.grade`,
      `testCases[${n - 2}].expect.reasons`,
      `testCases[${n - 1}].expect.maxAmount`,
    ]);
  });

  it('validates the cases themselves: survey fields, duplicate names, bounds', () => {
    const doc = policyCopy();
    const cases = doc.testCases as PolicyTestCase[];
    const base = cases[0] as PolicyTestCase;
    (cases[1] as { survey: Record<string, unknown> }).survey.stockValue = 1;
    cases.push({ ...base, expect: { minAmount: 2, maxAmount: 1 } });
    const r = validatePolicy(doc);
    expect(r.ok ? [] : r.problems.map((p) => p.path)).toEqual([
      'testCases[1].survey.stockValue',
      `testCases[${cases.length - 1}].name`,
      `testCases[${cases.length - 1}].expect.minAmount`,
    ]);
  });

  it('a policy without test cases is only validated', () => {
    const doc = policyCopy();
    delete doc.testCases;
    expect(checkPolicy(doc).ok).toBe(true);
    expect(runPolicyTestCases(compilePolicy(doc))).toEqual([]);
  });
});
