import type { AddressInfo } from 'node:net';
import { seedDemo, strongSurvey } from '../helpers/fixtures';
import { startTcpProxy, type TcpProxy, viaProxy } from '../helpers/tcp-proxy';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { usingPostgres } from '../helpers/test-database';

/**
 * PostgreSQL disappears under load and comes back: a TCP proxy sits between the app's pool and
 * the server, `cut()` resets every connection and refuses new ones. The same app instance must
 * report itself unready, answer commands 503 with Retry-After (never 500, never hang), and serve
 * again once the database is back, without a restart.
 */
const describePg = usingPostgres ? describe : describe.skip;

const MERCHANTS = ['mer_demo_mjy01', 'mer_demo_mjy02', 'mer_demo_mjy04', 'mer_demo_mjy05'];
const WORKERS = 6;
const REQUEST_TIMEOUT_MS = 8_000;

interface Sample {
  /** When the request was sent, ms on the performance clock. */
  sentAt: number;
  ms: number;
  /** 0: no HTTP answer (reset, or no answer within REQUEST_TIMEOUT_MS). */
  status: number;
  code?: string;
  retryAfter: string | null;
  error?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describePg('PostgreSQL outage under load (TCP proxy cut and restored)', () => {
  let proxy: TcpProxy;
  let t: TestApp;
  let base: string;
  let officer: string;
  let serial = 0;
  const samples: Sample[] = [];
  let stopLoad: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    const target = new URL(process.env.DATABASE_URL ?? '');
    proxy = await startTcpProxy({
      host: target.hostname,
      port: Number(target.port || 5432),
    });
    t = await createTestApp({
      databaseUrl: (url) => viaProxy(url, proxy),
      env: { DATABASE_POOL_MAX: '8' },
    });
    await seedDemo(t);
    officer = await t.issueKey('officer', { marketIds: ['mkt_demo_majiayan'] });
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await stopLoad?.();
    proxy?.restore();
    await t?.close();
    await proxy?.close();
  });

  async function submitOnce(): Promise<Sample> {
    const n = ++serial;
    const sentAt = performance.now();
    try {
      const res = await fetch(`${base}/v1/applications`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${officer}`,
          'content-type': 'application/json',
          'idempotency-key': `outage-${n}`,
        },
        body: JSON.stringify({
          merchantId: MERCHANTS[n % MERCHANTS.length],
          survey: strongSurvey(),
          request: {
            product: 'any',
            amount: 20_000_000,
            termMonths: 12,
            purpose: 'working_capital',
          },
        }),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const body = (await res.json()) as { code?: string };
      return {
        sentAt,
        ms: performance.now() - sentAt,
        status: res.status,
        code: body.code,
        retryAfter: res.headers.get('retry-after'),
      };
    } catch (err) {
      return {
        sentAt,
        ms: performance.now() - sentAt,
        status: 0,
        retryAfter: null,
        error: String(err),
      };
    }
  }

  async function ready(): Promise<{ status: number; retryAfter: string | null; ms: number }> {
    const sentAt = performance.now();
    const res = await fetch(`${base}/health/ready`, { signal: AbortSignal.timeout(5_000) });
    await res.arrayBuffer();
    return {
      status: res.status,
      retryAfter: res.headers.get('retry-after'),
      ms: performance.now() - sentAt,
    };
  }

  /** WORKERS loops submitting back to back (a short pause each), until stopped. */
  function startLoad() {
    let running = true;
    const workers = Array.from({ length: WORKERS }, async () => {
      while (running) {
        samples.push(await submitOnce());
        await sleep(20);
      }
    });
    stopLoad = async () => {
      running = false;
      await Promise.all(workers);
      stopLoad = undefined;
    };
  }

  /** Polls until `check` holds, answering the ms it took; fails after `withinMs`. */
  async function waitFor(check: () => Promise<boolean>, withinMs: number): Promise<number> {
    const from = performance.now();
    while (performance.now() - from < withinMs) {
      if (await check()) return performance.now() - from;
      await sleep(50);
    }
    throw new Error(`not within ${withinMs} ms`);
  }

  it('serves, goes 503 within 2 s of the cut, and recovers within 5 s of the restore', async () => {
    // 1. Healthy under load.
    expect((await ready()).status).toBe(200);
    startLoad();
    await sleep(1_500);
    const healthy = samples.slice();
    expect(healthy.length).toBeGreaterThan(10);
    expect(healthy.filter((s) => s.status !== 201)).toEqual([]);

    // 2. The database vanishes.
    const cutAt = performance.now();
    proxy.cut();
    let lastReady = { status: 0, retryAfter: null as string | null, ms: 0 };
    const to503 = await waitFor(async () => {
      lastReady = await ready();
      return lastReady.status === 503;
    }, 2_000);
    expect(lastReady.retryAfter).toMatch(/^\d+$/);

    // Load keeps coming for 3 s of outage.
    await sleep(3_000);
    const outageEnd = performance.now();
    const duringOutage = samples.filter((s) => s.sentAt >= cutAt && s.sentAt + s.ms <= outageEnd);
    const straddling = samples.filter((s) => s.sentAt < cutAt && s.sentAt + s.ms > cutAt);
    expect(duringOutage.length).toBeGreaterThan(10);
    // Every command sent after the cut: 503 SERVICE_UNAVAILABLE with Retry-After, quickly.
    expect(
      duringOutage.filter(
        (s) => s.status !== 503 || s.code !== 'SERVICE_UNAVAILABLE' || !s.retryAfter,
      ),
    ).toEqual([]);
    const slowest = Math.max(...duringOutage.map((s) => s.ms));
    expect(slowest).toBeLessThan(3_000);
    // Those in flight at the cut either committed (201) or failed cleanly (503).
    expect(straddling.filter((s) => s.status !== 201 && s.status !== 503)).toEqual([]);
    // A query answers 503 too, and readiness stays 503 for the whole outage.
    const list = await fetch(`${base}/v1/applications?limit=1`, {
      headers: { authorization: `Bearer ${t.adminKey}` },
      signal: AbortSignal.timeout(5_000),
    });
    expect(list.status).toBe(503);
    expect(list.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await ready()).status).toBe(503);

    // 3. The database returns; the same instance recovers.
    const restoredAt = performance.now();
    proxy.restore();
    const toReady = await waitFor(async () => (await ready()).status === 200, 5_000);
    let firstOk: Sample | undefined;
    await waitFor(
      async () => {
        const s = await submitOnce();
        if (s.status === 201) firstOk = s;
        return s.status === 201;
      },
      5_000 - (performance.now() - restoredAt),
    );
    const toServing = performance.now() - restoredAt;
    expect(firstOk?.status).toBe(201);

    // After recovery the load succeeds again.
    await sleep(1_000);
    const recoveredFrom = performance.now() - 500;
    await stopLoad?.();
    const after = samples.filter((s) => s.sentAt >= recoveredFrom);
    expect(after.length).toBeGreaterThan(0);
    expect(after.filter((s) => s.status !== 201)).toEqual([]);

    // Never a 500 or a reset, before, during or after.
    expect(samples.filter((s) => s.status === 0 || (s.status >= 500 && s.status !== 503))).toEqual(
      [],
    );
    // The rest of the app's process saw no crash: the instance answered throughout.
    process.stdout.write(
      `database outage: ${samples.length} submissions; 503 on /health/ready ${Math.round(to503)} ms after the cut; ` +
        `${duringOutage.length} commands during the outage, slowest ${Math.round(slowest)} ms; ` +
        `ready ${Math.round(toReady)} ms and serving ${Math.round(toServing)} ms after the restore\n`,
    );
  }, 30_000);
});
