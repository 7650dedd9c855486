import { PgDialect } from 'drizzle-orm/pg-core';
import { applications, merchants } from '../../../src/db/schema';
import type { Principal, Role } from '../../../src/lib/principal';
import {
  canCreateMerchantIn,
  canSeeMerchant,
  visibleTo,
} from '../../../src/modules/merchants/access';

const principal = (role: Role, extra: Partial<Principal> = {}): Principal => ({
  keyId: `key_${role}`,
  role,
  name: role,
  owner: `owner-${role}`,
  marketIds: [],
  partnerId: null,
  ...extra,
});
const dialect = new PgDialect();
const render = (p: Principal) => {
  const cond = visibleTo(p, { marketId: merchants.marketId, partnerId: merchants.partnerId });
  return cond ? dialect.sqlToQuery(cond) : undefined;
};

describe('merchant access', () => {
  const inMjy = { marketId: 'mkt_a', partnerId: null };
  const byPartnerA = { marketId: 'mkt_b', partnerId: 'ptn_a' };

  it('lets admins, reviewers and risk see everything, with no SQL filter', () => {
    for (const role of ['admin', 'reviewer', 'risk'] as const) {
      expect(canSeeMerchant(principal(role), inMjy)).toBe(true);
      expect(canSeeMerchant(principal(role), byPartnerA)).toBe(true);
      expect(render(principal(role))).toBeUndefined();
    }
  });

  it('binds officers to their markets', () => {
    const officer = principal('officer', { marketIds: ['mkt_a'] });
    expect(canSeeMerchant(officer, inMjy)).toBe(true);
    expect(canSeeMerchant(officer, byPartnerA)).toBe(false);
    expect(canCreateMerchantIn(officer, 'mkt_a')).toBe(true);
    expect(canCreateMerchantIn(officer, 'mkt_b')).toBe(false);
    expect(render(officer)).toMatchObject({
      sql: '"merchants"."market_id" in ($1)',
      params: ['mkt_a'],
    });
    // An officer bound to nothing sees nothing (never "no filter").
    expect(render(principal('officer'))?.sql).toBe('false');
  });

  it('binds partners to their partnerId; a partner key without one sees nothing', () => {
    const a = principal('partner', { partnerId: 'ptn_a' });
    const b = principal('partner', { partnerId: 'ptn_b' });
    expect(canSeeMerchant(a, byPartnerA)).toBe(true);
    expect(canSeeMerchant(b, byPartnerA)).toBe(false);
    expect(canSeeMerchant(a, inMjy)).toBe(false);
    expect(canSeeMerchant(principal('partner'), inMjy)).toBe(false);
    expect(canCreateMerchantIn(a, 'mkt_b')).toBe(true);
    expect(render(a)).toMatchObject({ sql: '"merchants"."partner_id" = $1', params: ['ptn_a'] });
    expect(render(principal('partner'))?.sql).toBe('false');
  });

  it('applies to other tables carrying market and partner columns', () => {
    const cond = visibleTo(principal('partner', { partnerId: 'ptn_a' }), {
      marketId: applications.marketId,
      partnerId: applications.partnerId,
    });
    expect(cond && dialect.sqlToQuery(cond).sql).toBe('"applications"."partner_id" = $1');
  });
});
