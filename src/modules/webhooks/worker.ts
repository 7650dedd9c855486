import { setTimeout as delay } from 'node:timers/promises';
import type { Config } from '../../config';
import type { Db } from '../../db/connect';
import { randomToken } from '../../lib/ids';
import { type AttemptResult, attempt, type DeliveryDeps } from './deliver';
import { fanOut } from './fan-out';
import * as repo from './repository';
import { webhookSecretBox } from './secrets';
import type { Resolve } from './url-guard';

interface Log {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface WorkerOptions {
  db: Db;
  config: Pick<
    Config,
    'NODE_ENV' | 'WEBHOOK_SECRET_KEY' | 'WEBHOOK_TIMEOUT_MS' | 'WEBHOOK_POLL_INTERVAL_MS'
  >;
  log: Log;
  /** Tests inject these; by default the real ones. */
  clock?: () => Date;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  random?: () => number;
  fetch?: typeof fetch;
  resolve?: Resolve;
  /** How long a claim is this worker's; longer than the timeout, so a live worker finishes first. */
  leaseMs?: number;
  batchSize?: number;
}

export interface TickResult {
  fannedOut: number;
  claimed: number;
  outcomes: AttemptResult[];
}

export interface WebhookWorker {
  /** One round: fan new events out, then claim due deliveries and attempt each. */
  runOnce(): Promise<TickResult>;
  /** Runs rounds until stopped: at once while busy, every WEBHOOK_POLL_INTERVAL_MS when idle. */
  start(): void;
  /** Ends the loop after the round in progress (its sends are bounded by the timeout). */
  stop(): Promise<void>;
}

const realSleep = (ms: number, signal: AbortSignal) =>
  delay(ms, undefined, { signal }).catch(() => {});

/**
 * The delivery worker (ADR 0010): runs in the service by default and as its own process
 * (`npm run worker`); any number may run against one database. No transaction stays open over an
 * HTTP call: the fan-out is one short transaction, a claim one statement that leases, a result
 * one statement that checks the lease is still this worker's.
 */
export function createWebhookWorker(options: WorkerOptions): WebhookWorker {
  const clock = options.clock ?? (() => new Date());
  const sleep = options.sleep ?? realSleep;
  const timeoutMs = options.config.WEBHOOK_TIMEOUT_MS;
  const leaseMs = options.leaseMs ?? timeoutMs + 20_000;
  const batchSize = options.batchSize ?? 50;
  const deps: DeliveryDeps = {
    db: options.db,
    clock,
    secrets: webhookSecretBox(options.config),
    production: options.config.NODE_ENV === 'production',
    timeoutMs,
    random: options.random ?? Math.random,
    fetch: options.fetch ?? fetch,
    resolve: options.resolve,
  };

  async function runOnce(): Promise<TickResult> {
    const fannedOut = await fanOut(options.db, clock(), 200);
    const now = clock();
    const token = randomToken(16);
    const leaseUntil = new Date(now.getTime() + leaseMs);
    const ids = await repo.claimDue(options.db, now, leaseUntil, token, batchSize);
    const claimed = await repo.claimedDeliveries(options.db, ids);
    // One per (endpoint, object) at most (the claim's order rule), so these may run together.
    const outcomes = await Promise.all(claimed.map((c) => attempt(deps, c, token, leaseUntil)));
    const failed = outcomes.filter((o) => o !== 'delivered').length;
    if (failed > 0) options.log.info({ attempted: outcomes.length, failed }, 'webhook deliveries');
    return { fannedOut, claimed: ids.length, outcomes };
  }

  const stopping = new AbortController();
  let loop: Promise<void> | null = null;

  async function run() {
    while (!stopping.signal.aborted) {
      let busy = false;
      try {
        const r = await runOnce();
        busy = r.fannedOut === 200 || r.claimed === batchSize;
      } catch (err) {
        options.log.warn({ err }, 'webhook worker round failed; will retry');
      }
      if (!busy) await sleep(options.config.WEBHOOK_POLL_INTERVAL_MS, stopping.signal);
    }
  }

  return {
    runOnce,
    start() {
      loop ??= run();
    },
    async stop() {
      stopping.abort();
      await loop;
    },
  };
}
