import { applicationStatusOf, type Decision } from '../../credit';
import type { Db } from '../../db/connect';
import type { AppDeps } from '../../deps';
import { decodeCursor, page } from '../../lib/cursor';
import { notFound } from '../../lib/errors';
import type { Principal } from '../../lib/principal';
import type { AnswerRef } from '../../platform/command';
import type { JsonValue } from '../../platform/json-value';
import { type AuditEventRow, expandAudit, listAuditEvents } from '../audit/repository';
import { canSeeMerchant, canSeeMerchantRecord } from '../merchants/access';
import { findMerchantFor } from '../merchants/repository';
import { exposureView } from './exposure-view';
import type { GroupStatus } from './lifecycle';
import * as repo from './repository';
import {
  type ApplicationView,
  type ExposureView,
  type GroupSummary,
  type GroupView,
  MAX_AUDIT_EVENTS,
} from './schemas';
import { applicationView, groupSummary, groupView, type OfferView, offerView } from './views';

/**
 * Origination's reads: applications, their audit trail, offers, groups and exposure, each
 * answering 404 for what the caller may not see exactly as for what does not exist.
 */

/** An application the caller may see, or 404 exactly as for one that does not exist. */
export async function visibleApplication(
  deps: AppDeps,
  principal: Principal,
  id: string,
): Promise<repo.ApplicationRow> {
  const row = await repo.findApplication(deps.db, id);
  if (!row || !canSeeMerchant(principal, row)) throw notFound('Application');
  return row;
}

export async function getApplication(
  deps: AppDeps,
  principal: Principal,
  id: string,
): Promise<ApplicationView> {
  const row = await visibleApplication(deps, principal, id);
  return assemble(deps, row);
}

export async function assemble(deps: AppDeps, row: repo.ApplicationRow): Promise<ApplicationView> {
  const [decisions, offerRows] = await Promise.all([
    repo.latestDecisions(deps.db, [row.id]),
    repo.offersOf(deps.db, [row.id]),
  ]);
  const decision = decisions.get(row.id);
  if (!decision) throw new Error(`application ${row.id} has no decision`);
  return applicationView(row, decision, offerRows);
}

export interface ListFilter {
  status?: repo.ApplicationRow['status'];
  marketId?: string;
  product?: string;
  since?: string;
}

export async function listApplications(
  deps: AppDeps,
  principal: Principal,
  filter: ListFilter,
  limit: number,
  cursor?: string,
) {
  const rows = await repo.listApplications(
    deps.db,
    {
      visibleTo: principal,
      status: filter.status,
      marketId: filter.marketId,
      product: filter.product,
      since: filter.since ? new Date(filter.since) : undefined,
    },
    limit + 1,
    decodeCursor(cursor),
  );
  const { data, nextCursor } = page(rows, limit);
  const decisions = await repo.latestDecisions(
    deps.db,
    data.map((r) => r.id),
  );
  return {
    data: data.map((r) => {
      const d = decisions.get(r.id);
      return {
        id: r.id,
        status: r.status,
        merchantId: r.merchantId,
        marketId: r.marketId,
        request: {
          product: r.product,
          amount: r.amount,
          termMonths: r.termMonths,
          purpose: r.purpose,
          guaranteeGroupId: r.guaranteeGroupId,
        },
        outcome: d?.outcome ?? 'refer',
        score: d?.score ?? 0,
        grade: d?.grade ?? 'E',
        createdAt: r.createdAt.toISOString(),
        updatedAt: r.updatedAt.toISOString(),
      };
    }),
    nextCursor,
  };
}

