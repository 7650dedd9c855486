import type { FastifyInstance, FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import type { Db } from '../db/connect';
import { isUniqueViolation } from '../db/database-errors';
import { toRecord } from '../db/records';
import { idempotencyKeys } from '../db/schema';
import type { AppError } from '../lib/errors';
import { type AnswerRef, type KeyHandle, sendReplay, takenOver } from './idempotency';

export type { AnswerRebuilder, AnswerRef } from './idempotency';

/**
 * The command runner: every write route answers through `reply.command(...)`. It opens the
 * transaction, runs the use case, stores the answer under the request's Idempotency-Key in that
 * same transaction (so both commit or neither does) and sends it; a retry gets the stored answer
 * back. Use cases return views: they never see the key.
 */

/** The use case ends without its change taking effect as a success: what it wrote commits, its error is the answer, nothing is stored under the key (the client may retry it). */
export class Refusal {
  constructor(readonly error: AppError) {}
}
export const refuse = (error: AppError) => new Refusal(error);

/** A single-statement write found the key in use: claim it the usual way (replay, or take over an expired one). */
export class KeyTaken {
  readonly keyTaken = true;
}

/** A view with a status of its own (e.g. 201 recorded, 200 found as recorded before). */
export class Answer<V> {
  constructor(
    readonly status: number,
    readonly view: V,
  ) {}
}

interface Answering {
  /** The success status, unless the use case answers with an `Answer`. */
  status: number;
}

/** A command in one transaction. */
export interface TransactionCommand<V> extends Answering {
  /**
   * Reads before the transaction, e.g. the policy cache, which reads on its own connection: on
   * PGlite (one connection) nothing but `tx` may be used inside the transaction.
   */
  prepare?: () => Promise<void>;
  run: (tx: Db) => Promise<V | Answer<V> | Refusal>;
  /**
   * Store a reference instead of the answer (`app.answerRebuilders` turns it back into the
   * answer byte for byte from rows stored anyway): the idempotency row stays small.
   */
  reference?: (view: V) => AnswerRef;
  /** After the commit, e.g. refresh a cache. */
  afterCommit?: () => void;
}

/**
 * A command whose change is one statement (the hot path): the statement carries the platform's
 * part, `AnswerPart`, which writes the key and answer only if the change is written.
 */
export interface StatementCommand<V> extends Answering {
  write: (answer: AnswerPart) => Promise<V | KeyTaken>;
}

/** A POST that changes nothing (a quote, a simulation, a replay): its answer is stored after. */
export interface ReadCommand<V> extends Answering {
  read: () => Promise<V>;
}

export type Command<V> = TransactionCommand<V> | StatementCommand<V> | ReadCommand<V>;

declare module 'fastify' {
  interface FastifyReply {
    command<V>(command: Command<V>): Promise<FastifyReply>;
  }
}

const answerOf = <V>(c: Answering, result: V | Answer<V>): Answer<V> =>
  result instanceof Answer ? result : new Answer(c.status, result);

/**
 * The platform's part of a single-statement write, as CTEs: the repository splices `held` into
 * its gate and `ctes` into its statement, and passes `values(status, body)` as the parameters
 * numbered from `first`. The idempotency table is written by this text only.
 */
export class AnswerPart {
  static readonly PARAMS = 8;

  private constructor(
    private readonly kind: 'none' | 'fresh' | 'claimed',
    private readonly key: KeyHandle | null,
  ) {}

  static of(key: KeyHandle | null) {
    if (!key) return new AnswerPart('none', null);
    return new AnswerPart(key.claim ? 'claimed' : 'fresh', key);
  }

  /** SQL for "the key is still this attempt's" (`held`) and the CTEs that store the answer when `go`. */
  static sql(first: number, go: string) {
    const p = (i: number) => `$${first + i}`;
    const mine = `api_key_id = ${p(1)}::text and key = ${p(2)}::text and lock_token = ${p(3)}::text`;
    return {
      held: `(${p(0)}::text <> 'claimed' or exists (select 1 from idempotency_keys where ${mine} and response_status is null))`,
      ctes: `idempotency_fresh as (
      insert into idempotency_keys
      select r.* from jsonb_populate_record(null::idempotency_keys, ${p(4)}::jsonb) r
      where ${p(0)}::text = 'fresh' and ${go}
      returning key
    ),
    idempotency_answer as (
      update idempotency_keys
      set response_status = ${p(5)}::int, response_body = ${p(6)}::jsonb, response_ref = ${p(7)}::jsonb
      where ${p(0)}::text = 'claimed' and ${mine} and ${go}
      returning key
    )`,
    };
  }

  /** The parameters: the answer is stored as `ref` when given, else as `body`. */
  values(status: number, body: unknown, ref: AnswerRef | null = null): unknown[] {
    const claim = this.key?.claim ?? null;
    const stored = { responseStatus: status, responseBody: ref ? null : body, responseRef: ref };
    const fresh =
      this.kind === 'fresh' && this.key
        ? JSON.stringify(toRecord(idempotencyKeys, { ...this.key.freshRow(), ...stored }))
        : null;
    const claimed = this.kind === 'claimed';
    return [
      this.kind,
      claim?.apiKeyId ?? null,
      claim?.key ?? null,
      claim?.lockToken ?? null,
      fresh,
      claimed ? status : null,
      claimed && !ref ? JSON.stringify(body) : null,
      claimed && ref ? JSON.stringify(ref) : null,
    ];
  }

  /** The statement failed because the fresh key exists already. */
  collided(err: unknown): boolean {
    return this.kind === 'fresh' && isUniqueViolation(err, 'idempotency_keys_api_key_id_key_pk');
  }

  /** The gate found the key claimed by this attempt taken over by a newer one. */
  lost(): never {
    throw takenOver();
  }
}

export const commandRunner = fp<{ db: Db }>(async (app: FastifyInstance, { db }) => {
  async function run<V>(reply: FastifyReply, command: Command<V>): Promise<FastifyReply> {
    const key = reply.request.idempotency;
    const send = (answer: Answer<V>) => {
      if (key) key.completed = true;
      return reply.status(answer.status).send(answer.view);
    };

    if ('write' in command) {
      for (;;) {
        const result = await command.write(AnswerPart.of(key));
        if (!(result instanceof KeyTaken)) return send(answerOf(command, result));
        if (!key) throw new Error('a statement without a key found its key taken');
        const replay = await key.claimNow();
        if (replay) return sendReplay(reply, replay);
      }
    }

    // A deferred route that takes this path claims its key first.
    if (key && !key.claim && !key.completed) {
      const replay = await key.claimNow();
      if (replay) return sendReplay(reply, replay);
    }
    if ('read' in command) {
      const answer = answerOf(command, await command.read());
      if (key) await key.store(db, answer.status, answer.view);
      return send(answer);
    }

    await command.prepare?.();
    const outcome = await db.transaction(async (tx) => {
      const result = await command.run(tx);
      if (result instanceof Refusal) {
        await key?.free(tx);
        return result;
      }
      const answer = answerOf(command, result);
      await key?.store(tx, answer.status, answer.view, command.reference?.(answer.view));
      return answer;
    });
    if (outcome instanceof Refusal) {
      if (key) key.completed = true; // freed in the transaction
      throw outcome.error;
    }
    command.afterCommit?.();
    return send(outcome);
  }

  app.decorateReply('command', function <V>(this: FastifyReply, command: Command<V>) {
    return run(this, command);
  });
});
