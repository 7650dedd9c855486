import type { Db } from '../../db/connect';
import type { AppDeps } from '../../deps';
import type { CommandContext } from '../../lib/command-context';
import { decodeCursor, page } from '../../lib/cursor';
import { notFound, validationFailed } from '../../lib/errors';
import { newId } from '../../lib/ids';
import type { Principal } from '../../lib/principal';
import { appendAudit } from '../audit/repository';
import { canSeeMarket } from './access';
import * as repo from './repository';
import type { CreateMarketBody, MarketView } from './schemas';

export function toView(row: repo.MarketRow): MarketView {
  return {
    id: row.id,
    name: row.name,
    city: row.city,
    category: row.category,
    operatorId: row.operatorId,
    createdAt: row.createdAt.toISOString(),
  };
}

export async function createMarket(
  ctx: CommandContext,
  body: CreateMarketBody,
  tx: Db,
): Promise<MarketView> {
  if (!(await repo.operatorExists(tx, body.operatorId))) {
    throw validationFailed([
      {
        path: 'body.operatorId',
        message: `unknown operator ${body.operatorId}`,
        messageZh: `市场运营方 ${body.operatorId} 不存在`,
      },
    ]);
  }
  const row = await repo.insertMarket(tx, {
    id: newId('mkt'),
    name: body.name,
    city: body.city,
    category: body.category,
    operatorId: body.operatorId,
    createdAt: ctx.now,
  });
  await appendAudit(tx, ctx, [
    {
      entityType: 'market',
      entityId: row.id,
      action: 'market.created',
      data: {
        name: row.name,
        city: row.city,
        category: row.category,
        operatorId: row.operatorId,
      },
    },
  ]);
  const view = toView(row);
  return view;
}

/** Officers see only their markets; every other role sees all. */
export async function listMarkets(
  deps: AppDeps,
  principal: Principal,
  limit: number,
  cursor?: string,
) {
  const rows = await repo.listMarkets(deps.db, limit + 1, decodeCursor(cursor), principal);
  const { data, nextCursor } = page(rows, limit);
  return { data: data.map(toView), nextCursor };
}

/** A market outside an officer's list is not found, exactly like one that does not exist. */
export async function getMarket(
  deps: AppDeps,
  principal: Principal,
  id: string,
): Promise<MarketView> {
  const row = canSeeMarket(principal, id) ? await repo.findMarket(deps.db, id) : undefined;
  if (!row) throw notFound('Market');
  return toView(row);
}