/** The audit trail of an application, its decisions and its offers, oldest first. */
export async function applicationEvents(deps: AppDeps, principal: Principal, id: string) {
  const row = await visibleApplication(deps, principal, id);
  const offerRows = await repo.offersOf(deps.db, [row.id]);
  const own = new Set([row.id, ...offerRows.map((o) => o.id)]);
  // A group command's one row has the group as its subject (transitions.ts recordAudit).
  const lookup = row.guaranteeGroupId ? [...own, row.guaranteeGroupId] : [...own];
  const [events, decisions] = await Promise.all([
    listAuditEvents(deps.db, lookup),
    repo.decisionsOf(deps.db, row.id),
  ]);
  const byId = new Map(decisions.map((d) => [d.id, d]));
  return {
    data: events
      .flatMap(expandAudit)
      .filter((e) => own.has(e.entityId))
      .flatMap((e) => expandEvents(e, byId, offerRows))
      .slice(0, MAX_AUDIT_EVENTS)
      .map((e) => ({
        id: e.id,
        entityType: e.entityType,
        entityId: e.entityId,
        action: e.action,
        actorKeyId: e.actorKeyId,
        actorRole: e.actorRole,
        actorOwner: e.actorOwner,
        requestId: e.requestId,
        // Read from jsonb: JSON by construction.
        data: e.data as JsonValue,
        at: e.at.toISOString(),
      })),
  };
}

/** What one submission's audit row records (submit-application.ts): the decision is stored once. */
export interface SubmissionAudit {
  product: string;
  amount: number;
  decisionId: string;
}

/**
 * A submission is ONE audit row; the trail shows it as the events it stands for, as they were
 * written before one row per command: submitted, decided (from the decision), each offer made
 * (ids `<row id>.<n>`). Other rows, and submissions recorded before, are shown as they are.
 */
function expandEvents(
  e: AuditEventRow,
  decisions: Map<string, repo.DecisionRow>,
  offerRows: repo.OfferRow[],
): AuditEventRow[] {
  const data = e.data as Partial<SubmissionAudit> | null;
  const decision = data?.decisionId ? decisions.get(data.decisionId) : undefined;
  if (e.action !== 'application.submitted' || !data || !decision) return [e];
  const made = offerRows.filter((o) => o.decisionId === decision.id);
  const status = applicationStatusOf(decision);
  return [
    { ...e, data: { product: data.product, amount: data.amount } },
    {
      ...e,
      id: `${e.id}.1`,
      action: `application.${status}`,
      data: {
        decisionId: decision.id,
        outcome: decision.outcome,
        score: decision.score,
        policyVersion: decision.policyVersion,
        arm: decision.arm,
      },
    },
    ...made.map((o, i) => ({
      ...e,
      id: `${e.id}.${i + 2}`,
      entityType: 'offer',
      entityId: o.id,
      action: `offer.${o.guaranteeGroupId ? 'pending' : 'offered'}`,
      data: { applicationId: e.entityId, product: o.product, amount: o.amount },
    })),
  ];
}

export async function getOffer(
  deps: AppDeps,
  principal: Principal,
  id: string,
): Promise<OfferView> {
  const row = await repo.findOfferWithApplication(deps.db, id);
  if (!row || !canSeeMerchant(principal, row.application)) throw notFound('Offer');
  return offerView(row.offer, row.decision as Decision);
}

/** The groups the caller may see (e.g. `status: referred`, a reviewer's queue), newest first. */
export async function listGroups(
  deps: AppDeps,
  principal: Principal,
  filter: { status?: GroupStatus; marketId?: string },
  limit: number,
  cursor?: string,
): Promise<{ data: GroupSummary[]; nextCursor: string | null }> {
  const found = await repo.listGroups(
    deps.db,
    { visibleTo: principal, ...filter },
    limit + 1,
    decodeCursor(cursor),
  );
  const { data, nextCursor } = page(found, limit);
  return { data: data.map(groupSummary), nextCursor };
}

/** A group the caller may see: officers their markets, partners the groups they formed. */
export async function getGroup(
  deps: AppDeps,
  principal: Principal,
  id: string,
): Promise<GroupView> {
  const group = await repo.findGroup(deps.db, id);
  if (!group || !canSeeMerchant(principal, group)) throw notFound('Guarantee group');
  return groupView(group, await repo.groupParts(deps.db, id));
}

/**
 * What a merchant owes and stands behind, from the exposure ledger's lines: its open offers, its
 * loans (outstanding by their schedules as of now), its card limits, and the loans of its
 * guarantee-group partners it guarantees (contingent liabilities, the links of a 担保链). The
 * borrower is the person: its lines in every market count. A partner sees the lines of the
 * applications it submitted, never another tenant's, and not the ledger's row.
 */
