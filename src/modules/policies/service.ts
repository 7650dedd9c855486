import { checkPolicy, type PolicyDocument } from '../../credit';
import type { Db } from '../../db/connect';
import type { AppDeps } from '../../deps';
import type { CommandContext } from '../../lib/command-context';
import { decodeCursor, page } from '../../lib/cursor';
import {
  conflict,
  forbidden,
  invalidState,
  notFound,
  unprocessable,
  validationFailed,
} from '../../lib/errors';
import { newId } from '../../lib/ids';
import { diffDocuments, mergePatch } from '../../lib/json-document';
import type { JsonValue } from '../../platform/json-value';
import { MAX_LENGTH } from '../../platform/schemas';
import { appendAudit } from '../audit/repository';
import { appendEvents, type EventEntry } from '../events/repository';
import * as repo from './repository';
import {
  type ActivateBody,
  type CreatePolicyBody,
  MAX_AUTHORS,
  MAX_CHANGES,
  MAX_PROBLEMS,
  type PolicyView,
} from './schemas';

/** A stored document: JSON by construction (jsonb), valid or (drafts) not. */
type Document = Record<string, JsonValue>;

/** A draft's authors with one more; each person once, in the order they first wrote. */
const withAuthor = (authors: string[], owner: string) =>
  authors.includes(owner) ? authors : [...authors, owner];

/** Validation and the policy's own test cases: publish refuses a policy that fails either. */
function problemsOf(document: unknown) {
  const checked = checkPolicy(document);
  return checked.ok
    ? []
    : checked.problems
        .slice(0, MAX_PROBLEMS)
        .map((p) => ({ path: clip(p.path), message: p.message, messageZh: p.messageZh }));
}

/** A path as the answers declare it: a draft's own keys may be long. */
const clip = (path: string) =>
  path.length > MAX_LENGTH.path ? `${path.slice(0, MAX_LENGTH.path - 1)}…` : path;

/**
 * A document as stored: with its validity, checked once when it is written (validation runs the
 * policy's test cases: too slow to repeat for every row of a list).
 */
function checkedDocument(document: Document) {
  return { document, valid: problemsOf(document).length === 0 };
}

async function roles(deps: AppDeps) {
  const activations = await repo.findActivations(deps.db);
  return new Map(activations.map((a) => [a.policy.id, a]));
}

function toView(row: repo.PolicyRow, active: Map<string, repo.ActivationRow>): PolicyView {
  const document = row.document as Document;
  const activation = active.get(row.id);
  return {
    id: row.id,
    version: row.version,
    status: row.status,
    name: typeof document.name === 'string' ? document.name.slice(0, MAX_LENGTH.name) : null,
    document,
    // Rows written before validity was stored are checked here, once per read.
    valid: row.valid ?? problemsOf(document).length === 0,
    role: activation?.role ?? null,
    shareBps: activation?.role === 'challenger' ? activation.shareBps : null,
    createdBy: row.createdBy,
    authors: row.authors.slice(0, MAX_AUTHORS),
    createdAt: row.createdAt.toISOString(),
    publishedBy: row.publishedBy,
    publishedAt: row.publishedAt?.toISOString() ?? null,
  };
}

export async function activePolicy(deps: AppDeps) {
  const set = await deps.policies.activeSet();
  const row = await repo.findPolicy(deps.db, set.champion.id);
  if (!row) throw notFound('Active credit policy');
  return {
    id: row.id,
    version: row.version,
    status: row.status,
    activatedAt: set.champion.activatedAt.toISOString(),
    // Only a published policy is active: it validated as a PolicyDocument.
    document: row.document as PolicyDocument,
    challenger: set.challenger
      ? {
          id: set.challenger.id,
          version: set.challenger.version,
          shareBps: set.challenger.shareBps,
        }
      : null,
  };
}

export async function getPolicy(deps: AppDeps, id: string): Promise<PolicyView> {
  const row = await repo.findPolicy(deps.db, id);
  if (!row) throw notFound('Policy');
  return toView(row, await roles(deps));
}

export async function listPolicies(
  deps: AppDeps,
  limit: number,
  cursor?: string,
  status?: repo.PolicyRow['status'],
) {
  const rows = await repo.listPolicies(deps.db, limit + 1, decodeCursor(cursor), status);
  const { data, nextCursor } = page(rows, limit);
  const active = await roles(deps);
  return {
    data: data.map((r) => {
      const { document: _d, ...rest } = toView(r, active);
      return rest;
    }),
    nextCursor,
  };
}

/**
 * A new draft, from a whole document or as a clone of another policy with a JSON merge patch.
 * The draft takes the next version number, written into its document too.
 */
