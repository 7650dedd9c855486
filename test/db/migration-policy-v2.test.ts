import { sql } from 'drizzle-orm';
import { compilePolicy, decide, type PolicyDocument, validatePolicy } from '../../src/credit';
import { strongSurvey } from '../helpers/fixtures';
import {
  applyMigration,
  applyMigrationsBefore,
  migrationTags,
  rowsOf,
} from '../helpers/migration-steps';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';
import v1Document from './fixtures/policy-v1.json';

/**
 * A database seeded before credit model v2 holds the v1 default policy as its champion; v2's
 * strict schema refuses that document (minCycleDays, no dataChecks, no credit_loan), so without
 * migration 0008 such a database could not decide at all.
 */
describe('migration 0008: stored v1 policy documents upgraded to the v2 schema', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase({ migrate: false });
    await applyMigrationsBefore(t, '0008_policy_documents_v2');
    await t.database.db.execute(sql`
      insert into policies (id, version, status, document, created_by) values
        ('pol_v1', 1, 'published', ${JSON.stringify(v1Document)}::jsonb, 'seed'),
        ('pol_draft', 2, 'draft', ${JSON.stringify(v1Document)}::jsonb, 'key_a')`);
    await applyMigration(t, '0008_policy_documents_v2');
    // And every migration since, as a database upgraded today (0012 adds the exposure section).
    for (const tag of migrationTags().filter((tag) => tag > '0008_policy_documents_v2'))
      await applyMigration(t, tag);
  });
  afterAll(() => t.dispose());

  it('refuses the v1 document as it was (the reason for the migration)', () => {
    expect(validatePolicy(v1Document).ok).toBe(false);
  });

  it('leaves every stored document valid and compilable, deciding as before where v2 allows', async () => {
    const rows = await rowsOf(t, sql`select id, document from policies order by id`);
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      const document = row.document as PolicyDocument & Record<string, unknown>;
      expect(validatePolicy(document).ok).toBe(true);
      const cashFlow = document.cashFlow as unknown as Record<string, unknown>;
      expect(cashFlow.minCycleDays).toBeUndefined();
      expect(document.products.credit_loan?.enabled).toBe(false);
      // Everything else is as the authors published it.
      expect(document.scorecard).toEqual(v1Document.scorecard);
      expect(document.outcomes).toEqual(v1Document.outcomes);
      const decision = decide(
        strongSurvey(),
        { product: 'any', amount: 50_000_000, termMonths: 12, purpose: 'working_capital' },
        compilePolicy(document),
        { operator: null, guaranteeGroup: null },
      );
      expect(decision.offers.every((o) => o.product !== 'credit_loan')).toBe(true);
    }
  });

  it('touches no document already in the v2 shape', async () => {
    await t.database.db.execute(
      sql`update policies set document = document || '{"name": "kept"}'::jsonb where id = 'pol_v1'`,
    );
    await applyMigration(t, '0008_policy_documents_v2');
    const [row] = await rowsOf(
      t,
      sql`select document->>'name' as name from policies where id = 'pol_v1'`,
    );
    expect(row?.name).toBe('kept');
  });
});
