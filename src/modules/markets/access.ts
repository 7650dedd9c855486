import { inArray, type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Principal } from '../../lib/principal';

/**
 * Market visibility: an officer works only in the markets its key is bound to; every other
 * role sees every market. A market outside an officer's list is answered as not found.
 */
export function canSeeMarket(principal: Principal, marketId: string): boolean {
  return principal.role !== 'officer' || principal.marketIds.includes(marketId);
}

/** SQL condition on a market-id column limiting rows to the caller's markets (undefined: all). */
export function marketFilter(principal: Principal, marketId: AnyPgColumn): SQL | undefined {
  if (principal.role !== 'officer') return undefined;
  return principal.marketIds.length ? inArray(marketId, principal.marketIds) : sql`false`;
}
