/**
 * Shared helpers for the webhook tests. Not a test file: jest only runs *.test.ts.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import type { Db } from '../../../src/db/connect';
import { createWebhookWorker, type WebhookWorker } from '../../../src/modules/webhooks/worker';
import { bearer, type TestApp } from '../../helpers/test-app';
import { feedCaughtUp } from '../events/helpers';

/** How the receiver answers one request. */
export type Behaviour = 'ok' | '500' | 'reset' | 'timeout' | 'redirect';

export interface Received {
  eventId: string;
  signature: string;
  body: string;
  behaviour: Behaviour;
  /** The worker's clock when it arrived (unix seconds), for checking the signature's age. */
  at: number;
}

export interface Receiver {
  url: string;
  /** Every request, whatever it was answered. */
  all: Received[];
  /** Requests answered 2xx, in arrival order. */
  ok(): Received[];
  /** The next requests' answers, in order; afterwards `fallback`. */
  plan: Behaviour[];
  fallback: Behaviour;
  /** Called while a request is in flight (the concurrency test watches overlaps). */
  onRequest?: (eventId: string) => Promise<void>;
  close(): Promise<void>;
}

/** A local receiver (127.0.0.1, a free port) that fails on purpose when told to. */
export async function startReceiver(now: () => number = () => Date.now()): Promise<Receiver> {
  const receiver: Receiver = {
    url: '',
    all: [],
    ok: () => receiver.all.filter((r) => r.behaviour === 'ok'),
    plan: [],
    fallback: 'ok',
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const read = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  };
  const server: Server = createServer(async (req, res) => {
    const body = await read(req);
    const behaviour = receiver.plan.shift() ?? receiver.fallback;
    const eventId = String(req.headers['webhook-id'] ?? '');
    receiver.all.push({
      eventId,
      signature: String(req.headers['webhook-signature'] ?? ''),
      body,
      behaviour,
      at: Math.floor(now() / 1000),
    });
    if (receiver.onRequest) await receiver.onRequest(eventId);
    switch (behaviour) {
      case 'ok':
        res.writeHead(204).end();
        return;
      case '500':
        res.writeHead(500, { 'content-type': 'text/plain' }).end('boom');
        return;
      case 'redirect':
        res.writeHead(302, { location: 'http://169.254.169.254/' }).end();
        return;
      case 'reset':
        req.socket.destroy();
        return;
      case 'timeout':
        // Never answers: the worker's timeout gives up; the socket closes with it.
        return;
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  return receiver;
}

/** A clock the test moves: the worker's retries are due when the test says so. */
export function fakeClock(start = Date.now()) {
  let t = start;
  return {
    now: () => new Date(t),
    ms: () => t,
    set: (to: number) => {
      t = Math.max(t, to);
    },
    advance: (ms: number) => {
      t += ms;
    },
  };
}

const silent = { info: () => {}, warn: () => {} };

/** A worker on the test's database with a fake clock and no real sleeping. */
export function testWorker(
  t: TestApp,
  clock: () => Date,
  extra: { db?: Db; leaseMs?: number; batchSize?: number } = {},
): WebhookWorker {
  return createWebhookWorker({
    db: extra.db ?? t.testDb.database.db,
    config: t.config,
    log: silent,
    clock,
    sleep: async () => {},
    random: () => 0.5,
    leaseMs: extra.leaseMs,
    batchSize: extra.batchSize,
  });
}

/**
 * When the next pending delivery may be claimed after `now` (its retry is due or its lease ends),
 * or null when none is pending. One that waits for an earlier delivery of its object becomes
 * claimable when that one is done, which is a later round anyway.
 */
export async function nextDue(db: Db, now: Date): Promise<number | null> {
  const at = now.toISOString();
  const { rows } = (await db.execute(
    sql`select count(*)::int as n,
          min(greatest(next_attempt_at, coalesce(lease_until, next_attempt_at)))
            filter (where greatest(next_attempt_at, coalesce(lease_until, next_attempt_at)) > ${at}::timestamptz) as due
        from webhook_deliveries where status = 'pending'`,
  )) as unknown as { rows: { n: number; due: Date | string | null }[] };
  const row = rows[0];
  if (!row || row.n === 0) return null;
  return row.due ? new Date(row.due).getTime() : now.getTime();
}

/**
 * Runs the worker until nothing is pending, moving the fake clock to each next retry when idle.
 * Returns how many rounds it took; fails showing what is still pending after `maxRounds`.
 */
export async function drain(
  t: TestApp,
  worker: WebhookWorker,
  clock: ReturnType<typeof fakeClock>,
  maxRounds = 500,
): Promise<number> {
  await feedCaughtUp(t);
  for (let round = 1; round <= maxRounds; round++) {
    const r = await worker.runOnce();
    if (r.claimed > 0 || r.fannedOut > 0) continue;
    const due = await nextDue(t.testDb.database.db, clock.now());
    if (due === null) return round;
    clock.set(due);
  }
  const { rows } = (await t.testDb.database.db.execute(
    sql`select id, status, attempts, next_attempt_at, lease_until, attempt_log from webhook_deliveries where status = 'pending'`,
  )) as unknown as { rows: unknown[] };
  throw new Error(
    `still pending after ${maxRounds} rounds at ${clock.now().toISOString()}: ${JSON.stringify(rows).slice(0, 1500)}`,
  );
}

/** Registers an endpoint through the API; answers its id and secret. */
export async function createEndpoint(
  t: TestApp,
  key: string,
  url: string,
  eventTypes: string[],
): Promise<{ id: string; secret: string }> {
  const res = await t.http.post('/v1/webhook-endpoints').set(bearer(key)).send({ url, eventTypes });
  if (res.status !== 201)
    throw new Error(`createEndpoint failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.id, secret: res.body.secret };
}

export const ALL_TYPES = [
  'application.decided',
  'application.referred',
  'application.reviewed',
  'offer.accepted',
  'offer.declined',
  'offer.expired',
  'offer.withdrawn',
  'guarantee_group.decided',
  'policy.published',
  'policy.activated',
];
