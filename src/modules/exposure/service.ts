import { and, eq, inArray, ne } from 'drizzle-orm';
import { applications, guaranteeGroupMembers, offers } from '../../db/schema';
import type { AppDeps } from '../../deps';
import { notFound } from '../../lib/errors';
import type { Principal } from '../../lib/principal';
import { canSeeMerchantRecord } from '../merchants/access';
import { findMerchantFor } from '../merchants/repository';

const TAKEN = ['accepted', 'booked'] as const;

/**
 * What a merchant owes and stands behind: its loans, its card limits, and the loans of its
 * guarantee-group partners it guarantees (contingent liabilities, the links of a 担保链).
 */
export async function merchantExposure(deps: AppDeps, principal: Principal, merchantId: string) {
  const record = await findMerchantFor(deps.db, merchantId, principal);
  if (!record || !canSeeMerchantRecord(principal, record.merchant, record.link))
    throw notFound('Merchant');
  // A partner sees the lines of applications it submitted, never another tenant's.
  const shown =
    principal.role === 'partner'
      ? inArray(
          offers.applicationId,
          deps.db
            .select({ id: applications.id })
            .from(applications)
            .where(eq(applications.partnerId, principal.partnerId ?? '')),
        )
      : undefined;

  const own = await deps.db
    .select()
    .from(offers)
    .where(and(eq(offers.merchantId, merchantId), inArray(offers.status, [...TAKEN]), shown));
  const groups = await deps.db
    .select({ groupId: guaranteeGroupMembers.groupId })
    .from(guaranteeGroupMembers)
    .where(eq(guaranteeGroupMembers.merchantId, merchantId));
  const guaranteed = groups.length
    ? await deps.db
        .select()
        .from(offers)
        .where(
          and(
            inArray(
              offers.guaranteeGroupId,
              groups.map((g) => g.groupId),
            ),
            ne(offers.merchantId, merchantId),
            inArray(offers.status, [...TAKEN]),
            shown,
          ),
        )
    : [];

  const loans = own
    .filter((o) => o.product !== 'credit_card')
    .map((o) => ({
      offerId: o.id,
      applicationId: o.applicationId,
      product: o.product,
      amount: o.amount,
      termMonths: o.termMonths,
      annualRateBps: o.annualRateBps,
      status: o.status,
    }));
  const cardLimits = own
    .filter((o) => o.product === 'credit_card')
    .map((o) => ({ offerId: o.id, limit: o.amount, status: o.status }));
  const guaranteesGiven = guaranteed.map((o) => ({
    groupId: o.guaranteeGroupId as string,
    borrowerMerchantId: o.merchantId,
    offerId: o.id,
    amount: o.amount,
    status: o.status,
  }));
  const sum = (xs: { amount?: number; limit?: number }[]) =>
    xs.reduce((s, x) => s + (x.amount ?? x.limit ?? 0), 0);
  return {
    merchantId,
    loans,
    cardLimits,
    guaranteesGiven,
    totals: {
      loans: sum(loans),
      cardLimits: sum(cardLimits),
      guaranteesGiven: sum(guaranteesGiven),
    },
  };
}
