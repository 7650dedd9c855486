import {
  badRateByGrade,
  gini,
  isBad,
  ks,
  psi,
  roundTo,
  type ScoredLoan,
  scoreBinEdges,
} from '../../credit';
import type { Db } from '../../db/connect';
import type { AppDeps } from '../../deps';
import type { CommandContext } from '../../lib/command-context';
import { conflict, invalidState, notFound, validationFailed } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { Answer } from '../../platform/command';
import { appendAudit } from '../audit/repository';
import { canSeeMerchant } from '../merchants/access';
import * as repo from './repository';
import type { MonitoringQuery, MonitoringView, OutcomeView, RecordOutcomeBody } from './schemas';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Offers that became loans: only these perform. */
const TAKEN = ['accepted', 'booked'] as const;
/** Ratios in answers: six decimals, so that answers are byte-stable. */
const DECIMALS = 6;

const utcDate = (d: Date) => d.toISOString().slice(0, 10);
const startOf = (date: string) => new Date(`${date}T00:00:00.000Z`);

function outcomeView(row: repo.OutcomeRow): OutcomeView {
  return {
    id: row.id,
    offerId: row.offerId,
    applicationId: row.applicationId,
    decisionId: row.decisionId,
    status: row.status,
    asOf: row.asOf,
    createdAt: row.createdAt.toISOString(),
  };
}

const badAsOf = (message: string, messageZh: string) =>
  validationFailed([{ path: 'body.asOf', message, messageZh }], `Invalid body.asOf: ${message}`);

/**
 * Records a loan's performance on a date. Idempotent per offer and date: the same status again
 * answers the stored record (200, nothing written), another status is 409 OUTCOME_CONFLICT.
 * The unique (offer, asOf) index settles concurrent first recordings: one inserts, the other
 * finds its row.
 */
export async function recordOutcome(
  ctx: CommandContext,
  body: RecordOutcomeBody,
  tx: Db,
): Promise<Answer<OutcomeView>> {
  const today = utcDate(ctx.now);
  if (body.asOf > today)
    throw badAsOf(`must not be in the future (today is ${today} UTC)`, '日期不能晚于今天');

  const offer = await repo.findOfferWithOwner(tx, body.offerId);
  if (!offer || !canSeeMerchant(ctx.actor, offer)) throw notFound('Offer');
  if (!(TAKEN as readonly string[]).includes(offer.status))
    throw invalidState(offer.status, 'record an outcome (the offer must be accepted or booked)');
  const offered = utcDate(offer.createdAt);
  if (body.asOf < offered)
    throw badAsOf(`must not be before the offer was made (${offered})`, '日期不能早于要约日期');

  const inserted = await repo.insertOutcome(tx, {
    id: newId('out'),
    offerId: offer.id,
    applicationId: offer.applicationId,
    decisionId: offer.decisionId,
    status: body.status,
    asOf: body.asOf,
    recordedBy: ctx.actor.keyId,
    createdAt: ctx.now,
  });
  if (inserted) {
    await appendAudit(tx, ctx, [
      {
        entityType: 'offer',
        entityId: offer.id,
        action: 'outcome.recorded',
        data: {
          outcomeId: inserted.id,
          applicationId: offer.applicationId,
          decisionId: offer.decisionId,
          status: body.status,
          asOf: body.asOf,
        },
      },
    ]);
    const view = outcomeView(inserted);
    return new Answer(201, view);
  }

  const existing = await repo.findOutcome(tx, offer.id, body.asOf);
  if (!existing) throw new Error('outcome conflict without a stored row');
  if (existing.status !== body.status)
    throw conflict(
      'OUTCOME_CONFLICT',
      `Offer ${offer.id} already has outcome ${existing.status} as of ${body.asOf}`,
      `该贷款在 ${body.asOf} 已记录为 ${existing.status}`,
      [{ path: 'body.status', message: `recorded as ${existing.status}` }],
    );
  const view = outcomeView(existing);
  return new Answer(200, view);
}

const round = (x: number | null) => (x === null ? null : roundTo(x, DECIMALS));

/** Expands (score, count) rows into the list of scores. */
const scoresOf = (rows: { score: number; count: number }[]) =>
  rows.flatMap(({ score, count }) => new Array<number>(count).fill(score));

/**
 * Monitoring of a policy over [since, until): bad rate, by grade, Gini and KS over its
 * decisions with outcomes; PSI of its score distribution against a baseline period (default:
 * the equally long period right before). The statistics are the pure ones of src/credit.
 */
export async function policyMonitoring(
  deps: AppDeps,
  policyId: string,
  query: MonitoringQuery,
): Promise<MonitoringView> {
  const policy = await repo.findPolicyVersion(deps.db, policyId);
  if (!policy) throw notFound('Policy');

  const since = startOf(query.since);
  const until = startOf(query.until);
  const baselineUntil = query.baselineUntil ? startOf(query.baselineUntil) : since;
  const baselineSince = query.baselineSince
    ? startOf(query.baselineSince)
    : new Date(since.getTime() - Math.round((until.getTime() - since.getTime()) / DAY_MS) * DAY_MS);

  const [monitored, current, baseline] = await Promise.all([
    repo.monitoredDecisions(deps.db, policy.id, since, until, query.until),
    repo.scoreCounts(deps.db, policy.id, since, until),
    repo.scoreCounts(deps.db, policy.id, baselineSince, baselineUntil),
  ]);

  const loans: ScoredLoan[] = monitored.map((d) => ({
    score: d.score,
    grade: d.grade,
    bad: isBad(d.status),
  }));
  const bads = loans.filter((l) => l.bad).length;
  const currentScores = scoresOf(current);
  const baselineScores = scoresOf(baseline);
  const stability = psi(
    baselineScores,
    currentScores,
    scoreBinEdges([...current, ...baseline].map((r) => r.score)),
  );

  return {
    policy,
    period: { since: query.since, until: query.until },
    count: loans.length,
    bads,
    badRate: loans.length ? round(bads / loans.length) : null,
    badRateByGrade: badRateByGrade(loans).map((g) => ({
      ...g,
      badRate: roundTo(g.badRate, DECIMALS),
    })),
    gini: round(gini(loans)),
    ks: round(ks(loans)),
    psi: {
      value: round(stability.value),
      baseline: {
        since: utcDate(baselineSince),
        until: utcDate(baselineUntil),
        count: baselineScores.length,
      },
      current: { count: currentScores.length },
      bins: stability.bins.map((b) => ({
        ...b,
        expected: roundTo(b.expected, DECIMALS),
        actual: roundTo(b.actual, DECIMALS),
      })),
    },
  };
}
