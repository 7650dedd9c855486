import { sql } from 'drizzle-orm';
import { applyMigration, applyMigrationsBefore } from '../helpers/migration-steps';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';

describe('migration 0005: every merchant a partner registered before links existed gets its link', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase({ migrate: false });
    await applyMigrationsBefore(t, '0005_merchant_partner_links');
    await t.database.db.execute(sql`
      insert into markets (id, name, city, category, created_at) values ('mkt_x', 'X', 'Chongqing', 'building_materials', now())`);
    await t.database.db.execute(sql`
      insert into merchants (id, name, id_number_digest, id_number_masked, phone_digest, phone_masked,
        market_id, stall_no, partner_id, created_by, created_at) values
        ('mer_p', 'P', 'd1', 'm', 'p1', 'm', 'mkt_x', 'A-1', 'ptn_x', 'key_p', '2026-01-02T00:00:00Z'),
        ('mer_bank', 'B', 'd2', 'm', 'p2', 'm', 'mkt_x', 'A-2', null, 'key_o', '2026-01-03T00:00:00Z')`);
    await applyMigration(t, '0005_merchant_partner_links');
  });
  afterAll(() => t.dispose());

  it("links the registering partner to its merchants, with the registration's key and time, and nobody to the bank's", async () => {
    const result = await t.database.db.execute(
      sql`select merchant_id, partner_id, created_by, created_at from merchant_partner_links`,
    );
    const rows = (result as unknown as { rows: Record<string, unknown>[] }).rows;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      merchant_id: 'mer_p',
      partner_id: 'ptn_x',
      created_by: 'key_p',
    });
    expect(new Date(rows[0]?.created_at as string).toISOString()).toBe('2026-01-02T00:00:00.000Z');
  });
});
