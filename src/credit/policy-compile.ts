/**
 * Compiles a validated policy document into closures once, so that a decision only runs
 * comparisons and lookups: no parsing, no searching by name.
 */
import { categoricalReader, numericReader } from './fields';
import type { Grade } from './grades';
import type { MetricParams, Metrics } from './metrics';
import type { CharacteristicDocument, KnockoutDocument, PolicyDocument } from './policy-schema';
import { type PolicyProblem, validatePolicy } from './policy-validate';
import type { Survey } from './survey';

export interface PointsLine {
  characteristic: string;
  value: number | string;
  bin: string;
  points: number;
  maxPoints: number;
}

export interface CompiledCharacteristic {
  name: string;
  reasonCode: string;
  textZh: string;
  textEn: string;
  maxPoints: number;
  evaluate(survey: Survey, metrics: Metrics): PointsLine;
}

export interface CompiledKnockout {
  code: string;
  textZh: string;
  textEn: string;
  fires(survey: Survey, metrics: Metrics): boolean;
}

export const OUTCOMES = ['approve', 'refer', 'decline'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface CompiledPolicy {
  version: number;
  document: PolicyDocument;
  metricParams: MetricParams;
  basePoints: number;
  characteristics: CompiledCharacteristic[];
  knockouts: CompiledKnockout[];
  pdOf(score: number): number;
  gradeOf(score: number): Grade;
  outcomeOf(score: number): Outcome;
}

export class PolicyInvalidError extends Error {
  constructor(readonly problems: PolicyProblem[]) {
    super(`invalid credit policy: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
    this.name = 'PolicyInvalidError';
  }
}

export function compilePolicy(doc: PolicyDocument): CompiledPolicy {
  const checked = validatePolicy(doc);
  if (!checked.ok) throw new PolicyInvalidError(checked.problems);
  const policy = checked.policy;
  const { baseScore, baseOdds, pdo } = policy.scaling;
  // score = offset + factor * ln(odds), odds = good:bad; PD = 1 / (1 + odds).
  const factor = pdo / Math.LN2;
  const offset = baseScore - factor * Math.log(baseOdds);
  const g = policy.grades;
  const { approveMinScore, referMinScore } = policy.outcomes;
  return {
    version: policy.version,
    document: policy,
    metricParams: {
      growthRate: policy.cashFlow.growthRate,
      assessmentRateBps: policy.cashFlow.assessmentRateBps,
      inventoryDaysTolerance: policy.dataChecks.inventoryDaysTolerance,
    },
    basePoints: policy.scorecard.basePoints,
    characteristics: policy.scorecard.characteristics.map(compileCharacteristic),
    knockouts: policy.knockouts.map(compileKnockout),
    pdOf: (score) => 1 / (1 + Math.exp((score - offset) / factor)),
    gradeOf: (score) =>
      score >= g.A ? 'A' : score >= g.B ? 'B' : score >= g.C ? 'C' : score >= g.D ? 'D' : 'E',
    outcomeOf: (score) =>
      score >= approveMinScore ? 'approve' : score >= referMinScore ? 'refer' : 'decline',
  };
}

function numericLabel(min: number | null, max: number | null): string {
  if (min === null && max === null) return 'any';
  if (min === null) return `< ${max}`;
  if (max === null) return `>= ${min}`;
  return `[${min}, ${max})`;
}

function compileCharacteristic(c: CharacteristicDocument): CompiledCharacteristic {
  const maxPoints = Math.max(...c.bins.map((b) => b.points));
  const head = {
    name: c.name,
    reasonCode: c.reasonCode,
    textZh: c.textZh,
    textEn: c.textEn,
    maxPoints,
  };
  if (c.kind === 'numeric') {
    const read = numericReader(c.field);
    // Validation guarantees contiguous bins [min, max): the first whose max is above the value.
    const uppers = c.bins.map((b) => (b.max === null ? Number.POSITIVE_INFINITY : b.max));
    const points = c.bins.map((b) => b.points);
    const labels = c.bins.map((b) => numericLabel(b.min, b.max));
    const last = c.bins.length - 1;
    return {
      ...head,
      evaluate(survey, metrics) {
        const value = read(survey, metrics);
        let i = 0;
        while (i < last && value >= (uppers[i] as number)) i++;
        return {
          characteristic: c.name,
          value,
          bin: labels[i] as string,
          points: points[i] as number,
          maxPoints,
        };
      },
    };
  }
  const read = categoricalReader(c.field);
  const byValue = new Map<string, { bin: string; points: number }>();
  for (const b of c.bins) {
    for (const v of b.values) byValue.set(v, { bin: b.values.join('|'), points: b.points });
  }
  return {
    ...head,
    evaluate(survey) {
      const value = read(survey);
      const hit = byValue.get(value) ?? { bin: 'unbinned', points: 0 };
      return { characteristic: c.name, value, bin: hit.bin, points: hit.points, maxPoints };
    },
  };
}

function compileKnockout(k: KnockoutDocument): CompiledKnockout {
  const head = { code: k.code, textZh: k.textZh, textEn: k.textEn };
  if (k.operator === 'in') {
    const read = categoricalReader(k.field);
    const set = new Set(k.value as string[]);
    return { ...head, fires: (survey) => set.has(read(survey)) };
  }
  const read = numericReader(k.field);
  const t = k.value as number;
  const test: Record<typeof k.operator, (v: number) => boolean> = {
    lt: (v) => v < t,
    lte: (v) => v <= t,
    gt: (v) => v > t,
    gte: (v) => v >= t,
  };
  const cmp = test[k.operator];
  return { ...head, fires: (survey, metrics) => cmp(read(survey, metrics)) };
}
