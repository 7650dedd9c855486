import type { FastifyRequest } from 'fastify';
import { MAX_DETAILS, zodIssuesAnswer } from '../../platform/validation-details';
import { inlineCase } from './schemas';

/**
 * The route's preValidation: an inline batch is checked case by case, stopping once
 * MAX_DETAILS problems are found. The body schema alone would report every problem of every
 * case: 10,000 empty cases (a 270 KB body) make 170,000 issues and held the instance for a
 * second. A valid batch passes here and is validated again by the schema (cheap by
 * comparison with simulating it).
 */
export async function checkInlineBatch(request: FastifyRequest) {
  const surveys = (request.body as { surveys?: unknown } | null)?.surveys;
  if (!Array.isArray(surveys)) return;
  const issues = [];
  for (let i = 0; i < surveys.length && issues.length < MAX_DETAILS; i++) {
    const checked = inlineCase.safeParse(surveys[i]);
    if (!checked.success)
      for (const issue of checked.error.issues)
        issues.push({ ...issue, path: ['surveys', i, ...issue.path] });
    if (issues.length >= MAX_DETAILS && i < surveys.length - 1)
      throw zodIssuesAnswer('body', issues, true);
  }
  if (issues.length) throw zodIssuesAnswer('body', issues);
}
