import { createHash, randomBytes } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Db } from '../db/connect';
import { idempotencyKeys } from '../db/schema';
import { stableStringify } from '../lib/stable-json';
import { AppError, conflict, unprocessable, validationFailed } from './errors';

/**
 * Idempotency-Key, as Stripe and Fineract do it: the same key and body replay the stored
 * answer; the same key with another body is 422; a duplicate while the first is in flight is
 * 409. Keys live 24 hours and are scoped to the API key. A service may store its answer inside
 * its own transaction (`complete`), so the change and the stored answer commit together;
 * otherwise the answer is stored once the response is sent.
 */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** An attempt that holds a key this long without answering is presumed dead (its work rolled back). */
export const IN_FLIGHT_STALE_MS = 30_000;
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

type Tx = Pick<Db, 'update'>;

export interface IdempotencyHandle {
  key: string;
  /** What identifies this attempt's claim, for a service that stores its answer in its own SQL. */
  claim: { apiKeyId: string; key: string; lockToken: string };
  /** Stores the answer in the caller's transaction; fails if another attempt took the key over. */
  complete(tx: Tx, statusCode: number, body: unknown): Promise<void>;
  completed: boolean;
  /** Frees the key after a failed attempt, unless an answer was stored. */
  release(): Promise<void>;
}

declare module 'fastify' {
  interface FastifyRequest {
    idempotency: IdempotencyHandle | null;
  }
  interface FastifyContextConfig {
    /** The route refuses a POST without Idempotency-Key. */
    idempotencyRequired?: boolean;
  }
}

/** What makes two requests "the same": method, path and the body, keys in any order. */
export function hashRequest(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${path}\n${stableStringify(body ?? null)}`)
    .digest('hex');
}

const requestHash = (request: FastifyRequest) =>
  hashRequest(request.method, request.url.split('?')[0] ?? '', request.body);

export interface IdempotencyOptions {
  db: Db;
  clock: () => Date;
}

export const idempotency = fp<IdempotencyOptions>(async (app: FastifyInstance, { db, clock }) => {
  app.decorateRequest('idempotency', null);

  app.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'POST' || !request.principal) return;
    const header = request.headers['idempotency-key'];
    if (header === undefined) {
      if (request.routeOptions.config.idempotencyRequired) {
        throw validationFailed(
          [
            {
              path: 'headers.idempotency-key',
              message: 'Idempotency-Key header is required',
              messageZh: '缺少 Idempotency-Key 请求头',
            },
          ],
          'Idempotency-Key header is required on this request',
        );
      }
      return;
    }
    if (typeof header !== 'string' || !KEY_PATTERN.test(header)) {
      throw validationFailed([
        {
          path: 'headers.idempotency-key',
          message: 'must be 1-255 printable ASCII characters',
          messageZh: '须为 1 至 255 个可打印 ASCII 字符',
        },
      ]);
    }
    const apiKeyId = request.principal.keyId;
    const hash = requestHash(request);
    const token = randomBytes(12).toString('base64url');
    const now = clock();
    // One statement claims a new key, an expired one, or one whose attempt died.
    const claimed = await db
      .insert(idempotencyKeys)
      .values({
        apiKeyId,
        key: header,
        method: request.method,
        path: request.url.split('?')[0] ?? '',
        requestHash: hash,
        lockToken: token,
        createdAt: now,
        expiresAt: new Date(now.getTime() + IDEMPOTENCY_TTL_MS),
      })
      .onConflictDoUpdate({
        target: [idempotencyKeys.apiKeyId, idempotencyKeys.key],
        set: {
          method: request.method,
          path: request.url.split('?')[0] ?? '',
          requestHash: hash,
          lockToken: token,
          responseStatus: null,
          responseBody: null,
          createdAt: now,
          expiresAt: new Date(now.getTime() + IDEMPOTENCY_TTL_MS),
        },
        setWhere: sql`${idempotencyKeys.expiresAt} < ${now} or (${idempotencyKeys.responseStatus} is null and ${idempotencyKeys.requestHash} = ${hash} and ${idempotencyKeys.createdAt} < ${new Date(now.getTime() - IN_FLIGHT_STALE_MS)})`,
      })
      .returning({ lockToken: idempotencyKeys.lockToken });

    if (claimed[0]?.lockToken !== token) {
      const [existing] = await db
        .select()
        .from(idempotencyKeys)
        .where(and(eq(idempotencyKeys.apiKeyId, apiKeyId), eq(idempotencyKeys.key, header)))
        .limit(1);
      if (!existing)
        throw conflict(
          'IDEMPOTENCY_KEY_IN_USE',
          'A request with this Idempotency-Key is in progress',
          '相同幂等键的请求正在处理中',
        );
      if (existing.requestHash !== hash) {
        throw unprocessable(
          'IDEMPOTENCY_KEY_REUSED',
          'This Idempotency-Key was used with a different request; use a new key',
          '该幂等键已用于不同的请求，请使用新的幂等键',
        );
      }
      if (existing.responseStatus === null) {
        throw conflict(
          'IDEMPOTENCY_KEY_IN_USE',
          'A request with this Idempotency-Key is in progress; retry shortly',
          '相同幂等键的请求正在处理中，请稍后重试',
        );
      }
      reply.header('idempotent-replayed', 'true');
      return reply.status(existing.responseStatus).send(existing.responseBody);
    }

    const where = and(
      eq(idempotencyKeys.apiKeyId, apiKeyId),
      eq(idempotencyKeys.key, header),
      eq(idempotencyKeys.lockToken, token),
    );
    const handle: IdempotencyHandle = {
      key: header,
      claim: { apiKeyId, key: header, lockToken: token },
      completed: false,
      async complete(tx, statusCode, body) {
        const updated = await tx
          .update(idempotencyKeys)
          .set({ responseStatus: statusCode, responseBody: body })
          .where(where)
          .returning({ key: idempotencyKeys.key });
        if (updated.length !== 1) {
          throw conflict(
            'IDEMPOTENCY_KEY_IN_USE',
            'This Idempotency-Key was taken over by a newer attempt',
            '该幂等键已被新的请求占用',
          );
        }
        handle.completed = true;
      },
      async release() {
        await db.delete(idempotencyKeys).where(and(where, isNull(idempotencyKeys.responseStatus)));
      },
    };
    request.idempotency = handle;
  });

  // Answers the service did not store itself: keep successes, release the key on failures.
  app.addHook('onSend', async (request, reply, payload) => {
    const handle = request.idempotency;
    if (!handle) return payload;
    try {
      if (reply.statusCode >= 300) {
        // Nothing was written (the transaction rolled back): let the client retry the same key.
        await handle.release();
      } else if (!handle.completed && typeof payload === 'string') {
        await handle.complete(db, reply.statusCode, JSON.parse(payload));
      }
    } catch (err) {
      if (!(err instanceof AppError))
        request.log.warn({ err }, 'could not store the idempotent answer');
    }
    return payload;
  });
});
