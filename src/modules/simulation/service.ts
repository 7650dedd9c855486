import {
  type CompiledPolicy,
  compilePolicy,
  type DecisionContext,
  validatePolicy,
} from '../../credit';
import type { AppDeps } from '../../deps';
import { notFound, unprocessable } from '../../lib/errors';
import { findPolicy } from '../policies/repository';
import { type StoredFilter, storedInputs } from './repository';
import { DEFAULT_SAMPLE_SIZE, type SimulateBody, type SimulationResult } from './schemas';
import { SimulationTally } from './tally';

/** An inline case without a context: no operator agreement, no guarantee group. */
const NO_CONTEXT: DecisionContext = { operator: null, guaranteeGroup: null };

export type SimulateInput = Partial<Omit<SimulateBody, 'sampleSize'>> & { sampleSize?: number };

/**
 * POST /v1/policies/:id/simulate: replays stored applications (or an inline batch) through a
 * candidate policy and the active champion, both with the decide() production runs, and
 * answers outcome rates, score and grade mix, product mix, expected loss and the swap set.
 * Read-only: nothing is written.
 */
export async function simulatePolicy(
  deps: Pick<AppDeps, 'db' | 'policies'>,
  policyId: string,
  body: SimulateInput = {},
): Promise<SimulationResult> {
  const started = performance.now();
  const candidate = await loadCandidate(deps, policyId);
  const { champion } = await deps.policies.activeSet();
  const tally = new SimulationTally(
    candidate.compiled,
    champion.compiled,
    body.sampleSize ?? DEFAULT_SAMPLE_SIZE,
    candidate.id === champion.id,
  );

  if (body.surveys) {
    body.surveys.forEach((c, i) => {
      tally.add({
        key: String(i),
        survey: c.survey,
        request: c.request,
        context: c.context ?? NO_CONTEXT,
      });
    });
  } else {
    for await (const batch of storedInputs(deps.db, storedFilter(body.filter))) {
      for (const input of batch) {
        tally.add({
          key: input.id,
          survey: input.survey,
          request: input.request,
          context: input.context,
        });
      }
    }
  }

  return {
    policy: { id: candidate.id, version: candidate.version },
    against: { id: champion.id, version: champion.version },
    source: body.surveys ? 'inline' : 'stored',
    ...tally.totals(),
    elapsedMs: Math.round(performance.now() - started),
  };
}

/** Any policy, drafts included; a draft must validate (every problem is reported at once). */
async function loadCandidate(
  deps: Pick<AppDeps, 'db' | 'policies'>,
  id: string,
): Promise<{ id: string; version: number; compiled: CompiledPolicy }> {
  const row = await findPolicy(deps.db, id);
  if (!row) throw notFound('Policy');
  const checked = validatePolicy(row.document);
  if (!checked.ok) {
    throw unprocessable(
      'POLICY_INVALID',
      `Policy ${id} is not valid: ${checked.problems.length} problem(s); fix them before simulating`,
      '信贷政策文档无效，请修正后再模拟',
      checked.problems.map((p) => ({ path: p.path, message: p.message })),
    );
  }
  // Published and retired policies are frozen: the shared cache may keep them compiled.
  // A draft may still change, so it is compiled afresh.
  const compiled =
    row.status === 'draft'
      ? compilePolicy(checked.policy)
      : deps.policies.compile(row.id, row.document);
  return { id: row.id, version: row.version, compiled };
}

function storedFilter(filter: SimulateBody['filter']): StoredFilter {
  if (!filter) return {};
  return {
    since: filter.since ? new Date(filter.since) : undefined,
    until: filter.until ? new Date(filter.until) : undefined,
    marketId: filter.marketId,
    product: filter.product,
  };
}