export async function merchantExposure(
  deps: AppDeps,
  principal: Principal,
  merchantId: string,
  now: Date,
): Promise<ExposureView> {
  const record = await findMerchantFor(deps.db, merchantId, principal);
  if (!record || !canSeeMerchantRecord(principal, record.merchant, record.link))
    throw notFound('Merchant');
  const partnerId = principal.role === 'partner' ? (principal.partnerId ?? '') : null;
  const borrower = record.merchant.idNumberDigest;
  const [live, guaranteed, individual, ledger] = await Promise.all([
    repo.liveOffersOfBorrower(deps.db, borrower, partnerId),
    repo.guaranteedOffersOf(deps.db, merchantId, partnerId),
    repo.individualGuaranteesOf(deps.db, merchantId, partnerId),
    partnerId === null ? repo.findLedger(deps.db, borrower) : Promise.resolve(undefined),
  ]);
  return exposureView({
    merchantId,
    now,
    live,
    guaranteed,
    individual,
    ledger: ledger ?? null,
    showLedger: partnerId === null,
  });
}

/**
 * A submission's answer as a reference (the idempotency row keeps it instead of the answer):
 * what is stored anyway (application, decision, offers) is read back. A single merchant's
 * answer is the application as first written, so its ids suffice; a group member's answer
 * keeps what may change afterwards (statuses, updatedAt, an offer's expiry once its group is
 * decided) as it was answered.
 */
interface ApplicationAnswerRef {
  a: string;
  d: string;
  /** Status and updatedAt as answered, and each offer (answer's order): id, status, expiresAt. */
  s?: ApplicationView['status'];
  u?: string;
  o?: [string, ApplicationView['offers'][number]['status'], string][];
}

export const APPLICATION_ANSWER = 'application';

/** Whether the view is the application exactly as first written (nothing of it can change). */
function asFirstWritten(view: ApplicationView) {
  return (
    view.request.guaranteeGroupId === null &&
    view.status === applicationStatusOf(view.decision) &&
    view.updatedAt === view.createdAt &&
    view.offers.every((o) => o.status === 'offered')
  );
}

export function applicationAnswerRef(view: ApplicationView): AnswerRef {
  const ref: ApplicationAnswerRef = asFirstWritten(view)
    ? { a: view.id, d: view.decision.id }
    : {
        a: view.id,
        d: view.decision.id,
        s: view.status,
        u: view.updatedAt,
        o: view.offers.map((o) => [o.id, o.status, o.expiresAt]),
      };
  return { kind: APPLICATION_ANSWER, ref };
}

/** The answer a reference stands for, as it was sent. */
export async function applicationAnswer(db: Db, stored: unknown): Promise<ApplicationView> {
  const ref = stored as ApplicationAnswerRef;
  const [application, decision, offerRows] = await Promise.all([
    repo.findApplication(db, ref.a),
    repo.findDecision(db, ref.d),
    repo.offersOf(db, [ref.a]),
  ]);
  if (!application || !decision) throw new Error(`stored answer ${ref.a} lost its rows`);
  const made = offerRows.filter((o) => o.decisionId === decision.id);
  const view = applicationView(application, decision, made);
  // Answered before any of its offers was accepted: no schedule had due dates yet.
  for (const o of view.offers) for (const row of o.schedule) row.dueDate = null;
  if (!ref.o) {
    view.status = applicationStatusOf(view.decision);
    view.updatedAt = view.createdAt;
    for (const o of view.offers) o.status = 'offered';
    return view;
  }
  view.status = ref.s ?? view.status;
  view.updatedAt = ref.u ?? view.updatedAt;
  view.offers = ref.o.map(([id, status, expiresAt]) => {
    const offer = view.offers.find((o) => o.id === id);
    if (!offer) throw new Error(`stored answer ${ref.a} lost offer ${id}`);
    offer.status = status;
    offer.expiresAt = expiresAt;
    return offer;
  });
  return view;
}
