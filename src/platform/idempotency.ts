import { createHmac } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import type { Db } from '../db/connect';
import { idempotencyKeys } from '../db/schema';
import { AppError, conflict, unprocessable, validationFailed } from '../lib/errors';
import { randomToken } from '../lib/ids';
import { stableStringify } from '../lib/stable-json';
import { type Claim, PendingReleases } from './idempotency-releases';

/**
 * Idempotency-Key, as Stripe and Fineract do it: the same key and request (method, path, query,
 * body) replay the stored answer; the same key with another request is 422; a duplicate while
 * the first is in flight is 409. Keys live 24 hours and are scoped to the API key. This plugin
 * checks the header and claims the key; the command runner (command.ts) stores the answer in the
 * command's own transaction, so the change and the stored answer commit together.
 */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/**
 * Default for IDEMPOTENCY_IN_FLIGHT_MS: a claim without an answer this old may be taken over.
 * Taking over an attempt that is slow but alive is safe where the answer is stored in the
 * command's transaction: that attempt's stored answer finds the key no longer its own and rolls back.
 */
export const IN_FLIGHT_STALE_MS = 10_000;
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * What a write route does with Idempotency-Key; every POST, PUT, PATCH and DELETE declares one.
 * required: refused without it. optional: retries with it replay the first answer.
 * never: refused with it (400), because the answer must never be stored (a secret shown once).
 */
export const IDEMPOTENCY_MODES = ['required', 'optional', 'never'] as const;
export type IdempotencyMode = (typeof IDEMPOTENCY_MODES)[number];

type Tx = Pick<Db, 'update'>;

/** What a key row records about the request that first used it. */
export interface KeyRequest {
  apiKeyId: string;
  key: string;
  method: string;
  path: string;
  requestHash: string;
}

/** An earlier attempt's stored answer, to send again as it was. */
export interface StoredAnswer {
  status: number;
  body: unknown;
}

/**
 * An answer stored as a reference: `kind` names the rebuilder (registered by the module that
 * owns the data, `app.answerRebuilders`) and `ref` what it needs to rebuild the answer byte for
 * byte from rows stored anyway.
 */
export interface AnswerRef {
  kind: string;
  ref: unknown;
}
export type AnswerRebuilder = (db: Db, ref: unknown) => Promise<unknown>;

export function sendReplay(reply: FastifyReply, answer: StoredAnswer) {
  reply.header('idempotent-replayed', 'true');
  return reply.status(answer.status).send(answer.body);
}

/**
 * The platform's hold on a request's Idempotency-Key. Only src/platform sees it: the command
 * runner claims, stores and frees through it; use cases never do.
 */
export interface KeyHandle {
  request: KeyRequest;
  /** This attempt's hold on the key; null on a deferred route until `claimNow`. */
  claim: Claim | null;
  /** Claims the key now: null when claimed; the earlier answer when there is one; 409 or 422 otherwise. */
  claimNow(): Promise<StoredAnswer | null>;
  /** Stores the answer (or its reference) in the caller's transaction; fails if another attempt took the key over. */
  store(tx: Tx, statusCode: number, body: unknown, ref?: AnswerRef | null): Promise<void>;
  /** Frees the claim in the caller's transaction (a command that commits without an answer). */
  free(tx: Pick<Db, 'delete'>): Promise<void>;
  /** The answer is stored (or was replayed): nothing to free. */
  completed: boolean;
  /** The key row a single-statement write inserts with its answer (no claim was made). */
  freshRow(): typeof idempotencyKeys.$inferInsert;
  /** Frees the key after a failed attempt, unless an answer was stored. */
  release(): Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** How stored references turn back into answers, by kind. */
    answerRebuilders: Map<string, AnswerRebuilder>;
  }
  interface FastifyRequest {
    /** Platform only (src/platform/command.ts): the request's Idempotency-Key, if it has one. */
    idempotency: KeyHandle | null;
  }
  interface FastifyContextConfig {
    /** Required on every POST, PUT, PATCH and DELETE route (checked as routes register). */
    idempotency?: IdempotencyMode;
    /**
     * The key is not claimed before the handler: the route's single statement writes it with
     * its answer (saving a round trip), and the runner claims it only when that insert collides.
     */
    idempotencyDeferred?: boolean;
  }
}

/** What makes two requests "the same". */
export interface RequestFingerprint {
  method: string;
  path: string;
  /** The parsed query string (as validated, so `?a=1&` and `?a=1` are one request). */
  query: unknown;
  body: unknown;
}

/**
 * Method, path, query and body, keys in any order, under a keyed hash: a body may hold an
 * identity number or phone, and a plain hash would let anyone holding the table confirm a guess
 * (a masked phone leaves 10,000).
 */
