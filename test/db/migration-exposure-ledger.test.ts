import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
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
 * Migration 0012 fills the exposure ledger, each offer's monthly cost and its acceptance date for
 * a database that had offers before the ledger existed. Its data statements, run on offers the
 * service made, must give back exactly what the service itself keeps.
 */
describe('migration 0012: the exposure ledger from the offers made before it', () => {
  let t: TestApp;
  const now = new Date('2026-11-26T09:30:00.000Z');
  const state = async () => ({
    ledger: await rowsOf(
      t.testDb,
      sql`select borrower, held, held_instalments, loans, card_limits, taken_instalments,
            operator_guarantee, joint_guarantee, credit_loan, credit_card, contingent
          from exposure_ledger where version > 0 order by borrower`,
    ),
    offers: await rowsOf(
      t.testDb,
      sql`select id, monthly_instalment, accepted_at from offers order by id`,
    ),
  });

  beforeAll(async () => {
    t = await createTestApp({ clock: () => now });
    await seedDemo(t);
    const officer = await t.issueKey('officer', { marketIds: [MJY] });
    // Open offers, a taken loan, a card, and a guarantee group's loans.
    const a = await submitOk(t, officer, 'mer_demo_mjy01', twoOfferSurvey());
    await accept(t, officer, a.offers[0]?.id as string);
    await submitOk(t, officer, 'mer_demo_mjy02', twoOfferSurvey(), { product: 'credit_card' });
    const card = await submitOk(t, officer, 'mer_demo_mjy03', twoOfferSurvey(), {
      product: 'credit_card',
    });
    await accept(t, officer, card.offers[0]?.id as string);
    const members = [
      await createMerchant(t, t.adminKey, MJY),
      await createMerchant(t, t.adminKey, MJY),
      await createMerchant(t, t.adminKey, MJY),
    ];
    const group = await t.http
      .post('/v1/guarantee-groups')
      .set(bearer(officer))
      .send({ marketId: MJY, memberIds: members });
    for (const m of members)
      await submitOk(t, officer, m, strongSurvey(), {
        product: 'joint_guarantee',
        guaranteeGroupId: group.body.id,
        amount: 20_000_000,
      });
  });
  afterAll(() => t.close());

  it('rebuilds the ledger rows, instalments and acceptance dates the service keeps', async () => {
    const kept = await state();
    expect(kept.ledger.length).toBeGreaterThan(5);
    expect(kept.offers.some((o) => o.accepted_at !== null)).toBe(true);
    // As a database before 0012 would have it (the DDL aside).
    await t.testDb.database.db.execute(sql`delete from exposure_ledger`);
    await t.testDb.database.db.execute(
      sql`update offers set monthly_instalment = 0, accepted_at = null`,
    );
    const text = readFileSync(path.join(MIGRATIONS_FOLDER, '0012_exposure_ledger.sql'), 'utf8');
    const data = text
      .split('--> statement-breakpoint')
      .filter((s) => /^\s*(--[^\n]*\n\s*)*(UPDATE "offers"|INSERT INTO "exposure_ledger")/.test(s));
    expect(data).toHaveLength(3);
    for (const statement of data) await t.testDb.database.db.execute(sql.raw(statement));
    expect(await state()).toEqual(kept);
  });
});
