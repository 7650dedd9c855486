/** Points per characteristic, score, PD, grade and knock-outs of one applicant. */
import type { Grade } from './grades';
import type { Metrics } from './metrics';
import { roundTo } from './money';
import type { CompiledKnockout, CompiledPolicy, PointsLine } from './policy-compile';
import type { Survey } from './survey';

export interface Scorecard {
  score: number;
  pd: number;
  grade: Grade;
  points: PointsLine[];
  knockouts: CompiledKnockout[];
}

export function scoreApplicant(
  survey: Survey,
  metrics: Metrics,
  policy: CompiledPolicy,
): Scorecard {
  const points: PointsLine[] = [];
  let score = policy.basePoints;
  for (const c of policy.characteristics) {
    const line = c.evaluate(survey, metrics);
    score += line.points;
    points.push(line);
  }
  const knockouts = policy.knockouts.filter((k) => k.fires(survey, metrics));
  return {
    score,
    pd: roundTo(policy.pdOf(score), 6),
    grade: policy.gradeOf(score),
    points,
    knockouts,
  };
}