export function hashRequest(secret: string, r: RequestFingerprint): string {
  return createHmac('sha256', secret)
    .update(
      `${r.method} ${r.path}\n${stableStringify(r.query ?? {})}\n${stableStringify(r.body ?? null)}`,
    )
    .digest('hex');
}

export interface IdempotencyOptions {
  db: Db;
  clock: () => Date;
  /** Keys the request fingerprint (PII_DIGEST_KEY: the same on every instance). */
  hashSecret: string;
  /** IDEMPOTENCY_IN_FLIGHT_MS. */
  inFlightMs?: number;
}

interface Keys {
  db: Db;
  rebuilders: Map<string, AnswerRebuilder>;
  clock: () => Date;
  inFlightMs: number;
  releases: PendingReleases;
}

const inProgress = () =>
  conflict(
    'IDEMPOTENCY_KEY_IN_USE',
    'A request with this Idempotency-Key is in progress; retry shortly',
    '相同幂等键的请求正在处理中，请稍后重试',
  );

/**
 * One statement claims a new key, an expired one, or one whose attempt died; otherwise the key
 * belongs to an earlier request: its answer is replayed, or 409 (in flight) or 422 (other body).
 */
async function claimKey(
  { db, rebuilders }: Pick<Keys, 'db' | 'rebuilders'>,
  now: Date,
  req: KeyRequest,
  token: string,
  inFlightMs: number,
): Promise<{ lockToken: string } | StoredAnswer> {
  const expiresAt = new Date(now.getTime() + IDEMPOTENCY_TTL_MS);
  const claimed = await db
    .insert(idempotencyKeys)
    .values({ ...req, lockToken: token, createdAt: now, expiresAt })
    .onConflictDoUpdate({
      target: [idempotencyKeys.apiKeyId, idempotencyKeys.key],
      set: {
        method: req.method,
        path: req.path,
        requestHash: req.requestHash,
        lockToken: token,
        responseStatus: null,
        responseBody: null,
        responseRef: null,
        createdAt: now,
        expiresAt,
      },
      setWhere: sql`${idempotencyKeys.expiresAt} < ${now} or (${idempotencyKeys.responseStatus} is null and ${idempotencyKeys.requestHash} = ${req.requestHash} and ${idempotencyKeys.createdAt} < ${new Date(now.getTime() - inFlightMs)})`,
    })
    .returning({ lockToken: idempotencyKeys.lockToken });
  if (claimed[0]?.lockToken === token) return { lockToken: token };

  const [existing] = await db
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.apiKeyId, req.apiKeyId), eq(idempotencyKeys.key, req.key)))
    .limit(1);
  if (!existing) throw inProgress();
  if (existing.requestHash !== req.requestHash) {
    throw unprocessable(
      'IDEMPOTENCY_KEY_REUSED',
      'This Idempotency-Key was used with a different request; use a new key',
      '该幂等键已用于不同的请求，请使用新的幂等键',
    );
  }
  if (existing.responseStatus === null) throw inProgress();
  const ref = existing.responseRef as AnswerRef | null;
  if (!ref) return { status: existing.responseStatus, body: existing.responseBody };
  const rebuild = rebuilders.get(ref.kind);
  if (!rebuild) throw new Error(`no rebuilder for stored answers of kind ${ref.kind}`);
  return { status: existing.responseStatus, body: await rebuild(db, ref.ref) };
}

/** Which attempt holds a key: a stale attempt cannot store its answer over a newer one. */
export const lockToken = () => randomToken(12);

const held = (c: Claim) =>
  and(
    eq(idempotencyKeys.apiKeyId, c.apiKeyId),
    eq(idempotencyKeys.key, c.key),
    eq(idempotencyKeys.lockToken, c.lockToken),
  );

/** Deletes a claim that is still this attempt's and has no answer. */
const freeClaim = (db: Db) => async (c: Claim) => {
  await db.delete(idempotencyKeys).where(and(held(c), isNull(idempotencyKeys.responseStatus)));
};

export const takenOver = () =>
  conflict(
    'IDEMPOTENCY_KEY_IN_USE',
    'This Idempotency-Key was taken over by a newer attempt',
    '该幂等键已被新的请求占用',
  );

