import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { validatePolicy } from '../../src/credit';
import { MIGRATIONS_FOLDER } from '../../src/db/connect';
import { seedDemo, strongSurvey } from '../helpers/fixtures';
import { rowsOf } from '../helpers/migration-steps';
import { bearer, createTestApp, type TestApp } from '../helpers/test-app';
import {
  accept,
  createMerchant,
  MJY,
  submitOk,
  twoOfferSurvey,
} from '../modules/origination/applications/helpers';

/**
 * Migration 0014 fills guarantee_edges for the guarantees live before it (groups, taken
 * operator-guaranteed loans) and gives stored policies the network's fields. Its data statements,
 * run on what the service made, must give back exactly the edges the service keeps.
 */
describe('migration 0014: the guarantee network from the groups and loans before it', () => {
  let t: TestApp;
  const now = new Date('2026-11-26T09:30:00.000Z');
  const text = readFileSync(path.join(MIGRATIONS_FOLDER, '0014_guarantee_network.sql'), 'utf8');
  const statements = (pattern: RegExp) =>
    text
      .split('--> statement-breakpoint')
      .filter((s) => new RegExp(`^\\s*(--[^\\n]*\\n\\s*)*${pattern.source}`).test(s));
  const edges = () =>
    rowsOf(
      t.testDb,
      sql`select id, market_id, guarantor_kind, guarantor_id, borrower_merchant_id, source,
            group_id, application_id, offer_id, amount_fen from guarantee_edges order by id`,
    );

  beforeAll(async () => {
    t = await createTestApp({ clock: () => now });
    await seedDemo(t);
    const officer = await t.issueKey('officer', { marketIds: [MJY] });
    // A taken operator-guaranteed loan, a decided group and a forming one with a pending loan.
    const a = await submitOk(t, officer, 'mer_demo_mjy01', twoOfferSurvey(), {
      product: 'operator_guarantee',
    });
    await accept(t, officer, a.offers[0]?.id as string);
    for (const applying of [3, 1]) {
      const members = [
        await createMerchant(t, t.adminKey, MJY),
        await createMerchant(t, t.adminKey, MJY),
        await createMerchant(t, t.adminKey, MJY),
      ];
      const group = await t.http
        .post('/v1/guarantee-groups')
        .set(bearer(officer))
        .send({ marketId: MJY, memberIds: members });
      for (const m of members.slice(0, applying))
        await submitOk(t, officer, m, strongSurvey(), {
          product: 'joint_guarantee',
          guaranteeGroupId: group.body.id,
          amount: 20_000_000,
        });
    }
  });
  afterAll(() => t.close());

  it('fills the edges the service keeps', async () => {
    const kept = await edges();
    expect(kept.filter((e) => e.source === 'group')).toHaveLength(12);
    expect(kept.filter((e) => e.source === 'operator')).toHaveLength(1);
    expect(kept.some((e) => e.source === 'group' && Number(e.amount_fen) === 0)).toBe(true);
    await t.testDb.database.db.execute(sql`delete from guarantee_edges`);
    const fill = statements(/INSERT INTO "guarantee_edges"/);
    expect(fill).toHaveLength(2);
    for (const s of fill) await t.testDb.database.db.execute(sql.raw(s));
    expect(await edges()).toEqual(kept);
  });

  it("gives stored policies the default's group count, no network rules and no LGD effect", async () => {
    const db = t.testDb.database.db;
    await db.execute(sql`update policies set document = (document - 'guaranteeNetwork'
      - 'individualGuarantee') #- '{products,joint_guarantee,maxGroupsPerMerchant}'`);
    const update = statements(/UPDATE "policies"/);
    expect(update).toHaveLength(2);
    for (const s of update) await db.execute(sql.raw(s));
    const [row] = await rowsOf(t.testDb, sql`select document from policies where version = 1`);
    const doc = row?.document as {
      products: { joint_guarantee: { maxGroupsPerMerchant?: number } };
      guaranteeNetwork?: unknown;
      individualGuarantee?: unknown;
    };
    expect(doc.products.joint_guarantee.maxGroupsPerMerchant).toBe(2);
    expect(doc.guaranteeNetwork).toBeNull();
    expect(doc.individualGuarantee).toEqual({ maxGuarantors: 3, lgdReduction: 0 });
    expect(validatePolicy(doc).ok).toBe(true);
  });
});
