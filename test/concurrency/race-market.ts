import { markets, merchants, operators } from '../../src/db/schema';
import { residentIdCheckChar } from '../../src/lib/personal-data';
import type { TestApp } from '../helpers/test-app';

/** An operator with a guarantee agreement, its market, and `count` merchants there (ids `${prefix}${i}`). */
export async function seedRaceMarket(
  t: TestApp,
  m: {
    operatorId: string;
    marketId: string;
    capacity: number;
    perMerchantCap: number;
    merchantPrefix: string;
    count: number;
    /** Keeps identity numbers apart between markets of one database. */
    idSeries: string;
  },
): Promise<string[]> {
  const db = t.testDb.database.db;
  const now = new Date();
  await db.insert(operators).values({
    id: m.operatorId,
    name: `${m.operatorId} operator`,
    capacity: m.capacity,
    perMerchantCap: m.perMerchantCap,
    maxTermMonths: 24,
    depositRatioBps: 1000,
    agreementStatus: 'active',
    createdAt: now,
  });
  await db.insert(markets).values({
    id: m.marketId,
    name: `${m.marketId} market`,
    city: '重庆',
    category: 'building_materials',
    operatorId: m.operatorId,
    createdAt: now,
  });
  const rows = Array.from({ length: m.count }, (_, i) => {
    const first17 = `500103${m.idSeries}${String(100 + i).padStart(3, '0')}`;
    return {
      id: `${m.merchantPrefix}${i}`,
      name: `Merchant ${m.merchantPrefix}${i}`,
      idNumberDigest: `digest-${first17}${residentIdCheckChar(first17)}`,
      idNumberMasked: '5001**********0000',
      phoneDigest: `phone-${m.merchantPrefix}${i}`,
      phoneMasked: '139****0000',
      marketId: m.marketId,
      stallNo: `S-${i}`,
      leaseEndsOn: '2030-12-31',
      createdAt: now,
    };
  });
  await db.insert(merchants).values(rows);
  return rows.map((r) => r.id);
}