function handleFor(keys: Keys, req: KeyRequest): KeyHandle {
  const { clock, inFlightMs, releases } = keys;
  const mine = () => {
    if (!handle.claim) throw new Error('idempotency key not claimed');
    return held(handle.claim);
  };
  const handle: KeyHandle = {
    request: req,
    claim: null,
    completed: false,
    async claimNow() {
      await releases.settle(req.apiKeyId, req.key);
      const token = lockToken();
      let result: Awaited<ReturnType<typeof claimKey>>;
      try {
        result = await claimKey(keys, clock(), req, token, inFlightMs);
      } catch (err) {
        // The claim may have reached the database though its answer was lost: free it later.
        if (!(err instanceof AppError))
          releases.add({ apiKeyId: req.apiKeyId, key: req.key, lockToken: token });
        throw err;
      }
      if (!('lockToken' in result)) {
        handle.completed = true;
        return result;
      }
      handle.claim = { apiKeyId: req.apiKeyId, key: req.key, lockToken: result.lockToken };
      return null;
    },
    async store(tx, statusCode, body, ref) {
      const updated = await tx
        .update(idempotencyKeys)
        .set({
          responseStatus: statusCode,
          responseBody: ref ? null : body,
          responseRef: ref ?? null,
        })
        .where(mine())
        .returning({ key: idempotencyKeys.key });
      if (updated.length !== 1) throw takenOver();
    },
    async free(tx) {
      await tx.delete(idempotencyKeys).where(and(mine(), isNull(idempotencyKeys.responseStatus)));
    },
    freshRow() {
      const now = clock();
      return {
        ...req,
        lockToken: lockToken(),
        createdAt: now,
        expiresAt: new Date(now.getTime() + IDEMPOTENCY_TTL_MS),
      };
    },
    async release() {
      if (handle.claim && !handle.completed) await releases.release(handle.claim);
    },
  };
  return handle;
}

const notAccepted = () =>
  new AppError(
    400,
    'IDEMPOTENCY_KEY_NOT_ACCEPTED',
    'This request takes no Idempotency-Key: its answer is never stored, so it could not be replayed; send it without the header',
    '此请求不接受 Idempotency-Key：其应答不会被保存，无法重放；请去掉该请求头',
    [
      {
        path: 'headers.idempotency-key',
        message: 'not accepted on this route',
        messageZh: '此接口不接受该请求头',
      },
    ],
  );

export const idempotency = fp<IdempotencyOptions>(async (app: FastifyInstance, options) => {
  const { db, clock } = options;
  const inFlightMs = options.inFlightMs ?? IN_FLIGHT_STALE_MS;
  const releases = new PendingReleases(freeClaim(db), clock, inFlightMs);
  const rebuilders = new Map<string, AnswerRebuilder>();
  const keys: Keys = { db, clock, inFlightMs, releases, rebuilders };
  app.decorate('answerRebuilders', rebuilders);
  app.decorateRequest('idempotency', null);
  app.addHook('onClose', async () => releases.close());

  // A write route that forgot to say what it does with a key does not start.
  app.addHook('onRoute', (route) => {
    const methods = [route.method].flat();
    if (!methods.some((m) => WRITE_METHODS.has(m))) return;
    const mode = route.config?.idempotency;
    if (!mode || !IDEMPOTENCY_MODES.includes(mode))
      throw new Error(
        `${methods.join(',')} ${route.url}: declare config.idempotency (${IDEMPOTENCY_MODES.join(', ')})`,
      );
  });

  app.addHook('preHandler', async (request, reply) => {
    if (!WRITE_METHODS.has(request.method) || !request.principal) return;
    const header = request.headers['idempotency-key'];
    const config = request.routeOptions.config;
    const mode = config.idempotency ?? 'never';
    if (header === undefined) {
      if (mode === 'required') {
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
    if (mode === 'never') throw notAccepted();
    if (typeof header !== 'string' || !KEY_PATTERN.test(header)) {
      throw validationFailed([
        {
          path: 'headers.idempotency-key',
          message: 'must be 1-255 printable ASCII characters',
          messageZh: '须为 1 至 255 个可打印 ASCII 字符',
        },
      ]);
    }
    const path = request.url.split('?')[0] ?? '';
    const handle = handleFor(keys, {
      apiKeyId: request.principal.keyId,
      key: header,
      method: request.method,
      path,
      requestHash: hashRequest(options.hashSecret, {
        method: request.method,
        path,
        query: request.query,
        body: request.body,
      }),
    });
    if (!config.idempotencyDeferred) {
      const replay = await handle.claimNow();
      if (replay) return sendReplay(reply, replay);
    }
    request.idempotency = handle;
  });

  // A failed attempt (its transaction rolled back) frees its key, so the client may retry it.
  // Answers are stored by the command runner in the command's own transaction, never here.
  app.addHook('onSend', async (request, reply, payload) => {
    const handle = request.idempotency;
    if (!handle || handle.completed || !handle.claim) return payload;
    if (reply.statusCode < 300)
      request.log.error(
        { route: request.routeOptions.url },
        'a write route answered without the command runner: its Idempotency-Key is freed',
      );
    try {
      await handle.release();
    } catch (err) {
      if (!(err instanceof AppError))
        request.log.warn({ err }, 'could not release the idempotency key');
    }
    return payload;
  });
});
