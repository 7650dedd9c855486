import { eq, type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Principal } from '../../lib/principal';
import { canSeeMarket, marketFilter } from '../markets/access';

/**
 * Authorization by object for merchants and for whatever hangs off a merchant and carries
 * its market and partner (applications, offers, guarantee groups):
 *
 * - `admin`, `reviewer`, `risk`: every object;
 * - `officer`: objects in the markets its key is bound to;
 * - `partner`: objects created under its partnerId (a partner key without one sees nothing).
 *
 * An object the caller may not see is answered 404, exactly like a missing one.
 */
export interface OwnedObject {
  marketId: string;
  partnerId: string | null;
}

export function canSeeMerchant(principal: Principal, row: OwnedObject): boolean {
  switch (principal.role) {
    case 'admin':
    case 'reviewer':
    case 'risk':
      return true;
    case 'officer':
      return canSeeMarket(principal, row.marketId);
    case 'partner':
      return principal.partnerId !== null && row.partnerId === principal.partnerId;
  }
}

/**
 * Whether the caller sees a merchant record itself (not an application or offer of it): a
 * partner through its own link only, whoever registered the person first; other roles as
 * canSeeMerchant.
 */
export function canSeeMerchantRecord(
  principal: Principal,
  merchant: { marketId: string },
  link: { partnerId: string } | null,
): boolean {
  if (principal.role === 'partner')
    return principal.partnerId !== null && link?.partnerId === principal.partnerId;
  return canSeeMerchant(principal, { marketId: merchant.marketId, partnerId: null });
}

/** Columns of the table a visibility filter applies to. */
export interface OwnedColumns {
  marketId: AnyPgColumn;
  partnerId: AnyPgColumn;
}

/**
 * The SQL twin of canSeeMerchant for lists: a condition for `where(and(...))`, or undefined
 * when the caller sees every row. Works on any table with market and partner columns, e.g.
 * `visibleTo(principal, { marketId: applications.marketId, partnerId: applications.partnerId })`.
 */
export function visibleTo(principal: Principal, columns: OwnedColumns): SQL | undefined {
  switch (principal.role) {
    case 'admin':
    case 'reviewer':
    case 'risk':
      return undefined;
    case 'officer':
      return marketFilter(principal, columns.marketId);
    case 'partner':
      return principal.partnerId === null ? sql`false` : eq(columns.partnerId, principal.partnerId);
  }
}

/**
 * Whether the caller may register a merchant in a market: an officer only in its markets
 * (others answer 404 "market not found", so an officer never learns which markets exist);
 * partners and admins in any existing market. Route roles keep reviewers and risk out.
 */
export function canCreateMerchantIn(principal: Principal, marketId: string): boolean {
  return canSeeMarket(principal, marketId);
}