export async function createDraft(ctx: CommandContext, body: CreatePolicyBody, tx: Db) {
  let document: unknown = body.document;
  // A clone of a draft carries that draft's unreviewed writing, so its authors come along.
  let inherited: string[] = [];
  if (body.cloneOf) {
    const source = await repo.findPolicy(tx, body.cloneOf);
    if (!source)
      throw validationFailed([
        {
          path: 'body.cloneOf',
          message: `unknown policy ${body.cloneOf}`,
          messageZh: `策略 ${body.cloneOf} 不存在`,
        },
      ]);
    document = body.changes ? mergePatch(source.document, body.changes) : source.document;
    if (source.status === 'draft') inherited = source.authors;
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw validationFailed([
      {
        path: 'body.changes',
        message: 'the patched document must be an object',
        messageZh: '合并后的文档必须是对象',
      },
    ]);
  }
  await repo.lockActivations(tx);
  const version = await repo.nextVersion(tx);
  const row = await repo.insertPolicy(tx, {
    id: newId('pol'),
    version,
    status: 'draft',
    ...checkedDocument({ ...(document as Document), version }),
    createdBy: ctx.actor.keyId,
    authors: withAuthor(inherited, ctx.actor.owner),
    createdAt: ctx.now,
  });
  await appendAudit(tx, ctx, [
    {
      entityType: 'policy',
      entityId: row.id,
      action: 'policy.drafted',
      data: { version, cloneOf: body.cloneOf ?? null, changes: body.changes ?? null },
    },
  ]);
  const view = toView(row, new Map());
  return view;
}

export async function updateDraft(ctx: CommandContext, id: string, document: Document, tx: Db) {
  const row = await repo.findPolicyForUpdate(tx, id);
  if (!row) throw notFound('Policy');
  if (row.status !== 'draft') throw invalidState(row.status, 'change a policy that is not a draft');
  const changes = diffDocuments(row.document, { ...document, version: row.version });
  // Whoever changes a draft is one of its authors from now on (the row is locked).
  const updated = await repo.updatePolicy(tx, id, {
    ...checkedDocument({ ...document, version: row.version }),
    authors: withAuthor(row.authors, ctx.actor.owner),
  });
  await appendAudit(tx, ctx, [
    {
      entityType: 'policy',
      entityId: id,
      action: 'policy.updated',
      data: { changes: changes.map((c) => c.path) },
    },
  ]);
  return toView(updated, new Map());
}

export async function validateStored(deps: AppDeps, id: string) {
  const row = await repo.findPolicy(deps.db, id);
  if (!row) throw notFound('Policy');
  const problems = problemsOf(row.document);
  return { id: row.id, version: row.version, valid: problems.length === 0, problems };
}

export async function diffPolicies(deps: AppDeps, id: string, againstId: string) {
  const [to, from] = await Promise.all([
    repo.findPolicy(deps.db, id),
    repo.findPolicy(deps.db, againstId),
  ]);
  if (!to) throw notFound('Policy');
  if (!from)
    throw validationFailed([
      {
        path: 'querystring.against',
        message: `unknown policy ${againstId}`,
        messageZh: `策略 ${againstId} 不存在`,
      },
    ]);
  return {
    from: { id: from.id, version: from.version },
    to: { id: to.id, version: to.version },
    changes: diffDocuments(from.document, to.document)
      .slice(0, MAX_CHANGES)
      .map((c) => ({ ...c, path: clip(c.path) })),
  };
}

/**
 * Four eyes: a draft is published by a person who wrote none of it (not its creator, nor anyone
 * who changed it, with whichever key), and only if valid. The creating key is checked too, for
 * drafts whose authors were inferred when owners were introduced.
 */
export async function publish(ctx: CommandContext, id: string, tx: Db) {
  const row = await repo.findPolicyForUpdate(tx, id);
  if (!row) throw notFound('Policy');
  if (row.authors.includes(ctx.actor.owner) || row.createdBy === ctx.actor.keyId)
    throw forbidden(
      'An author of a draft (whoever created or changed it) may not publish it; a risk user who wrote none of it must (four eyes)',
      '策略草稿的作者（创建或修改过它的人）不得发布该草稿，须由未参与编写的另一名风险人员发布（四眼原则）',
    );
  if (row.status !== 'draft') throw invalidState(row.status, 'publish');
  const problems = problemsOf(row.document);
  if (problems.length) {
    throw unprocessable(
      'POLICY_INVALID',
      'The policy does not validate; fix every problem before publishing',
      '策略校验未通过，请修正后再发布',
      problems.map((p) => ({ ...p, path: `document.${p.path}` })),
    );
  }
  const updated = await repo.updatePolicy(tx, id, {
    status: 'published',
    publishedBy: ctx.actor.keyId,
    publishedAt: ctx.now,
  });
  await appendAudit(tx, ctx, [
    {
      entityType: 'policy',
      entityId: id,
      action: 'policy.published',
      data: { version: row.version, author: row.createdBy, authors: row.authors },
    },
  ]);
  await appendEvents(tx, ctx.now, [policyEvent('policy.published', id, { version: row.version })]);
  return toView(updated, new Map());
}

