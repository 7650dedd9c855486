import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/connect';
import { policies, policyActivations } from '../../db/schema';

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

export async function countPolicies(db: Db): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(policies);
  return row?.n ?? 0;
}
