import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/connect';
import { newestFirst } from '../../db/keyset';
import { policies, policyActivations } from '../../db/schema';
import type { Cursor } from '../../lib/cursor';

export type PolicyRow = typeof policies.$inferSelect;

export interface ActivationRow {
  role: 'champion' | 'challenger';
  shareBps: number;
  activatedAt: Date;
  policy: PolicyRow;
}

export async function findActivations(db: Db): Promise<ActivationRow[]> {
  const rows = await db
    .select({ activation: policyActivations, policy: policies })
    .from(policyActivations)
    .innerJoin(policies, eq(policies.id, policyActivations.policyId));
  return rows.map((r) => ({
    role: r.activation.role,
    shareBps: r.activation.share,
    activatedAt: r.activation.activatedAt,
    policy: r.policy,
  }));
}

export async function findPolicy(db: Db, id: string): Promise<PolicyRow | undefined> {
  const [row] = await db.select().from(policies).where(eq(policies.id, id)).limit(1);
  return row;
}

export async function findPolicyForUpdate(db: Db, id: string): Promise<PolicyRow | undefined> {
  const [row] = await db.select().from(policies).where(eq(policies.id, id)).limit(1).for('update');
  return row;
}

export async function countPolicies(db: Db): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(policies);
  return row?.n ?? 0;
}

/** The next version number; the unique index on version settles a race between two drafts. */
export async function nextVersion(db: Db): Promise<number> {
  const [row] = await db
    .select({ v: sql<number>`coalesce(max(${policies.version}), 0)::int` })
    .from(policies);
  return (row?.v ?? 0) + 1;
}

export async function insertPolicy(db: Db, row: typeof policies.$inferInsert): Promise<PolicyRow> {
  const [inserted] = await db.insert(policies).values(row).returning();
  if (!inserted) throw new Error('insert returned no row');
  return inserted;
}

export async function updatePolicy(
  db: Db,
  id: string,
  set: Partial<typeof policies.$inferInsert>,
): Promise<PolicyRow> {
  const [row] = await db.update(policies).set(set).where(eq(policies.id, id)).returning();
  if (!row) throw new Error('update returned no row');
  return row;
}

export async function listPolicies(
  db: Db,
  limit: number,
  after: Cursor | null,
  status?: PolicyRow['status'],
) {
  const page = newestFirst(policies.createdAt, policies.id, after);
  const where = and(status ? eq(policies.status, status) : undefined, page.after);
  return db
    .select()
    .from(policies)
    .where(where)
    .orderBy(...page.order)
    .limit(limit);
}

export async function setActivation(
  db: Db,
  role: 'champion' | 'challenger',
  policyId: string,
  shareBps: number,
  by: string,
  at: Date,
) {
  await db
    .insert(policyActivations)
    .values({ role, policyId, share: shareBps, activatedBy: by, activatedAt: at })
    .onConflictDoUpdate({
      target: policyActivations.role,
      set: { policyId, share: shareBps, activatedBy: by, activatedAt: at },
    });
}

export async function removeActivation(db: Db, role: 'champion' | 'challenger') {
  await db.delete(policyActivations).where(eq(policyActivations.role, role));
}

/** Serialises rollout changes: one activation at a time. */
export async function lockActivations(db: Db) {
  await db.execute(sql`select pg_advisory_xact_lock(7204118304)`);
}