/** A policy's event: the bank's own, no tenant or market (partners and officers do not see it). */
function policyEvent(
  type: 'policy.published' | 'policy.activated',
  id: string,
  data: Record<string, unknown>,
): EventEntry {
  return {
    type,
    objectType: 'policy',
    objectId: id,
    partnerId: null,
    marketId: null,
    data: { policyId: id, ...data },
  };
}

/**
 * Rollout: one champion, optionally one challenger taking a share of traffic (chosen from the
 * merchant id). A new champion retires the old one; a champion cannot also be the challenger.
 */
export async function activate(ctx: CommandContext, id: string, body: ActivateBody, tx: Db) {
  await repo.lockActivations(tx);
  const row = await repo.findPolicyForUpdate(tx, id);
  if (!row) throw notFound('Policy');
  if (row.status !== 'published')
    throw invalidState(row.status, 'activate a policy that is not published');
  const current = new Map((await repo.findActivations(tx)).map((a) => [a.role, a]));
  if (body.role === 'champion') {
    const old = current.get('champion');
    if (old?.policy.id === id)
      throw conflict('ALREADY_ACTIVE', 'This policy is already the champion', '该策略已是冠军策略');
    if (current.get('challenger')?.policy.id === id) await repo.removeActivation(tx, 'challenger');
    await repo.setActivation(tx, 'champion', id, 10_000, ctx.actor.keyId, ctx.now);
    if (old) await repo.updatePolicy(tx, old.policy.id, { status: 'retired' });
    await appendAudit(tx, ctx, [
      {
        entityType: 'policy',
        entityId: id,
        action: 'policy.activated',
        data: { role: 'champion', replaced: old?.policy.id ?? null },
      },
      ...(old
        ? [
            {
              entityType: 'policy',
              entityId: old.policy.id,
              action: 'policy.retired',
              data: { replacedBy: id },
            },
          ]
        : []),
    ]);
    await appendEvents(tx, ctx.now, [
      policyEvent('policy.activated', id, {
        version: row.version,
        role: 'champion',
        shareBps: 10_000,
        replaced: old?.policy.id ?? null,
      }),
    ]);
  } else {
    if (current.get('champion')?.policy.id === id)
      throw conflict(
        'ALREADY_ACTIVE',
        'The champion cannot also be the challenger',
        '冠军策略不能同时作为挑战者',
      );
    const shareBps = Math.round((body.share ?? 0.1) * 10_000);
    await repo.setActivation(tx, 'challenger', id, shareBps, ctx.actor.keyId, ctx.now);
    await appendAudit(tx, ctx, [
      {
        entityType: 'policy',
        entityId: id,
        action: 'policy.activated',
        data: {
          role: 'challenger',
          shareBps,
          replaced: current.get('challenger')?.policy.id ?? null,
        },
      },
    ]);
    await appendEvents(tx, ctx.now, [
      policyEvent('policy.activated', id, {
        version: row.version,
        role: 'challenger',
        shareBps,
        replaced: current.get('challenger')?.policy.id ?? null,
      }),
    ]);
  }
  const fresh = await repo.findPolicy(tx, id);
  const view = toView(
    fresh ?? row,
    new Map((await repo.findActivations(tx)).map((a) => [a.policy.id, a])),
  );
  return view;
}

/** Stops the challenger: all traffic goes back to the champion. */
export async function deactivate(ctx: CommandContext, id: string, tx: Db) {
  await repo.lockActivations(tx);
  const row = await repo.findPolicy(tx, id);
  if (!row) throw notFound('Policy');
  const current = (await repo.findActivations(tx)).find((a) => a.policy.id === id);
  if (!current) throw invalidState('inactive', 'deactivate');
  if (current.role === 'champion')
    throw conflict(
      'CHAMPION_REQUIRED',
      'The champion cannot be deactivated; activate another champion instead',
      '冠军策略不能停用，请启用新的冠军策略',
    );
  await repo.removeActivation(tx, 'challenger');
  await appendAudit(tx, ctx, [
    {
      entityType: 'policy',
      entityId: id,
      action: 'policy.deactivated',
      data: { role: 'challenger' },
    },
  ]);
  const view = toView(row, new Map());
  return view;
}
