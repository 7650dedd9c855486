import { sql } from 'drizzle-orm';
import { applyMigration, applyMigrationsBefore } from '../helpers/migration-steps';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';

describe('migration 0006: owners for keys, events and drafts written before owners existed', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase({ migrate: false });
    await applyMigrationsBefore(t, '0006_four_eyes_owners');
    // Two risk users' keys, a partner app's, a draft by one that the other changed.
    await t.database.db.execute(sql`
      insert into api_keys (id, prefix, secret_hash, role, name, partner_id) values
        ('key_a', 'aaaa', 'h1', 'risk', 'A', null),
        ('key_b', 'bbbb', 'h2', 'risk', 'B', null),
        ('key_p', 'pppp', 'h3', 'partner', 'P', 'ptn_x')`);
    await t.database.db.execute(sql`
      insert into policies (id, version, status, document, created_by) values
        ('pol_draft', 2, 'draft', '{}'::jsonb, 'key_a')`);
    await t.database.db.execute(sql`
      insert into audit_events (id, entity_type, entity_id, action, actor_key_id, actor_role, at) values
        ('evt_1', 'policy', 'pol_draft', 'policy.drafted', 'key_a', 'risk', now()),
        ('evt_2', 'policy', 'pol_draft', 'policy.updated', 'key_b', 'risk', now()),
        ('evt_3', 'operator', 'opr_x', 'operator.created', 'key_environment_admin', 'admin', now())`);
    await applyMigration(t, '0006_four_eyes_owners');
  });
  afterAll(() => t.dispose());

  const rows = async (query: ReturnType<typeof sql>) =>
    ((await t.database.db.execute(query)) as unknown as { rows: Record<string, unknown>[] }).rows;

  it('gives every old key an owner of its own (a partner app: its partner)', async () => {
    expect(await rows(sql`select id, owner from api_keys order by id`)).toEqual([
      { id: 'key_a', owner: 'key:key_a' },
      { id: 'key_b', owner: 'key:key_b' },
      { id: 'key_p', owner: 'partner:ptn_x' },
    ]);
  });

  it('names the person behind each known key in the trail, and counts every writer of a draft as its author', async () => {
    expect(await rows(sql`select id, actor_owner from audit_events order by id`)).toEqual([
      { id: 'evt_1', actor_owner: 'key:key_a' },
      { id: 'evt_2', actor_owner: 'key:key_b' },
      { id: 'evt_3', actor_owner: null },
    ]);
    expect(await rows(sql`select authors from policies`)).toEqual([
      { authors: ['key:key_a', 'key:key_b'] },
    ]);
  });
});
