import type { Db } from '../../db/connect';
import type { AppDeps } from '../../deps';
import { decodeCursor, page } from '../../lib/cursor';
import { forbidden, notFound, unprocessable, validationFailed } from '../../lib/errors';
import { newId } from '../../lib/ids';
import type { Principal } from '../../lib/principal';
import { generateWebhookSecret } from '../../lib/webhook-signature';
import * as repo from './repository';
import {
  type CreateWebhookEndpointBody,
  type DeliveryView,
  MAX_ENDPOINTS_PER_OWNER,
  type WebhookEndpointView,
} from './schemas';
import { webhookSecretBox } from './secrets';
import { type Resolve, webhookUrlProblem } from './url-guard';

/**
 * Webhook endpoints belong to a tenant: a partner key's endpoints to its partner (it sees and
 * deletes those only), an admin's to the bank (null partner). An admin sees every endpoint.
 */
export function endpointScope(principal: Principal): repo.EndpointScope {
  if (principal.role === 'admin') return undefined;
  if (principal.role === 'partner' && principal.partnerId)
    return { partnerId: principal.partnerId };
  // Routes let partners and admins in only; a partner key without a partner owns nothing.
  throw forbidden('This key belongs to no partner', '该密钥未关联合作方');
}

export function toView(row: repo.EndpointRow): WebhookEndpointView {
  return {
    id: row.id,
    url: row.url,
    eventTypes: row.eventTypes as WebhookEndpointView['eventTypes'],
    description: row.description,
    partnerId: row.partnerId,
    createdAt: row.createdAt.toISOString(),
  };
}

/** POST /v1/webhook-endpoints: the URL checked (SSRF guard), the secret made, kept encrypted. */
export async function createEndpoint(
  deps: AppDeps,
  principal: Principal,
  body: CreateWebhookEndpointBody,
  resolve?: Resolve,
) {
  const partnerId = endpointScope(principal)?.partnerId ?? null;
  const problem = await webhookUrlProblem(body.url, {
    production: deps.config.NODE_ENV === 'production',
    resolve,
  });
  if (problem) throw validationFailed([{ path: 'body.url', ...problem }]);
  if ((await repo.countLiveEndpoints(deps.db, partnerId)) >= MAX_ENDPOINTS_PER_OWNER) {
    throw unprocessable(
      'TOO_MANY_WEBHOOK_ENDPOINTS',
      `At most ${MAX_ENDPOINTS_PER_OWNER} webhook endpoints; delete one first`,
      `Webhook 端点最多 ${MAX_ENDPOINTS_PER_OWNER} 个，请先删除一个`,
    );
  }
  const id = newId('whe');
  const secret = generateWebhookSecret();
  const row = await repo.insertEndpoint(deps.db, {
    id,
    partnerId,
    url: body.url,
    eventTypes: body.eventTypes,
    description: body.description || null,
    secretCiphertext: webhookSecretBox(deps.config).seal(secret, id),
    createdBy: principal.keyId,
    createdAt: deps.clock(),
  });
  return { ...toView(row), secret };
}

export async function listEndpoints(
  deps: AppDeps,
  principal: Principal,
  query: { limit: number; cursor?: string },
) {
  const rows = await repo.listEndpoints(
    deps.db,
    endpointScope(principal),
    query.limit + 1,
    decodeCursor(query.cursor),
  );
  const { data, nextCursor } = page(rows, query.limit);
  return { data: data.map(toView), nextCursor };
}

export async function getEndpoint(deps: AppDeps, principal: Principal, id: string) {
  const row = await repo.findEndpoint(deps.db, id, endpointScope(principal));
  if (!row) throw notFound('Webhook endpoint');
  return toView(row);
}

/** DELETE: no more deliveries to it; those still pending are cancelled in the same transaction. */
export async function deleteEndpoint(deps: AppDeps, principal: Principal, id: string, tx: Db) {
  const row = await repo.deleteEndpoint(tx, id, endpointScope(principal), deps.clock());
  if (!row) throw notFound('Webhook endpoint');
  return toView(row);
}

/** GET /v1/webhook-endpoints/:id/deliveries: what was sent, what failed, what is dead. */
export async function listEndpointDeliveries(
  deps: AppDeps,
  principal: Principal,
  id: string,
  query: { limit: number; cursor?: string; status?: DeliveryView['status'] },
) {
  const endpoint = await repo.findEndpoint(deps.db, id, endpointScope(principal));
  if (!endpoint) throw notFound('Webhook endpoint');
  const rows = await repo.listDeliveries(
    deps.db,
    id,
    query.status,
    query.limit + 1,
    decodeCursor(query.cursor),
  );
  const { data, nextCursor } = page(rows, query.limit);
  return {
    data: data.map(
      (d): DeliveryView => ({
        id: d.id,
        eventId: d.eventId,
        eventType: d.eventType as DeliveryView['eventType'],
        status: d.status as DeliveryView['status'],
        source: d.source as DeliveryView['source'],
        attempts: d.attempts,
        nextAttemptAt: d.status === 'pending' ? d.nextAttemptAt.toISOString() : null,
        deliveredAt: d.deliveredAt?.toISOString() ?? null,
        lastAttempts: d.attemptLog,
        createdAt: d.createdAt.toISOString(),
      }),
    ),
    nextCursor,
  };
}
