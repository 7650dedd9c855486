import { applications } from '../../db/schema';
import type { AppDeps } from '../../deps';
import { decodeCursor, page } from '../../lib/cursor';
import { notFound } from '../../lib/errors';
import type { Principal } from '../../lib/principal';
import { listAuditEvents } from '../audit/repository';
import { canSeeMerchant, visibleTo } from '../merchants/access';
import * as repo from './repository';
import type { ApplicationView } from './schemas';
import { applicationView } from './views';

/** An application the caller may see, or 404 exactly as for one that does not exist. */
export async function visibleApplication(
  deps: AppDeps,
  principal: Principal,
  id: string,
): Promise<repo.ApplicationRow> {
  const row = await repo.findApplication(deps.db, id);
  if (!row || !canSeeMerchant(principal, row)) throw notFound('Application');
  return row;
}

export async function getApplication(
  deps: AppDeps,
  principal: Principal,
  id: string,
): Promise<ApplicationView> {
  const row = await visibleApplication(deps, principal, id);
  return assemble(deps, row);
}

export async function assemble(deps: AppDeps, row: repo.ApplicationRow): Promise<ApplicationView> {
  const [decisions, offerRows] = await Promise.all([
    repo.latestDecisions(deps.db, [row.id]),
    repo.offersOf(deps.db, [row.id]),
  ]);
  const decision = decisions.get(row.id);
  if (!decision) throw new Error(`application ${row.id} has no decision`);
  return applicationView(row, decision, offerRows);
}

export interface ListFilter {
  status?: repo.ApplicationRow['status'];
  marketId?: string;
  product?: string;
  since?: string;
}

export async function listApplications(
  deps: AppDeps,
  principal: Principal,
  filter: ListFilter,
  limit: number,
  cursor?: string,
) {
  const rows = await repo.listApplications(
    deps.db,
    {
      visibility: visibleTo(principal, {
        marketId: applications.marketId,
        partnerId: applications.partnerId,
      }),
      status: filter.status,
      marketId: filter.marketId,
      product: filter.product,
      since: filter.since ? new Date(filter.since) : undefined,
    },
    limit + 1,
    decodeCursor(cursor),
  );
  const { data, nextCursor } = page(rows, limit);
  const decisions = await repo.latestDecisions(
    deps.db,
    data.map((r) => r.id),
  );
  return {
    data: data.map((r) => {
      const d = decisions.get(r.id);
      return {
        id: r.id,
        status: r.status,
        merchantId: r.merchantId,
        marketId: r.marketId,
        request: {
          product: r.product,
          amount: r.amount,
          termMonths: r.termMonths,
          purpose: r.purpose,
          guaranteeGroupId: r.guaranteeGroupId,
        },
        outcome: d?.outcome ?? 'refer',
        score: d?.score ?? 0,
        grade: d?.grade ?? 'E',
        createdAt: r.createdAt.toISOString(),
        updatedAt: r.updatedAt.toISOString(),
      };
    }),
    nextCursor,
  };
}

/** The audit trail of an application, its decisions and its offers, oldest first. */
export async function applicationEvents(deps: AppDeps, principal: Principal, id: string) {
  const row = await visibleApplication(deps, principal, id);
  const offerRows = await repo.offersOf(deps.db, [row.id]);
  const events = await listAuditEvents(deps.db, [row.id, ...offerRows.map((o) => o.id)]);
  return {
    data: events.map((e) => ({
      id: e.id,
      entityType: e.entityType,
      entityId: e.entityId,
      action: e.action,
      actorKeyId: e.actorKeyId,
      actorRole: e.actorRole,
      actorOwner: e.actorOwner,
      requestId: e.requestId,
      data: e.data,
      at: e.at.toISOString(),
    })),
  };
}
