import type { Db } from '../../db/connect';
import type { WebhookAttempt } from '../../db/schema';
import type { SecretBox } from '../../lib/secret-box';
import { EVENT_ID_HEADER, SIGNATURE_HEADER, signWebhook } from '../../lib/webhook-signature';
import { eventView } from '../events/service';
import * as repo from './repository';
import { ATTEMPT_LOG_SIZE, retriesExhausted, retryDelayMs } from './retry';
import { type Resolve, webhookUrlProblem } from './url-guard';

export interface DeliveryDeps {
  db: Db;
  clock: () => Date;
  secrets: SecretBox;
  /** Production: HTTPS and public addresses only, checked again before each attempt. */
  production: boolean;
  timeoutMs: number;
  random: () => number;
  fetch: typeof fetch;
  resolve?: Resolve;
}

export type AttemptResult = 'delivered' | 'retry' | 'dead' | 'lost-lease' | 'skipped';

/**
 * What went wrong, in a few words (never the body, the headers or the secret). Read by shape, not
 * instanceof: fetch's errors may come from another realm.
 */
function describe(err: unknown, timeoutMs: number): string {
  const e = (err ?? {}) as { name?: unknown; message?: unknown; cause?: Record<string, unknown> };
  if (e.name === 'TimeoutError' || e.name === 'AbortError')
    return `no answer within ${timeoutMs} ms`;
  const cause = e.cause?.code ?? e.cause?.message;
  const message = typeof e.message === 'string' ? e.message : String(err);
  return (typeof cause === 'string' ? `${message}: ${cause}` : message).slice(0, 200);
}

/** POSTs the event, signed; the status code, or the error that stopped it. */
async function send(
  deps: DeliveryDeps,
  claimed: repo.ClaimedDelivery,
  sentAt: Date,
): Promise<{ statusCode: number | null; error: string | null }> {
  const { endpoint, event } = claimed;
  try {
    if (deps.production) {
      const problem = await webhookUrlProblem(endpoint.url, {
        production: true,
        resolve: deps.resolve,
      });
      if (problem) return { statusCode: null, error: problem.message };
    }
    const body = JSON.stringify(eventView(event));
    const secret = deps.secrets.open(endpoint.secretCiphertext, endpoint.id);
    const res = await deps.fetch(endpoint.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'merchant-lending-webhooks/1',
        [EVENT_ID_HEADER]: event.id,
        [SIGNATURE_HEADER]: signWebhook(secret, Math.floor(sentAt.getTime() / 1000), body),
      },
      body,
      // A redirect could point anywhere, the bank's own network included: it counts as a failure.
      redirect: 'manual',
      signal: AbortSignal.timeout(deps.timeoutMs),
    });
    await res.body?.cancel().catch(() => {});
    const ok = res.status >= 200 && res.status < 300;
    return { statusCode: res.status, error: ok ? null : `HTTP ${res.status}` };
  } catch (err) {
    return { statusCode: null, error: describe(err, deps.timeoutMs) };
  }
}

/**
 * One attempt of a leased delivery: send it unless the lease could end before the answer (then
 * leave it to expire and be claimed again: never two sends at once), and record the outcome if
 * the lease is still ours: delivered, retried later (backoff), or dead after 24 hours of failures.
 */
export async function attempt(
  deps: DeliveryDeps,
  claimed: repo.ClaimedDelivery,
  token: string,
  leaseUntil: Date,
): Promise<AttemptResult> {
  const { delivery } = claimed;
  const sentAt = deps.clock();
  if (sentAt.getTime() + deps.timeoutMs >= leaseUntil.getTime()) return 'skipped';
  const started = performance.now();
  const { statusCode, error } = await send(deps, claimed, sentAt);
  const entry: WebhookAttempt = {
    at: sentAt.toISOString(),
    statusCode,
    error,
    durationMs: Math.round(performance.now() - started),
  };
  const now = deps.clock();
  const attempts = delivery.attempts + 1;
  const firstAttemptAt = delivery.firstAttemptAt ?? sentAt;
  const result: AttemptResult =
    error === null ? 'delivered' : retriesExhausted(firstAttemptAt, now) ? 'dead' : 'retry';
  const recorded = await repo.recordAttempt(deps.db, delivery.id, token, {
    status: result === 'retry' ? 'pending' : result,
    attempts,
    firstAttemptAt,
    nextAttemptAt:
      result === 'retry'
        ? new Date(now.getTime() + retryDelayMs(attempts, deps.random()))
        : delivery.nextAttemptAt,
    attemptLog: [...delivery.attemptLog, entry].slice(-ATTEMPT_LOG_SIZE),
    deliveredAt: result === 'delivered' ? now : null,
  });
  return recorded ? result : 'lost-lease';
}
