import { apiKeys, markets, merchants, operators } from '../../src/db/schema';
import { seedDemoData } from '../../src/db/seed';
import { isMainlandMobile } from '../../src/lib/personal-data';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';

describe('demo seed', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t.dispose());

  it('seeds two markets, their operators, a dozen merchants and one key per role, once', async () => {
    const opts = {
      clock: () => new Date('2026-11-26T09:00:00Z'),
      piiDigestKey: 'k'.repeat(16),
      demoKeys: true,
    };
    const first = await seedDemoData(t.database.db, opts);
    expect(first.seeded).toBe(true);
    expect(first.keys.map((k) => k.role).sort()).toEqual([
      'admin',
      'officer',
      'partner',
      'reviewer',
      'risk',
    ]);
    const second = await seedDemoData(t.database.db, opts);
    expect(second).toEqual({ seeded: false, keys: [] });

    const db = t.database.db;
    expect((await db.select().from(markets)).map((m) => m.category).sort()).toEqual([
      'building_materials',
      'furniture',
    ]);
    expect(await db.select().from(operators)).toHaveLength(2);
    const rows = await db.select().from(merchants);
    expect(rows).toHaveLength(12);
    for (const m of rows) {
      expect(m.idNumberMasked).toMatch(/^.{4}\*{10}.{4}$/);
      expect(m.phoneMasked).toMatch(/^1\d{2}\*{4}\d{4}$/);
      expect(isMainlandMobile(m.phoneDigest)).toBe(false);
    }
    const keys = await db.select().from(apiKeys);
    expect(keys).toHaveLength(5);
    // One demo person per role, so four eyes can be tried between them.
    expect(new Set(keys.map((k) => k.owner)).size).toBe(5);
  });
});
