import type { AppDeps } from '../../app';
import { notFound } from '../../platform/errors';
import { findPolicy } from './repository';

export async function activePolicy(deps: AppDeps) {
  const set = await deps.policies.activeSet();
  const row = await findPolicy(deps.db, set.champion.id);
  if (!row) throw notFound('Active credit policy');
  return {
    id: row.id,
    version: row.version,
    status: row.status,
    activatedAt: set.champion.activatedAt.toISOString(),
    document: row.document as Record<string, unknown>,
    challenger: set.challenger
      ? {
          id: set.challenger.id,
          version: set.challenger.version,
          shareBps: set.challenger.shareBps,
        }
      : null,
  };
}
