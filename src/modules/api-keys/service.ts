import type { Db } from '../../db/connect';
import type { AppDeps } from '../../deps';
import { generateApiKey } from '../../lib/api-key-secret';
import { decodeCursor, page } from '../../lib/cursor';
import { notFound, validationFailed } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { partnerOwner } from '../../lib/owner';
import type { Principal } from '../../lib/principal';
import * as repo from './repository';
import type { ApiKeyView, CreateApiKeyBody } from './schemas';

export function toView(row: repo.ApiKeyRow): ApiKeyView {
  return {
    id: row.id,
    prefix: row.prefix,
    role: row.role,
    name: row.name,
    owner: row.owner,
    marketIds: row.marketIds,
    partnerId: row.partnerId,
    createdAt: row.createdAt.toISOString(),
    revokedAt: row.revokedAt?.toISOString() ?? null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
  };
}

/** The person a new key belongs to: as named, or for a partner app the partner. */
function ownerOf(body: CreateApiKeyBody): string {
  if (body.owner) return body.owner;
  if (body.partnerId) return partnerOwner(body.partnerId);
  throw new Error('the schema lets no key through without an owner or a partnerId');
}

export async function issueApiKey(deps: AppDeps, by: Principal | null, body: CreateApiKeyBody) {
  const marketIds = [...new Set(body.marketIds ?? [])];
  const known = await repo.existingMarketIds(deps.db, marketIds);
  const unknown = marketIds.filter((id) => !known.has(id));
  if (unknown.length) {
    throw validationFailed(
      unknown.map((id) => ({
        path: 'body.marketIds',
        message: `unknown market ${id}`,
        messageZh: `市场 ${id} 不存在`,
      })),
    );
  }
  const now = deps.clock();
  const expiresAt = body.expiresAt ? new Date(body.expiresAt) : null;
  if (expiresAt && expiresAt <= now) {
    throw validationFailed([
      {
        path: 'body.expiresAt',
        message: 'must be in the future',
        messageZh: '须晚于当前时间',
      },
    ]);
  }
  const key = generateApiKey();
  const row = await repo.insertApiKey(deps.db, {
    id: newId('key'),
    prefix: key.prefix,
    secretHash: key.hash,
    role: body.role,
    name: body.name,
    owner: ownerOf(body),
    marketIds,
    partnerId: body.partnerId ?? null,
    createdBy: by?.keyId ?? null,
    createdAt: now,
    expiresAt,
  });
  return { ...toView(row), secret: key.secret };
}

export async function listApiKeys(deps: AppDeps, limit: number, cursor?: string) {
  const rows = await repo.listApiKeys(deps.db, limit + 1, decodeCursor(cursor));
  const { data, nextCursor } = page(rows, limit);
  return { data: data.map(toView), nextCursor };
}

export async function revokeApiKey(deps: AppDeps, id: string, tx: Db) {
  const row = await repo.revokeApiKey(tx, id, deps.clock());
  if (!row) throw notFound('API key');
  deps.principals.forget(row.id);
  return toView(row);
}
