/** Risk grades, best first; comparisons go through the rank so that 'A' beats 'B'. */
export const GRADES = ['A', 'B', 'C', 'D', 'E'] as const;
export type Grade = (typeof GRADES)[number];

const RANK: Record<Grade, number> = { A: 0, B: 1, C: 2, D: 3, E: 4 };

/** True when `grade` is `minimum` or better. */
export function gradeAtLeast(grade: Grade, minimum: Grade): boolean {
  return RANK[grade] <= RANK[minimum];
}
