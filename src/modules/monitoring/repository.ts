import { and, desc, eq, gte, lt, sql } from 'drizzle-orm';
import type { OutcomeStatus } from '../../credit';
import type { Db } from '../../db/connect';
import { applications, decisions, offers, outcomes, policies } from '../../db/schema';

export type OutcomeRow = typeof outcomes.$inferSelect;

/** The offer an outcome is recorded for, with what authorization by object needs. */
export async function findOfferWithOwner(db: Db, offerId: string) {
  const [row] = await db
    .select({
      id: offers.id,
      status: offers.status,
      applicationId: offers.applicationId,
      decisionId: offers.decisionId,
      createdAt: offers.createdAt,
      marketId: applications.marketId,
      partnerId: applications.partnerId,
    })
    .from(offers)
    .innerJoin(applications, eq(applications.id, offers.applicationId))
    .where(eq(offers.id, offerId));
  return row;
}

/** Inserts unless the offer already has an outcome on that date; answers the new row or nothing. */
export async function insertOutcome(
  db: Db,
  row: typeof outcomes.$inferInsert,
): Promise<OutcomeRow | undefined> {
  const [inserted] = await db
    .insert(outcomes)
    .values(row)
    .onConflictDoNothing({ target: [outcomes.offerId, outcomes.asOf] })
    .returning();
  return inserted;
}

export async function findOutcome(
  db: Db,
  offerId: string,
  asOf: string,
): Promise<OutcomeRow | undefined> {
  const [row] = await db
    .select()
    .from(outcomes)
    .where(and(eq(outcomes.offerId, offerId), eq(outcomes.asOf, asOf)));
  return row;
}

export async function findPolicyVersion(db: Db, id: string) {
  const [row] = await db
    .select({ id: policies.id, version: policies.version })
    .from(policies)
    .where(eq(policies.id, id));
  return row;
}

export interface MonitoredDecision {
  decisionId: string;
  score: number;
  grade: string;
  /** The latest outcome (by asOf) dated before `outcomesBefore`. */
  status: OutcomeStatus;
}

/**
 * Decisions of a policy made in [since, until) with at least one outcome dated before
 * `outcomesBefore`, each with its latest such outcome (a decision has at most one taken offer;
 * were there several, the latest outcome among them counts).
 */
export async function monitoredDecisions(
  db: Db,
  policyId: string,
  since: Date,
  until: Date,
  outcomesBefore: string,
): Promise<MonitoredDecision[]> {
  return db
    .selectDistinctOn([outcomes.decisionId], {
      decisionId: outcomes.decisionId,
      score: decisions.score,
      grade: decisions.grade,
      status: outcomes.status,
    })
    .from(outcomes)
    .innerJoin(decisions, eq(decisions.id, outcomes.decisionId))
    .where(
      and(
        eq(decisions.policyId, policyId),
        gte(decisions.createdAt, since),
        lt(decisions.createdAt, until),
        lt(outcomes.asOf, outcomesBefore),
      ),
    )
    .orderBy(outcomes.decisionId, desc(outcomes.asOf), desc(outcomes.createdAt), desc(outcomes.id));
}

/**
 * How many model decisions of the policy made in [since, until) had each score: the score
 * distribution for PSI. Model decisions only: a review decision re-scores the same application
 * with the same policy, and would count it twice.
 */
export async function scoreCounts(
  db: Db,
  policyId: string,
  since: Date,
  until: Date,
): Promise<{ score: number; count: number }[]> {
  return db
    .select({ score: decisions.score, count: sql<number>`count(*)::int` })
    .from(decisions)
    .where(
      and(
        eq(decisions.policyId, policyId),
        eq(decisions.source, 'model'),
        gte(decisions.createdAt, since),
        lt(decisions.createdAt, until),
      ),
    )
    .groupBy(decisions.score)
    .orderBy(decisions.score);
}
